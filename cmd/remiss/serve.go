package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/demo"
	"github.com/yttrande/remiss/internal/ical"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

func newServeCmd(cfg *config.Config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP server (JSON API, health checks)",
		Long: `Run the server on --addr. It migrates the database on start unless --no-migrate is
given, in which case it refuses to start on a schema that is behind.

On SIGTERM or SIGINT it stops accepting connections and lets requests in flight finish
(up to --shutdown-timeout) before it exits.

Set REMISS_ADMIN_TOKEN to a long random secret to get a bearer token that acts as the
installation's administrator; it is read only from the environment, never from a flag,
so that it does not show in the process list.`,
		Example: `  remiss serve
  REMISS_DATABASE_URL='postgres://remiss@db.internal/remiss?sslmode=verify-full' remiss serve --addr :8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), *cfg, cmd.ErrOrStderr())
		},
	}
	addDatabaseFlags(cmd, cfg)
	addServerFlags(cmd, cfg)
	cmd.Flags().BoolVar(&cfg.NoMigrate, "no-migrate", cfg.NoMigrate, "do not migrate; refuse to start if the schema is behind (REMISS_NO_MIGRATE)")
	return cmd
}

// addServerFlags adds the flags shared by serve and demo.
func addServerFlags(cmd *cobra.Command, cfg *config.Config) {
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", cfg.Addr, "host:port to listen on; port 0 picks a free one (REMISS_ADDR)")
	f.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "how long requests in flight may take to finish on shutdown (REMISS_SHUTDOWN_TIMEOUT)")
	f.Int64Var(&cfg.MaxUploadBytes, "max-upload-bytes", cfg.MaxUploadBytes, "largest file accepted for a handling (REMISS_MAX_UPLOAD_BYTES)")
	f.StringVar(&cfg.TimeZone, "time-zone", cfg.TimeZone, "the municipality's time zone, which decides dates (REMISS_TIME_ZONE)")
}

func serve(ctx context.Context, cfg config.Config, stderr io.Writer) error {
	log, st, svc, err := openService(ctx, cfg, stderr, cfg.NoMigrate)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.AdminToken == "" {
		log.Info("REMISS_ADMIN_TOKEN is not set: create API tokens with `remiss token create`")
	}
	return runServer(ctx, cfg, log, st, svc, ln, nil)
}

// runServer serves on ln, and runs the outbox and reminder jobs, until
// ctx ends. demoClock is the demo's movable clock, nil for serve.
func runServer(ctx context.Context, cfg config.Config, log *slog.Logger, st *store.Store, svc *app.App, ln net.Listener, demoClock *demo.Clock) error {
	mailer, err := newMailer(cfg, log)
	if err != nil {
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobs := make(chan error, 1)
	runner := &notify.Runner{Reminders: svc.Planning, Outbox: svc.Sending, Mailer: mailer, Log: log, DeliverEvery: cfg.OutboxInterval, RemindEvery: cfg.ReminderInterval}
	if demoClock != nil {
		runner.Nudge = nudgeOnMove(demoClock)
	}
	go func() { jobs <- runner.Run(jobsCtx) }()
	sessionsDone := make(chan struct{})
	go func() { web.ExpireSessions(jobsCtx, st, time.Hour, log); close(sessionsDone) }()
	defer func() { stopJobs(); <-jobs; <-sessionsDone }()
	h, err := newHandler(ctx, cfg, log, st, svc, demoClock)
	if err != nil {
		return err
	}
	log.Info("listening", "url", "http://"+ln.Addr().String(), "database", st.Dialect(), "version", version())
	if err := web.Serve(ctx, web.NewHTTPServer(h, log), ln, cfg.ShutdownTimeout); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// newHandler is the product's HTTP handler on svc, with the demo's clock
// when demoClock is not nil.
func newHandler(ctx context.Context, cfg config.Config, log *slog.Logger, st *store.Store, svc *app.App, demoClock *demo.Clock) (http.Handler, error) {
	renderer, err := pdf.NewRenderer()
	if err != nil {
		return nil, err
	}
	loc := svc.Location()
	sso, err := newSSO(ctx, cfg)
	if err != nil {
		return nil, err
	}
	d := web.Deps{
		Service: svc, Auth: auth.NewAuthenticator(st, cfg.AdminToken), Ready: st.Ping, Log: log, Version: version(),
		PDF: renderer, ParseICS: func(r io.Reader) ([]workflow.NewMeeting, error) { return ical.ParseMeetings(r, loc) },
		WriteFeed: func(w io.Writer, f planning.Feed) error { return ical.WriteFeed(w, f, loc) }, HashSecret: auth.Hash,
		Sessions: st, Secure: cfg.Secure(), Location: loc, TrustedProxies: cfg.TrustedProxies, SSO: sso,
	}
	if demoClock != nil {
		d.Demo = demoClock
	}
	return web.NewHandler(d)
}

// nudgeOnMove is a channel that gets a value whenever the demo's clock
// moves, so that the job runner queues the reminders the jump made due
// and delivers them at once.
func nudgeOnMove(c *demo.Clock) <-chan struct{} {
	nudge := make(chan struct{}, 1)
	c.OnMove(func() {
		select {
		case nudge <- struct{}{}:
		default: // a round is already owed
		}
	})
	return nudge
}
