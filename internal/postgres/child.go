package postgres

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// child is a server this process runs as a direct child (PostgreSQL,
// PgBouncer): in a process group of its own, which keeps a terminal's
// Ctrl-C away from it so that the app can stop first, and sent its stop
// signal when this process dies (Pdeathsig). Its output goes to a log file.
type child struct {
	name    string
	sig     syscall.Signal // what asks it to stop
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// startChild starts cmd as user cred (nil: this process's), its output
// appended to the file logPath, and stopped with sig.
func startChild(name string, cmd *exec.Cmd, cred *syscall.Credential, sig syscall.Signal, logPath string) (*child, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: sig}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("postgres: start %s: %w", name, err)
	}
	ch := &child{name: name, sig: sig, cmd: cmd, exited: make(chan struct{})}
	go func() {
		ch.waitErr = cmd.Wait()
		logFile.Close()
		close(ch.exited)
	}()
	return ch, nil
}

// stop sends the stop signal and waits for the process to end; after 30 s
// it kills it.
func (ch *child) stop() error {
	if ch == nil {
		return nil
	}
	select {
	case <-ch.exited:
		return nil
	default:
	}
	_ = ch.cmd.Process.Signal(ch.sig)
	select {
	case <-ch.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = ch.cmd.Process.Kill()
		<-ch.exited
		return fmt.Errorf("postgres: %s killed after 30 s without shutting down", ch.name)
	}
}
