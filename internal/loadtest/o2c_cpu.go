package loadtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// cpuSplit is the CPU time (clock ticks) spent so far by the app server,
// by PostgreSQL (its postmaster, its live children and the children it
// reaped), by this process (the simulated users), and by the whole machine.
type cpuSplit struct {
	App, PG, Bench int64
	AppOK, PGOK    bool
	Machine        cpuSample
}

// sampleSplit reads the CPU time of the server process pid (0: not read)
// and of the PostgreSQL cluster of db, when it runs on this machine.
func sampleSplit(ctx context.Context, db *bun.DB, pid int) cpuSplit {
	s := cpuSplit{Machine: sampleCPU()}
	if pid > 0 {
		if t, err := readProcStat(pid); err == nil {
			s.App, s.AppOK = t.own(), true
		}
	}
	if t, err := readProcStat(os.Getpid()); err == nil {
		s.Bench = t.own()
	}
	if pm, ok := postmaster(ctx, db); ok {
		s.PG, s.PGOK = clusterTicks(pm)
	}
	return s
}

// others is the CPU time of the machine's other processes.
func (s cpuSplit) others() int64 { return s.Machine.busy - s.App - s.PG - s.Bench }

// loadAverage is the machine's load average over the last minute, "?"
// when it cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// since is the CPU time spent between an earlier sample and s.
func (s cpuSplit) since(earlier cpuSplit) cpuSplit {
	return cpuSplit{App: s.App - earlier.App, PG: s.PG - earlier.PG, Bench: s.Bench - earlier.Bench,
		AppOK: s.AppOK && earlier.AppOK, PGOK: s.PGOK && earlier.PGOK, Machine: s.Machine.since(earlier.Machine)}
}

// procTicks are the CPU times of /proc/<pid>/stat.
type procTicks struct {
	PPID                         int
	UTime, STime, CUTime, CSTime int64
}

// own is the process's own CPU time, user and system.
func (t procTicks) own() int64 { return t.UTime + t.STime }

func readProcStat(pid int) (procTicks, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procTicks{}, err
	}
	return parseProcStat(string(b))
}

// parseProcStat reads the parent and the CPU times from a /proc/<pid>/stat
// line: after the command in parentheses (which may hold spaces and
// parentheses), field 4 is the parent, 14 to 17 utime, stime, cutime and
// cstime.
func parseProcStat(line string) (procTicks, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return procTicks{}, fmt.Errorf("/proc stat without a command: %q", line)
	}
	f := strings.Fields(line[i+1:])
	if len(f) < 15 {
		return procTicks{}, fmt.Errorf("/proc stat with %d fields", len(f)+2)
	}
	var t procTicks
	var err error
	num := func(s string) int64 {
		n, e := strconv.ParseInt(s, 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("/proc stat: %q is not a number", s)
		}
		return n
	}
	t.PPID = int(num(f[1]))
	t.UTime, t.STime, t.CUTime, t.CSTime = num(f[11]), num(f[12]), num(f[13]), num(f[14])
	return t, err
}

// postmaster is the process id of the PostgreSQL server db talks to, when
// it runs on this machine: the parent of the connection's backend.
func postmaster(ctx context.Context, db *bun.DB) (int, bool) {
	var backend int
	if err := db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0, false
	}
	t, err := readProcStat(backend)
	if err != nil || t.PPID <= 1 {
		return 0, false
	}
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(t.PPID) + "/comm")
	if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
		return 0, false
	}
	return t.PPID, true
}

// clusterTicks is the CPU time of the postmaster pm and its children,
// those running and those it has reaped.
func clusterTicks(pm int) (int64, bool) {
	t, err := readProcStat(pm)
	if err != nil {
		return 0, false
	}
	sum := t.own() + t.CUTime + t.CSTime
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil || pid == pm {
			continue
		}
		if c, err := readProcStat(pid); err == nil && c.PPID == pm {
			sum += c.own()
		}
	}
	return sum, true
}
