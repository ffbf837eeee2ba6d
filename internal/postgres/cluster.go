package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Superuser is the role a local cluster is created with.
const Superuser = "postgres"

// ClusterOptions says where and how to run a local cluster.
type ClusterOptions struct {
	// Dir holds the data folder, the socket folder and the server log.
	Dir string
	// Throwaway turns durability off (fsync, synchronous commit): for tests only.
	Throwaway bool
	// Install allows installing the Debian postgresql package when the
	// binaries are missing and the process runs as root.
	Install bool
	// Log receives progress lines; nil discards them.
	Log io.Writer
	// Settings are extra server settings, name=value.
	Settings []string
	// StandbyOf, when set, makes a new cluster a streaming replica of that
	// one: pg_basebackup copies its data folder instead of initdb making
	// one, and writes standby.signal and primary_conninfo (-R), so the
	// cluster starts as a hot standby that replays the primary's WAL as it
	// comes and answers read-only queries. A cluster of StartCluster allows
	// it (initdb's trust for replication over the socket, and
	// wal_level=replica). For tests and trials: production replicas are
	// made by whoever runs PostgreSQL (docs/SCALING.md).
	StandbyOf *Cluster
	// Fallback, when set, is where the cluster lives instead of Dir when
	// this process runs as root and the postgres user cannot reach Dir
	// (a checkout under /root): Fallback/<name derived from Dir's
	// folder>/<Dir's last element>, the same place on every run. Dir then
	// becomes a symbolic link to it.
	Fallback string
}

// Cluster is a PostgreSQL server run by this process as a direct child. It
// listens only on a unix socket in its own folder and dies with its parent.
type Cluster struct {
	Dir     string
	SockDir string
	proc    *child
}

// StartCluster initialises the cluster in opts.Dir on first use and starts it.
// PostgreSQL refuses to run as root: as root it runs as the postgres system user.
func StartCluster(ctx context.Context, opts ClusterOptions) (*Cluster, error) {
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	bin, err := FindBinaries(opts.Install, logw)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if opts.Fallback != "" {
		if dir, err = relocate(dir, opts.Fallback, logw); err != nil {
			return nil, err
		}
	}
	c := &Cluster{Dir: dir, SockDir: filepath.Join(dir, "run")}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	for _, d := range []string{dir, c.SockDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	cred, err := runAs(dir)
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(filepath.Join(data, "PG_VERSION"))
	switch {
	case errors.Is(err, os.ErrNotExist) && opts.StandbyOf != nil:
		fmt.Fprintf(logw, "postgres: copying %s into a new standby in %s\n", opts.StandbyOf.Dir, data)
		if err := baseBackup(ctx, bin, opts.StandbyOf, data, cred, opts.Throwaway); err != nil {
			return nil, err
		}
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(logw, "postgres: initialising a new cluster in %s\n", data)
		args := []string{"-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale"}
		if opts.Throwaway {
			args = append(args, "--no-sync")
		}
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("postgres: initdb: %w\n%s", err, out)
		}
	}
	args := []string{"-D", data, "-k", c.SockDir, "-c", "listen_addresses=", "-p", "5432",
		"-c", "max_connections=300", "-c", "shared_buffers=128MB"}
	if opts.Throwaway {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	for _, kv := range opts.Settings {
		args = append(args, "-c", kv)
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = dir
	cmd.Env = serverEnv(os.Environ())
	if c.proc, err = startChild("postgres", cmd, cred, syscall.SIGINT, filepath.Join(dir, "postgres.log")); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx, 60*time.Second); err != nil {
		c.Stop()
		return nil, err
	}
	fmt.Fprintf(logw, "postgres: running (socket %s, log %s)\n", c.SockDir, filepath.Join(dir, "postgres.log"))
	return c, nil
}

// mallocTopPad is the memory glibc keeps at the top of a backend's heap
// when PostgreSQL frees it, and asks for beyond each growth (M_TOP_PAD).
// By default glibc hands back all but 128 kB at every free that leaves
// more, so a query that needs a few megabytes (a trigram search decoding
// the posting lists of common trigrams) grows the heap and faults its
// pages in again each time, and with eight such queries at once the
// kernel's page work took most of their time: pgbench of the search
// page's three queries, 8 clients on 2 cores, 540–630 transactions/s by
// default, 1,770 with 4 MiB kept (docs/SCALING.md, "PostgreSQL's memory").
const mallocTopPad = "MALLOC_TOP_PAD_=4194304"

// serverEnv is the environment of the postgres server: env, with
// mallocTopPad unless env sets glibc's padding or trim threshold itself.
func serverEnv(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "MALLOC_TOP_PAD_=") || strings.HasPrefix(kv, "MALLOC_TRIM_THRESHOLD_=") {
			return env
		}
	}
	return append(env, mallocTopPad)
}

