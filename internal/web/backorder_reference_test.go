package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// TestBackOrderReferenceInTheReadersLanguage: the demo order BJ-2026-118
// waits for goods on its line 2. Its reference reads "order N (PO
// BJ-2026-118) line 2" in English and "… regel 2" in Dutch on the back
// orders, on the product's page and in the audit trail; the export holds
// readable English text, never the stored JSON; and a reference stored as
// plain text before (an old row) still shows as it was written.
func TestBackOrderReferenceInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	var row struct {
		OrderID  int64  `bun:"order_id"`
		DemandID int64  `bun:"demand_id"`
		SKU      string `bun:"sku"`
	}
	if err := a.db.NewRaw(`SELECT l.order_id, l.demand_id, p.sku FROM order_lines l JOIN orders o ON o.id = l.order_id
		JOIN products p ON p.id = l.product_id WHERE o.po_reference = 'BJ-2026-118' AND l.line_no = 2`).Scan(ctx, &row); err != nil {
		t.Fatal(err)
	}
	en := fmt.Sprintf("order %d (PO BJ-2026-118) line 2", row.OrderID)
	nl := fmt.Sprintf("order %d (PO BJ-2026-118) regel 2", row.OrderID)

	dutch := a.readingIn(users.RoleAccountManager, "nl")
	_, body := dutch.get("/backorders")
	if got := squash(doc(t, body).Find("main tbody").Text()); !strings.Contains(got, nl) || strings.Contains(got, en) {
		t.Errorf("Dutch back orders lack %q: %q", nl, got)
	}
	_, body = dutch.get(a.productPath(t, row.SKU))
	if got := squash(doc(t, body).Find("main").Text()); !strings.Contains(got, nl) {
		t.Errorf("Dutch product page lacks %q: %q", nl, got)
	}

	admin := a.readingIn(users.RoleAdmin, "nl")
	_, body = admin.get(fmt.Sprintf("/admin/audit?entity=demand&entity_id=%d", row.DemandID))
	if got := squash(doc(t, body).Find("main").Text()); !strings.Contains(got, nl) || strings.Contains(got, `"id"`) {
		t.Errorf("Dutch audit trail lacks %q: %q", nl, got)
	}
	admin = a.readingIn(users.RoleAdmin, "en")
	_, body = admin.get(fmt.Sprintf("/admin/audit?entity=demand&entity_id=%d", row.DemandID))
	if got := squash(doc(t, body).Find("main").Text()); !strings.Contains(got, en) {
		t.Errorf("English audit trail lacks %q: %q", en, got)
	}

	english := a.readingIn(users.RoleAccountManager, "en")
	_, body = english.get("/backorders")
	if got := squash(doc(t, body).Find("main tbody").Text()); !strings.Contains(got, en) {
		t.Errorf("English back orders lack %q: %q", en, got)
	}
	resp, csv := english.get("/backorders?format=csv")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(csv, en) || strings.Contains(csv, `"id"`) || strings.Contains(csv, "{") {
		t.Errorf("the export lacks %q or holds JSON: %q", en, csv)
	}

	// A row written before references were messages.
	if _, err := a.db.ExecContext(ctx, "UPDATE demands SET reference = 'order 7 (PO OLD-1) line 3' WHERE id = ?", row.DemandID); err != nil {
		t.Fatal(err)
	}
	_, body = dutch.get("/backorders")
	if got := squash(doc(t, body).Find("main tbody").Text()); !strings.Contains(got, "order 7 (PO OLD-1) line 3") {
		t.Errorf("the old reference is not shown: %q", got)
	}
}
