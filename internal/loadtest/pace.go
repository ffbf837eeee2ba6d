package loadtest

import (
	"crypto/sha256"
	"runtime"
	"sync"
	"time"
)

// paceBytes is the reference work's size per core: SHA-256 of 16 MiB, a
// few milliseconds of one core.
const paceBytes = 16 << 20

// Pace times a fixed piece of work on every core at once, the best of
// three: the machine's pace when it runs, as a reference beside the pages
// measured in the same run. On a shared virtual machine the same build's
// pages take up to half again as long when the host is busy, which the
// load average inside the machine does not show; work that needs every
// core slows with them.
func Pace() time.Duration {
	n := runtime.GOMAXPROCS(0)
	bufs := make([][]byte, n)
	for c := range bufs {
		bufs[c] = make([]byte, paceBytes)
		for i := range bufs[c] {
			bufs[c][i] = byte(i + c)
		}
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		var wg sync.WaitGroup
		for _, buf := range bufs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sum := sha256.Sum256(buf)
				buf[sum[0]%8]++ // the next round hashes other bytes
			}()
		}
		wg.Wait()
		best = min(best, time.Since(start))
	}
	return best
}
