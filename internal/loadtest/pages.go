package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/users"
)

// PagesOptions of a run of the page bench.
type PagesOptions struct {
	URL      string // the app server
	PID      int    // its process, whose memory is read; 0: not read
	Requests int    // per page
	Clients  int    // requests at a time
	Logins   []Login
	// Only, when set, measures only the pages whose name holds it
	// ("order page", "AR aging").
	Only string
}

// PageResult is what one page measured.
type PageResult struct {
	Page
	Requests      int
	Failed        int
	FirstError    string
	P50, P95, P99 time.Duration
	CPU           PageCPU
}

// PageCPU is the CPU time a page's timed requests cost, per request: the
// app server's (App, when its process is known), this process's as the
// clients (Bench), and the rest of the machine's (Rest: PostgreSQL, and
// whatever else ran): where a page's work is, apart from how long its
// requests waited for a core. Steal is the share of the machine's time the
// hypervisor gave to others meanwhile, which a host that takes the cores
// away shows (one that only slows them does not).
type PageCPU struct {
	App, Bench, Rest time.Duration
	Steal            float64
	OK, AppOK        bool
}

// PagesResult is what a run measured.
type PagesResult struct {
	Pages   []PageResult
	Elapsed time.Duration
	// Memory of the server (zero when not read): VmRSS before the logins
	// and after them (a login's password hash takes 64 MiB), the highest
	// VmRSS sampled during the load, and VmHWM after it, since the load
	// began when HWMSinceLoad (else since the server started).
	StartRSS, LoginRSS, PeakRSS, HWM int64
	HWMSinceLoad                     bool
	// PaceBefore and PaceAfter are the machine's pace (Pace) right before
	// the pages and right after them.
	PaceBefore, PaceAfter time.Duration
	// Steal is the share of the machine's time over the pages that the
	// hypervisor gave to other machines (StealOK: it was read).
	Steal   float64
	StealOK bool
}

// Failed is how many pages had a request fail.
func (r *PagesResult) Failed() int {
	n := 0
	for _, p := range r.Pages {
		if p.Failed > 0 {
			n++
		}
	}
	return n
}

// Page speed targets (issue 19).
const (
	TargetP95 = 50 * time.Millisecond
	TargetRSS = 300 << 20
)

// RunPages logs in as each user through the login page, then requests
// each page o.Requests times, o.Clients at a time, one page after another,
// reading the server's memory meanwhile. The first request of a page is
// checked for what the page must show and not timed. Every request must
// answer 200: a run with a failed page returns its result and an error.
func RunPages(ctx context.Context, db *bun.DB, o PagesOptions, out io.Writer) (*PagesResult, error) {
	pages, err := Pages(ctx, db, o.Logins)
	if err != nil {
		return nil, err
	}
	if o.Only != "" {
		if pages = pagesNamed(pages, o.Only); len(pages) == 0 {
			return nil, fmt.Errorf("no page's name holds %q", o.Only)
		}
	}
	res := &PagesResult{}
	if o.PID > 0 {
		if res.StartRSS, err = rssOf(o.PID); err != nil {
			return nil, err
		}
	}
	clients := map[users.Role]*http.Client{}
	for _, l := range o.Logins {
		c := newClient(o.Clients)
		if err := logIn(ctx, c, o.URL, l); err != nil {
			return nil, err
		}
		clients[l.Role] = c
	}
	fmt.Fprintf(out, "requesting %d pages %d times each, %d at a time, from %s; %s\n", len(pages), o.Requests, o.Clients, o.URL, machineLoad())
	var sampler *rssSampler
	if o.PID > 0 {
		if res.LoginRSS, err = rssOf(o.PID); err != nil {
			return nil, err
		}
		res.HWMSinceLoad = resetPeak(o.PID)
		sampler = sampleRSS(o.PID)
	}
	res.PaceBefore = Pace()
	start, machine := time.Now(), sampleCPU()
	for _, p := range pages {
		res.Pages = append(res.Pages, measure(ctx, clients[p.Role], o, p))
	}
	res.Elapsed = time.Since(start)
	res.Steal, res.StealOK = sampleCPU().since(machine).stealShare()
	res.PaceAfter = Pace()
	if sampler != nil {
		res.PeakRSS = sampler.finish()
		m, err := readMemory(o.PID)
		if err != nil {
			return nil, fmt.Errorf("memory of the server (pid %d): %w", o.PID, err)
		}
		res.HWM = m.HWM
	}
	if n := res.Failed(); n > 0 {
		return res, fmt.Errorf("%d of %d pages failed", n, len(res.Pages))
	}
	return res, nil
}

// pagesNamed are the pages whose name holds part.
func pagesNamed(pages []Page, part string) []Page {
	var out []Page
	for _, p := range pages {
		if strings.Contains(p.Name, part) {
			out = append(out, p)
		}
	}
	return out
}

