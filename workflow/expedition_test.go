package workflow_test

import (
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/sending"
)

// TestExpeditionPreview shows what expediera will send: the yttrande to
// the ministry's mailbox with the exact subject, the missiv and both
// files named for the remissinstans, the protokollsutdrag to each other
// recipient with an address, and why it cannot be sent yet.
func TestExpeditionPreview(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), withDocuments(t))
	e.members("KS", "Daniel Dronjak", "Malin Danielsson")
	sys := workflow.SystemActor()
	e.must(e.svc.Diarium.CreateBody(e.ctx, sys, "huddinge", workflow.NewBody{Code: "MSN", Name: "Miljö- och samhällsbyggnadsnämnden", Kind: "namnd", Email: "msn@huddinge.example"}))
	c := e.atKS()
	x, err := e.svc.Sending.ExpeditionPreview(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
	e.check(err)
	if x.Ready || len(x.Problems) != 2 || !strings.Contains(x.Problems[0], "Kommunstyrelsen") || !strings.Contains(x.Problems[1], "inte registrerat") {
		t.Errorf("before the decision: %+v", x.Problems)
	}
	e.must(e.saveDraft(c, documents.DraftYttrande, 0, yttrandeDraft))
	_, err = e.fire(c, workflow.RoleSekreterare, "ks_beslut", e.data(`{"outcome":"antaget","meeting":<KS>,"justeras_omedelbart":true,
		"justerare":["Malin Danielsson"],"skickas_till":["Finansdepartementet","Miljö- och samhällsbyggnadsnämnden","Socialnämnden",
		"kommunstyrelsen@huddinge.example","Okänd nämnd"]}`))
	e.check(err)
	x, err = e.svc.Sending.ExpeditionPreview(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", c.ID)
	e.check(err)
	if x.Ready || len(x.Problems) != 2 || !strings.Contains(x.Problems[0], "”Socialnämnden” i ”Beslutet ska skickas till” har ingen e-postadress") ||
		!strings.Contains(x.Problems[1], "”Okänd nämnd”") {
		t.Errorf("problems: %q", x.Problems)
	}
	if len(x.Messages) != 3 {
		t.Fatalf("%d messages, want the ministry's and two extracts: %+v", len(x.Messages), x.Messages)
	}
	m := x.Messages[0]
	if m.Subject != "Fi2023/04321 Huddinge kommun" || !equalJSON(m.To, []string{"fi.remissvar@regeringskansliet.se"}) ||
		!strings.Contains(m.Body, "Huddinge kommun översänder härmed sitt yttrande över Förändring genom försök (SOU 2023:94), er beteckning Fi2023/04321.") {
		t.Errorf("the ministry's message: %+v", m)
	}
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "Huddinge kommun - Yttrande SOU 2023-94.pdf" || m.Attachments[0].MediaType != "application/pdf" ||
		m.Attachments[0].Document == 0 || m.Attachments[1].Name != "Huddinge kommun - Yttrande SOU 2023-94.docx" || m.Attachments[1].Size == 0 {
		t.Errorf("attachments: %+v", m.Attachments)
	}
	for i, to := range []string{"msn@huddinge.example", "kommunstyrelsen@huddinge.example"} {
		got := x.Messages[i+1]
		if got.Kind != "protokollsutdrag" || !equalJSON(got.To, []string{to}) || len(got.Attachments) != 1 ||
			got.Attachments[0].Name != "Huddinge kommun - Protokollsutdrag Kommunstyrelsen § 1.pdf" || !strings.HasPrefix(got.Subject, "Protokollsutdrag KS 2024-01-29 § 1: ") {
			t.Errorf("extract %d: %+v", i, got)
		}
	}
}

// TestRecipientsAreChangedByCompareAndSwapWithHistory: the reply address,
// copies and contact person change against the case's version, with a
// history row, on both databases; a stale version or a bad address
// changes nothing.
func TestRecipientsAreChangedByCompareAndSwapWithHistory(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t), withDocuments(t))
			c := e.register("kommunstyrelsen")
			reg := e.as[workflow.RoleRegistrator]
			addr, contact := "remissvar.ka@regeringskansliet.se", "Anna Andersson"
			got, err := e.svc.Sending.ChangeRecipients(e.ctx, reg, "huddinge", c.ID, sending.RecipientsChange{Version: c.Version, ReplyTo: &addr,
				Cc: []string{"Fi.KA@regeringskansliet.se"}, Contact: &contact})
			e.check(err)
			if got.Remiss.ReplyTo != addr || !equalJSON(got.Remiss.Cc, []string{"fi.ka@regeringskansliet.se"}) || got.Remiss.Contact != contact || got.Version != c.Version+1 {
				t.Errorf("after the change: %+v (version %d)", got.Remiss, got.Version)
			}
			h, err := e.svc.History(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID)
			e.check(err)
			if last := h[len(h)-1]; last.Event != "andra_mottagare" || !strings.Contains(string(last.Data), addr) || last.From != last.To {
				t.Errorf("history: %+v", last)
			}
			bad := "inte en adress"
			for name, in := range map[string]sending.RecipientsChange{
				"stale":       {Version: c.Version, Contact: &contact},
				"bad address": {Version: got.Version, ReplyTo: &bad},
				"six copies":  {Version: got.Version, Cc: []string{"a@x.se", "b@x.se", "c@x.se", "d@x.se", "e@x.se", "f@x.se"}},
			} {
				if _, err := e.svc.Sending.ChangeRecipients(e.ctx, reg, "huddinge", c.ID, in); err == nil {
					t.Errorf("%s: accepted", name)
				}
			}
			if _, err := e.svc.Sending.ChangeRecipients(e.ctx, e.as[workflow.RoleLasare], "huddinge", c.ID, sending.RecipientsChange{Version: got.Version, Contact: &contact}); workflow.ErrorCode(err) != workflow.CodeForbidden {
				t.Errorf("a läsare changes recipients: %v", err)
			}
			again := e.reload(c)
			if again.Version != got.Version || again.Remiss.ReplyTo != addr {
				t.Errorf("refused changes changed the case: %+v", again.Remiss)
			}
			x, err := e.svc.Sending.ExpeditionPreview(e.ctx, reg, "huddinge", c.ID)
			e.check(err)
			if !equalJSON(x.Messages[0].To, []string{addr}) || !equalJSON(x.Messages[0].Cc, []string{"fi.ka@regeringskansliet.se"}) {
				t.Errorf("the preview does not follow: %+v", x.Messages[0])
			}
		})
	}
}
