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
// during the import (VmHWM, reset before it through /proc/self/clear_refs)
// and the Go heap's peak in use (sampled every millisecond). It fails when
// the peak resident memory passes 200 MB.
func BenchmarkImportWorstFiles(b *testing.B) {
	db := pgtest.New(b)
	s := &catalog.Service{DB: db, Clock: clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	for _, f := range xlsxtest.WorstProductFiles() {
		content := f.Build()
		b.Run(f.Name, func(b *testing.B) {
			var peakRSS, peakHeap uint64
			var rep catalog.ImportReport
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				debug.FreeOSMemory()
				resetPeak(b)
				stop := sampleHeap(&peakHeap)
				b.StartTimer()
				var err error
				rep, err = s.ImportProducts(context.Background(), content)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatal(err)
				}
				peakRSS = max(peakRSS, vmHWM(b))
				b.StartTimer()
			}
			b.ReportMetric(float64(len(content))/1e6, "file-MB")
			b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
			msg := ""
			if len(rep.Errors) > 0 {
				msg = rep.Errors[0].Reason
			}
			b.Logf("%s: %d bytes; created %d, updated %d, %d problems (%d listed): %s", f.Name, len(content), rep.Created, rep.Updated, rep.ErrorCount, len(rep.Errors), msg)
			if !strings.Contains(msg, f.First) || (f.First == "") != (rep.Created+rep.Updated+rep.Unchanged == xlsx.MaxRows) {
				b.Fatalf("the import ended otherwise: %q, want %q", msg, f.First)
			}
			if peakRSS > 200<<20 {
				b.Fatalf("peak resident memory %d MB, over 200 MB", peakRSS>>20)
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

// vmHWM returns the process's peak resident memory in bytes.
func vmHWM(b *testing.B) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
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
