package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ServerOptions say how to run the app server the page bench measures.
type ServerOptions struct {
	Exe     string // the wholesale binary, run as `Exe serve`
	DSN     string // its DATABASE_URL
	DBConns int    // its DB_MAX_CONNS; 0: the app's default
}

// Server is an app server run as a process of its own, so that its
// memory is its own: `wholesale serve` on a free loopback port.
type Server struct {
	URL  string
	PID  int
	cmd  *exec.Cmd
	done chan struct{}
	err  error // how the process ended, once done is closed
	log  *tail
}

// StartServer runs `o.Exe serve` against o.DSN on a free loopback port,
// without demo data and with room for the bench's logins, and waits until
// it answers /healthz. It dies with this process.
func StartServer(ctx context.Context, o ServerOptions) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &Server{URL: "http://" + addr, done: make(chan struct{}), log: &tail{max: 16 << 10}}
	s.cmd = exec.Command(o.Exe, "serve")
	s.cmd.Env = append(os.Environ(), "DATABASE_URL="+o.DSN, "HTTP_ADDR="+addr, "BASE_URL="+s.URL,
		"DEMO_DATA=false", "LOG_FORMAT=text", "LOGIN_RATE_LIMIT=1000")
	if o.DBConns > 0 {
		s.cmd.Env = append(s.cmd.Env, "DB_MAX_CONNS="+strconv.Itoa(o.DBConns))
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.PID = s.cmd.Process.Pid
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, fmt.Errorf("the app server (%s serve): %w\n%s", o.Exe, err, s.log.String())
	}
	return s, nil
}

// waitReady polls /healthz until it answers 200, the process ends, or a
// minute has passed.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/healthz", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("it ended before it answered: %v", s.err)
		case <-ctx.Done():
			return fmt.Errorf("no answer on %s/healthz: %w", s.URL, ctx.Err())
		case <-tick.C:
		}
	}
}

// Stop ends the server as Ctrl-C would, and kills it after 20 s.
func (s *Server) Stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// tail keeps the last max bytes written to it: the server's log, shown
// when it fails.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// memory is a process's resident memory from /proc/<pid>/status: VmRSS
// now and VmHWM, its peak (since it started, or since resetPeak).
type memory struct {
	RSS, HWM int64 // bytes
}

func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memory{}, err
	}
	return parseStatus(b)
}

// parseStatus reads VmRSS and VmHWM (in kB) from a /proc/<pid>/status.
func parseStatus(b []byte) (memory, error) {
	var m memory
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("/proc status: %s is %q", key, value)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return m, err
		}
		if key == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.HWM = kb << 10
		}
	}
	if m.RSS == 0 || m.HWM == 0 {
		return m, fmt.Errorf("/proc status without VmRSS and VmHWM")
	}
	return m, nil
}

// resetPeak sets the process's VmHWM back to its VmRSS (clear_refs 5), so
// that the peak read later is the peak under the load. It says whether it
// could (the process is this user's, or this user is root).
func resetPeak(pid int) bool {
	return os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0) == nil
}

// rssSampler reads a process's VmRSS every 50 ms and keeps the highest.
type rssSampler struct {
	pid  int
	mu   sync.Mutex
	peak int64
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(pid int) *rssSampler {
	s := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if m, err := readMemory(pid); err == nil {
				s.mu.Lock()
				s.peak = max(s.peak, m.RSS)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops the sampling and returns the highest VmRSS seen.
func (s *rssSampler) finish() int64 {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}
