package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/demo"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/store"
)

func newDemoCmd(cfg *config.Config) *cobra.Command {
	var keep bool
	var dir string // not cfg.DataDir: the demo never uses the real data directory
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the server on a fresh embedded database with a demo municipality",
		Long: `Start the server on a new embedded database filled with a demo municipality: Huddinge
kommun with its kommunstyrelse, arbetsutskott and three nämnder and their meetings, the KS
number series, invented people in every role, and three remisser: SOU 2023:94 registered as
KS-2024/76.109 on 29 January 2024, as in the public documents it is based on, one on the
arbetsutskott's next agenda and one answered in November 2023.

The demo runs on a clock of its own that starts on 29 January 2024 and that its users move
forward (to the next meeting, or to a day) with the banner on every page, so that the remiss
can be played through with each decision on its meeting's day. It prints every user with
their role, the one password, their API tokens and the cases. The database lives in a
temporary directory that is removed on exit, unless --data-dir names one or --keep is given.`,
		Example: `  go run ./cmd/remiss demo
  remiss demo --addr 127.0.0.1:0 --keep`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), *cfg, dir, cmd.OutOrStdout(), cmd.ErrOrStderr(), keep || dir != "")
		},
	}
	addServerFlags(cmd, cfg)
	cmd.Flags().StringVar(&dir, "data-dir", "", "directory for the demo database (must not hold one already); empty: a temporary directory")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the temporary directory on exit")
	return cmd
}

func runDemo(ctx context.Context, cfg config.Config, dataDir string, stdout, stderr io.Writer, keep bool) error {
	log, err := setup(cfg, stderr)
	if err != nil {
		return err
	}
	dir, err := demoDir(dataDir)
	if err != nil {
		return err
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	d, err := openDemo(ctx, cfg, log, dir)
	if err != nil {
		return err
	}
	defer d.st.Close()
	ln, err := net.Listen("tcp", d.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --addr, or 127.0.0.1:0 for any free port)", d.cfg.Addr, err)
	}
	d.seeded.Print(stdout, "http://"+ln.Addr().String(), d.clock.Now().In(d.svc.Location()))
	if keep {
		fmt.Fprintf(stdout, "Data: %s (kept)\n", dir)
	} else {
		fmt.Fprintf(stdout, "Data: %s (removed when you stop the demo with Ctrl-C)\n", dir)
	}
	fmt.Fprintf(stdout, "Mail: %s\n", mailTarget(d.cfg))
	return runServer(ctx, d.cfg, log, d.st, d.svc, ln, d.clock)
}

// demoRun is the demo's database, seeded, with the service on the demo's
// clock.
type demoRun struct {
	cfg    config.Config
	st     *store.Store
	svc    *app.App
	clock  *demo.Clock
	seeded demo.Seeded
}

// openDemo makes a fresh embedded database in dir and seeds it. The mail
// the seeded cases sent is written into the demo's mail folder even when
// a relay is configured: it is history, not news.
func openDemo(ctx context.Context, cfg config.Config, log *slog.Logger, dir string) (*demoRun, error) {
	cfg.DatabaseURL = "sqlite:" + filepath.Join(dir, "remiss.db")
	if cfg.MailDir == "" {
		cfg.MailDir = filepath.Join(dir, "mail") // the demo's mail goes with its database
	}
	st, err := openStore(ctx, cfg, log, false)
	if err != nil {
		return nil, err
	}
	d := &demoRun{cfg: cfg, st: st, clock: demo.NewClock(demo.Begins)}
	if d.svc, err = newService(cfg, st, d.clock); err != nil {
		st.Close()
		return nil, err
	}
	files, err := notify.New(notify.SMTPConfig{Dir: cfg.MailDirectory(), From: cfg.SMTPFrom}, slog.New(slog.DiscardHandler))
	if err == nil {
		d.seeded, err = demo.Seed(ctx, d.svc, d.clock, files)
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("fill the demo database: %w", err)
	}
	return d, nil
}

// demoDir returns dir, which must not hold a database yet, or a new
// temporary directory.
func demoDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "remiss-demo-")
	}
	if _, err := os.Stat(filepath.Join(dir, "remiss.db")); err == nil {
		return "", fmt.Errorf("%s already holds a database; the demo needs an empty directory", dir)
	}
	return dir, os.MkdirAll(dir, 0o750)
}

// mailTarget says where the demo's e-mail goes.
func mailTarget(cfg config.Config) string {
	if cfg.SMTPURL != "" {
		return "sent through " + cfg.SMTPURL + " (the demo's ministries have their real addresses: use a relay that keeps what it gets)"
	}
	return cfg.MailDirectory() + " (.eml files; set REMISS_SMTP_URL to send them)"
}
