// Command withpg runs a command with a throwaway PostgreSQL cluster: it starts
// one in a temporary folder, sets TEST_DATABASE_URL to its "postgres" database,
// runs the command, then stops and removes the cluster. `make test` runs
// `go test ./...` through it, so every test package shares one cluster.
//
//	withpg go test ./...
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "withpg:", err)
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	if len(args) == 0 {
		return 2, errors.New("usage: withpg COMMAND [ARG…]")
	}
	dir, err := os.MkdirTemp("", "wholesale-withpg-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil { // the postgres user must reach its folder inside
		return 1, err
	}
	ctx := context.Background()
	cluster, err := postgres.StartCluster(ctx, postgres.ClusterOptions{
		Dir: filepath.Join(dir, "pg"), Throwaway: true, Install: true, Log: os.Stderr,
	})
	if err != nil {
		return 1, err
	}
	defer cluster.Stop()

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), pgtest.EnvURL+"="+cluster.DSN("postgres"))
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), nil
	}
	if err != nil {
		return 1, err
	}
	return 0, nil
}
