package web

import (
	"fmt"
	"strconv"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// historyEvent is one entry of a history as templates/partials/history
// shows it: who, when, what, and the fields that changed (old → new).
type historyEvent struct {
	At   time.Time
	Who  string
	What string
	// Subject names what the entry is about ("order 12"), with a link to it
	// when it has a page; empty on a page about one thing.
	Subject, Href string
	Changes       []audit.FieldChange
}

// auditEvents turns audit entries into history events, with their subjects
// when subjects is set, leaving out the fields named in hide.
func auditEvents(entries []audit.Entry, subjects bool, hide ...string) ([]historyEvent, error) {
	out := make([]historyEvent, 0, len(entries))
	for _, e := range entries {
		cs, err := e.Changes()
		if err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", e.ID, err)
		}
		ev := historyEvent{At: e.At, Who: e.Actor, What: actionLabel(e.Action), Changes: without(cs, hide)}
		if subjects {
			ev.Subject, ev.Href = e.Entity+" "+e.EntityID, subjectHref(e.Entity, e.EntityID)
		}
		out = append(out, ev)
	}
	return out, nil
}

// revisionEvents turns an order's revisions into history events.
func revisionEvents(revs []orders.Revision) ([]historyEvent, error) {
	out := make([]historyEvent, 0, len(revs))
	for _, r := range revs {
		cs, err := audit.Diff(r.Before, r.After)
		if err != nil {
			return nil, fmt.Errorf("revision %d: %w", r.Revision, err)
		}
		out = append(out, historyEvent{At: r.ChangedAt, Who: r.ChangedBy, What: fmt.Sprintf("Revision %d: %s", r.Revision, r.Summary), Changes: cs})
	}
	return out, nil
}

// without drops the changes of the fields named in hide (the last part of
// their path).
func without(cs []audit.FieldChange, hide []string) []audit.FieldChange {
	if len(hide) == 0 {
		return cs
	}
	out := cs[:0:0]
	for _, c := range cs {
		keep := true
		for _, h := range hide {
			if c.Field == h || len(c.Field) > len(h) && c.Field[len(c.Field)-len(h)-1:] == "."+h {
				keep = false
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

// actionLabel prints an audit action for people: "credit_approve" → "credit approve".
func actionLabel(a string) string {
	b := []byte(a)
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
	return string(b)
}

// subjectHref is the page of an audited thing, "" when it has none.
func subjectHref(entity, id string) string {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	switch entity {
	case "order":
		return "/orders/" + id
	case "application":
		return "/applications/" + id
	case "company":
		return "/customers/" + id
	case "change_request":
		return "/changes/" + id
	case "product":
		return "/products/" + id
	case "user":
		return "/admin/users/" + id
	}
	return ""
}

// RevisionHistory is the order's revisions for the history partial.
func (p *orderPage) RevisionHistory() ([]historyEvent, error) { return revisionEvents(p.Revisions) }

// AuditHistory is the order's audit entries for the history partial.
func (p *orderPage) AuditHistory() ([]historyEvent, error) { return auditEvents(p.Audit, false) }

// History is the page's entries for the history partial, each with its subject.
func (p *auditPage) History() ([]historyEvent, error) { return auditEvents(p.Entries, true) }

// History is the application's audit entries for the history partial; the
// documents' hashes only for admins.
func (p *applicationPage) History() ([]historyEvent, error) {
	if p.User != nil && p.User.Role == users.RoleAdmin {
		return auditEvents(p.Audit, false)
	}
	return auditEvents(p.Audit, false, "sha256")
}
