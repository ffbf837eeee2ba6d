package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wholesale/internal/users"
)

func TestPercentiles(t *testing.T) {
	lat := make([]time.Duration, 101)
	for i := range lat {
		lat[len(lat)-1-i] = time.Duration(i) * time.Millisecond // given in any order
	}
	if p50, p95, p99 := percentiles(lat); p50 != 50*time.Millisecond || p95 != 95*time.Millisecond || p99 != 99*time.Millisecond {
		t.Fatalf("percentiles = %v %v %v", p50, p95, p99)
	}
	if p50, _, _ := percentiles(nil); p50 != 0 {
		t.Fatalf("no latencies: p50 %v", p50)
	}
}

func TestParseStatus(t *testing.T) {
	status := "Name:\twholesale\nVmPeak:\t 1000000 kB\nVmHWM:\t  250880 kB\nVmRSS:\t  204800 kB\nThreads:\t12\n"
	m, err := parseStatus([]byte(status))
	if err != nil || m.HWM != 245<<20 || m.RSS != 200<<20 {
		t.Fatalf("parseStatus = %+v, %v; want VmHWM 245 MiB and VmRSS 200 MiB", m, err)
	}
	for _, bad := range []string{"Name:\tx\n", "VmHWM:\t12 MB\nVmRSS:\t1 kB\n", "VmHWM:\tmany kB\nVmRSS:\t1 kB\n"} {
		if _, err := parseStatus([]byte(bad)); err == nil {
			t.Errorf("parseStatus(%q) succeeded", bad)
		}
	}
	// This process's own, from /proc (Linux).
	if m, err := readMemory(os.Getpid()); err != nil || m.RSS <= 0 || m.HWM < m.RSS {
		t.Fatalf("readMemory(self) = %+v, %v", m, err)
	}
}

func TestCSRFToken(t *testing.T) {
	page := `<form method="post" action="/login"><input type="hidden" name="_csrf" value="abc-123"><input name="email"></form>`
	if tok, err := csrfToken([]byte(page)); err != nil || tok != "abc-123" {
		t.Fatalf("csrfToken = %q, %v", tok, err)
	}
	if _, err := csrfToken([]byte("<p>no form</p>")); err == nil {
		t.Fatal("a page without a form gave a token")
	}
}

// A page fails on an answer other than 200 (a redirect to the login
// included) and, on its first request, without the logout form of a
// logged-in user or without what it must show; a document is not an HTML
// page and is checked for its first bytes only.
func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/login?next=/moved", http.StatusFound)
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/anonymous":
			w.Write([]byte(`<a href="/orders/7">7</a>`))
		case "/doc.pdf":
			w.Write([]byte("%PDF-1.4 …"))
		default:
			w.Write([]byte(`<form action="/logout"></form><a href="/orders/7">7</a>`))
		}
	}))
	defer srv.Close()
	ctx, client := context.Background(), newClient(2)
	want := []*regexp.Regexp{orderLink(7)}
	for _, c := range []struct {
		page  Page
		check bool
		err   string
	}{
		{Page{Path: "/orders", Want: want}, true, ""},
		{Page{Path: "/orders", Want: []*regexp.Regexp{orderLink(8)}}, true, `lacks href="/orders/8"`},
		{Page{Path: "/orders", Want: []*regexp.Regexp{orderLink(8)}}, false, ""},
		{Page{Path: "/moved"}, false, "HTTP 302 to /login?next=/moved"},
		{Page{Path: "/broken"}, false, "HTTP 500"},
		{Page{Path: "/anonymous", Want: want}, true, "not the page of a logged-in user"},
		{Page{Path: "/doc.pdf", Want: []*regexp.Regexp{regexp.MustCompile(`^%PDF-`)}, Document: true}, true, ""},
	} {
		c.page.Role = users.RoleAdmin
		d, err := fetch(ctx, client, srv.URL, c.page, c.check)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.page.Path, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", c.page.Path, err, c.err)
		case d <= 0:
			t.Errorf("%s: took %v", c.page.Path, d)
		}
	}
}

