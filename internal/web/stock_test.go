package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/users"
)

func TestProductsShowEveryStockStatus(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, body := a.as(users.RoleAccountManager).get("/products")
	for _, want := range []string{"In stock", "At the remote warehouse (ships 3 days later)", "Ordered from the supplier, delivery date confirmed",
		"Ordered from the supplier, delivery date not confirmed", "Must be ordered from the supplier", "Unconfirmed: contact your account manager"} {
		if !strings.Contains(body, want) {
			t.Errorf("products page lacks %q", want)
		}
	}
	// An English reader gets the statuses in English only.
	for _, dutch := range []string{"Op voorraad", "Moet bij de leverancier besteld worden"} {
		if strings.Contains(body, dutch) {
			t.Errorf("the English products page shows %q", dutch)
		}
	}
	_, body = a.as(users.RoleAccountManager).get("/products?q=moulinex")
	if n := doc(t, body).Find("tbody tr").Length(); n != 2 {
		t.Fatalf("search found %d rows", n)
	}
}

func TestProductImportOverHTTPReportsRows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	bad := "sku,name,unit_price\nNEW-1,Good,1\nNEW-2,,2\nNEW-3,Bad price,x\n"
	resp, body := admin.postMultipart("/products/import", nil, map[string][]byte{"file": []byte(bad)})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	rows := doc(t, body).Find(".error-box tbody tr")
	if rows.Length() != 2 || !strings.HasPrefix(strings.TrimSpace(rows.Eq(0).Text()), "3") || !strings.HasPrefix(strings.TrimSpace(rows.Eq(1).Text()), "4") {
		t.Fatalf("report: %q", rows.Text())
	}
	var n int
	a.db.NewSelect().Table("products").ColumnExpr("count(*)").Where("sku LIKE 'NEW-%'").Scan(context.Background(), &n)
	if n != 0 {
		t.Fatal("rows written despite errors")
	}
	resp, body = admin.postMultipart("/products/import", nil, map[string][]byte{"file": []byte("sku,name,unit_price\nNEW-1,Good,1\n")})
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Imported: 1 new") {
		t.Fatal("no success report")
	}
	resp, _ = a.as(users.RoleWarehouse).postMultipart("/products/import", nil, map[string][]byte{"file": []byte("sku,name,unit_price\nX,Y,1\n")})
	wantStatus(t, resp, http.StatusForbidden)
}

func TestReceiveDeliveryServesBackOrdersOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	am := a.as(users.RoleAccountManager)
	_, body := am.get("/backorders")
	if n := doc(t, body).Find("tbody tr").Length(); n != 3 { // 2 of the demo back orders, 1 of a demo order
		t.Fatalf("%d back-order rows for the demo customer", n)
	}
	// The account manager exports them.
	resp, xb := am.get("/backorders?format=xlsx")
	wantStatus(t, resp, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := f.GetRows("Back orders")
	if len(xrows) != 4 {
		t.Fatalf("export rows: %v", xrows)
	}
	// The warehouse books the delivery of the hand mixers.
	var orderID, lineID int64
	a.db.QueryRowContext(ctx, `SELECT l.supplier_order_id, l.id FROM supplier_order_lines l JOIN products p ON p.id = l.product_id WHERE p.sku = 'MX-HZ4'`).Scan(&orderID, &lineID)
	wh := a.as(users.RoleWarehouse)
	resp, body = wh.post(fmt.Sprintf("/supplier-orders/%d/receive", orderID), url.Values{fmt.Sprintf("line_%d", lineID): {"13"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Only 12 more were ordered") {
		t.Fatal("over-receipt message missing")
	}
	resp, _ = wh.post(fmt.Sprintf("/supplier-orders/%d/receive", orderID), url.Values{fmt.Sprintf("line_%d", lineID): {"12"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = am.get("/backorders")
	if strings.Contains(body, "MX-HZ4") {
		t.Fatal("the served back order still waits")
	}
	// Another account manager sees none of these customers' back orders.
	other, err := a.users.Create(ctx, users.NewUser{Email: "am2@wholesale.test", Name: "Other AM", Role: users.RoleAccountManager, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ExecContext(ctx, "UPDATE users SET language = 'en' WHERE id = ?", other.ID); err != nil { // a new user reads Dutch
		t.Fatal(err)
	}
	c := a.client()
	c.post("/login", url.Values{"email": {other.Email}, "password": {"long enough pw"}})
	_, body = c.get("/backorders")
	if doc(t, body).Find("tbody tr").Text() != "Nothing waiting." {
		t.Fatalf("other AM sees back orders: %q", doc(t, body).Find("tbody tr").Text())
	}
	var demandID int64
	a.db.QueryRowContext(ctx, "SELECT id FROM demands WHERE status = 'open' AND reserved < quantity LIMIT 1").Scan(&demandID)
	resp, _ = c.post(fmt.Sprintf("/backorders/%d/priority", demandID), url.Values{"priority": {"1"}})
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = am.post(fmt.Sprintf("/backorders/%d/priority", demandID), url.Values{"priority": {"1"}})
	wantStatus(t, resp, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != "/backorders" {
		t.Errorf("after priority: to %q", loc)
	}
	// Given on the list of moved lines, it goes back to that list.
	resp, _ = am.post(fmt.Sprintf("/backorders/%d/priority", demandID), url.Values{"priority": {"0"}, "moved": {"1"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/backorders?moved=1" {
		t.Errorf("after priority on the moved lines: %d to %q", resp.StatusCode, loc)
	}
}
