package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// TestApplyStoresTheCanonicalIdentifiers applies with a VAT id, an IBAN
// and a KvK number written the way people paste them: the application
// keeps their canonical forms, and sales sees those on the application.
func TestApplyStoresTheCanonicalIdentifiers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := applyFields()
	f.Set("kvk", "4123.4567")
	f.Set("branch_number", "0000 1234 5678")
	f.Set("vat_id", "BE (0)403.019.261")
	f.Set("visiting_country", "BE")
	f.Set("visiting_postcode", "1000")
	f.Set("iban", "IBAN: be68 5390 0754 7034")
	resp, body := a.client().postMultipart("/apply", f, allDocs())
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("%d: %s", resp.StatusCode, doc(t, body).Find(".field-error, .error-box").Text())
	}
	var row struct {
		ID     int64  `bun:"id"`
		KvK    string `bun:"kvk"`
		Branch string `bun:"branch_number"`
		VATID  string `bun:"vat_id"`
		IBAN   string `bun:"iban"`
	}
	if err := a.db.NewSelect().Table("applications").Column("id", "kvk", "branch_number", "vat_id", "iban").Where("company_name = ?", f.Get("company_name")).Scan(context.Background(), &row); err != nil {
		t.Fatal(err)
	}
	if row.KvK != "41234567" || row.Branch != "000012345678" || row.VATID != "BE0403019261" || row.IBAN != "BE68539007547034" {
		t.Fatalf("stored %+v", row)
	}
	_, body = a.as(users.RoleSales).get(fmt.Sprintf("/applications/%d", row.ID))
	text := doc(t, body).Find("main").Text()
	for _, want := range []string{"BE0403019261", "BE68 5390 0754 7034", "Branch number", "000012345678"} {
		if !strings.Contains(text, want) {
			t.Errorf("the application does not show %s", want)
		}
	}
}
