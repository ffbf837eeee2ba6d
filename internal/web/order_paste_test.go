package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/users"

	"github.com/PuerkitoBio/goquery"
)

// An account manager pastes a 12-line PO from a mail, sees what is wrong
// with it and what ships, adds lines, corrects it and places it.
func TestPastedPOFillsTheOrderForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	po := strings.Join([]string{
		"KR-F3090 2",
		"3 x KR-XS5300",
		"TF-FR4016\t5",
		"KR-EA8108 7",
		"NOPE-77 1",
		"3045386372362 1",
		"MX-HZ4 1",
		"KR-GVX2 2",
		"TF-BL8118 1",
		"KR-XP3440 1",
		"KR-F3090 1",
		"1\tKR-XS5300\tDescaling kit\t4\t12,50",
	}, "\n")
	form := url.Values{"company_id": {cid}, "po_reference": {"PASTE-1"}, "address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"},
		"sku_0": {""}, "qty_0": {""}, "paste": {po}, "action": {"paste"}}
	resp, body := am.post("/orders", form)
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	want := []string{"KR-F3090", "KR-XS5300", "TF-FR4016", "KR-EA8108", "NOPE-77", "MX-QA1", "MX-HZ4", "KR-GVX2", "TF-BL8118", "KR-XP3440", "KR-F3090", "KR-XS5300"}
	qty := []string{"2", "3", "5", "7", "1", "1", "1", "2", "1", "1", "1", "4"}
	for i := range want {
		sku, _ := d.Find(fmt.Sprintf("input[name=sku_%d]", i)).Attr("value")
		q, _ := d.Find(fmt.Sprintf("input[name=qty_%d]", i)).Attr("value")
		if sku != want[i] || q != qty[i] {
			t.Fatalf("line %d: %s × %s, want %s × %s", i+1, q, sku, qty[i], want[i])
		}
	}
	rows := d.Find("table.lines tbody tr")
	if r := rows.Eq(2).Text(); !strings.Contains(r, "5, expected") && !strings.Contains(r, "5, when ordered") {
		t.Fatalf("the out-of-stock line does not say it is back-ordered: %s", r)
	}
	if r := rows.Eq(0).Text(); !strings.Contains(r, "€44.95") || !strings.Contains(r, "€89.90") || !strings.Contains(r, "21%") {
		t.Fatalf("the first line lacks its price, amount or VAT: %s", r)
	}
	if !strings.Contains(rows.Eq(3).Text(), "At most 5 of KR-EA8108 per order") || !strings.Contains(rows.Eq(4).Text(), "No product has SKU NOPE-77") {
		t.Fatalf("messages at the lines:\n%s\n%s", rows.Eq(3).Text(), rows.Eq(4).Text())
	}
	if total := d.Find(".order-total").Text(); !strings.Contains(total, "Total incl. VAT") || !strings.Contains(total, "Credit") {
		t.Fatalf("totals: %q", total)
	}
	// Add lines keeps what was typed and gives ten empty rows more.
	form = url.Values{"company_id": {cid}, "po_reference": {"PASTE-1"}, "address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"add_lines"}}
	for i := range want {
		form.Set(fmt.Sprint("sku_", i), want[i])
		form.Set(fmt.Sprint("qty_", i), qty[i])
	}
	resp, body = am.post("/orders", form)
	wantStatus(t, resp, http.StatusOK)
	if n := doc(t, body).Find("table.lines tbody tr").Length(); n != len(want)+10 {
		t.Fatalf("%d rows after adding lines, want %d", n, len(want)+10)
	}
	// Corrected (5 espresso machines, the unknown line emptied, a gap left),
	// it is placed with its eleven lines.
	form.Set("qty_3", "5")
	form.Set("sku_4", "")
	form.Set("qty_4", "")
	form.Set("sku_25", "MX-HZ4")
	form.Set("qty_25", "1")
	form.Set("action", "place")
	resp, body = am.post("/orders", form)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("place: %d\n%s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	_, body = am.get(resp.Header.Get("Location"))
	if n := doc(t, body).Find("main table").First().Find("tbody tr").Length(); n != 12 {
		t.Fatalf("the order has %d lines, want 12 (11 pasted, one typed after a gap)", n)
	}
}

// A pasted PO with lines the form cannot read (a negative quantity after a
// semicolon, a decimal comma, no quantity) fills in nothing: the message at
// the paste box names the lines, and the text stays in the box to be
// corrected. Semicolon-separated lines (CSV from a Dutch Excel) are read
// as columns. A Dutch reader gets the message in Dutch.
func TestUnreadablePastedLinesAreNamed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	paste := func(c *client, po string) (string, string, []string) {
		t.Helper()
		form := url.Values{"company_id": {cid}, "po_reference": {"PASTE-2"}, "address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"},
			"sku_0": {""}, "qty_0": {""}, "paste": {po}, "action": {"paste"}}
		_, body := c.post("/orders", form)
		d := doc(t, body)
		var skus []string
		d.Find("input[name^=sku_]").Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr("value"); v != "" {
				skus = append(skus, v)
			}
		})
		return fieldError(t, body, "paste"), d.Find("textarea#paste").Text(), skus
	}
	am := a.as(users.RoleAccountManager)

	po := "KR-F3090 2\n\nTF-GC7148;-1\n"
	msg, kept, skus := paste(am, po)
	if msg != "Line 3: write the SKU and a whole quantity, e.g. KR-100 24." || len(skus) != 0 || strings.TrimSpace(kept) != strings.TrimSpace(po) {
		t.Errorf("negative quantity: message %q, filled %v, box %q", msg, skus, kept)
	}
	msg, _, skus = paste(am, "KR-XS5300 1,5\nKR-F3090\nKR-F3090 2")
	if msg != "Lines 1, 2: write the SKU and a whole quantity on each line, e.g. KR-100 24." || len(skus) != 0 {
		t.Errorf("decimal comma and no quantity: message %q, filled %v", msg, skus)
	}

	msg, _, skus = paste(am, "KR-F3090;2\n\"TF-GC7148\";\"Iron\";\"3\";\"24,95\"")
	if msg != "" || strings.Join(skus, " ") != "KR-F3090 TF-GC7148" {
		t.Errorf("semicolon columns: message %q, filled %v", msg, skus)
	}

	nl := a.readingIn(users.RoleAccountManager, "nl")
	if msg, _, _ := paste(nl, "TF-GC7148;-1"); msg != "Regel 1: geef het artikelnummer en een aantal in hele stuks, bijv. KR-100 24." {
		t.Errorf("Dutch message %q", msg)
	}
}
