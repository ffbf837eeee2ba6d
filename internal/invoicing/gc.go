package invoicing

import (
	"runtime/debug"
	"sync"
)

// runGCPercent is the garbage collector's GOGC while a run renders: the
// run allocates some 9 MB per invoice (gofpdf's zlib writers most), nearly
// all of it garbage at once, over a small live heap, so at the default of
// 100 the collector runs every invoice or two and takes a third of the
// run's processor time (docs/BENCHMARKS.md). At 400 it runs a quarter as
// often, for a few tens of MB more heap while a run lasts.
const runGCPercent = 400

// gcRelax counts the runs under way in this process, which share one
// garbage collector setting.
var gcRelax struct {
	sync.Mutex
	runs int
	old  int
}

// relaxGC raises GOGC to runGCPercent while a run lasts (unless it is set
// higher, or off) and returns the function that puts it back when the
// last run of the process ends.
func relaxGC() (restore func()) {
	gcRelax.Lock()
	defer gcRelax.Unlock()
	if gcRelax.runs == 0 {
		gcRelax.old = debug.SetGCPercent(runGCPercent)
		if gcRelax.old < 0 || gcRelax.old > runGCPercent {
			debug.SetGCPercent(gcRelax.old)
		}
	}
	gcRelax.runs++
	return func() {
		gcRelax.Lock()
		defer gcRelax.Unlock()
		gcRelax.runs--
		if gcRelax.runs == 0 {
			debug.SetGCPercent(gcRelax.old)
		}
	}
}
