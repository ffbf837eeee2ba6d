package bank_test

import (
	"bytes"
	"fmt"
	"testing"
	"text/template"
)

// tx is one entry of a statement built for a test.
type tx struct {
	Ref        string // AcctSvcrRef; "" leaves it out
	Amount     string
	Ccy        string // EUR when ""
	Debit      bool
	Date       string
	StructRef  string
	FreeText   string
	EndToEnd   string
	Name, IBAN string
}

// statement is a Dutch bank's statement of account NL.. with entries.
type statement struct {
	Version string // 02, 04 or 08
	ID      string
	Account string
	Entries []tx
}

var camtTemplate = template.Must(template.New("camt").Funcs(template.FuncMap{
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

// xml writes the statement as CAMT.053.
func (s statement) xml(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := camtTemplate.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// many is a statement of n credits and debits, for the benchmark.
func many(version string, n int, entry func(i int) tx) statement {
	s := statement{Version: version, ID: fmt.Sprintf("STMT-%d", n), Account: "NL20INGB0001234567"}
	for i := range n {
		s.Entries = append(s.Entries, entry(i))
	}
	return s
}
