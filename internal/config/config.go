// Package config reads the product's settings from REMISS_* environment
// variables into one Config, which main then lets command-line flags
// override and passes explicitly to whatever needs it.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting of the product. The README's configuration table
// lists the same variables; a test keeps the two in step.
type Config struct {
	Addr            string        `env:"REMISS_ADDR" envDefault:"127.0.0.1:8080"`
	DatabaseURL     string        `env:"REMISS_DATABASE_URL"`
	DataDir         string        `env:"REMISS_DATA_DIR"`
	AdminToken      string        `env:"REMISS_ADMIN_TOKEN"`
	NoMigrate       bool          `env:"REMISS_NO_MIGRATE"`
	LogLevel        string        `env:"REMISS_LOG_LEVEL" envDefault:"info"`
	LogFormat       string        `env:"REMISS_LOG_FORMAT" envDefault:"auto"`
	MaxUploadBytes  int64         `env:"REMISS_MAX_UPLOAD_BYTES" envDefault:"52428800"`
	ShutdownTimeout time.Duration `env:"REMISS_SHUTDOWN_TIMEOUT" envDefault:"30s"`
	TimeZone        string        `env:"REMISS_TIME_ZONE" envDefault:"Europe/Stockholm"`
	// PublicURL is the address people use, e.g. https://remiss.huddinge.se
	// behind the municipality's TLS proxy; https makes the session cookie
	// Secure and turns on HSTS.
	PublicURL string `env:"REMISS_PUBLIC_URL"`
	// TrustedProxies is how many reverse proxies in front of the server
	// append to X-Forwarded-For (0: clients connect directly); it decides
	// which address login attempts are counted by.
	TrustedProxies int `env:"REMISS_TRUSTED_PROXIES" envDefault:"0"`

	// Single sign-on through the municipality's OpenID Connect provider.
	OIDCIssuer       string `env:"REMISS_OIDC_ISSUER"`
	OIDCClientID     string `env:"REMISS_OIDC_CLIENT_ID"`
	OIDCClientSecret string `env:"REMISS_OIDC_CLIENT_SECRET"`
	OIDCOrg          string `env:"REMISS_OIDC_ORG"`
	OIDCGroups       string `env:"REMISS_OIDC_GROUPS"`
	OIDCGroupsClaim  string `env:"REMISS_OIDC_GROUPS_CLAIM" envDefault:"groups"`

	// Mail: without an SMTP URL, mail is written to MailDir instead.
	SMTPURL          string        `env:"REMISS_SMTP_URL"`
	SMTPUsername     string        `env:"REMISS_SMTP_USERNAME"`
	SMTPPassword     string        `env:"REMISS_SMTP_PASSWORD"`
	SMTPFrom         string        `env:"REMISS_SMTP_FROM"`
	SMTPCAFile       string        `env:"REMISS_SMTP_CA_FILE"`
	MailDir          string        `env:"REMISS_MAIL_DIR"`
	OutboxInterval   time.Duration `env:"REMISS_OUTBOX_INTERVAL" envDefault:"10s"`
	ReminderInterval time.Duration `env:"REMISS_REMINDER_INTERVAL" envDefault:"15m"`
}

// Load reads the process environment.
func Load() (Config, error) {
	return FromEnv(envMap(os.Environ()))
}

// FromEnv reads the given environment (NAME → value).
func FromEnv(environ map[string]string) (Config, error) {
	c, err := env.ParseAsWithOptions[Config](env.Options{Environment: environ})
	if err != nil {
		return Config{}, readable(err)
	}
	return c, nil
}

// readable names the environment variable, not the Go field, of each
// value that could not be parsed.
func readable(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %w", err)
	}
	t := reflect.TypeFor[Config]()
	var errs []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			if f, ok := t.FieldByName(pe.Name); ok {
				e = fmt.Errorf("%s: %w", f.Tag.Get("env"), pe.Err)
			}
		}
		errs = append(errs, e)
	}
	return fmt.Errorf("configuration: %w", errors.Join(errs...))
}

func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// Validate reports every setting that cannot work, all at once.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("REMISS_ADDR %q: want host:port, e.g. 127.0.0.1:8080", c.Addr))
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	switch c.LogFormat {
	case "auto", "json", "text":
	default:
		errs = append(errs, fmt.Errorf("REMISS_LOG_FORMAT %q: want auto, json or text", c.LogFormat))
	}
	if c.MaxUploadBytes < 1<<10 || c.MaxUploadBytes > 1<<30 {
		errs = append(errs, fmt.Errorf("REMISS_MAX_UPLOAD_BYTES %d: want between 1 KiB and 1 GiB", c.MaxUploadBytes))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("REMISS_SHUTDOWN_TIMEOUT %s: want a positive duration such as 30s", c.ShutdownTimeout))
	}
	if _, err := c.Location(); err != nil {
		errs = append(errs, err)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"REMISS_OUTBOX_INTERVAL", c.OutboxInterval}, {"REMISS_REMINDER_INTERVAL", c.ReminderInterval}} {
		if d.v < time.Second || d.v > 24*time.Hour {
			errs = append(errs, fmt.Errorf("%s %s: want a duration between 1s and 24h, such as 10s or 15m", d.name, d.v))
		}
	}
	if c.OIDCIssuer != "" && (c.OIDCClientID == "" || c.OIDCOrg == "" || c.OIDCGroups == "" || !strings.HasPrefix(c.PublicURL, "http")) {
		errs = append(errs, fmt.Errorf("REMISS_OIDC_ISSUER is set: single sign-on also needs REMISS_OIDC_CLIENT_ID, REMISS_OIDC_ORG, REMISS_OIDC_GROUPS and REMISS_PUBLIC_URL (for the callback address)"))
	}
	if c.SMTPURL != "" && c.SMTPFrom == "" {
		errs = append(errs, errors.New("REMISS_SMTP_FROM: set the sender address, e.g. \"Remiss <remiss@huddinge.se>\", when REMISS_SMTP_URL is set"))
	}
	if c.AdminToken != "" && len(c.AdminToken) < 24 {
		errs = append(errs, errors.New("REMISS_ADMIN_TOKEN: use at least 24 random characters"))
	}
	return errors.Join(errs...)
}

// Level is the slog level LogLevel names.
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("REMISS_LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// Location is the municipality's time zone, which decides dates such as
// the registration year.
func (c Config) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("REMISS_TIME_ZONE %q: %w", c.TimeZone, err)
	}
	return loc, nil
}

// Database is the database URL to use: REMISS_DATABASE_URL, or else the
// embedded database in the data directory.
func (c Config) Database() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + filepath.Join(c.DataDirectory(), "remiss.db")
}

// DataDirectory is REMISS_DATA_DIR, or else the user's data directory
// ($XDG_DATA_HOME/remiss, ~/.local/share/remiss).
func (c Config) DataDirectory() string {
	if c.DataDir != "" {
		return c.DataDir
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "remiss")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "remiss")
	}
	return "remiss-data"
}

// MailDirectory is where mail is written when no SMTP server is
// configured: REMISS_MAIL_DIR, or the data directory's mail folder.
func (c Config) MailDirectory() string {
	if c.MailDir != "" {
		return c.MailDir
	}
	return filepath.Join(c.DataDirectory(), "mail")
}

// Variables lists the environment variables Config reads, in field order.
func Variables() []string {
	params, _ := env.GetFieldParams(&Config{})
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Key
	}
	return names
}

// Secure reports whether people reach the server over https.
func (c Config) Secure() bool { return strings.HasPrefix(strings.ToLower(c.PublicURL), "https://") }
