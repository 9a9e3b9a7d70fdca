package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/docx"
	"github.com/yttrande/remiss/internal/markdown"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
)

// newLogger logs to w: human-readable text on a terminal, JSON otherwise
// (to a journal or a log collector), unless the format is forced.
func newLogger(cfg config.Config, w io.Writer) (*slog.Logger, error) {
	level, err := cfg.Level()
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	text := cfg.LogFormat == "text" || (cfg.LogFormat == "auto" && isTerminal(w))
	if text {
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(w, opts)), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// openStore connects to the configured database and brings its schema up
// to date, or with noMigrate only checks that it is.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, noMigrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.Database(), log)
	if err != nil {
		return nil, err
	}
	if noMigrate {
		err = st.CheckSchema(ctx)
	} else {
		var applied []int64
		if applied, err = st.Migrate(ctx); err == nil && len(applied) > 0 {
			log.Info("database migrated", "dialect", st.Dialect(), "versions", applied)
		}
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// newService builds the domain service on st.
func newService(cfg config.Config, st app.Store, clock workflow.Clock) (*app.App, error) {
	loc, err := cfg.Location()
	if err != nil {
		return nil, err
	}
	pdfs, err := pdf.NewRenderer()
	if err != nil {
		return nil, err
	}
	words, err := docx.NewRenderer()
	if err != nil {
		return nil, err
	}
	svc, err := app.New(app.Config{
		Store: st, Clock: clock, Location: loc, Calendar: calendar.NewSwedish(), Secrets: auth.NewSecret, MaxUploadBytes: cfg.MaxUploadBytes,
		Markdown: markdown.Parser{}, PDF: pdfs, DOCX: words, Templates: templates.FS, Passwords: auth.Passwords{},
	})
	if err != nil {
		return nil, fmt.Errorf("time zone: %w", err)
	}
	return svc, nil
}

// setup validates the configuration and makes the logger every command uses.
func setup(cfg config.Config, stderr io.Writer) (*slog.Logger, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newLogger(cfg, stderr)
}

// openService is what serve and the administration commands start with:
// a validated configuration, a logger, the store and the service on it.
// The caller closes the store.
func openService(ctx context.Context, cfg config.Config, stderr io.Writer, noMigrate bool) (*slog.Logger, *store.Store, *app.App, error) {
	log, err := setup(cfg, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := openStore(ctx, cfg, log, noMigrate)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, err := newService(cfg, st, nil)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return log, st, svc, nil
}

// newMailer is where the outbox's mail goes: the SMTP relay, or without
// one, .eml files in the mail directory.
func newMailer(cfg config.Config, log *slog.Logger) (*notify.Mailer, error) {
	m, err := notify.New(notify.SMTPConfig{URL: cfg.SMTPURL, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
		From: cfg.SMTPFrom, CAFile: cfg.SMTPCAFile, Dir: cfg.MailDirectory()}, log)
	if err != nil {
		return nil, err
	}
	log.Info("mail", "to", m.Describe(), "outbox_interval", cfg.OutboxInterval.String(), "reminder_interval", cfg.ReminderInterval.String())
	return m, nil
}

// newSSO is the single sign-on REMISS_OIDC_* configure, or nil for local
// accounts only. The provider is discovered now, so that a wrong issuer
// stops the start with its reason.
func newSSO(ctx context.Context, cfg config.Config) (web.SingleSignOn, error) {
	if cfg.OIDCIssuer == "" {
		return nil, nil
	}
	groups, err := auth.ParseGroups(cfg.OIDCGroups)
	if err != nil {
		return nil, err
	}
	return auth.NewOIDC(ctx, auth.OIDCConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
		RedirectURL: strings.TrimSuffix(cfg.PublicURL, "/") + "/login/oidc/callback", Org: cfg.OIDCOrg, GroupsClaim: cfg.OIDCGroupsClaim, Groups: groups})
}
