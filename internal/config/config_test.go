package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c, err := FromEnv(map[string]string{"REMISS_DATA_DIR": "/var/lib/remiss"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if c.Addr != "127.0.0.1:8080" || c.ShutdownTimeout != 30*time.Second || c.MaxUploadBytes != 50<<20 {
		t.Errorf("defaults = %+v", c)
	}
	if got := c.Database(); got != "sqlite:/var/lib/remiss/remiss.db" {
		t.Errorf("default database = %q", got)
	}
	if c.MailDirectory() != "/var/lib/remiss/mail" || c.OutboxInterval != 10*time.Second || c.ReminderInterval != 15*time.Minute {
		t.Errorf("mail defaults: %q, %s, %s", c.MailDirectory(), c.OutboxInterval, c.ReminderInterval)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	c, err := FromEnv(map[string]string{
		"REMISS_DATABASE_URL": "postgres://remiss@db/remiss?sslmode=verify-full", "REMISS_SHUTDOWN_TIMEOUT": "5s", "REMISS_NO_MIGRATE": "true",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Database() != "postgres://remiss@db/remiss?sslmode=verify-full" || c.ShutdownTimeout != 5*time.Second || !c.NoMigrate {
		t.Errorf("got %+v", c)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c, err := FromEnv(map[string]string{
		"REMISS_ADDR": "8080", "REMISS_LOG_LEVEL": "loud", "REMISS_LOG_FORMAT": "xml", "REMISS_MAX_UPLOAD_BYTES": "0",
		"REMISS_TIME_ZONE": "Mars/Olympus", "REMISS_ADMIN_TOKEN": "short", "REMISS_SHUTDOWN_TIMEOUT": "0s",
		"REMISS_OUTBOX_INTERVAL": "1ms", "REMISS_REMINDER_INTERVAL": "48h", "REMISS_SMTP_URL": "smtp://relay.example",
		"REMISS_OIDC_ISSUER": "https://login.example/tenant/v2.0",
	})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	if err == nil {
		t.Fatal("bad configuration validated")
	}
	for _, name := range []string{"REMISS_ADDR", "REMISS_LOG_LEVEL", "REMISS_LOG_FORMAT", "REMISS_MAX_UPLOAD_BYTES", "REMISS_TIME_ZONE", "REMISS_ADMIN_TOKEN", "REMISS_SHUTDOWN_TIMEOUT",
		"REMISS_OUTBOX_INTERVAL", "REMISS_REMINDER_INTERVAL", "REMISS_SMTP_FROM", "REMISS_OIDC_CLIENT_ID"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not mention %s: %v", name, err)
		}
	}
}

func TestMalformedValueIsAnError(t *testing.T) {
	if _, err := FromEnv(map[string]string{"REMISS_SHUTDOWN_TIMEOUT": "soon"}); err == nil {
		t.Error("a malformed duration was accepted")
	}
}

// TestREADMEListsEveryVariable keeps the README's configuration table true.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Variables() {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("README.md does not document %s", name)
		}
	}
}
