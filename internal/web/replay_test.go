package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

// TestHuddingeRemissReplayed takes the remiss of the fixtures (KS-2024/76.109,
// SOU 2023:94) from registration to avslutad through the API, on the dates
// of the real case where the documents give them: intern remiss to two
// nämnder (one answers, one is late), an återremiss from KSAU, KSAU
// 27 March 2024 § 15 proposing, the KS decision, justering and sending.
func TestHuddingeRemissReplayed(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			clock := &dayClock{}
			clock.set("2024-01-29")
			a := newAPIAt(t, b.Open(t), clock)
			o := a.bootstrap("huddinge")
			base := "/api/v1/organizations/huddinge"
			meetings := map[string]int64{}
			for _, m := range []struct{ body, date string }{{"KSAU", "2024-03-20"}, {"KSAU", "2024-03-27"}, {"KS", "2024-04-08"}} {
				var got struct{ ID int64 }
				a.call("POST", base+"/bodies/"+m.body+"/meetings", o.sekreterare, map[string]string{"date": m.date, "time": "13:00", "location": "KS-salen"}, 201, &got)
				meetings[m.body+" "+m.date] = got.ID
			}
			a.call("POST", base+"/bodies/KS/members", o.sekreterare, map[string]string{"name": "Ledamot A", "role": "ledamot"}, 201, nil)
			a.call("PUT", base+"/logo", o.admin, translucentLogo(t), 200, nil)
			reg := registration()
			reg["title"] = fixtureTitle
			r := replay{t: t, a: a, c: a.register(o, reg)}
			r.url = fmt.Sprintf("/api/v1/organizations/huddinge/cases/%d", r.c.ID)
			if r.c.Dnr != "KS-2024/76.109" {
				t.Fatalf("registered as %s", r.c.Dnr)
			}

			r.fire(o.registrator, "tilldela", `{"handlaggare":"handlaggare@huddinge.example"}`, "tilldelad")
			r.fire(o.handlaggare, "begar_yttranden", `{"consultations":[{"body":"SN","deadline":"2024-03-14"},{"body":"GSN","deadline":"2024-03-14"}]}`, "intern_remiss")
			clock.set("2024-03-12")
			r.refuse(o.handlaggare, "sammanstall", ``, 422, "Väntar fortfarande på svar från Socialnämnden")
			r.addDocument(o.registrator, `{"title":"Protokollsutdrag Socialnämnden 2024-03-11 § 22","kind":"protokollsutdrag","direction":"inkommande","date":"2024-03-12","counterpart":"Socialnämnden"}`)
			r.fire(o.registrator, "registrera_svar", `{"body":"SN","outcome":"yttrande","paragraph":22,"decided_on":"2024-03-11","handling":2}`, "intern_remiss")
			r.refuse(o.handlaggare, "sammanstall", ``, 422, "Grundskolenämnden")
			clock.set("2024-03-15") // Grundskolenämnden's deadline has passed: late, not waited for
			if got := r.get(); !got.Consultations[1].Late || got.Consultations[0].Status != "besvarad" {
				t.Errorf("consultations on 15 March: %+v", got.Consultations)
			}
			r.fire(o.handlaggare, "sammanstall", ``, "beredning")
			r.refuse(o.handlaggare, "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, meetings["KSAU 2024-03-20"]), 422, "utkast till yttrande")
			a.call("PUT", r.url+"/drafts/yttrande", o.handlaggare, map[string]any{"text": replayDraft, "base_version": 0}, 200, nil)
			a.call("PUT", r.url+"/drafts/tjansteutlatande", o.handlaggare, map[string]any{"text": "# Sammanfattning\n\nFörvaltningen föreslår att kommunen tillstyrker.", "base_version": 0}, 200, nil)
			r.fire(o.handlaggare, "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, meetings["KSAU 2024-03-20"]), "arbetsutskott")

			clock.set("2024-03-20")
			r.refuse(o.sekreterare, "au_beslut", fmt.Sprintf(`{"outcome":"aterremiss","meeting":%d,"paragraph":9}`, meetings["KSAU 2024-03-20"]), 422, "data.motivation")
			r.fire(o.sekreterare, "au_beslut", fmt.Sprintf(`{"outcome":"aterremiss","meeting":%d,"paragraph":9,"motivation":"Komplettera med Grundskolenämndens synpunkter."}`, meetings["KSAU 2024-03-20"]), "beredning")
			r.fire(o.handlaggare, "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, meetings["KSAU 2024-03-27"]), "arbetsutskott")
			clock.set("2024-03-27")
			r.fire(o.sekreterare, "au_beslut", fixtureDecision(meetings["KSAU 2024-03-27"], meetings["KS 2024-04-08"]), "kommunstyrelse")
			clock.set("2024-04-08")
			r.fire(o.sekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d,"paragraph":53,"reservationer":[{"ledamot":"Ledamot A","text":"Till förmån för eget förslag."}]}`, meetings["KS 2024-04-08"]), "justering")
			clock.set("2024-04-10")
			c := r.fire(o.sekreterare, "justera", `{"date":"2024-04-10","justerare":["Justerare B"]}`, "expediering")
			// The anslag goes up the same day; three weeks later is Wednesday 1 May,
			// första maj, so the appeal window ends on Thursday 2 May.
			if j := c.Justering; j == nil || j.AnslagOn.String() != "2024-04-10" || j.AppealEndsOn.String() != "2024-05-02" {
				t.Errorf("justering %+v", j)
			}
			clock.set("2024-04-11")
			var preview sending.Expedition
			a.call("GET", r.url+"/expediering", o.lasare, nil, 200, &preview)
			if !preview.Ready || len(preview.Messages) != 1 || preview.Messages[0].Subject != "Fi2023/04321 Huddinge kommun" {
				t.Errorf("expedition preview: %+v", preview)
			}
			r.fire(o.registrator, "expediera", ``, "expediering")
			if got, err := a.svc.Sending.DeliverOutbox(t.Context(), acceptingMailer{}); err != nil || got.Sent != 2 { // the handläggare's notice and the answer
				t.Fatalf("delivering: %+v, %v", got, err)
			}
			r.c.Version = r.get().Version
			if c := r.get(); c.State != "besvarad" {
				t.Fatalf("after sending: %s", c.State)
			}
			var docs struct{ Items []workflow.Document }
			a.call("GET", r.url+"/documents", o.lasare, nil, 200, &docs)
			if last := docs.Items[len(docs.Items)-1]; last.Direction != workflow.Utgaende || last.Sent == nil || last.Sent.MessageID == "" {
				t.Errorf("the sent answer as a handling: %+v", last)
			}
			r.fire(o.registrator, "avsluta", ``, "avslutad")
			if c := r.get(); len(c.AvailableEvents) != 0 {
				t.Errorf("events offered on a closed case: %+v", c.AvailableEvents)
			}

			var history []workflow.HistoryEntry
			a.call("GET", r.url+"/history", o.lasare, nil, 200, &history)
			var events []string
			for _, h := range history {
				events = append(events, h.Event)
			}
			checkProtokollsutdrag(t, a, o, meetings["KSAU 2024-03-27"])
			checkEveryPDF(t, a, o, r.url, meetings)
			want := "registrera tilldela begar_yttranden registrera_svar sammanstall anmal_till_au au_beslut anmal_till_au au_beslut ks_beslut justera expediera svaret_skickat avsluta"
			if strings.Join(events, " ") != want {
				t.Errorf("history:\n%s\nwant\n%s", strings.Join(events, " "), want)
			}
			if err := workflow.VerifyHistory(r.c.Dnr, history); err != nil {
				t.Error(err)
			}
			if !strings.Contains(string(history[6].Data), "Komplettera med") || !strings.Contains(string(history[10].Data), `"appeal_ends_on":"2024-05-02"`) {
				t.Errorf("history data: %s / %s", history[6].Data, history[10].Data)
			}
		})
	}
}

// replayDraft is the handläggare's yttrande: a heading that skips a
// level, a list with a character the fonts lack, and a table.
const replayDraft = "Huddinge kommun tillstyrker förslagen.\n\n# Synpunkter\n\nKommunen ser positivt på försöksverksamheten.\n\n" +
	"### Särskilt om utvärderingen\n\n- Utvärdera försöken ✓\n- Redovisa resultaten\n\n| Avsnitt | Ställningstagande |\n|---|---|\n| 5.2 | Tillstyrker |\n"

// acceptingMailer is a mail server that takes every message: the API
// tests need the answer sent, and the SMTP conversation itself is tested
// against a real server in workflow and notify.
type acceptingMailer struct{}

func (acceptingMailer) Deliver(_ context.Context, it sending.OutboxItem) (string, error) {
	return fmt.Sprintf("remiss.%d@test.invalid", it.ID), nil
}

type replay struct {
	t   *testing.T
	a   *api
	c   caseJSON
	url string
}

// fire fires an event at the case's current version and requires state.
func (r *replay) fire(token, event, data, state string) workflow.Case {
	r.t.Helper()
	body := map[string]any{"event": event, "version": r.c.Version}
	if data != "" {
		body["data"] = rawJSON(data)
	}
	var c workflow.Case
	r.a.call("POST", r.url+"/events", token, body, 200, &c)
	if c.State != state || c.Version != r.c.Version+1 {
		r.t.Fatalf("%s: state %s version %d, want %s version %d", event, c.State, c.Version, state, r.c.Version+1)
	}
	r.c.Version = c.Version
	return c
}

// refuse requires the event to be refused with status and a problem that
// mentions want.
func (r *replay) refuse(token, event, data string, status int, want string) {
	r.t.Helper()
	body := map[string]any{"event": event, "version": r.c.Version}
	if data != "" {
		body["data"] = rawJSON(data)
	}
	p := wantProblem(r.t, r.a.do("POST", r.url+"/events", token, body, ""), status)
	if !strings.Contains(fmt.Sprint(p), want) {
		r.t.Errorf("%s refused with %+v, want it to mention %q", event, p, want)
	}
}

func (r *replay) addDocument(token, doc string) {
	r.t.Helper()
	r.a.call("POST", r.url+"/documents", token, rawJSON(doc), 201, nil)
}

func (r *replay) get() workflow.Case {
	r.t.Helper()
	var c workflow.Case
	r.a.call("GET", r.url, systemToken, nil, 200, &c)
	return c
}
