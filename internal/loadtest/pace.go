package loadtest

import (
	"crypto/sha256"
	"time"
)

// paceBytes is the reference work's size: SHA-256 of 16 MiB, a few tens
// of milliseconds of one core.
const paceBytes = 16 << 20

// Pace times a fixed piece of work on one core, the best of three: the
// machine's pace when it runs, as a reference beside the pages measured
// in the same run. On a shared virtual machine the same build's pages
// take a third longer when the host is busy, which the load average
// inside the machine does not show; the reference work slows with them.
func Pace() time.Duration {
	buf := make([]byte, paceBytes)
	for i := range buf {
		buf[i] = byte(i)
	}
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		sum := sha256.Sum256(buf)
		d := time.Since(start)
		buf[sum[0]%8]++ // the next round hashes other bytes
		best = min(best, d)
	}
	return best
}
