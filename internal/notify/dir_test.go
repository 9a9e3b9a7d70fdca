package notify_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/notify"
)

func TestDirectoryMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail") // New creates it
	var logged bytes.Buffer
	m, err := notify.New(notify.SMTPConfig{Dir: dir}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Describe(); got != "directory "+dir {
		t.Errorf("Describe() = %q", got)
	}
	if log := logged.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "NOT sent") || !strings.Contains(log, dir) {
		t.Errorf("New logged %q, want a warning naming the directory", log)
	}

	item := outboxItem(41, "paminnelse", reminderPayload(true))
	id, err := m.Deliver(t.Context(), item)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Deliver(t.Context(), item); err != nil { // again: replaces the file
		t.Fatal(err)
	}
	if got := files(t, dir); !slices.Equal(got, []string{"outbox-41.eml"}) {
		t.Fatalf("directory holds %q, want one file", got)
	}

	msg := readEML(t, filepath.Join(dir, "outbox-41.eml"))
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "Försenad: Stopptid för tjänsteutlåtandet 13 mars – KS-2024/76.109" {
		t.Errorf("subject %q (%v)", subject, err)
	}
	for header, want := range map[string]string{
		"Message-ID":     "<" + id + ">",
		"From":           "<remiss@localhost>",
		"Auto-Submitted": "auto-generated",
		"Content-Type":   "text/plain; charset=UTF-8",
	} {
		if got := msg.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if !strings.HasSuffix(id, "@localhost") {
		t.Errorf("Message-ID %q, want one of the sender's domain", id)
	}

	if _, err := m.Deliver(t.Context(), outboxItem(42, "tilldelad", assignedPayload())); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Deliver(t.Context(), outboxItem(43, "okand", nil)); err == nil {
		t.Error("an unknown template was delivered")
	}
	if got := files(t, dir); !slices.Equal(got, []string{"outbox-41.eml", "outbox-42.eml"}) {
		t.Errorf("directory holds %q", got)
	}
}

func TestDirectoryModeSender(t *testing.T) {
	dir := t.TempDir()
	m, err := notify.New(notify.SMTPConfig{Dir: dir, From: from}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := m.Deliver(t.Context(), outboxItem(7, "tilldelad", assignedPayload()))
	if err != nil {
		t.Fatal(err)
	}
	msg := readEML(t, filepath.Join(dir, "outbox-7.eml"))
	addr, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || addr.Name != "Remiss Huddinge" || addr.Address != "remiss@huddinge.se" {
		t.Errorf("From %v (%v)", addr, err)
	}
	if !strings.HasSuffix(id, "@huddinge.se") {
		t.Errorf("Message-ID %q", id)
	}
}

// files lists dir, temporary files included.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// readEML parses the message file at path.
func readEML(t *testing.T, path string) *mail.Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	msg, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	if body, err := io.ReadAll(msg.Body); err != nil || len(body) == 0 {
		t.Fatalf("body: %d bytes (%v)", len(body), err)
	}
	return msg
}
