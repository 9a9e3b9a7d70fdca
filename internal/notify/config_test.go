package notify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/notify"
)

func TestNewDescribesWhereMailGoes(t *testing.T) {
	tests := []struct {
		url, username string
		want          string
	}{
		{"smtp://relay.example", "", "smtp://relay.example:587 (STARTTLS)"},
		{"smtp://relay.example:2525/", "", "smtp://relay.example:2525 (STARTTLS)"},
		{"SMTP://relay.example", "", "smtp://relay.example:587 (STARTTLS)"},
		{"smtp://relay.example:25?tls=opportunistic", "", "smtp://relay.example:25?tls=opportunistic (STARTTLS if offered)"},
		{"smtp://relay.example:25?tls=none", "", "smtp://relay.example:25?tls=none (no TLS)"},
		{"smtp://relay.example:25?tls=none", "remiss", "smtp://relay.example:25?tls=none (no TLS, as remiss)"},
		{"smtps://relay.example", "", "smtps://relay.example:465 (implicit TLS)"},
		{"smtps://relay.example:4650", "remiss", "smtps://relay.example:4650 (implicit TLS, as remiss)"},
		{"smtp://[2001:db8::25]", "", "smtp://[2001:db8::25]:587 (STARTTLS)"},
		{"smtp://10.0.0.25:25", "remiss", "smtp://10.0.0.25:25 (STARTTLS, as remiss)"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			cfg := notify.SMTPConfig{URL: tt.url, From: from, Dir: "ignored"}
			if tt.username != "" {
				cfg.Username, cfg.Password = tt.username, password
			}
			m, err := notify.New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Describe(); got != tt.want {
				t.Errorf("Describe() = %q, want %q", got, tt.want)
			}
			if strings.Contains(m.Describe(), password) {
				t.Errorf("Describe() shows the password")
			}
		})
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := notify.SMTPConfig{URL: "smtp://relay.example", From: from}
	tests := []struct {
		name   string
		change func(*notify.SMTPConfig)
		want   string
	}{
		{"password in URL", func(c *notify.SMTPConfig) { c.URL = "smtp://remiss:hemligt@relay.example" }, "must not contain a password: put it in REMISS_SMTP_PASSWORD"},
		{"user name in URL", func(c *notify.SMTPConfig) { c.URL = "smtp://remiss@relay.example" }, "put it in REMISS_SMTP_USERNAME"},
		{"unparseable URL with a password", func(c *notify.SMTPConfig) { c.URL = "smtp://remiss:hemligt%zz@relay.example" }, "REMISS_SMTP_URL is not a URL"},
		{"unknown scheme", func(c *notify.SMTPConfig) { c.URL = "http://relay.example" }, `REMISS_SMTP_URL: unknown scheme "http"`},
		{"no scheme", func(c *notify.SMTPConfig) { c.URL = "relay.example" }, `REMISS_SMTP_URL: unknown scheme ""`},
		{"host:port without scheme", func(c *notify.SMTPConfig) { c.URL = "relay.example:25" }, "REMISS_SMTP_URL: unknown scheme"},
		{"no host", func(c *notify.SMTPConfig) { c.URL = "smtp://" }, "REMISS_SMTP_URL: no host"},
		{"port without host", func(c *notify.SMTPConfig) { c.URL = "smtp://:25" }, "REMISS_SMTP_URL: no host"},
		{"port zero", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example:0" }, `port "0" is not a number from 1 to 65535`},
		{"port too large", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example:65536" }, `port "65536"`},
		{"port not a number", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example:smtp" }, "REMISS_SMTP_URL is not a URL"},
		{"path", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example/mail" }, `REMISS_SMTP_URL: unexpected path "/mail"`},
		{"unknown parameter", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example?starttls=1" }, `REMISS_SMTP_URL: unknown parameter "starttls"`},
		{"unknown tls mode", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example?tls=yes" }, `REMISS_SMTP_URL: tls="yes"`},
		{"tls twice", func(c *notify.SMTPConfig) { c.URL = "smtp://relay.example?tls=none&tls=opportunistic" }, "more than once"},
		{"tls with smtps", func(c *notify.SMTPConfig) { c.URL = "smtps://relay.example?tls=none" }, "smtps:// always uses TLS"},
		{"no sender", func(c *notify.SMTPConfig) { c.From = "" }, "REMISS_SMTP_FROM is required when REMISS_SMTP_URL is set"},
		{"bad sender", func(c *notify.SMTPConfig) { c.From = "Remiss Huddinge" }, `REMISS_SMTP_FROM "Remiss Huddinge" is not an e-mail address`},
		{"password without user", func(c *notify.SMTPConfig) { c.Password = password }, "REMISS_SMTP_USERNAME is not"},
		{"user without password", func(c *notify.SMTPConfig) { c.Username = user }, "REMISS_SMTP_PASSWORD is not"},
		{"credentials with opportunistic TLS", func(c *notify.SMTPConfig) {
			c.URL, c.Username, c.Password = "smtp://relay.example?tls=opportunistic", user, password
		}, "tls=opportunistic cannot be combined with REMISS_SMTP_USERNAME"},
		{"CA file missing", func(c *notify.SMTPConfig) { c.CAFile = "/nonexistent/ca.pem" }, "REMISS_SMTP_CA_FILE: open /nonexistent/ca.pem"},
		{"CA file not PEM", func(c *notify.SMTPConfig) { c.CAFile = notPEM }, "holds no PEM certificate"},
		{"nowhere to go", func(c *notify.SMTPConfig) { c.URL = "" }, "set REMISS_SMTP_URL to send it, or REMISS_MAIL_DIR"},
		{"bad sender in directory mode", func(c *notify.SMTPConfig) { c.URL, c.Dir, c.From = "", t.TempDir(), "remiss" }, "REMISS_SMTP_FROM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.change(&cfg)
			m, err := notify.New(cfg, nil)
			if err == nil {
				t.Fatalf("New succeeded: %s", m.Describe())
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hemligt") {
				t.Errorf("err = %v shows the password", err)
			}
		})
	}
}
