package loadtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// A small run of the whole tool: its own cluster, pgbench before and after,
// orders placed through the API with none failing, the statements and the
// report printed. It keeps `wholesale bench orders` from rotting; the
// figures themselves are measured by hand (docs/BENCHMARKS.md).
func TestRunPlacesOrdersBesidePgbench(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	o := Options{Orders: 40, Clients: 4, Customers: 4, Products: 20, PgbenchSeconds: 4, PgbenchClients: 2,
		Statements: 30, DBConns: 4} // Dir: the system's temporary one, which the postgres user reaches when run as root
	res, err := Run(ctx, o, &out)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if res.Orders != 40 || res.Failed != 0 || res.OrdersPerSec <= 0 || res.PgbenchBefore <= 0 || res.PgbenchAfter <= 0 {
		t.Fatalf("result %+v: want 40 orders placed, none failed, and pgbench's tps before and after", res)
	}
	if res.P50 <= 0 || res.P50 > res.P95 || res.P95 > res.P99 {
		t.Fatalf("latencies p50 %v, p95 %v, p99 %v are not in order", res.P50, res.P95, res.P99)
	}
	if !res.OrdersCPU.OK || !res.PgbenchCPU.OK || res.OrdersCPU.PerUnit <= 0 || res.PgbenchCPU.PerUnit <= 0 {
		t.Fatalf("machine CPU not measured: orders %+v, pgbench %+v", res.OrdersCPU, res.PgbenchCPU)
	}
	// The statements of order entry are listed, nested ones too (the
	// procedure's booking, the foreign-key checks).
	for _, want := range []string{"orders_insert", "UPDATE stock SET reserved", "FOR KEY SHARE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the statements printed lack %q:\n%s", want, out.String())
		}
	}
	var rep bytes.Buffer
	Report(&rep, res)
	for _, want := range []string{"orders:       40 in", "machine CPU:", "ratio:"} {
		if !strings.Contains(rep.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, rep.String())
		}
	}
}
