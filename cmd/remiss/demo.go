package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/config"
)

func newDemoCmd(cfg *config.Config) *cobra.Command {
	var keep bool
	var dir string // not cfg.DataDir: the demo never uses the real data directory
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the server on a fresh embedded database with a demo municipality",
		Long: `Start the server on a new embedded database filled with a demo municipality: Huddinge
kommun with its kommunstyrelse, arbetsutskott and three nämnder, the KS number series, a
user for each role (invented people) and the remiss of SOU 2023:94 registered as
KS-2024/76.109, as in the public documents it is based on. It prints the URL and API
tokens. The database lives in a temporary directory that is removed on exit, unless
--data-dir names one or --keep is given.`,
		Example: `  go run ./cmd/remiss demo
  remiss demo --addr 127.0.0.1:0 --keep`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return demo(cmd.Context(), *cfg, dir, cmd.OutOrStdout(), cmd.ErrOrStderr(), keep || dir != "")
		},
	}
	addServerFlags(cmd, cfg)
	cmd.Flags().StringVar(&dir, "data-dir", "", "directory for the demo database (must not hold one already); empty: a temporary directory")
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the temporary directory on exit")
	return cmd
}

func demo(ctx context.Context, cfg config.Config, dataDir string, stdout, stderr io.Writer, keep bool) error {
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
	cfg.DatabaseURL = "sqlite:" + filepath.Join(dir, "remiss.db")
	if cfg.MailDir == "" {
		cfg.MailDir = filepath.Join(dir, "mail") // the demo's mail goes with its database
	}
	st, err := openStore(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	seeded, err := seedDemo(ctx, cfg, st)
	if err != nil {
		return fmt.Errorf("fill the demo database: %w", err)
	}
	svc, err := newService(cfg, st, nil)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --addr, or 127.0.0.1:0 for any free port)", cfg.Addr, err)
	}
	printDemo(stdout, "http://"+ln.Addr().String(), seeded, dir, keep, mailTarget(cfg))
	return runServer(ctx, cfg, log, st, svc, ln)
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

func printDemo(w io.Writer, url string, s demoSeed, dir string, keep bool, mail string) {
	api := url + "/api/v1/organizations/" + s.org.Slug
	fmt.Fprintf(w, "remiss demo: %s is running at %s\n\n", s.org.Name, url)
	fmt.Fprintf(w, "  OpenAPI:  %s/api/v1/openapi.json\n", url)
	fmt.Fprintf(w, "  Ärenden:  %s/cases\n", api)
	fmt.Fprintf(w, "  Remissen: %s/cases/%d  (%s)\n", api, s.remiss.ID, s.remiss.Dnr)
	fmt.Fprintf(w, "  Planen:   %s/cases/%d/plan\n", api, s.remiss.ID)
	fmt.Fprintf(w, "  Frister:  %s/deadlines\n\n", api)
	fmt.Fprintf(w, "  Webben:   %s/login  (organisation %s, any user below, password %s)\n\n", url, s.org.Slug, s.password)
	fmt.Fprintln(w, "API tokens (each shown only now):")
	for _, t := range s.tokens {
		fmt.Fprintf(w, "  %-12s %-32s %s\n", t.role, t.email, t.secret)
	}
	fmt.Fprintf(w, "\nTry:\n  curl -H 'Authorization: Bearer %s' %s/cases\n\n", s.tokens[0].secret, api)
	if keep {
		fmt.Fprintf(w, "Data: %s (kept)\n", dir)
	} else {
		fmt.Fprintf(w, "Data: %s (removed when you stop the demo with Ctrl-C)\n", dir)
	}
	fmt.Fprintf(w, "Mail: %s\n", mail)
}

// mailTarget says where the demo's e-mail goes.
func mailTarget(cfg config.Config) string {
	if cfg.SMTPURL != "" {
		return "sent through " + cfg.SMTPURL
	}
	return cfg.MailDirectory() + " (.eml files; set REMISS_SMTP_URL to send them)"
}

// demoClock is the morning the remiss was registered in the real case, so
// that the seeded case gets the dnr of the public documents.
type demoClock struct{ t time.Time }

func (c demoClock) Now() time.Time { return c.t }
