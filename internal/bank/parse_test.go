package bank_test

import (
	"encoding/json"
	"os"
	"testing"

	"wholesale/internal/bank"
)

const samples = "testdata/camt/samples/"

// The three samples of genkgo/camt parse; v2 minimal as its .json says.
func TestSamplesParse(t *testing.T) {
	for _, f := range []string{"genkgo-camt053.v2.minimal.xml", "genkgo-camt053.v2.with-party-ids.xml", "genkgo-camt053.v8.xml"} {
		b, err := os.ReadFile(samples + f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bank.Check(t.Context(), b); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		st, err := bank.Parse(b)
		if err != nil || len(st) != 1 || len(st[0].Entries) != 1 {
			t.Fatalf("%s: %v %+v", f, err, st)
		}
		e := st[0].Entries[0]
		name, iban := e.Debtor()
		if st[0].AccountIBAN != "NL26VAYB8060476890" || e.AmountCents != 885 || e.Currency != "EUR" || !e.Credit ||
			e.BookedOn.Format("2006-01-02") != "2014-12-31" || name != "NAME NAME" || iban != "NL56AGDH9619008421" || e.StructuredRef() != "4654654654654654" {
			t.Errorf("%s: %+v %s %s", f, e, name, iban)
		}
	}
	// v2 minimal against its expected parse.
	var want struct {
		Entries []struct {
			Ref    *string `json:"getAccountServicerReference"`
			Amount struct {
				Amount   string `json:"getAmount"`
				Currency struct {
					Code string `json:"getCode"`
				} `json:"getCurrency"`
			} `json:"getAmount"`
			Booking struct {
				Date string `json:"0"`
			} `json:"getBookingDate"`
			CdtDbt string `json:"getCreditDebitIndicator"`
			Detail struct {
				Remittance struct {
					Cri struct {
						Ref string `json:"getRef"`
					} `json:"getCreditorReferenceInformation"`
				} `json:"getRemittanceInformation"`
			} `json:"getTransactionDetail"`
		} `json:"getEntries"`
	}
	b, _ := os.ReadFile(samples + "genkgo-camt053.v2.minimal.json")
	if err := json.Unmarshal(b, &want); err != nil || len(want.Entries) != 1 {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(samples + "genkgo-camt053.v2.minimal.xml")
	st, _ := bank.Parse(x)
	w, got := want.Entries[0], st[0].Entries[0]
	if w.Amount.Amount != "885" || got.AmountCents != 885 || w.Amount.Currency.Code != got.Currency || w.Booking.Date[:10] != got.BookedOn.Format("2006-01-02") ||
		w.CdtDbt != "CRDT" || !got.Credit || w.Detail.Remittance.Cri.Ref != got.StructuredRef() || w.Ref != nil || !got.Derived {
		t.Errorf("v2 minimal: want %+v, got %+v", w, got)
	}
	// v8: the account in Othr/Id, the booking date as DtTm, the bank's reference.
	x, _ = os.ReadFile(samples + "genkgo-camt053.v8.xml")
	st, _ = bank.Parse(x)
	if e := st[0].Entries[0]; e.BankRef != "AAAASESS-FP-CN_98765/01" || e.Derived || e.EndToEndID() != "MUELL/FINP/RA12345" {
		t.Errorf("v8: %+v", e)
	}
	// The derived key is the same when read again.
	a, _ := bank.Parse(x)
	if a[0].Entries[0].BankRef != st[0].Entries[0].BankRef {
		t.Error("the key is not stable")
	}
}

func TestCents(t *testing.T) {
	for in, want := range map[string]int64{"8.85": 885, "1250": 125000, "0.5": 50, "12.30000": 1230, "0.00": 0} {
		if got, err := bank.Cents(in); err != nil || got != want {
			t.Errorf("%s: %d %v", in, got, err)
		}
	}
	for _, in := range []string{"1.005", "-1", "1e3", "", "1,00", " . "} {
		if _, err := bank.Cents(in); err == nil {
			t.Errorf("%q read", in)
		}
	}
}

func TestReferences(t *testing.T) {
	got := bank.InvoiceNumbers("Factuur 2026-000002 en 2026.000003, c2026 000004; 12026-0000055; 2026000006")
	want := []string{"2026-000002", "2026-000003", "C2026-000004", "2026-000006"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%v", got)
		}
	}
	if r := bank.OrderReferences("betaling ws 000000123.45 order"); len(r) != 1 || r[0] != "WS00000012345" {
		t.Errorf("%v", r)
	}
}
