package invoicing

import (
	"strconv"
	"strings"
)

// DraftRef is how pages and links name a draft, which has no number yet.
func DraftRef(id int64) string { return "draft-" + strconv.FormatInt(id, 10) }

// draftID reads a DraftRef.
func draftID(ref string) (int64, bool) {
	s, ok := strings.CutPrefix(ref, "draft-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// Ref is how pages and links name inv: its number, or its DraftRef.
func (inv *Invoice) Ref() string {
	if inv.Number != nil {
		return *inv.Number
	}
	return DraftRef(inv.ID)
}

// Ref is how pages and links name the summarised document.
func (s *Summary) Ref() string {
	if s.Number != "" {
		return s.Number
	}
	return DraftRef(s.ID)
}
