package notify_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/smtptest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

// composedItem is an expedition's message: its text and files were
// composed when it was queued.
func composedItem(id int64) sending.OutboxItem {
	it := outboxItem(id, workflow.MailExtract, nil)
	it.To = "Miljö- och samhällsbyggnadsnämnden <msn@huddinge.se>"
	pdf := []byte("%PDF-1.7\n% ett protokollsutdrag\n")
	it.Mail = &workflow.PreparedMail{
		Subject: "Protokollsutdrag KS 2024-04-08 § 53: Förändring genom försök (KS-2024/76.109)",
		Body:    "Bifogat finns protokollsutdrag från kommunstyrelsens sammanträde den 8 april 2024, § 53.\n",
		Cc:      []string{"registrator@huddinge.se"},
		Attachments: []workflow.Attachment{
			{Name: "Huddinge kommun - Protokollsutdrag Kommunstyrelsen § 53.pdf", MediaType: "application/pdf", Size: int64(len(pdf)), Content: pdf},
		},
	}
	return it
}

// TestComposedMessagesAreSentAsComposed: the subject, text, copy and file
// of a composed message reach the server unchanged, with the Swedish
// subject and file name in encoded words; in directory mode the .eml file
// carries the same.
func TestComposedMessagesAreSentAsComposed(t *testing.T) {
	srv := smtptest.Start(t, smtptest.RequireAuth(user, password))
	item := composedItem(51)
	if _, err := smtpMailer(t, srv, srv.URL(), true).Deliver(t.Context(), item); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if !slices.Equal(m.To, []string{"msn@huddinge.se", "registrator@huddinge.se"}) || m.Subject() != item.Mail.Subject {
		t.Errorf("envelope %v, subject %q", m.To, m.Subject())
	}
	checkComposedParts(t, m, item)

	dir := t.TempDir()
	dm, err := notify.New(notify.SMTPConfig{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dm.Deliver(t.Context(), item); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "outbox-51.eml"))
	if err != nil {
		t.Fatal(err)
	}
	eml, err := smtptest.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	checkComposedParts(t, eml, item)
}

func checkComposedParts(t *testing.T, m smtptest.Message, item sending.OutboxItem) {
	t.Helper()
	if m.Header.Get("Cc") != "<registrator@huddinge.se>" {
		t.Errorf("Cc %q", m.Header.Get("Cc"))
	}
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	want := item.Mail.Attachments[0]
	if len(parts) != 2 || strings.ReplaceAll(string(parts[0].Content), "\r\n", "\n") != item.Mail.Body || parts[1].FileName != want.Name ||
		parts[1].MediaType != want.MediaType || !bytes.Equal(parts[1].Content, want.Content) {
		t.Errorf("parts: %+v", parts)
	}
	head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
	if bytes.ContainsFunc(head, func(r rune) bool { return r >= 0x80 }) || !strings.Contains(string(m.Data), "=?UTF-8?") {
		t.Errorf("headers are not 7-bit with encoded words:\n%s", head)
	}
}

// TestABrokenComposedMessageFailsForGood: a copy that is no address, or a
// file whose content went missing, cannot be mended by a retry.
func TestABrokenComposedMessageFailsForGood(t *testing.T) {
	srv := smtptest.Start(t)
	m := smtpMailer(t, srv, srv.URL(), false)
	badCopy := composedItem(52)
	badCopy.Mail.Cc = []string{"registrator(at)huddinge.se"}
	lost := composedItem(53)
	lost.Mail.Attachments[0].Content = nil
	for name, it := range map[string]sending.OutboxItem{"bad copy": badCopy, "lost file": lost} {
		if _, err := m.Deliver(t.Context(), it); !errors.Is(err, sending.ErrPermanent) {
			t.Errorf("%s: %v, want a permanent failure", name, err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages reached the server", n)
	}
}