func (c *Cluster) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-c.proc.exited:
			return fmt.Errorf("postgres: server exited at start (%v); see %s", c.proc.waitErr, filepath.Join(c.Dir, "postgres.log"))
		default:
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		db, err := Open(pctx, c.DSN("postgres"), 1)
		cancel()
		if err == nil {
			db.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("postgres: not ready after %s: %w", limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// DSN is the connection string of database name on this cluster.
func (c *Cluster) DSN(name string) string { return SocketDSN(c.SockDir, Superuser, name) }

// PsqlDSN is the connection string of database name for psql, which wants
// the socket's folder where pgdriver wants its file.
func (c *Cluster) PsqlDSN(name string) string {
	return fmt.Sprintf("host=%s port=5432 user=%s dbname=%s sslmode=disable", c.SockDir, Superuser, name)
}

// CreateDatabase creates database name unless it exists.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	db, err := Open(ctx, c.DSN("postgres"), 1)
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+QuoteIdent(name))
	return err
}

// Stop shuts the server down (fast shutdown) and waits for it.
func (c *Cluster) Stop() error { return c.proc.stop() }

// baseBackup copies the data folder of primary into data (pg_basebackup),
// set up to start as its standby.
func baseBackup(ctx context.Context, bin string, primary *Cluster, data string, cred *syscall.Credential, throwaway bool) error {
	args := []string{"-D", data, "-h", primary.SockDir, "-p", "5432", "-U", Superuser, "-R", "-X", "stream", "-c", "fast"}
	if throwaway {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_basebackup"), args...)
	cmd.Dir = filepath.Dir(data)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("postgres: pg_basebackup: %w\n%s", err, out)
	}
	return nil
}

// QuoteIdent quotes a PostgreSQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Literals are texts as PostgreSQL string literals, separated by commas:
// constants of the code (states, statuses) written into a prepared
// statement, where a partial index on them needs them as literals.
func Literals[T ~string](texts ...T) string {
	q := make([]string, len(texts))
	for i, t := range texts {
		q[i] = "'" + strings.ReplaceAll(string(t), "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// runAs returns the credential to run PostgreSQL with: nil for a normal user;
// the postgres system user when running as root, after handing it dir.
func runAs(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	uid, gid, err := postgresUser()
	if err != nil {
		return nil, err
	}
	if p := closedTo(dir, uid, gid); p != "" {
		return nil, fmt.Errorf("postgres: the postgres user cannot reach %s: %s is closed to it (chmod o+x %s, or set DATA_DIR elsewhere)", dir, p, p)
	}
	err = filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: hand %s to the postgres user: %w", dir, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// FindBinaries returns the folder holding initdb and postgres: PG_BIN when
// set, else the newest /usr/lib/postgresql/N/bin. When none is found and
// install is true and this process is root, it installs Debian's postgresql.
func FindBinaries(install bool, logw io.Writer) (string, error) {
	if dir := os.Getenv("PG_BIN"); dir != "" {
		return dir, nil
	}
	if dir := newestDebianBin(); dir != "" {
		return dir, nil
	}
	if install && os.Geteuid() == 0 {
		if _, err := exec.LookPath("apt-get"); err == nil {
			fmt.Fprintln(logw, "postgres: binaries missing; installing Debian's postgresql package (apt-get)")
			for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
				cmd := exec.Command("apt-get", args...)
				cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
				if out, err := cmd.CombinedOutput(); err != nil {
					return "", fmt.Errorf("postgres: apt-get %s: %w\n%s", args[0], err, out)
				}
			}
			if dir := newestDebianBin(); dir != "" {
				return dir, nil
			}
		}
	}
	return "", errors.New("postgres: the PostgreSQL server binaries are missing; install them with " +
		"`apt-get update && apt-get install -y postgresql` (as root), or set PG_BIN to the folder holding initdb and postgres")
}

func newestDebianBin() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	for _, m := range matches {
		if _, err := os.Stat(filepath.Join(filepath.Dir(m), "postgres")); err == nil {
			return filepath.Dir(m)
		}
	}
	return ""
}

func versionOf(p string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
	return v
}
