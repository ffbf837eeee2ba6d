package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// BouncerPort is the port in the name of a Bouncer's unix socket
// (.s.PGSQL.6432), PgBouncer's usual port.
const BouncerPort = 6432

// BouncerOptions say how to run a PgBouncer in front of a PostgreSQL server.
type BouncerOptions struct {
	// Dir holds pgbouncer.ini, the list of users, the socket and the log.
	Dir string
	// Server is the DSN of any database of the server behind it (a unix
	// socket or host:port); PgBouncer passes each client on to the database
	// of the same name there, as the DSN's user.
	Server string
	// PoolMode is session (the default) or transaction: see docs/SCALING.md
	// for why the app needs session.
	PoolMode string
	// PoolSize is how many server connections PgBouncer keeps per database
	// and user (default_pool_size; default 20). In session mode a client
	// holds one for as long as it is connected: the app's pools (DB_MAX_CONNS
	// per app server) must fit, or their connections wait.
	PoolSize int
	// Password is what clients log in to PgBouncer with (SCRAM-SHA-256).
	Password string
}

// Bouncer is a PgBouncer run by this process as a direct child, listening
// only on a unix socket in its own folder, for the tests that run the app
// through it. It dies with its parent.
type Bouncer struct {
	Dir      string
	user     string
	password string
	proc     *child
}

// FindBouncer returns the path of the pgbouncer binary: PGBOUNCER when set,
// else pgbouncer on the PATH or in /usr/sbin, where Debian puts it.
func FindBouncer() (string, error) {
	if p := os.Getenv("PGBOUNCER"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/pgbouncer"); err == nil {
		return "/usr/sbin/pgbouncer", nil
	}
	return "", errors.New("postgres: pgbouncer is missing; run `make pgbouncer` (Debian package pgbouncer, installed as root), or set PGBOUNCER to its path")
}

// StartBouncer writes the configuration into opts.Dir and starts PgBouncer.
// PgBouncer refuses to run as root: as root it runs as the postgres system
// user, as PostgreSQL does.
func StartBouncer(ctx context.Context, opts BouncerOptions) (*Bouncer, error) {
	bin, err := FindBouncer()
	if err != nil {
		return nil, err
	}
	server, err := serverOf(opts.Server)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	mode := opts.PoolMode
	if mode == "" {
		mode = "session"
	}
	if mode != "session" && mode != "transaction" {
		return nil, fmt.Errorf("postgres: PgBouncer pool mode %q: session or transaction", mode)
	}
	size := opts.PoolSize
	if size <= 0 {
		size = 20
	}
	if strings.ContainsAny(opts.Password, "\"\n") || strings.ContainsAny(server.user, "\"\n ") {
		return nil, errors.New("postgres: PgBouncer user or password with a quote, space or line break")
	}
	b := &Bouncer{Dir: dir, user: server.user, password: opts.Password}
	ini := bouncerINI(dir, server, mode, size)
	files := map[string]string{
		"pgbouncer.ini": ini,
		"userlist.txt":  fmt.Sprintf("%q %q\n", server.user, opts.Password),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return nil, err
		}
	}
	cred, err := runAs(dir)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	cmd.Dir = dir
	// SIGTERM is PgBouncer's immediate shutdown (SIGINT would wait for
	// every client to leave).
	if b.proc, err = startChild("pgbouncer", cmd, cred, syscall.SIGTERM, filepath.Join(dir, "pgbouncer.log")); err != nil {
		return nil, err
	}
	if err := b.waitReady(ctx, 30*time.Second); err != nil {
		b.Stop()
		return nil, err
	}
	return b, nil
}

// bouncerINI is the configuration: every database of the server, behind
// a unix socket only, with the clients' passwords in userlist.txt. The
// server is reset with DISCARD ALL when a client leaves (PgBouncer's
// default, written out because the app's prepared statements need it).
func bouncerINI(dir string, server serverAddr, mode string, size int) string {
	return fmt.Sprintf(`[databases]
* = host=%s port=%d user=%s

[pgbouncer]
listen_addr =
unix_socket_dir = %s
listen_port = %d
auth_type = scram-sha-256
auth_file = %s
admin_users = %s
pool_mode = %s
default_pool_size = %d
max_client_conn = 500
server_reset_query = DISCARD ALL
`, server.host, server.port, server.user, dir, BouncerPort, filepath.Join(dir, "userlist.txt"), server.user, mode, size)
}

