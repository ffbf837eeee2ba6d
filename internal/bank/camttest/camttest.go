// Package camttest builds CAMT.053 bank statements for tests: a Dutch
// bank's statement of one account, in version .001.02, .04 or .08, with
// the entries a test needs.
package camttest

import (
	"bytes"
	"testing"
	"text/template"
)

// Tx is one entry of a statement.
type Tx struct {
	Ref        string // AcctSvcrRef, the bank's own reference; "" leaves it out
	Amount     string // as written, e.g. 125.50
	Ccy        string // EUR when ""
	Debit      bool
	Date       string // the booking date, YYYY-MM-DD
	StructRef  string // RmtInf/Strd/CdtrRefInf/Ref
	FreeText   string // RmtInf/Ustrd
	EndToEnd   string // NOTPROVIDED when ""
	Name, IBAN string // the debtor
}

// Statement is a statement of account Account with entries.
type Statement struct {
	Version string // 02, 04 or 08; 02 when ""
	ID      string
	Account string
	Entries []Tx
}

var camt = template.Must(template.New("camt").Funcs(template.FuncMap{
	"ccy": func(c string) string {
		if c == "" {
			return "EUR"
		}
		return c
	},
}).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{{.Version}}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-{{.ID}}</MsgId><CreDtTm>2026-11-24T06:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{{.ID}}</Id>
      <CreDtTm>2026-11-24T06:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>{{.Account}}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-23</Dt></Dt></Bal>
{{- range .Entries}}
      <Ntry>
        <Amt Ccy="{{ccy .Ccy}}">{{.Amount}}</Amt>
        <CdtDbtInd>{{if .Debit}}DBIT{{else}}CRDT{{end}}</CdtDbtInd>
        {{if eq $.Version "08"}}<Sts><Cd>BOOK</Cd></Sts>{{else}}<Sts>BOOK</Sts>{{end}}
        <BookgDt><Dt>{{.Date}}</Dt></BookgDt>
        <ValDt><Dt>{{.Date}}</Dt></ValDt>
        {{with .Ref}}<AcctSvcrRef>{{.}}</AcctSvcrRef>{{end}}
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>{{if .EndToEnd}}{{.EndToEnd}}{{else}}NOTPROVIDED{{end}}</EndToEndId></Refs>
            {{if eq $.Version "04"}}<Amt Ccy="{{ccy .Ccy}}">{{.Amount}}</Amt><CdtDbtInd>{{if .Debit}}DBIT{{else}}CRDT{{end}}</CdtDbtInd>{{end}}
            {{if .Name}}<RltdPties>
              {{if eq $.Version "08"}}<Dbtr><Pty><Nm>{{.Name}}</Nm></Pty></Dbtr>{{else}}<Dbtr><Nm>{{.Name}}</Nm></Dbtr>{{end}}
              {{with .IBAN}}<DbtrAcct><Id><IBAN>{{.}}</IBAN></Id></DbtrAcct>{{end}}
            </RltdPties>{{end}}
            {{if or .StructRef .FreeText}}<RmtInf>
              {{with .FreeText}}<Ustrd>{{.}}</Ustrd>{{end}}
              {{with .StructRef}}<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp><Ref>{{.}}</Ref></CdtrRefInf></Strd>{{end}}
            </RmtInf>{{end}}
          </TxDtls>
        </NtryDtls>
      </Ntry>
{{- end}}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`))

// XML writes the statement as CAMT.053.
func XML(t testing.TB, s Statement) []byte {
	t.Helper()
	if s.Version == "" {
		s.Version = "02"
	}
	var b bytes.Buffer
	if err := camt.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
