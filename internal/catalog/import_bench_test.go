package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
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

var header = []string{"sku", "name", "brand", "description", "unit_price"}

var worstDesc = strings.Repeat("Roestvrijstalen waterkoker met kalkfilter. ", 50)[:2000]

// badRow is a row every check refuses (no SKU, no price).
var badRow = []string{"", "Kettle", "", "", "x"}

// worstFile is an import file that costs much to read, and how the import
// ends: the first problem listed, or "" when it is imported.
type worstFile struct {
	name  string
	build func() []byte
	first string
}

// worstFiles are the import files that cost the most: the most rows in the
// smallest file, the most rows a file of 20 MB or of 64 MB unpacked
// holds, shared-string bombs, and the largest files that are imported.
func worstFiles() []worstFile {
	return []worstFile{
		{"xlsx_4M_rows", func() []byte { return xlsxtest.ManyRows(header, 4_000_000, badRow...) }, "more than 64 MB unpacked"},
		{"xlsx_300k_rows_under_64MB_unpacked", func() []byte { return xlsxtest.ManyRows(header, 300_000, badRow...) }, "more than 20,000 rows"},
		{"csv_20MB_of_rows", func() []byte {
			var b bytes.Buffer
			b.WriteString("sku,name,unit_price\n")
			for b.Len() < xlsx.MaxImportBytes-32 {
				b.WriteString(",Kettle,x\n")
			}
			return b.Bytes()
		}, "more than 20,000 rows"},
		{"xlsx_shared_string_bomb_50M", func() []byte { return xlsxtest.SharedStringBomb(header, 50_000_000) }, "more than 64 MB unpacked"},
		{"xlsx_shared_string_bomb_3.5M_under_64MB", func() []byte { return xlsxtest.SharedStringBomb(header, 3_500_000) }, "more than 300,000 different texts"},
		{"xlsx_300k_shared_strings_of_200_bytes", func() []byte {
			return xlsxtest.Workbook(func(w io.Writer) {
				xlsxtest.WriteRow(w, 1, header...)
				for i := 2; i <= xlsx.MaxRows+1; i++ {
					fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`, i, i, i%300_000, i, (i*7)%300_000)
				}
			}, func(w io.Writer) {
				for i := 0; i < 299_990; i++ {
					fmt.Fprintf(w, `<si><t>%08d %s</t></si>`, i, strings.Repeat("z", 190))
				}
			})
		}, "sku: A SKU is"},
		{"xlsx_20000_rows_imported_2000_char_descriptions", func() []byte {
			return xlsxtest.Workbook(func(w io.Writer) {
				xlsxtest.WriteRow(w, 1, header...)
				for i := 0; i < xlsx.MaxRows; i++ {
					xlsxtest.WriteRow(w, i+2, fmt.Sprintf("BENCH-%05d", i), "Waterkoker "+strconv.Itoa(i), "Krups", worstDesc, "19,95")
				}
			}, nil)
		}, ""},
		{"csv_20000_rows_imported_900_char_descriptions", func() []byte {
			var b bytes.Buffer
			b.WriteString("sku,name,brand,description,unit_price\n")
			for i := 0; i < xlsx.MaxRows; i++ {
				fmt.Fprintf(&b, "CSV-%05d,Waterkoker %d,Krups,%s,\"19,95\"\n", i, i, worstDesc[:900])
			}
			return b.Bytes()
		}, ""},
	}
}

// BenchmarkImportWorstFiles imports each of the worst files once per
// iteration and reports its time, the process's peak resident memory
// during the import (VmHWM, reset before it through /proc/self/clear_refs)
// and the Go heap's peak in use (sampled every millisecond). It fails when
// the peak resident memory passes 200 MB.
func BenchmarkImportWorstFiles(b *testing.B) {
	db := pgtest.New(b)
	s := &catalog.Service{DB: db, Clock: clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	for _, f := range worstFiles() {
		content := f.build()
		b.Run(f.name, func(b *testing.B) {
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
			b.Logf("%s: %d bytes; created %d, updated %d, %d problems (%d listed): %s", f.name, len(content), rep.Created, rep.Updated, rep.ErrorCount, len(rep.Errors), msg)
			if !strings.Contains(msg, f.first) || (f.first == "") != (rep.Created+rep.Updated+rep.Unchanged == xlsx.MaxRows) {
				b.Fatalf("the import ended otherwise: %q, want %q", msg, f.first)
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
