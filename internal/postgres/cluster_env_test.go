package postgres

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// The local cluster's server keeps 4 MiB of freed memory (mallocTopPad)
// unless its environment tunes glibc's trimming itself.
func TestServerEnvPadsGlibcsHeap(t *testing.T) {
	got := serverEnv([]string{"PATH=/usr/bin", "LANG=C"})
	if !slices.Equal(got, []string{"PATH=/usr/bin", "LANG=C", "MALLOC_TOP_PAD_=4194304"}) {
		t.Fatalf("serverEnv = %q", got)
	}
	for _, own := range []string{"MALLOC_TOP_PAD_=0", "MALLOC_TRIM_THRESHOLD_=131072"} {
		if got := serverEnv([]string{"PATH=/usr/bin", own}); !slices.Equal(got, []string{"PATH=/usr/bin", own}) {
			t.Errorf("with %s: serverEnv = %q", own, got)
		}
	}
}

// The server the local cluster runs has it in its environment.
func TestClusterServerRunsWithThePadding(t *testing.T) {
	dir, err := os.MkdirTemp("", "wholesale-env-") // open to the postgres user when the tests run as root
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := StartCluster(context.Background(), ClusterOptions{Dir: dir, Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", c.proc.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("the server's environment: %v", err)
	}
	if !slices.Contains(strings.Split(string(env), "\x00"), mallocTopPad) {
		t.Fatalf("the server's environment lacks %s", mallocTopPad)
	}
}
