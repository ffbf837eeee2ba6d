package invoicing_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

// childDSN is set in the process TestAKilledRunLeavesNoGap starts: it runs
// the cutoff there and is killed in the middle.
const childDSN = "WHOLESALE_INVOICING_CHILD_DSN"

// TestHelperCutoffRunToBeKilled is not a test of its own: it is the cutoff
// run of the process that TestAKilledRunLeavesNoGap kills with SIGKILL.
// Run outside that test, it does nothing.
func TestHelperCutoffRunToBeKilled(t *testing.T) {
	dsn := os.Getenv(childDSN)
	if dsn == "" {
		return
	}
	db, err := postgres.Open(context.Background(), dsn, 4)
	if err != nil {
		t.Fatal(err)
	}
	var rendered atomic.Int32
	hang := func(w io.Writer, d *invoicing.Document) error {
		if rendered.Add(1) == 6 { // in the second batch of 4
			fmt.Println("RENDERING", d.Number)
			select {} // until killed
		}
		return jsonWriter(w, d)
	}
	svc := &invoicing.Service{DB: db, Clock: clock.NewFixed(amsterdam(24, 17, 5)), Batch: 4, Workers: 1,
		Writers:  invoicing.Writers{PDF: hang, XLSX: jsonWriter},
		Calendar: func(context.Context, bun.IDB) (invoicing.Calendar, error) { return weekdays{}, nil }}
	svc.Run(context.Background(), nil, 0)
	t.Fatal("the run ended; it should have been killed")
}

func TestAKilledRunLeavesNoGapAndTheNextFinishes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	const n = 10
	for i := range n {
		e.ship(e.order(e.company(fmt.Sprintf("Klant %02d", i), "NL", "", "credit"), "PO", line("A", 1)))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCutoffRunToBeKilled$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDSN+"="+pgtest.DSN(t, e.db))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	seen := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "RENDERING") {
				seen <- sc.Text()
				return
			}
		}
		close(seen)
	}()
	select {
	case line, ok := <-seen:
		if !ok {
			t.Fatal("the run ended before it was killed")
		}
		t.Logf("killing the run while %s", line)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the run never reached its second batch")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no rollback sent
		t.Fatal(err)
	}
	cmd.Wait()

	// The first batch is issued, whole; the second left nothing behind.
	e.clk.Set(amsterdam(24, 17, 6))
	deadline := time.Now().Add(30 * time.Second)
	for {
		var busy int
		e.db.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(ctx, &busy)
		if busy == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond) // the server notices the dead client
	}
	var last, withoutDocs int
	e.db.NewRaw(`SELECT COALESCE(max(last_number), 0) FROM invoice_series WHERE kind = 'invoice'`).Scan(ctx, &last)
	e.db.NewRaw(`SELECT count(*) FROM invoices i WHERE state = 'issued' AND NOT EXISTS
		(SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id AND NOT d.copy AND d.format = 'pdf')`).Scan(ctx, &withoutDocs)
	if issued := len(e.issued()); last != 4 || issued != 4 || withoutDocs != 0 {
		t.Fatalf("after kill -9: series at %d, %d issued, %d without their document", last, issued, withoutDocs)
	}
	got, err := e.svc.Run(ctx, nil, 0)
	if err != nil || len(got) != n-4 || got[0] != "2026-000005" || got[len(got)-1] != fmt.Sprintf("2026-%06d", n) {
		t.Fatalf("the next run issued %v (%v)", got, err)
	}
}
