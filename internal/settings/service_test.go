package settings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type fixture struct {
	db           *bun.DB
	svc          *settings.Service
	admin, sales *users.User
}

// newFixture is a database with an admin and a sales user, at Tuesday 24
// November 2026, 00:30 in Amsterdam (still the 23rd in UTC).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	f := &fixture{db: db, svc: &settings.Service{DB: db, Clock: clk}}
	var err error
	if f.admin, err = us.Create(context.Background(), users.NewUser{Email: "admin@x.test", Name: "Anna Admin", Role: users.RoleAdmin, Password: "long enough pw"}); err != nil {
		t.Fatal(err)
	}
	if f.sales, err = us.Create(context.Background(), users.NewUser{Email: "sales@x.test", Name: "Sam Sales", Role: users.RoleSales, Password: "long enough pw"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := f.db.NewRaw(q).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveStoresAndAudits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := settings.Get(ctx, f.db)
	if err != nil || s.CutoffMinutes != settings.DefaultCutoffMinutes || s.Country != "NL" || len(s.Missing()) != 7 {
		t.Fatalf("a new installation: %+v %v, missing %v", s, err, s.Missing())
	}
	if _, err := f.svc.Save(ctx, f.sales, good()); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("sales saved the settings: %v", err)
	}
	bad := good()
	bad.IBAN = "NL91ABNA0417164301"
	if _, err := f.svc.Save(ctx, f.admin, bad); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a bad IBAN: %v", err)
	}
	if n := f.count(t, "SELECT count(*) FROM audit_log WHERE entity = 'settings'"); n != 0 {
		t.Fatalf("refused saves left %d audit entries", n)
	}
	if s, _ := settings.Get(ctx, f.db); s.Name != "" || s.UpdatedBy != nil {
		t.Fatalf("a refused save stored: %+v", s)
	}

	ctx = audit.WithActor(ctx, audit.Actor{UserID: f.admin.ID, Label: f.admin.Email})
	if _, err := f.svc.Save(ctx, f.admin, good()); err != nil {
		t.Fatal(err)
	}
	s, err = settings.Get(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Wholesale Demo B.V." || s.VATID != "NL004495445B01" || s.IBAN != "NL91ABNA0417164300" || s.Postcode != "1015 AA" ||
		s.Cutoff() != "17:30" || s.UpdatedBy == nil || *s.UpdatedBy != f.admin.ID || len(s.Missing()) != 0 {
		t.Errorf("stored %+v", s)
	}
	entries, err := audit.List(ctx, f.db, audit.Filter{Entity: "settings"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit entries %v %v", entries, err)
	}
	e := entries[0]
	if e.Action != "update" || e.ActorID == nil || *e.ActorID != f.admin.ID ||
		!strings.Contains(string(e.Before), `"cutoff": "17:00"`) && !strings.Contains(string(e.Before), `"cutoff":"17:00"`) ||
		!strings.Contains(string(e.After), "17:30") || !strings.Contains(string(e.After), "Wholesale Demo B.V.") {
		t.Errorf("audit entry %s %s → %s", e.Action, e.Before, e.After)
	}
}

func TestClosingDays(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	if _, err := f.svc.AddClosingDay(ctx, f.sales, day(12, 28), "Christmas"); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("sales added a closing day: %v", err)
	}
	for _, tc := range []struct {
		day           time.Time
		reason, field string
		want          string
	}{
		{day(11, 23), "Too late", "day", "in the past"}, // yesterday in Amsterdam, today in UTC
		{day(12, 28), "", "reason", "Enter the reason"},
		{day(12, 28), strings.Repeat("r", 201), "reason", "at most 200"},
		{day(12, 28), "Kerst\x00", "reason", "NUL"},
		{day(12, 28), "Kerst\nBcc", "reason", "one line"},
		{time.Time{}, "Kerst", "day", "Enter the date"},
	} {
		_, err := f.svc.AddClosingDay(ctx, f.admin, tc.day, tc.reason)
		ae, _ := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields[tc.field].String(), tc.want) {
			t.Errorf("%s %.20q: %v, want a message at %s saying %q", tc.day.Format(time.DateOnly), tc.reason, err, tc.field, tc.want)
		}
	}
	for _, d := range []int{28, 29} {
		if _, err := f.svc.AddClosingDay(ctx, f.admin, day(12, d), " Between Christmas and New Year "); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.AddClosingDay(ctx, f.admin, day(11, 24), "Today, in Amsterdam"); err != nil {
		t.Errorf("today in Amsterdam refused: %v", err)
	}
	_, err := f.svc.AddClosingDay(ctx, f.admin, day(12, 28), "Again")
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["day"].String(), "a closing day already") {
		t.Errorf("the same day twice: %v", err)
	}
	if err := f.svc.RemoveClosingDay(ctx, f.sales, day(12, 29)); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("sales removed a closing day: %v", err)
	}
	if err := f.svc.RemoveClosingDay(ctx, f.admin, day(12, 30)); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("removing a day that is none: %v", err)
	}
	if err := f.svc.RemoveClosingDay(ctx, f.admin, day(12, 29)); err != nil {
		t.Fatal(err)
	}
	list, err := settings.ClosingDays(ctx, f.db, day(11, 25))
	if err != nil || len(list) != 1 || !list[0].Day.Equal(day(12, 28)) || list[0].Reason != "Between Christmas and New Year" || list[0].CreatedByName != "Anna Admin" {
		t.Errorf("closing days from 25 Nov: %+v %v", list, err)
	}
	if all, _ := settings.ClosingDays(ctx, f.db, time.Time{}); len(all) != 2 {
		t.Errorf("all closing days: %+v", all)
	}
	if got := f.count(t, "SELECT count(*) FROM audit_log WHERE entity = 'closing_day'"); got != 4 {
		t.Errorf("%d audit entries of closing days, want 3 added and 1 removed", got)
	}
	if got := f.count(t, "SELECT count(*) FROM audit_log WHERE entity = 'closing_day' AND action = 'remove' AND entity_id = '2026-12-29' AND before->>'reason' = 'Between Christmas and New Year'"); got != 1 {
		t.Error("the removal is not in the audit trail with what was removed")
	}
}

// A closing day that has been stays on record.
func TestPastClosingDaysStay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.db.NewRaw("INSERT INTO closing_days (day, reason, created_by, created_at) VALUES ('2026-11-20', 'Inventory', ?, now())", f.admin.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	err := f.svc.RemoveClosingDay(ctx, f.admin, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "in the past") {
		t.Errorf("removing a past closing day: %v", err)
	}
	if n := f.count(t, "SELECT count(*) FROM closing_days"); n != 1 {
		t.Errorf("%d closing days left", n)
	}
}
