package users

import (
	"runtime"
	"testing"
	"time"
)

// A hash waits for one of the process's hash slots, so that no more than
// two hashes hold their memory at once: with both slots taken, Hash does
// not finish; once one is free, it does.
func TestHashWaitsForASlot(t *testing.T) {
	for i := 0; i < cap(hashSlots); i++ {
		hashSlots <- struct{}{}
	}
	done := make(chan string)
	go func() {
		h, _ := FastHasher.Hash("correct horse")
		done <- h
	}()
	select {
	case <-done:
		t.Fatal("hashed while every slot was taken")
	case <-time.After(100 * time.Millisecond): // only a pass can come too early, never a failure
	}
	<-hashSlots
	if h := <-done; !FastHasher.Verify(h, "correct horse") {
		t.Fatalf("the hash made in a freed slot does not verify: %q", h)
	}
	for i := 1; i < cap(hashSlots); i++ {
		<-hashSlots
	}
}

// When the last running hash ends, its memory goes back to the operating
// system: the heap keeps no hash's worth of idle memory that it has not
// released. (Not parallel: it reads the process's memory.)
func TestAHashsMemoryGoesBackWhenTheLastEnds(t *testing.T) {
	h, err := DefaultHasher.Hash("correct horse")
	if err != nil || !DefaultHasher.Verify(h, "correct horse") {
		t.Fatalf("hash %q, %v", h, err)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	kept := m.HeapIdle - m.HeapReleased
	if kept >= uint64(DefaultHasher.MemoryKiB)*1024/2 {
		t.Fatalf("after two hashes the heap keeps %d MiB idle and unreleased, want far less than a hash's %d MiB",
			kept>>20, DefaultHasher.MemoryKiB>>10)
	}
}
