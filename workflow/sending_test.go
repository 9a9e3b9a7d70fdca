package workflow_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/internal/smtptest"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/sending"
)

const (
	answerSubject = "Fi2023/04321 Huddinge kommun"
	ministryBox   = "fi.remissvar@regeringskansliet.se"
	unitBox       = "fi.ka@regeringskansliet.se"
	extractName   = "Huddinge kommun - Protokollsutdrag Kommunstyrelsen § 1.pdf"
	docxType      = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// readyToSend drives a case to expediering through a KS decision that is
// justerat at once, with the decision to be sent to the ministry, a nämnd
// with a mailbox and an address, and a copy to the unit the remiss names.
func (e *env) readyToSend() workflow.Case {
	e.t.Helper()
	e.members("KS", "Daniel Dronjak", "Malin Danielsson")
	e.must(e.svc.Diarium.CreateBody(e.ctx, workflow.SystemActor(), "huddinge", workflow.NewBody{Code: "MSN", Name: "Miljö- och samhällsbyggnadsnämnden", Kind: "namnd", Email: "msn@huddinge.example"}))
	c := e.atKS()
	e.must(e.saveDraft(c, documents.DraftYttrande, 0, yttrandeDraft))
	c, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", e.data(`{"outcome":"antaget","meeting":<KS>,"justeras_omedelbart":true,
		"justerare":["Malin Danielsson"],"skickas_till":["Finansdepartementet","Miljö- och samhällsbyggnadsnämnden","kommunstyrelsen@huddinge.example"]}`))
	e.check(err)
	c, err = e.svc.Sending.ChangeRecipients(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", c.ID, sending.RecipientsChange{Version: c.Version, Cc: []string{unitBox}})
	e.check(err)
	if c.State != "expediering" {
		e.t.Fatalf("state %s, want expediering", c.State)
	}
	e.deliver(&mailbox{}) // the handläggare's notice, so that a test counts only the expedition
	return c
}

func smtpMailer(t *testing.T, srv *smtptest.Server) *notify.Mailer {
	t.Helper()
	m, err := notify.New(notify.SMTPConfig{URL: srv.URL(), From: "Remiss Huddinge <remiss@huddinge.example>", CAFile: srv.CAFile(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// expedite fires expediera and checks that it kept the case in
// expediering.
func (e *env) expedite(c workflow.Case) workflow.Case {
	e.t.Helper()
	got, err := e.fire(c, workflow.RoleSekreterare, "expediera", "")
	e.check(err)
	if got.State != "expediering" || got.Version != c.Version+1 {
		e.t.Fatalf("after expediera: %s version %d", got.State, got.Version)
	}
	return got
}

// decidedPDF is the registered yttrande's file.
func (e *env) decidedPDF(c workflow.Case) workflow.Document {
	e.t.Helper()
	docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	for _, d := range docs {
		if d.Source == workflow.SourceDecidedYttrande {
			return d
		}
	}
	e.t.Fatal("no decided yttrande")
	return workflow.Document{}
}

// TestExpediteSendsTheAnswerAndTheExtracts: expediera queues the answer
// and the extracts and keeps the case in expediering; a real SMTP server
// then gets the answer with the exact subject, the copy, the missiv and
// both files named for the remissinstans, and each other recipient its
// extract. The case becomes besvarad and the answer an utgående handling
// with the time and the Message-ID. A second expediera is refused. On
// both databases.
func TestExpediteSendsTheAnswerAndTheExtracts(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t), withDocuments(t))
			srv := smtptest.Start(t)
			c := e.expedite(e.readyToSend())
			if _, err := e.fire(c, workflow.RoleSekreterare, "expediera", ""); err == nil || !strings.Contains(err.Error(), "redan expedierat") {
				t.Errorf("a second expediera: %v, want refused", err)
			}
			if got := e.deliver(smtpMailer(t, srv)); got.Sent != 3 || got.Retried+got.Failed != 0 {
				t.Fatalf("delivered %+v, want the answer and two extracts", got)
			}
			msgs := srv.Messages()
			answer := checkAnswer(t, msgs, e.decidedPDF(c))
			for _, to := range []string{"msn@huddinge.example", "kommunstyrelsen@huddinge.example"} {
				checkExtract(t, msgs, to)
			}
			c = e.reload(c)
			if c.State != "besvarad" {
				t.Errorf("after sending: %s, want besvarad", c.State)
			}
			checkSentHandling(t, e, c, answer, 1)
			if _, err := e.fire(c, workflow.RoleSekreterare, "expediera", ""); workflow.ErrorCode(err) != workflow.CodeInvalid {
				t.Errorf("expediera when besvarad: %v", err)
			}
		})
	}
}

// checkAnswer finds the one message to the ministry and checks it: the
// envelope, the headers (ASCII only, the subject exact), the missiv as
// the text, and the PDF (the registered file, byte for byte) and the Word
// file as attachments. It returns the Message-ID.
func checkAnswer(t *testing.T, msgs []smtptest.Message, decided workflow.Document) string {
	t.Helper()
	i := slices.IndexFunc(msgs, func(m smtptest.Message) bool { return m.Subject() == answerSubject })
	if i < 0 {
		t.Fatalf("no message with the subject %q", answerSubject)
	}
	m := msgs[i]
	if !slices.Equal(m.To, []string{ministryBox, unitBox}) || m.Header.Get("To") != "<"+ministryBox+">" || m.Header.Get("Cc") != "<"+unitBox+">" {
		t.Errorf("envelope %v, To %q, Cc %q", m.To, m.Header.Get("To"), m.Header.Get("Cc"))
	}
	checkASCIIHeaders(t, m)
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 {
		t.Fatalf("%d parts, want the text and two files", len(parts))
	}
	if text := string(parts[0].Content); parts[0].MediaType != "text/plain" || !strings.Contains(text, "Huddinge kommun översänder härmed sitt yttrande över Förändring genom försök (SOU 2023:94), er beteckning Fi2023/04321.") {
		t.Errorf("text %s: %q", parts[0].MediaType, text)
	}
	pdf, docx := parts[1], parts[2]
	sum := sha256.Sum256(pdf.Content)
	if pdf.MediaType != "application/pdf" || pdf.Disposition != "attachment" || pdf.FileName != "Huddinge kommun - Yttrande SOU 2023-94.pdf" ||
		hex.EncodeToString(sum[:]) != decided.File.SHA256 {
		t.Errorf("PDF: %s %s %q, sha256 %x, want the registered %s", pdf.MediaType, pdf.Disposition, pdf.FileName, sum, decided.File.SHA256)
	}
	if docx.MediaType != docxType || docx.FileName != "Huddinge kommun - Yttrande SOU 2023-94.docx" || !bytes.HasPrefix(docx.Content, []byte("PK\x03\x04")) {
		t.Errorf("Word: %s %q, %d bytes", docx.MediaType, docx.FileName, len(docx.Content))
	}
	return strings.Trim(m.Header.Get("Message-Id"), "<>")
}

// checkExtract finds the one message to to and checks that it carries the
// protokollsutdrag, with its UTF-8 subject and file name encoded.
func checkExtract(t *testing.T, msgs []smtptest.Message, to string) {
	t.Helper()
	var got []smtptest.Message
	for _, m := range msgs {
		if slices.Equal(m.To, []string{to}) {
			got = append(got, m)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d messages to %s, want one", len(got), to)
	}
	m := got[0]
	checkASCIIHeaders(t, m)
	if s := m.Subject(); !strings.HasPrefix(s, "Protokollsutdrag KS 2024-01-29 § 1: Förändring genom försök") {
		t.Errorf("extract to %s: subject %q", to, s)
	}
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 || parts[1].FileName != extractName || parts[1].MediaType != "application/pdf" || !bytes.HasPrefix(parts[1].Content, []byte("%PDF-")) {
		t.Errorf("extract to %s: %d parts %+v", to, len(parts), parts[len(parts)-1].Header)
	}
}

// checkASCIIHeaders: a header is 7-bit (RFC 5322); Swedish letters go in
// encoded words, which Subject and FileName decode.
func checkASCIIHeaders(t *testing.T, m smtptest.Message) {
	t.Helper()
	head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
	for i, c := range head {
		if c >= 0x80 {
			t.Errorf("a header has the 8-bit byte %#x at %d: %q", c, i, head[max(0, i-40):i+1])
			return
		}
	}
}

// checkSentHandling: the answer is registered once as an utgående
// handling (the decided PDF, sent to the ministry with messageID) and the
// history has n svaret_skickat rows, by remiss itself.
func checkSentHandling(t *testing.T, e *env, c workflow.Case, messageID string, n int) {
	t.Helper()
	docs, err := e.svc.Diarium.Documents(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	var sent []workflow.Document
	for _, d := range docs {
		if d.Direction == workflow.Utgaende {
			sent = append(sent, d)
		}
	}
	decided := e.decidedPDF(c)
	if len(sent) != n {
		t.Fatalf("%d utgående handlingar, want %d: %+v", len(sent), n, sent)
	}
	d := sent[len(sent)-1]
	if d.Sent == nil || d.Sent.MessageID != messageID || d.Sent.To != ministryBox || d.Sent.At.IsZero() ||
		d.File == nil || d.File.SHA256 != decided.File.SHA256 || d.Counterpart != "Finansdepartementet" || d.Kind != workflow.KindYttrande {
		t.Errorf("the sent handling: %+v (sent %+v), want Message-ID %s", d, d.Sent, messageID)
	}
	h, err := e.svc.History(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	var rows []workflow.HistoryEntry
	for _, r := range h {
		if r.Event == workflow.EventAnswerSent {
			rows = append(rows, r)
		}
	}
	if len(rows) != n || rows[n-1].Actor != "remiss" || !strings.Contains(string(rows[n-1].Data), messageID) {
		t.Errorf("svaret_skickat rows: %+v", rows)
	}
}

// TestACrashBetweenAcceptanceAndMarkingSendsTheAnswerAtMostTwice: the
// sender dies after the mail server has accepted the answer and before it
// could mark it sent. After the lease, a restarted instance sends it
// again, with the same Message-ID; the case ends besvarad with one
// utgående handling and one svaret_skickat row, and the extracts, never
// accepted before the crash, arrive once each.
func TestACrashBetweenAcceptanceAndMarkingSendsTheAnswerAtMostTwice(t *testing.T) {
	st := storetest.SQLite(t)
	e := newEnv(t, st, withDocuments(t))
	ctx, crash := context.WithCancel(e.ctx)
	var once sync.Once
	srv := smtptest.Start(t, smtptest.OnAccept(func(m smtptest.Message) {
		if m.Subject() == answerSubject {
			once.Do(crash)
		}
	}))
	c := e.expedite(e.readyToSend())
	if _, err := e.svc.Sending.DeliverOutbox(ctx, smtpMailer(t, srv)); err == nil {
		t.Fatal("the crashed delivery reported no error")
	}
	if c = e.reload(c); c.State != "expediering" {
		t.Fatalf("after the crash: %s", c.State)
	}

	e.clock.advance(sending.OutboxLease + time.Second)
	cfg := app.Config{Store: st, Clock: e.clock, Location: stockholm, Calendar: calendar.NewSwedish(), Secrets: auth.NewSecret}
	withDocuments(t)(&cfg)
	restarted, err := app.New(cfg)
	e.check(err)
	if got, err := restarted.Sending.DeliverOutbox(e.ctx, smtpMailer(t, srv)); err != nil || got.Sent != 3 {
		t.Fatalf("after the restart: %+v, %v", got, err)
	}
	ids := map[string]int{}
	for _, m := range srv.Messages() {
		ids[m.Header.Get("Message-Id")]++
	}
	msgs := srv.Messages()
	answer := checkAnswer(t, msgs[len(msgs)-3:], e.decidedPDF(c))
	if ids["<"+answer+">"] != 2 || len(ids) != 3 || len(msgs) != 4 {
		t.Errorf("Message-IDs received: %v, want the answer's twice and each extract's once", ids)
	}
	if c = e.reload(c); c.State != "besvarad" {
		t.Errorf("after the restart: %s, want besvarad", c.State)
	}
	checkSentHandling(t, e, c, answer, 1)
}

// TestTemporaryThenPermanentSMTPFailures: a 4xx answer keeps the case in
// expediering with the answer waiting for its retry, which succeeds; a
// 5xx answer marks the answer failed with the server's text. The
// secretary corrects the address and sends it again, with a reason.
func TestTemporaryThenPermanentSMTPFailures(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	srv := smtptest.Start(t)
	mailer := smtpMailer(t, srv)
	c := e.expedite(e.readyToSend())

	srv.FailNext(1, 451, "4.3.0 Tillfälligt fel, försök igen")
	if got := e.deliver(mailer); got.Retried != 1 || got.Sent != 2 {
		t.Fatalf("with a 451: %+v", got)
	}
	answer := e.answerEntry(c)
	if c = e.reload(c); c.State != "expediering" || answer.Status != sending.OutboxPending || !strings.Contains(answer.LastError, "451") || answer.NextAttemptAt == nil {
		t.Errorf("after the 451: case %s, answer %+v", c.State, answer)
	}
	e.clock.advance(time.Minute)
	if got := e.deliver(mailer); got.Sent != 1 {
		t.Fatalf("the retry: %+v", got)
	}
	if c = e.reload(c); c.State != "besvarad" {
		t.Errorf("after the retry: %s", c.State)
	}

	// The ministry asks for the answer at another mailbox, which the
	// server refuses for good.
	wrong, reason := "remissvar.fel@regeringskansliet.se", `{"reason":"Departementet bad om svaret till en annan brevlåda."}`
	c, err := e.svc.Sending.ChangeRecipients(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", c.ID, sending.RecipientsChange{Version: c.Version, ReplyTo: &wrong})
	e.check(err)
	if _, err := e.fire(c, workflow.RoleSekreterare, "skicka_igen", `{}`); workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), "data.reason") {
		t.Errorf("a resend without a reason: %v", err)
	}
	c, err = e.fire(c, workflow.RoleSekreterare, "skicka_igen", reason)
	e.check(err)
	if _, err := e.fire(c, workflow.RoleSekreterare, "skicka_igen", reason); err == nil || !strings.Contains(err.Error(), "håller fortfarande på att skickas") {
		t.Errorf("a resend while one waits: %v", err)
	}
	srv.FailNextRcpt(1, 550, "5.1.1 Mottagaren finns inte")
	if got := e.deliver(mailer); got.Failed != 1 || got.Sent != 0 {
		t.Fatalf("with a 550: %+v", got)
	}
	failed := e.answerEntry(c)
	if failed.Status != sending.OutboxFailed || !strings.Contains(failed.LastError, "550 5.1.1 Mottagaren finns inte") || failed.To != wrong {
		t.Errorf("after the 550: %+v", failed)
	}
	fixed := ministryBox
	c, err = e.svc.Sending.ChangeRecipients(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", c.ID, sending.RecipientsChange{Version: e.reload(c).Version, ReplyTo: &fixed})
	e.check(err)
	c, err = e.fire(c, workflow.RoleSekreterare, "skicka_igen", reason)
	e.check(err)
	if got := e.deliver(mailer); got.Sent != 1 {
		t.Fatalf("the corrected resend: %+v", got)
	}
	checkSentHandling(t, e, e.reload(c), e.answerEntry(c).MessageID, 2)
	h, err := e.svc.History(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	if n := slices.IndexFunc(h, func(r workflow.HistoryEntry) bool {
		return r.Event == "skicka_igen" && strings.Contains(string(r.Data), "en annan brevlåda") && strings.Contains(string(r.Data), wrong)
	}); n < 0 {
		t.Error("the resend's history row does not say why and to whom")
	}
}

// answerEntry is the case's latest message to the ministry.
func (e *env) answerEntry(c workflow.Case) sending.OutboxEntry {
	e.t.Helper()
	msgs, err := e.svc.Sending.Messages(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Template == workflow.MailAnswer {
			return msgs[i]
		}
	}
	e.t.Fatal("no answer in the outbox")
	return sending.OutboxEntry{}
}

// TestBadInputKeepsTheCaseInExpediering: an address that is not one and
// a decided yttrande that was never registered stop expediera with a
// clear error and change nothing; a mail server that cannot be reached
// keeps the answer waiting, and it is sent once the server is back.
func TestBadInputKeepsTheCaseInExpediering(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	c := e.readyToSend()
	def, err := e.svc.Workflow(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.Workflow.Name, c.Workflow.Version)
	e.check(err)
	if ev, _ := def.Event("expediera"); len(ev.Effects) == 0 {
		t.Fatalf("the case runs %s v%d, whose expediera sends nothing", def.Name, def.Version)
	}

	bad := "fi.remissvar(at)regeringskansliet.se"
	if _, err := e.svc.Sending.ChangeRecipients(e.ctx, e.as[workflow.RoleRegistrator], "huddinge", c.ID, sending.RecipientsChange{Version: c.Version, ReplyTo: &bad}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("a reply address that is not one: %v", err)
	}
	e.must(e.svc.Diarium.UpdateBody(e.ctx, workflow.SystemActor(), "huddinge", "MSN", diarium.BodyChange{Email: ptr("")}))
	_, err = e.fire(c, workflow.RoleSekreterare, "expediera", "")
	if workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), "”Miljö- och samhällsbyggnadsnämnden” i ”Beslutet ska skickas till” har ingen e-postadress") {
		t.Errorf("a recipient without an address: %v", err)
	}
	if got := e.reload(c); got.Version != c.Version || got.State != "expediering" {
		t.Errorf("the refused expediera changed the case: %s version %d", got.State, got.Version)
	}
	if msgs, err := e.svc.Sending.Messages(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID); err != nil || slices.ContainsFunc(msgs, func(m sending.OutboxEntry) bool { return m.Template == workflow.MailAnswer }) {
		t.Errorf("the refused expediera queued %+v (%v)", msgs, err)
	}
	e.must(e.svc.Diarium.UpdateBody(e.ctx, workflow.SystemActor(), "huddinge", "MSN", diarium.BodyChange{Email: ptr("msn@huddinge.example")}))

	// A case whose yttrande was written outside remiss (a handling
	// without a draft) has no rendered PDF to send.
	other, err := e.fire(e.atKS(), workflow.RoleSekreterare, "ks_beslut", e.data(`{"outcome":"antaget","meeting":<KS>,"justeras_omedelbart":true,"justerare":["Malin Danielsson"]}`))
	e.check(err)
	if _, err := e.fire(other, workflow.RoleSekreterare, "expediera", ""); workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), "inte registrerat som handling") {
		t.Errorf("without the decided PDF: %v", err)
	}
	e.deliver(&mailbox{})

	down := closedPort(t)
	mailer, err := notify.New(notify.SMTPConfig{URL: "smtp://" + down + "?tls=none", From: "remiss@huddinge.example"}, nil)
	e.check(err)
	c = e.expedite(e.reload(c))
	if got := e.deliver(mailer); got.Retried != 3 || got.Sent != 0 {
		t.Fatalf("with the mail server down: %+v", got)
	}
	answer := e.answerEntry(c)
	if c = e.reload(c); c.State != "expediering" || answer.Status != sending.OutboxPending || !strings.Contains(answer.LastError, down) {
		t.Errorf("with the server down: case %s, answer %+v", c.State, answer)
	}
	srv := smtptest.Start(t)
	e.clock.advance(time.Minute)
	if got := e.deliver(smtpMailer(t, srv)); got.Sent != 3 {
		t.Fatalf("once the server is back: %+v", got)
	}
	checkAnswer(t, srv.Messages(), e.decidedPDF(c))
	if c = e.reload(c); c.State != "besvarad" {
		t.Errorf("once the server is back: %s", c.State)
	}
}

// closedPort is an address on loopback where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func ptr[T any](v T) *T { return &v }
