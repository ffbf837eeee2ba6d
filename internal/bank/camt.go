// Package bank imports bank statements (ISO 20022 CAMT.053, versions
// .001.02, .001.04 and .001.08, as Dutch banks export them): it checks a
// file against its version's schema, records its entries once (known by
// the account and the bank's own reference), books each credit it can
// match to an open invoice or prepayment order as a payment (and says
// why), and keeps the rest in a queue for finance to match by hand.
package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Versions of CAMT.053 the import reads, by their namespace's last part.
var Versions = []string{"camt.053.001.02", "camt.053.001.04", "camt.053.001.08"}

// nsPrefix is the namespace of a CAMT.053 document without its version.
const nsPrefix = "urn:iso:std:iso:20022:tech:xsd:"

// Statement is one account's statement (Stmt) of a file.
type Statement struct {
	Version     string
	ID          string // Stmt/Id
	AccountIBAN string // Acct/Id/IBAN (or Acct/Id/Othr/Id)
	Entries     []Entry
}

// Entry is one booked line (Ntry) of a statement.
type Entry struct {
	// Index is the entry's place in its statement, from 0.
	Index int
	// BankRef is the bank's own reference (AcctSvcrRef); when the bank gave
	// none it is derived from the entry's content and place (Derived).
	BankRef string
	Derived bool
	// AmountCents is the amount in cents, always positive; Currency its
	// currency (only EUR is booked).
	AmountCents int64
	Currency    string
	// Amount is the amount as written, for entries not in euros.
	Amount   string
	Credit   bool
	BookedOn time.Time
	Tx       []Transaction
}

// Transaction is one transaction's details (NtryDtls/TxDtls) of an entry.
type Transaction struct {
	StructuredRef string // RmtInf/Strd/CdtrRefInf/Ref
	FreeText      string // RmtInf/Ustrd, lines joined by a space
	EndToEndID    string // Refs/EndToEndId, "" for NOTPROVIDED
	DebtorName    string // RltdPties/Dbtr/Nm (.08: Dbtr/Pty/Nm)
	DebtorIBAN    string // RltdPties/DbtrAcct/Id/IBAN
}

// StructuredRef is the first structured reference of the entry's transactions.
func (e *Entry) StructuredRef() string {
	for _, t := range e.Tx {
		if t.StructuredRef != "" {
			return t.StructuredRef
		}
	}
	return ""
}

// FreeText is the free texts of the entry's transactions.
func (e *Entry) FreeText() string {
	var parts []string
	for _, t := range e.Tx {
		if t.FreeText != "" {
			parts = append(parts, t.FreeText)
		}
	}
	return strings.Join(parts, " / ")
}

// EndToEndID is the first end-to-end id of the entry's transactions.
func (e *Entry) EndToEndID() string {
	for _, t := range e.Tx {
		if t.EndToEndID != "" {
			return t.EndToEndID
		}
	}
	return ""
}

// Debtor is the name and IBAN of the first transaction that names a debtor.
func (e *Entry) Debtor() (name, iban string) {
	for _, t := range e.Tx {
		if t.DebtorName != "" || t.DebtorIBAN != "" {
			return t.DebtorName, t.DebtorIBAN
		}
	}
	return "", ""
}

// The document as encoding/xml reads it: elements by their local names,
// the same in the three versions but where noted.
type xmlDocument struct {
	XMLName xml.Name `xml:"Document"`
	Stmts   []struct {
		ID   string `xml:"Id"`
		Acct struct {
			IBAN  string `xml:"Id>IBAN"`
			Other string `xml:"Id>Othr>Id"`
		} `xml:"Acct"`
		Ntries []xmlEntry `xml:"Ntry"`
	} `xml:"BkToCstmrStmt>Stmt"`
}