// pagesNamed keeps the pages whose name holds the part given (-page).
func TestPagesNamed(t *testing.T) {
	pages := []Page{{Name: "orders: first page"}, {Name: "order page (most revisions: 50)"}, {Name: "AR aging"}}
	got := pagesNamed(pages, "order page")
	if len(got) != 1 || got[0].Name != "order page (most revisions: 50)" {
		t.Fatalf("order page: %+v", got)
	}
	if got := pagesNamed(pages, "order"); len(got) != 2 {
		t.Fatalf("order: %+v", got)
	}
	if got := pagesNamed(pages, "nothing"); len(got) != 0 {
		t.Fatalf("nothing: %+v", got)
	}
}

// measure checks a page once, requests it once per client untimed, then
// times the requests asked for; a page that fails in the untimed round
// fails.
func TestMeasureWarmsThePageBeforeTimingIt(t *testing.T) {
	var n atomic.Int32
	failFrom := int32(1 << 30)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) >= atomic.LoadInt32(&failFrom) {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`<form action="/logout"></form>`))
	}))
	defer srv.Close()
	ctx, client := context.Background(), newClient(3)
	o := PagesOptions{URL: srv.URL, Requests: 5, Clients: 3}
	r := measure(ctx, client, o, Page{Name: "p", Path: "/p", Role: users.RoleAdmin})
	if r.Failed != 0 || r.Requests != 5 || r.P50 <= 0 {
		t.Fatalf("%+v", r)
	}
	if got := n.Load(); got != 1+3+5 {
		t.Fatalf("%d requests, want 1 checked, 3 untimed and 5 timed", got)
	}
	n.Store(0)
	atomic.StoreInt32(&failFrom, 3) // the second request of the untimed round
	r = measure(ctx, client, o, Page{Name: "p", Path: "/p", Role: users.RoleAdmin})
	if r.Failed != 1 || !strings.Contains(r.FirstError, "HTTP 500") || r.Requests != 0 {
		t.Fatalf("%+v", r)
	}
	if got := n.Load(); got != 1+3 {
		t.Fatalf("%d requests after the untimed round failed, want 4", got)
	}
}

// The report prints the machine's pace before and after the pages, the
// reference the pages' times are read against.
func TestReportPrintsTheMachinesPace(t *testing.T) {
	if d := Pace(); d <= 0 {
		t.Fatalf("Pace() = %v", d)
	}
	var b strings.Builder
	ReportPages(&b, &PagesResult{Pages: []PageResult{{Page: Page{Name: "home: admin", Role: users.RoleAdmin}, Requests: 200,
		P50: 6 * time.Millisecond, P95: 12 * time.Millisecond, P99: 20 * time.Millisecond,
		CPU: PageCPU{App: 1250 * time.Microsecond, Rest: 2 * time.Millisecond, Bench: 300 * time.Microsecond, Steal: 0.031, OK: true, AppOK: true}},
		{Page: Page{Name: "AR aging", Role: users.RoleFinance}, Requests: 600, P50: 6 * time.Millisecond, P95: 12 * time.Millisecond, P99: 20 * time.Millisecond,
			CPU: PageCPU{App: 2250 * time.Microsecond, Rest: 1 * time.Millisecond, Bench: 300 * time.Microsecond, OK: true, AppOK: true}}},
		Elapsed: 10 * time.Second, PaceBefore: 41500 * time.Microsecond, PaceAfter: 52 * time.Millisecond, Steal: 0.125, StealOK: true})
	for _, want := range []string{"home: admin", "2 pages in 10.0 s", "app cpu  db cpu  steal", "   1.25    2.00   3.1%",
		// weighed by requests: (1.25*200 + 2.25*600) / 800 = 2.00 for the app, (2*200 + 1*600) / 800 = 1.25 for the rest
		"app server 2.00 ms, the rest of the machine (db cpu: PostgreSQL above all) 1.25 ms, this bench's clients 0.30 ms",
		"the hypervisor gave 12.5 % of the machine's time over the pages to other machines",
		fmt.Sprintf("machine pace: the reference work (SHA-256 of 16 MiB on each of %d cores at once, best of 3) took 41.5 ms before the pages, 52.0 ms after", runtime.GOMAXPROCS(0))} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, b.String())
		}
	}
}
