package catalog_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/xlsx"
	"wholesale/internal/xlsx/xlsxtest"
)

// BenchmarkImportWorstFiles imports each of the worst files once per
// iteration and reports its time, the process's peak resident memory
// during the import (VmHWM, reset before it through /proc/self/clear_refs),
// how far that peak rose above what the process held before the import,
// and the Go heap's peak in use (sampled every millisecond). It fails when
// the import's own memory (the rise) passes 200 MB: what the process held
// before depends on the tests that ran before it in the same binary.
func BenchmarkImportWorstFiles(b *testing.B) {
	db := pgtest.New(b)
	s := &catalog.Service{DB: db, Clock: clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	for _, f := range xlsxtest.WorstProductFiles() {
		content := f.Build()
		b.Run(f.Name, func(b *testing.B) {
			var peakRSS, peakRise, peakHeap uint64
			var rep catalog.ImportReport
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				debug.FreeOSMemory()
				resetPeak(b)
				before := vmStatus(b, "VmRSS:")
				stop := sampleHeap(&peakHeap)
				b.StartTimer()
				var err error
				rep, err = s.ImportProducts(context.Background(), content)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatal(err)
				}
				peak := vmStatus(b, "VmHWM:")
				peakRSS, peakRise = max(peakRSS, peak), max(peakRise, peak-min(before, peak))
				b.StartTimer()
			}
			b.ReportMetric(float64(len(content))/1e6, "file-MB")
			b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(peakRise)/(1<<20), "import-RSS-MB")
			b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
			msg := ""
			if len(rep.Errors) > 0 {
				msg = rep.Errors[0].Reason.String()
			}
			b.Logf("%s: %d bytes; created %d, updated %d, %d problems (%d listed): %s", f.Name, len(content), rep.Created, rep.Updated, rep.ErrorCount, len(rep.Errors), msg)
			if !strings.Contains(msg, f.First) || (f.First == "") != (rep.Created+rep.Updated+rep.Unchanged == xlsx.MaxRows) {
				b.Fatalf("the import ended otherwise: %q, want %q", msg, f.First)
			}
			if peakRise > 200<<20 {
				b.Fatalf("the import took %d MB of resident memory (peak %d MB), over 200 MB", peakRise>>20, peakRSS>>20)
			}
		})
	}
}

// resetPeak resets the process's peak resident memory (VmHWM) to what it
// holds now.
func resetPeak(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("cannot reset the peak resident memory: %v", err)
	}
}

// vmStatus returns a figure of /proc/self/status in bytes: VmHWM, the
// process's peak resident memory, or VmRSS, what it holds now.
func vmStatus(b *testing.B, field string) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// sampleHeap records the peak of the Go heap's live and not yet swept
// objects into peak until stopped (runtime/metrics, which does not stop
// the world as ReadMemStats does).
func sampleHeap(peak *uint64) (stop func()) {
	var done atomic.Bool
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for !done.Load() {
			metrics.Read(sample)
			*peak = max(*peak, sample[0].Value.Uint64())
			time.Sleep(time.Millisecond)
		}
	}()
	return func() { done.Store(true); <-finished }
}