// serverAddr is where PgBouncer finds the server, and as whom.
type serverAddr struct {
	host string // a socket folder or a host name
	port int
	user string
}

func serverOf(dsn string) (serverAddr, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return serverAddr{}, fmt.Errorf("postgres: PgBouncer's server %.40q…: a postgres:// URL with a user", dsn)
	}
	a := serverAddr{host: u.Hostname(), port: 5432, user: u.User.Username()}
	if p := u.Port(); p != "" {
		a.port, _ = strconv.Atoi(p)
	}
	if sock := u.Query().Get("host"); sock != "" { // pgdriver's socket file: /dir/.s.PGSQL.5432
		dir, file := filepath.Split(sock)
		n, err := strconv.Atoi(strings.TrimPrefix(file, ".s.PGSQL."))
		if err != nil || !strings.HasPrefix(file, ".s.PGSQL.") {
			return serverAddr{}, fmt.Errorf("postgres: PgBouncer's server socket %q is not …/.s.PGSQL.<port>", sock)
		}
		a.host, a.port = filepath.Clean(dir), n
	}
	return a, nil
}

func (b *Bouncer) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		db, err := Open(ctx, b.DSN("postgres"), 1)
		if err == nil {
			db.Close()
			return nil
		}
		select {
		case <-b.proc.exited:
			log, _ := os.ReadFile(filepath.Join(b.Dir, "pgbouncer.log"))
			return fmt.Errorf("postgres: pgbouncer exited at start (%v):\n%s", b.proc.waitErr, log)
		case <-ctx.Done():
			return fmt.Errorf("postgres: pgbouncer not ready after %s: %w; see %s", limit, err, filepath.Join(b.Dir, "pgbouncer.log"))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// DSN is the connection string of database name through PgBouncer.
func (b *Bouncer) DSN(name string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(b.user, b.password), Path: "/" + name,
		RawQuery: url.Values{"host": {fmt.Sprintf("%s/.s.PGSQL.%d", b.Dir, BouncerPort)}, "sslmode": {"disable"}}.Encode()}
	return u.String()
}

// Pool is a line of PgBouncer's SHOW POOLS: one database and user.
type Pool struct {
	Database, User, Mode string
	// ClientsActive are clients holding a server connection (in session
	// mode: every connected client); ServersActive those server
	// connections, ServersIdle the ones free for the next client.
	ClientsActive, ClientsWaiting, ServersActive, ServersIdle int
}

// Pools asks PgBouncer's admin console for its pools (SHOW POOLS).
func (b *Bouncer) Pools(ctx context.Context) ([]Pool, error) {
	// The console speaks only the simple query protocol: no bun, no
	// connection parameters, no ping.
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(b.DSN("pgbouncer"))))
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SHOW POOLS")
	if err != nil {
		return nil, fmt.Errorf("postgres: pgbouncer SHOW POOLS: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var pools []Pool
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var p Pool
		for i, c := range cols {
			s := fmt.Sprint(vals[i])
			if bs, ok := vals[i].([]byte); ok {
				s = string(bs)
			}
			n, _ := strconv.Atoi(s)
			switch c {
			case "database":
				p.Database = s
			case "user":
				p.User = s
			case "pool_mode":
				p.Mode = s
			case "cl_active":
				p.ClientsActive = n
			case "cl_waiting":
				p.ClientsWaiting = n
			case "sv_active":
				p.ServersActive = n
			case "sv_idle":
				p.ServersIdle = n
			}
		}
		pools = append(pools, p)
	}
	return pools, rows.Err()
}

// Stop shuts PgBouncer down at once and waits for it.
func (b *Bouncer) Stop() error { return b.proc.stop() }
