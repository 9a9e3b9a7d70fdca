// Command remiss is the product's one binary: the server, its migrations,
// a demo and the administration commands. main only wires the packages
// together; see newRootCmd for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Stockholm must resolve even on a machine without tzdata

	"github.com/yttrande/remiss/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, config.Load)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, load func() (config.Config, error)) int {
	cfg, err := load()
	if err != nil {
		fmt.Fprintln(stderr, "remiss:", err)
		return 2
	}
	cmd := newRootCmd(&cfg, stdout, stderr)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "remiss:", err)
		return 1
	}
	return 0
}
