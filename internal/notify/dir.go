package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	gomail "github.com/wneessen/go-mail"

	"github.com/yttrande/remiss/workflow/sending"
)

// errNoDestination is New's error when mail can go nowhere.
var errNoDestination = errors.New("mail can go nowhere: set REMISS_SMTP_URL to send it, or REMISS_MAIL_DIR to write it to files")

// useDir sets m up to write messages into cfg.Dir instead of sending them:
// the mode of a developer's machine, where there is no mail server.
func (m *Mailer) useDir(cfg SMTPConfig) error {
	if cfg.Dir == "" {
		return errNoDestination
	}
	from := cfg.From
	if from == "" {
		from = devFrom
	}
	if err := m.setFrom(from); err != nil {
		return err
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return fmt.Errorf("REMISS_MAIL_DIR: %w", err)
	}
	// Created now, so that a directory that cannot be written stops the
	// server at startup rather than failing every message later.
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("REMISS_MAIL_DIR: %w", err)
	}
	m.send = func(ctx context.Context, item sending.OutboxItem, msg *gomail.Msg) error {
		return writeEML(ctx, dir, item.ID, msg)
	}
	m.describe = "directory " + dir
	m.log.Warn("mail is NOT sent: REMISS_SMTP_URL is empty, so every message is written as an .eml file into a directory instead", "dir", dir)
	return nil
}

// writeEML writes msg as dir/outbox-<id>.eml. It writes a temporary file
// and renames it, so that a reader never sees half a message and a second
// delivery of the same item replaces the first instead of adding a copy.
func writeEML(ctx context.Context, dir string, id int64, msg *gomail.Msg) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".outbox-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = msg.WriteTo(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, fmt.Sprintf("outbox-%d.eml", id)))
}