// measure requests one page: once to check it, o.Clients times at once
// untimed, then o.Requests times. The untimed round warms what a running
// server keeps warm: its pool's connections, which open on the first page
// that needs as many at once, and their backends' caches of the tables the
// page reads (each costs a few milliseconds once). Without it the first
// page of a run measured that start: p99 200 ms against 40 for the same
// page later in the run.
func measure(ctx context.Context, client *http.Client, o PagesOptions, p Page) PageResult {
	r := PageResult{Page: p}
	if _, err := fetch(ctx, client, o.URL, p, true); err != nil {
		r.Failed, r.FirstError = 1, err.Error()
		return r
	}
	if err := warm(ctx, client, o, p); err != nil {
		r.Failed, r.FirstError = 1, err.Error()
		return r
	}
	lat := make([]time.Duration, o.Requests)
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < o.Clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := fetch(ctx, client, o.URL, p, false)
				lat[i] = d
				if err != nil {
					mu.Lock()
					if r.Failed++; r.FirstError == "" {
						r.FirstError = err.Error()
					}
					mu.Unlock()
				}
			}
		}()
	}
	before := sampleCPUOf(o.PID)
	for i := 0; i < o.Requests && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	r.CPU = sampleCPUOf(o.PID).since(before).perRequest(o.Requests)
	r.Requests = o.Requests
	r.P50, r.P95, r.P99 = percentiles(lat)
	return r
}

// cpuOf is the CPU time spent so far by the machine, by the app server
// (pid; 0: not read) and by this process.
type cpuOf struct {
	machine                  cpuSample
	app, self                int64
	machineOK, appOK, selfOK bool
}

func sampleCPUOf(pid int) cpuOf {
	c := cpuOf{machine: sampleCPU()}
	c.machineOK = c.machine.ok
	c.self, c.selfOK = processCPU(0)
	if pid > 0 {
		c.app, c.appOK = processCPU(pid)
	}
	return c
}

func (c cpuOf) since(earlier cpuOf) cpuOf {
	// A phase shorter than a clock tick spent no time that was counted:
	// zero, not unknown (since says unknown, as no share can be had of it).
	return cpuOf{machine: c.machine.since(earlier.machine), app: c.app - earlier.app, self: c.self - earlier.self,
		machineOK: c.machineOK && earlier.machineOK, appOK: c.appOK && earlier.appOK, selfOK: c.selfOK && earlier.selfOK}
}

// perRequest divides a phase's CPU time (see since) over its n requests.
func (c cpuOf) perRequest(n int) PageCPU {
	if !c.machineOK || !c.selfOK || n <= 0 {
		return PageCPU{}
	}
	per := func(ticks int64) time.Duration {
		return time.Duration(max(ticks, 0)) * (time.Second / ticksPerSecond) / time.Duration(n)
	}
	p := PageCPU{Bench: per(c.self), OK: true, AppOK: c.appOK}
	rest := c.machine.busy - c.self
	if c.appOK {
		p.App = per(c.app)
		rest -= c.app
	}
	p.Rest = per(rest)
	p.Steal, _ = c.machine.stealShare()
	return p
}

// warm requests p o.Clients times at once, untimed; the first error fails.
func warm(ctx context.Context, client *http.Client, o PagesOptions, p Page) error {
	errs := make([]error, o.Clients)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = fetch(ctx, client, o.URL, p, false)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loggedIn is in every page of a logged-in user: the logout form.
var loggedIn = []byte(`action="/logout"`)

// fetch requests a page and returns how long its whole answer took; an
// answer other than 200 fails, and so, when check, does one without what
// the page must show.
func fetch(ctx context.Context, client *http.Client, base string, p Page, check bool) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p.Path, nil)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(t0), err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(t0)
	if err != nil {
		return d, err
	}
	if resp.StatusCode != http.StatusOK {
		where := ""
		if loc := resp.Header.Get("Location"); loc != "" {
			where = " to " + loc
		}
		return d, fmt.Errorf("GET %s as %s: HTTP %d%s", p.Path, p.Role, resp.StatusCode, where)
	}
	if !check {
		return d, nil
	}
	if !p.Document && !bytes.Contains(body, loggedIn) {
		return d, fmt.Errorf("GET %s as %s: not the page of a logged-in user", p.Path, p.Role)
	}
	for _, w := range p.Want {
		if !w.Match(body) {
			return d, fmt.Errorf("GET %s as %s: the page lacks %s", p.Path, p.Role, w)
		}
	}
	return d, nil
}

