package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Hasher hashes passwords with argon2id. The parameters are stored in each
// hash, so hashes made with other parameters still verify.
type Hasher struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHasher costs about 200 ms and 64 MiB on the reference machine.
var DefaultHasher = Hasher{MemoryKiB: 64 * 1024, Time: 1, Threads: 2}

// FastHasher is for tests only: cheap, and just as correct.
var FastHasher = Hasher{MemoryKiB: 1024, Time: 1, Threads: 1}

// hashSlots bounds how many hashes run at once in the process: each holds
// MemoryKiB of memory while it runs (64 MiB by default), so that eight
// logins in the same instant take 128 MiB rather than 512 MiB, and wait
// their turn for the CPU they would share anyway.
var hashSlots = make(chan struct{}, 2)

// hashing counts the hashes running.
var hashing atomic.Int32

// returnAfterKiB is from what memory a hash's memory is handed back to the
// operating system when the last running hash ends.
const returnAfterKiB = 16 * 1024

// idKey is argon2.IDKey in one of the hash slots. When the last hash that
// runs ends, its memory goes back to the operating system at once
// (debug.FreeOSMemory: a collection, a few milliseconds beside the hash's
// 200): the runtime would otherwise keep the freed 64 MiB of each of the
// last hashes for minutes, and a server's memory after a few logins stood
// at 80 MB plus three hashes, once four (319 MB).
func idKey(pw, salt []byte, t, mem uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	hashing.Add(1)
	defer func() {
		<-hashSlots
		if hashing.Add(-1) == 0 && mem >= returnAfterKiB {
			debug.FreeOSMemory()
		}
	}()
	return argon2.IDKey(pw, salt, t, mem, p, n)
}

// Hash returns the PHC string of pw.
func (h Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(pw), salt, h.Time, h.MemoryKiB, h.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.MemoryKiB, h.Time, h.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify tells whether pw matches the PHC string hash. A malformed or empty
// hash never matches.
func (h Hasher) Verify(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem > 1<<20 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := idKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
