package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// The app with DATABASE_REPLICA_URL on a real streaming replica of its
// primary. While the replica's replay is paused, a change on the primary
// shows on the ordinary pages but not in the reports: they read the
// replica. Once it has caught up, the reports show the change too.
func TestReportsReadFromTheReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := pgtest.ServerDir(t)
	primary, err := postgres.StartCluster(ctx, postgres.ClusterOptions{Dir: filepath.Join(dir, "primary"), Throwaway: true, Install: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Stop() })
	if err := primary.CreateDatabase(ctx, "wholesale"); err != nil {
		t.Fatal(err)
	}
	standby, err := postgres.StartCluster(ctx, postgres.ClusterOptions{Dir: filepath.Join(dir, "standby"), Throwaway: true, StandbyOf: primary})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { standby.Stop() })
	migrateAndLoadDemo(t, primary.DSN("wholesale"))
	base := startServer(t, map[string]string{"LOG_FORMAT": "text",
		"DATABASE_URL":         withParams(t, primary.DSN("wholesale"), "application_name", "wholesale"),
		"DATABASE_REPLICA_URL": withParams(t, standby.DSN("wholesale"), "application_name", "wholesale-reports")})
	pdb, sdb := open(t, primary.DSN("wholesale")), open(t, standby.DSN("wholesale"))
	var inRecovery bool
	if err := sdb.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil || !inRecovery {
		t.Fatalf("the standby is not in recovery: %v", err)
	}
	caughtUp(t, pdb, sdb)

	fin := loginOf(users.RoleFinance)
	b := newBrowser(t)
	b.login(base, fin.Email, fin.Password)
	adm := loginOf(users.RoleAdmin) // the complaints log is not finance's
	a := newBrowser(t)
	a.login(base, adm.Email, adm.Password)
	var company struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := pdb.NewRaw(`SELECT c.id, c.name FROM companies c JOIN users u ON u.company_id = c.id WHERE u.email = ?`,
		loginOf(users.RoleCustomer).Email).Scan(ctx, &company); err != nil {
		t.Fatal(err)
	}
	if row := text(b.page(base, "/receivables/aging").Find(`tr[data-customer]`)); !strings.Contains(row, company.Name) {
		t.Fatalf("the aging report does not list the demo customer %q: %q", company.Name, row)
	}

	// The replica stops replaying; the customer is renamed on the primary.
	if _, err := sdb.ExecContext(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the standby's replay to pause", func() bool {
		var state string
		err := sdb.QueryRowContext(ctx, "SELECT pg_get_wal_replay_pause_state()").Scan(&state)
		return err == nil && state == "paused"
	})
	renamed := company.Name + " (renamed on the primary)"
	if _, err := pdb.ExecContext(ctx, "UPDATE companies SET name = ? WHERE id = ?", renamed, company.ID); err != nil {
		t.Fatal(err)
	}
	// The invoice list reads the primary: the new name at once.
	if list := text(b.page(base, "/invoices").Find("table tbody")); !strings.Contains(list, renamed) {
		t.Fatalf("the invoice list does not show the new name %q: %.500s", renamed, list)
	}
	// The reports read the replica: the old name, until it replays.
	reports := map[string]func() string{
		"the aging report": func() string { return text(b.page(base, "/receivables/aging").Find("table.aging tbody")) },
		"aging.xlsx":       func() string { return workbookText(t, b.download(base, "/receivables/aging.xlsx")) },
		"the invoice export (.xlsx)": func() string {
			return workbookText(t, b.download(base, "/invoices/export.xlsx"))
		},
		"the returns export (.xlsx)":    func() string { return workbookText(t, b.download(base, "/returns.xlsx")) },
		"the complaints export (.xlsx)": func() string { return workbookText(t, a.download(base, "/complaints.xlsx")) },
	}
	for what, read := range reports {
		if got := read(); !strings.Contains(got, company.Name) || strings.Contains(got, renamed) {
			t.Errorf("%s while the replica lags: want the old name %q only:\n%.800s", what, company.Name, got)
		}
	}

	if _, err := sdb.ExecContext(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, pdb, sdb)
	for what, read := range reports {
		if got := read(); !strings.Contains(got, renamed) {
			t.Errorf("%s once the replica caught up: want the new name %q:\n%.800s", what, renamed, got)
		}
	}

	// The replica served the reports' connections; the primary none of them.
	for _, c := range []struct {
		db   *bun.DB
		want bool
	}{{sdb, true}, {pdb, false}} {
		var n int
		if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wholesale-reports'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if (n > 0) != c.want {
			t.Errorf("connections of the reports on the %s: %d", map[bool]string{true: "replica", false: "primary"}[c.want], n)
		}
	}
}

func open(t *testing.T, dsn string) *bun.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// caughtUp waits until the standby has replayed everything the primary
// has written so far.
func caughtUp(t *testing.T, primary, standby *bun.DB) {
	t.Helper()
	// The insert location, not pg_current_wal_lsn (the write location):
	// the test clusters commit asynchronously (synchronous_commit = off),
	// so a commit may be inserted and not yet written, and the standby
	// would be "caught up" to a location before it.
	var lsn string
	if err := primary.QueryRowContext(context.Background(), "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the standby to replay the primary's WAL up to "+lsn, func() bool {
		var done bool
		err := standby.QueryRowContext(context.Background(), "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", lsn).Scan(&done)
		return err == nil && done
	})
}

// waitFor polls cond until it holds; it fails the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waited a minute for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