// percentiles are the 50th, 95th and 99th of latencies (nearest rank below).
func percentiles(lat []time.Duration) (p50, p95, p99 time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	sorted := append([]time.Duration{}, lat...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	pct := func(p float64) time.Duration { return sorted[int(p*float64(len(sorted)-1))] }
	return pct(0.50), pct(0.95), pct(0.99)
}

// ReportPages prints a line per page with its figures beside the target,
// then the server's memory.
func ReportPages(w io.Writer, r *PagesResult) {
	fmt.Fprintf(w, "\n%-34s %-17s %8s %8s %8s %8s  %-11s %7s %7s %6s\n", "page", "as", "requests", "p50 ms", "p95 ms", "p99 ms", "p95 ≤ 50 ms",
		"app cpu", "db cpu", "steal")
	var total PageCPU
	var requests int
	for _, p := range r.Pages {
		if p.Failed > 0 {
			fmt.Fprintf(w, "%-34s %-17s FAILED (%d of %d): %s\n", p.Name, p.Role, p.Failed, max(p.Requests, 1), p.FirstError)
			continue
		}
		fmt.Fprintf(w, "%-34s %-17s %8d %8.1f %8.1f %8.1f  %-11s %s\n", p.Name, p.Role, p.Requests, ms(p.P50), ms(p.P95), ms(p.P99),
			verdict(p.P95 <= TargetP95), p.CPU.columns())
		if p.CPU.OK {
			total = total.add(p.CPU, requests, p.Requests)
			requests += p.Requests
		}
	}
	fmt.Fprintf(w, "%d pages in %.1f s\n", len(r.Pages), r.Elapsed.Seconds())
	if total.OK {
		app := "not read (give -pid of the server)"
		if total.AppOK {
			app = fmt.Sprintf("%.2f ms", ms(total.App))
		}
		fmt.Fprintf(w, "CPU time per request, all pages: app server %s, the rest of the machine (db cpu: PostgreSQL above all) %.2f ms, this bench's clients %.2f ms\n",
			app, ms(total.Rest), ms(total.Bench))
	}
	if r.StealOK {
		fmt.Fprintf(w, "steal: the hypervisor gave %.1f %% of the machine's time over the pages to other machines\n", 100*r.Steal)
	}
	if r.PaceBefore > 0 {
		fmt.Fprintf(w, "machine pace: the reference work (SHA-256 of 16 MiB on each of %d cores at once, best of 3) took %.1f ms before the pages, %.1f ms after\n",
			runtime.GOMAXPROCS(0), ms(r.PaceBefore), ms(r.PaceAfter))
	}
	if r.HWM == 0 {
		fmt.Fprintln(w, "server memory: not read (give -pid of the server)")
		return
	}
	since := "since the server started"
	if r.HWMSinceLoad {
		since = "since the load began"
	}
	fmt.Fprintf(w, "server memory: VmRSS %.1f MB before the logins, %.1f MB after them\n", mb(r.StartRSS), mb(r.LoginRSS))
	fmt.Fprintf(w, "under the load: peak VmRSS %.1f MB (sampled every 50 ms), VmHWM %.1f MB %s; target ≤ 300 MB: %s\n",
		mb(r.PeakRSS), mb(r.HWM), since, verdict(max(r.PeakRSS, r.HWM) <= TargetRSS))
}

// columns are a page's CPU figures in the report: ms per request of the
// app server and of the rest (the database), and the steal share.
func (c PageCPU) columns() string {
	if !c.OK {
		return fmt.Sprintf("%7s %7s %6s", "-", "-", "-")
	}
	app := "-"
	if c.AppOK {
		app = fmt.Sprintf("%.2f", ms(c.App))
	}
	return fmt.Sprintf("%7s %7.2f %5.1f%%", app, ms(c.Rest), 100*c.Steal)
}

// add weighs c's CPU times (over m requests) into the total t (over n
// requests before it); the steal share is the run's (PagesResult.Steal).
func (t PageCPU) add(c PageCPU, n, m int) PageCPU {
	if n == 0 {
		return c
	}
	avg := func(a, b time.Duration) time.Duration {
		return (a*time.Duration(n) + b*time.Duration(m)) / time.Duration(n+m)
	}
	return PageCPU{App: avg(t.App, c.App), Bench: avg(t.Bench, c.Bench), Rest: avg(t.Rest, c.Rest),
		OK: true, AppOK: t.AppOK && c.AppOK}
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// machineLoad says how busy the machine was before the run: other work
// running beside the bench moves its figures.
func machineLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if err != nil || len(f) < 3 {
		return fmt.Sprintf("%d cores", runtime.NumCPU())
	}
	return fmt.Sprintf("load average %s, %s, %s on %d cores", f[0], f[1], f[2], runtime.NumCPU())
}

// rssOf is a process's VmRSS now.
func rssOf(pid int) (int64, error) {
	m, err := readMemory(pid)
	if err != nil {
		return 0, fmt.Errorf("memory of the server (pid %d): %w", pid, err)
	}
	return m.RSS, nil
}
