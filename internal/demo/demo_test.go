package demo_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/pgtest"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestLoadGivesWhatTheREADMEPromises loads the demo data and checks what the
// README tells a new user to try, that its mails link the app's address,
// that every demo login works, and that a second load changes nothing.
func TestLoadGivesWhatTheREADMEPromises(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	const base = "https://wholesale.example.nl"
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: base, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	d, err := demo.Load(ctx, db, us, cs)
	if err != nil || d == nil {
		t.Fatalf("load: %v", err)
	}
	count := func(query string, args ...any) int {
		var n int
		if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for what, n := range map[string]int{
		"SELECT count(*) FROM orders WHERE status = 'awaiting_confirmation' AND EXISTS (SELECT 1 FROM order_lines l JOIN demands d ON d.id = l.demand_id WHERE l.order_id = orders.id AND d.reserved < d.quantity)": 1,
		"SELECT count(*) FROM orders WHERE status = 'released'":                                                                                                       1,
		"SELECT count(*) FROM orders WHERE status = 'draft'":                                                                                                          1,
		"SELECT count(*) FROM applications WHERE status = 'new'":                                                                                                      1,
		"SELECT count(*) FROM change_requests WHERE status = 'awaiting_confirmation' AND kind <> 'bank'":                                                              1,
		"SELECT count(*) FROM change_requests c WHERE status = 'awaiting_approval' AND EXISTS (SELECT 1 FROM documents WHERE change_request_id = c.id)":               1,
		"SELECT count(*) FROM supplier_orders WHERE reference = 'SEB-2026-114'":                                                                                       1,
		"SELECT count(*) FROM demands WHERE status = 'open' AND reserved < quantity AND expected_date = promised_date - 3":                                            2,
		"SELECT count(*) FROM closing_days WHERE day BETWEEN '2026-12-28' AND '2026-12-31'":                                                                           4,
		"SELECT count(*) FROM orders WHERE status = 'invoiced'":                                                                                                       3,
		"SELECT count(*) FROM orders WHERE status = 'partly_shipped' AND invoice_state = 'draft'":                                                                     1,
		"SELECT count(*) FROM invoices WHERE state = 'draft'":                                                                                                         1,
		"SELECT count(*) FROM invoices WHERE state = 'issued' AND kind = 'invoice' AND vat_mode = 'reverse_charge'":                                                   1,
		"SELECT count(*) FROM invoices WHERE state = 'issued' AND kind = 'invoice' AND vat_mode = 'export' AND buyer->>'name' = 'ООО «Кухня-Опт»'":                    1,
		"SELECT count(*) FROM invoices WHERE state = 'issued' AND kind = 'invoice' AND vat_mode = 'domestic' AND jsonb_array_length(per_rate) = 2":                    1,
		"SELECT count(*) FROM invoices WHERE state = 'issued' AND kind = 'credit_note' AND credits_invoice_id IS NOT NULL":                                            3,  // one corrects an invoice, one credits a return, one refunds a complaint
		"SELECT count(*) FROM invoice_documents WHERE NOT copy":                                                                                                       13, // 6 documents × PDF and Excel, and Küchenwelt's UBL
		"SELECT count(*) FROM outbox_attachments a JOIN invoice_documents d ON d.id = a.document_id WHERE d.format = 'ubl'":                                           1,
		"SELECT count(*) FROM payments WHERE source = 'manual' AND unallocated_cents = 0":                                                                             2,
		"SELECT count(*) FROM invoices WHERE kind = 'invoice' AND state = 'issued' AND paid_cents = total_incl_cents AND buyer->>'country' = 'DE'":                    1,
		"SELECT count(*) FROM invoices WHERE kind = 'invoice' AND state = 'issued' AND paid_cents > 0 AND paid_cents < total_incl_cents AND buyer->>'country' = 'RU'": 1,
		"SELECT count(*) FROM companies WHERE einvoice_profile = 'peppol' AND peppol_id = '9930:DE136695976' AND ubl_in_mail":                                         1,
		"SELECT count(*) FROM invoices WHERE state = 'issued' AND buyer->>'einvoice_profile' = 'peppol' AND buyer->>'peppol_id' = '9930:DE136695976'":                 1,
		"SELECT count(*) FROM audit_log WHERE entity = 'company' AND action = 'einvoice'":                                                                             1,
		// Returns: one at each step the customer follows in the portal.
		"SELECT count(*) FROM returns WHERE state = 'requested' AND doa":                                                                                                   1,
		"SELECT count(*) FROM returns WHERE state = 'approved' AND ra_number = 'RA-2026-000002' AND arrive_by = '2026-12-08'":                                              1,
		"SELECT count(*) FROM returns WHERE state = 'referred' AND closed_reason = 'not_doa' AND service_centre->>'name' = 'Groupe SEB Service Nederland'":                 1,
		"SELECT count(*) FROM returns r JOIN invoices cn ON cn.id = r.credit_note_id WHERE r.state = 'settled' AND r.ra_number = 'RA-2026-000001' AND cn.state = 'issued'": 1,
		"SELECT count(*) FROM return_units WHERE result = 'fault_confirmed' AND disposition = 'quarantine'":                                                                1,
		"SELECT count(*) FROM returns WHERE received_rule = 'delivered' AND received_on = '2026-11-24'":                                                                    4,
		"SELECT count(*) FROM outbox_attachments WHERE filename IN ('RA-2026-000001.pdf', 'RA-2026-000002.pdf') AND content_type = 'application/pdf'":                      2,
		// Complaints: each role has some to see, with deadlines as of today (Tuesday 24 November).
		"SELECT count(*) FROM complaints": 7,
		"SELECT count(*) FROM complaints WHERE state = 'received' AND channel = 'portal' AND received_on = '2026-11-24' AND ack_due = '2026-11-27'": 1,
		"SELECT count(*) FROM complaints WHERE state = 'received' AND channel = 'mail' AND ack_due = '2026-11-23'":                                  1, // overdue
		"SELECT count(*) FROM complaints WHERE state = 'acknowledged' AND investigator_id IS NULL AND flag_on <= '2026-11-24'":                      1,
		"SELECT count(*) FROM complaints c JOIN users u ON u.id = c.investigator_id WHERE c.state = 'acknowledged' AND u.email = 'sales@wholesale.test' " +
			"AND c.answer_by = '2026-12-01' AND EXISTS (SELECT 1 FROM complaint_notes n WHERE n.complaint_id = c.id AND n.created_by = u.id)": 1,
		"SELECT count(*) FROM complaints WHERE state = 'resolved' AND outcome = 'apology'": 1,
		"SELECT count(*) FROM complaints c JOIN invoices cn ON cn.id = c.credit_note_id JOIN orders o ON o.id = c.order_id " +
			"WHERE c.state = 'resolved' AND c.outcome = 'refund' AND cn.kind = 'credit_note' AND o.po_reference = 'INK-4471'": 1,
		"SELECT count(*) FROM complaints WHERE state = 'escalated' AND outcome = 'repair' AND board_due = '2026-11-27'":        1,
		"SELECT count(*) FROM audit_log WHERE entity = 'complaint' AND action = 'assign' AND actor = 'service@wholesale.test'": 1,
		"SELECT count(*) FROM outbox WHERE body LIKE '%discounts agreed with our customers%'":                                  1, // the progress report
		"SELECT count(*) FROM outbox WHERE body LIKE '%agreements'' discounts%'":                                               0, // the internal note
	} {
		if got := count(what); got != n {
			t.Errorf("%d rows, want %d: %s", got, n, what)
		}
	}
	// The customer service manager's flags and overdue list, the board's
	// escalations, the customer's portal.
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, q := range []struct {
		f complaints.Filter
		n int
	}{
		{complaints.Filter{Flagged: true}, 2}, // one waits for an investigator, Sam Sales investigates the other
		{complaints.Filter{Flagged: true, Unassigned: true}, 1},
		{complaints.Filter{Overdue: true}, 1},
		{complaints.Filter{State: complaints.StateEscalated}, 1},
		{complaints.Filter{CompanyID: d.Company.ID}, 4},
	} {
		q.f.Today = today
		if list, err := complaints.List(ctx, db, q.f); err != nil || len(list) != q.n {
			t.Errorf("%+v: %d complaints, want %d (%v)", q.f, len(list), q.n, err)
		}
	}
	s, err := settings.Get(ctx, db)
	if err != nil || s.ReadyToInvoice() != nil || s.Name != "Wholesale Demo B.V." || s.Cutoff() != "17:00" {
		t.Errorf("the wholesaler's details do not let invoices be issued: %+v %v %v", s, err, s.ReadyToInvoice())
	}
	var bodies []string
	if err := db.NewSelect().Table("outbox").Column("body").Scan(ctx, &bodies); err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, b := range bodies {
		if i := strings.Index(b, "/portal/orders/"); i >= 0 {
			links++
			if !strings.HasSuffix(b[:i], base) {
				t.Errorf("mail links the portal without the app's address: %q", b[max(0, i-40):i+20])
			}
		}
	}
	if links != 10 {
		t.Errorf("%d order mails link the portal, want 10 (placed, confirmed, shipped)", links)
	}
	for _, l := range demo.Logins() {
		if u, err := us.Login(ctx, l.Email, l.Password); err != nil || u.Role != l.Role {
			t.Errorf("login %s: %v", l.Email, err)
		}
	}
	before := count("SELECT count(*) FROM audit_log")
	if again, err := demo.Load(ctx, db, us, cs); err != nil || again != nil {
		t.Fatalf("second load: %v %v", again, err)
	}
	if after := count("SELECT count(*) FROM audit_log"); after != before {
		t.Errorf("second load wrote %d audit entries", after-before)
	}
}

// The demo data loads in the hour after midnight in Amsterdam, when the
// date in UTC is still the day before: dates a person types are
// Amsterdam's (the written confirmation's was UTC's, and refused).
func TestLoadJustAfterMidnightInAmsterdam(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)) // 00:30 on the 25th in Amsterdam
	us := users.NewService(db, clk, users.FastHasher)
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: "https://wholesale.example.nl", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if d, err := demo.Load(context.Background(), db, us, cs); err != nil || d == nil {
		t.Fatalf("load at 00:30 in Amsterdam: %v", err)
	}
	var received string
	if err := db.QueryRowContext(context.Background(), `SELECT confirmation_received_on::text FROM orders WHERE po_reference = 'BJ-2026-119'`).Scan(&received); err != nil || received != "2026-11-25" {
		t.Fatalf("the written confirmation is dated %q (%v), want Amsterdam's 2026-11-25", received, err)
	}
}