type xmlEntry struct {
	Amt struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	} `xml:"Amt"`
	CdtDbtInd   string `xml:"CdtDbtInd"`
	BookgDt     string `xml:"BookgDt>Dt"`
	BookgDtTm   string `xml:"BookgDt>DtTm"`
	AcctSvcrRef string `xml:"AcctSvcrRef"`
	TxDtls      []struct {
		EndToEndID string `xml:"Refs>EndToEndId"`
		Dbtr       struct {
			Nm    string `xml:"Nm"`
			PtyNm string `xml:"Pty>Nm"` // .08
		} `xml:"RltdPties>Dbtr"`
		DbtrIBAN string   `xml:"RltdPties>DbtrAcct>Id>IBAN"`
		Ustrd    []string `xml:"RmtInf>Ustrd"`
		Refs     []string `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
	} `xml:"NtryDtls>TxDtls"`
}

// ParseError says why a file cannot be read as a statement.
type ParseError struct{ Reason string }

func (e *ParseError) Error() string { return e.Reason }

func parseErr(format string, args ...any) error {
	return &ParseError{Reason: fmt.Sprintf(format, args...)}
}

// Version returns the CAMT.053 version a document declares by the
// namespace of its root element (camt.053.001.02, …), or a ParseError when
// it is no XML, declares a DTD, or is not one of the versions read.
func Version(content []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(content))
	for {
		tok, err := d.Token()
		if err != nil {
			return "", parseErr("the file is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", parseErr("the file declares a document type (<!DOCTYPE …>), which a bank statement never does")
		case xml.StartElement:
			v, ok := strings.CutPrefix(t.Name.Space, nsPrefix)
			if t.Name.Local != "Document" || !ok || !known(v) {
				return "", parseErr("the file is no CAMT.053 statement of version %s: its root element is %s in namespace %q",
					strings.Join(Versions, ", "), t.Name.Local, t.Name.Space)
			}
			return v, nil
		}
	}
}

func known(v string) bool {
	for _, k := range Versions {
		if v == k {
			return true
		}
	}
	return false
}

// Parse reads the statements of a CAMT.053 document. It checks that the
// file is well-formed and of a known version, not its schema (Check does).
// Amounts are read as exact cents; an amount in euros with more than two
// decimals that are not zero, or a date that cannot be read, is a
// ParseError.
func Parse(content []byte) ([]Statement, error) {
	version, err := Version(content)
	if err != nil {
		return nil, err
	}
	var doc xmlDocument
	if err := xml.Unmarshal(content, &doc); err != nil {
		return nil, parseErr("the file is not well-formed XML: %v", err)
	}
	out := make([]Statement, 0, len(doc.Stmts))
	for _, s := range doc.Stmts {
		st := Statement{Version: version, ID: strings.TrimSpace(s.ID), AccountIBAN: normIBAN(s.Acct.IBAN)}
		if st.AccountIBAN == "" {
			st.AccountIBAN = normIBAN(s.Acct.Other)
		}
		st.Entries = make([]Entry, 0, len(s.Ntries))
		for i, n := range s.Ntries {
			e, err := entryOf(&st, i, &n)
			if err != nil {
				return nil, parseErr("statement %s, entry %d: %v", st.ID, i+1, err)
			}
			st.Entries = append(st.Entries, e)
		}
		out = append(out, st)
	}
	return out, nil
}

func entryOf(st *Statement, i int, n *xmlEntry) (Entry, error) {
	e := Entry{Index: i, Currency: strings.TrimSpace(n.Amt.Ccy), Amount: strings.TrimSpace(n.Amt.Value)}
	switch strings.TrimSpace(n.CdtDbtInd) {
	case "CRDT":
		e.Credit = true
	case "DBIT":
	default:
		return e, fmt.Errorf("CdtDbtInd is %q, not CRDT or DBIT", n.CdtDbtInd)
	}
	cents, err := Cents(e.Amount)
	if e.Currency == "EUR" && err != nil {
		return e, err
	}
	e.AmountCents = cents
	if e.BookedOn, err = bookingDate(n.BookgDt, n.BookgDtTm); err != nil {
		return e, err
	}
	for _, t := range n.TxDtls {
		tx := Transaction{EndToEndID: strings.TrimSpace(t.EndToEndID), DebtorName: oneLine(t.Dbtr.Nm), DebtorIBAN: normIBAN(t.DbtrIBAN)}
		if tx.EndToEndID == "NOTPROVIDED" {
			tx.EndToEndID = ""
		}
		if tx.DebtorName == "" {
			tx.DebtorName = oneLine(t.Dbtr.PtyNm)
		}
		for _, r := range t.Refs {
			if r = strings.TrimSpace(r); r != "" && tx.StructuredRef == "" {
				tx.StructuredRef = r
			}
		}
		var free []string
		for _, u := range t.Ustrd {
			if u = oneLine(u); u != "" {
				free = append(free, u)
			}
		}
		tx.FreeText = strings.Join(free, " ")
		e.Tx = append(e.Tx, tx)
	}
	e.BankRef = strings.TrimSpace(n.AcctSvcrRef)
	if e.BankRef == "" || e.BankRef == "NOTPROVIDED" {
		e.BankRef, e.Derived = derivedRef(st, &e), true
	}
	return e, nil
}

// derivedRef is the key of an entry without the bank's reference: a hash
// of the statement, the entry's place in it and its content, so that the
// same statement imported again gives the same keys.
func derivedRef(st *Statement, e *Entry) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00%s\x00%t\x00%s", st.ID, st.AccountIBAN, e.Index, e.Currency, e.Amount, e.Credit, e.BookedOn.Format(time.DateOnly))
	for _, t := range e.Tx {
		fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00%s\x00%s", t.StructuredRef, t.FreeText, t.EndToEndID, t.DebtorName, t.DebtorIBAN)
	}
	return "derived:" + hex.EncodeToString(h.Sum(nil))[:40]
}

// Cents reads a decimal amount ("8.85", "1250", "0.50000") as exact cents.
// More than two decimals are allowed only when they are zeros.
func Cents(s string) (int64, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(whole) > 13 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, fmt.Errorf("the amount %q is not a number of euros", s)
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, fmt.Errorf("the amount %q has parts of a cent", s)
		}
		frac = frac[:2]
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("the amount %q is not a number of euros", s)
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// bookingDate is the day of BookgDt/Dt, or of BookgDt/DtTm as the bank
// wrote it (its own offset).
func bookingDate(dt, dtTm string) (time.Time, error) {
	if dt = strings.TrimSpace(dt); dt != "" {
		d, err := time.Parse(time.DateOnly, dt)
		if err != nil {
			return d, fmt.Errorf("the booking date %q cannot be read", dt)
		}
		return d, nil
	}
	dtTm = strings.TrimSpace(dtTm)
	if len(dtTm) < 10 {
		return time.Time{}, fmt.Errorf("the entry has no booking date")
	}
	d, err := time.Parse(time.DateOnly, dtTm[:10])
	if err != nil {
		return d, fmt.Errorf("the booking date %q cannot be read", dtTm)
	}
	return d, nil
}

// normIBAN is an IBAN without spaces, in capitals.
func normIBAN(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

// oneLine is s with its runs of white space made one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
