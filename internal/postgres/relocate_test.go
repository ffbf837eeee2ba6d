package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"wholesale/internal/postgres"
)

// TestClusterUnderAClosedFolderStarts is `make run` as root from a checkout
// in /root: the postgres user cannot enter the folder, so the cluster lives
// in the fallback place, the same on the next run, with its data.
func TestClusterUnderAClosedFolderStarts(t *testing.T) {
	t.Parallel()
	closed, err := os.MkdirTemp("", "wholesale-closed-") // 0700, like /root
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(closed) })
	fallback, err := os.MkdirTemp("", "wholesale-fallback-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(fallback) })
	if err := os.Chmod(fallback, 0o755); err != nil { // like /var/lib
		t.Fatal(err)
	}
	home := filepath.Join(fallback, "home") // made by the cluster
	dir := filepath.Join(closed, "checkout", "var", "pg")
	root := os.Geteuid() == 0
	want := dir
	if root {
		want = postgres.Place(dir, home)
		if !strings.HasPrefix(want, home+"/") || !strings.Contains(want, "checkout-var-") || filepath.Base(want) != "pg" {
			t.Fatalf("place %s", want)
		}
	}
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		c, err := postgres.StartCluster(ctx, postgres.ClusterOptions{Dir: dir, Throwaway: true, Fallback: home})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if c.Dir != want {
			c.Stop()
			t.Fatalf("run %d: cluster in %s, want %s", run, c.Dir, want)
		}
		if run == 1 {
			if err = c.CreateDatabase(ctx, "kept"); err == nil {
				// The psql command `make run` prints connects.
				var out []byte
				out, err = exec.Command("psql", c.PsqlDSN("kept"), "-tAc", "SELECT 41 + 1").CombinedOutput()
				if err == nil && strings.TrimSpace(string(out)) != "42" {
					err = fmt.Errorf("psql printed %q", out)
				}
			}
		} else {
			var db interface{ Close() error }
			db, err = postgres.Open(ctx, c.DSN("kept"), 1) // the data of the first run
			if err == nil {
				db.Close()
			}
		}
		c.Stop()
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	if !root {
		return
	}
	if target, err := os.Readlink(dir); err != nil || target != want {
		t.Errorf("%s links to %q (%v), want %s", dir, target, err, want)
	}
	info, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if st := info.Sys().(*syscall.Stat_t); st.Uid == 0 {
		t.Errorf("%s is owned by root, not by the postgres user", want)
	}
	if other := postgres.Place(filepath.Join(closed, "other", "var", "pg"), home); other == want {
		t.Errorf("two checkouts share %s", other)
	}
}
