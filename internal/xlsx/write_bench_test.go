package xlsx_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/xlsx"
)

// peakMeter measures the peak memory while a benchmark runs: the peak
// resident set of the process (VmHWM, reset at the start where the kernel
// allows it) and the peak of the Go heap's live and unswept objects,
// sampled every millisecond; and the CPU time the process used, which
// other work on a busy machine does not change as it does the wall time.
type peakMeter struct {
	stop     chan struct{}
	done     sync.WaitGroup
	heapPeak uint64
	rssReset bool
	cpu      time.Duration
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startPeak() *peakMeter {
	runtime.GC()
	debug.FreeOSMemory()
	m := &peakMeter{stop: make(chan struct{}), cpu: cpuTime()}
	// Writing 5 to clear_refs resets VmHWM to the current resident set.
	m.rssReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	m.done.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			m.heapPeak = max(m.heapPeak, sample[0].Value.Uint64())
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	})
	return m
}

// report stops the meter and reports cpu-s/op, peak-heap-MB and, where
// the kernel tells it, peak-RSS-MB.
func (m *peakMeter) report(b *testing.B) {
	close(m.stop)
	m.done.Wait()
	b.ReportMetric((cpuTime()-m.cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(m.heapPeak)/(1<<20), "peak-heap-MB")
	if kb, ok := vmHWM(); ok {
		name := "peak-RSS-MB"
		if !m.rssReset {
			name = "peak-RSS-MB-since-start"
		}
		b.ReportMetric(float64(kb)/1024, name)
	}
}

// vmHWM is the peak resident set of the process in kB.
func vmHWM() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}

// tenLines is a Dutch invoice of 10 lines at two rates.
func tenLines() *invoicing.Document {
	d := dutchInvoice()
	d.Lines = d.Lines[:0]
	d.Rates = []invoicing.RateTotal{{Rate: 21}, {Rate: 9}}
	for i := range 10 {
		ln := invoicing.DocLine{No: i + 1, OrderID: 1001, SKU: "KR-" + strconv.Itoa(i), Description: "Waterkoker RVS 1,7 l, model " + strconv.Itoa(i),
			Quantity: 1 + i, UnitPriceCents: 1995 + int64(i)*100, VATRate: 21}
		if i%3 == 0 {
			ln.VATRate = 9
		}
		ln.AmountCents = int64(ln.Quantity) * ln.UnitPriceCents
		r := &d.Rates[0]
		if ln.VATRate == 9 {
			r = &d.Rates[1]
		}
		r.BaseCents += ln.AmountCents
		d.Lines = append(d.Lines, ln)
	}
	d.TotalExclCents, d.VATCents = 0, 0
	for i := range d.Rates {
		d.Rates[i].VATCents = (d.Rates[i].BaseCents*int64(d.Rates[i].Rate) + 50) / 100
		d.TotalExclCents += d.Rates[i].BaseCents
		d.VATCents += d.Rates[i].VATCents
	}
	d.TotalInclCents = d.TotalExclCents + d.VATCents
	return d
}

func BenchmarkWriteInvoice(b *testing.B) {
	d := tenLines()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := xlsx.WriteInvoice(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}

// BenchmarkInvoiceLines100k is the bookkeeper's export of a busy period:
// 100,000 invoice lines and their 10,000 invoices, fed one row at a time
// as from a database cursor.
func BenchmarkInvoiceLines100k(b *testing.B) {
	const lines, perInvoice = 100_000, 10
	descs := make([]string, 50)
	for i := range descs {
		descs[i] = "Koffiemachine «Øresund» " + strconv.Itoa(i) + ", RVS, 1,7 l"
	}
	issue := date("2026-11-27")
	peak := startPeak()
	var size countWriter
	for b.Loop() {
		size = 0
		l, err := xlsx.NewInvoiceList(&size, i18n.For(i18n.NL))
		if err != nil {
			b.Fatal(err)
		}
		var s invoicing.Summary
		var r invoicing.LineRow
		for n := range lines / perInvoice {
			number := "2026-" + strconv.Itoa(100000+n)
			s = invoicing.Summary{Kind: invoicing.KindInvoice, Number: number, State: "issued", CompanyName: "Bakkerij De Korenaar " + strconv.Itoa(n%500),
				CompanyVATID: "NL987654321B01", IssueDate: &issue, DueDate: &issue, VATMode: invoicing.VATDomestic,
				ExclCents: 100000, VATCents: 15000, InclCents: 115000, PaidCents: 115000,
				PerRate: []invoicing.RateTotal{{Rate: 21, BaseCents: 50000, VATCents: 10500}, {Rate: 9, BaseCents: 50000, VATCents: 4500}}}
			if err := l.Add(&s); err != nil {
				b.Fatal(err)
			}
			for i := range perInvoice {
				r = invoicing.LineRow{Number: number, IssueDate: issue, CompanyName: s.CompanyName, DocLine: invoicing.DocLine{
					No: i + 1, OrderID: int64(5000 + n), POReference: "PO-" + strconv.Itoa(n), SKU: "KR-" + strconv.Itoa(i),
					Description: descs[(n+i)%len(descs)], Quantity: i + 1, UnitPriceCents: 10000, VATRate: 21, AmountCents: int64(i+1) * 10000,
					Shipping: i == perInvoice-1}}
				if err := l.AddLine(&r); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
	peak.report(b)
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// countWriter counts what is written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
