package users

import (
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
