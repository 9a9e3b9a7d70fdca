package workflow_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/meetings"
)

// meeting adds a meeting of body on day and returns its id.
func (e *env) meeting(body, day string) int64 {
	e.t.Helper()
	m, err := e.svc.Meetings.CreateMeeting(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", body, workflow.NewMeeting{Date: day, Time: "13:00"})
	e.check(err)
	return m.ID
}

// members adds the members of body.
func (e *env) members(body string, names ...string) {
	e.t.Helper()
	for i, name := range names {
		role := "ledamot"
		if i == 0 {
			role = "ordforande"
		}
		e.must(e.svc.Meetings.AddMember(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", body, workflow.NewMember{Name: name, Role: role}))
	}
}

// atKS drives a new case to the kommunstyrelse state through today's KSAU
// and KS meetings.
func (e *env) atKS() workflow.Case {
	e.t.Helper()
	c := e.register("kommunstyrelsen")
	e.addYttrande(c)
	for _, step := range []struct {
		role        workflow.Role
		event, data string
	}{
		{workflow.RoleRegistrator, "tilldela", sampleData["tilldela"]},
		{workflow.RoleHandlaggare, "paborja_beredning", ""},
		{workflow.RoleHandlaggare, "anmal_till_au", sampleData["anmal_till_au"]},
		{workflow.RoleSekreterare, "au_beslut", sampleData["au_beslut"]},
	} {
		var err error
		c, err = e.fire(c, step.role, step.event, step.data)
		e.check(err)
	}
	return c
}

// TestParagraphsAreGaplessUnderConcurrentDecisions: 32 decisions recorded
// at once at one KS meeting get the numbers 1 to 32, each once, on both
// databases; each case's history records its number.
func TestParagraphsAreGaplessUnderConcurrentDecisions(t *testing.T) {
	slow(t)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			const n = 32
			cases := make([]workflow.Case, n)
			for i := range cases {
				cases[i] = e.atKS()
			}
			got := make([]int, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, c := range cases {
				wg.Go(func() {
					<-start
					after, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", sampleData["ks_beslut"])
					errs[i] = err
					if err == nil {
						got[i] = after.Paragraphs[len(after.Paragraphs)-1].Number
					}
				})
			}
			close(start)
			wg.Wait()
			for _, err := range errs {
				e.check(err)
			}
			slices.Sort(got)
			for i, number := range got {
				if number != i+1 {
					t.Fatalf("numbers %v, want 1..%d each once", got, n)
				}
			}
			ps, err := e.svc.Meetings.Paragraphs(e.ctx, e.as[workflow.RoleLasare], "huddinge", e.meetings["KS"])
			e.check(err)
			if len(ps) != n || ps[0].Number != 1 || ps[n-1].Number != n {
				t.Fatalf("stored %d paragraphs, first %d last %d", len(ps), ps[0].Number, ps[len(ps)-1].Number)
			}
			h, err := e.svc.History(e.ctx, e.as[workflow.RoleLasare], "huddinge", ps[7].CaseID)
			e.check(err)
			if last := string(h[len(h)-1].Data); !strings.Contains(last, `"paragraph":8`) {
				t.Errorf("history of § 8's case records %s", last)
			}
		})
	}
}

// TestParagraphNumbersRestartEachYearAndExplicitOnesAreChecked: numbering
// starts again at 1 in January; a number stated by hand is used, a taken
// one is refused without changing the case, and automatic numbering goes
// on after the highest.
func TestParagraphNumbersRestartEachYearAndExplicitOnesAreChecked(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t))
			a, c := e.atKS(), e.atKS()
			e.clock.set("2024-12-18")
			december := e.meeting("KS", "2024-12-18")
			a = e.decide(a, fmt.Sprintf(`{"outcome":"bordlagg","meeting":%d,"paragraph":5}`, december), 5)
			if _, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"bordlagg","meeting":%d,"paragraph":5}`, december)); workflow.ErrorCode(err) != workflow.CodeConflict ||
				!strings.Contains(err.Error(), "redan en § 5 år 2024") {
				t.Fatalf("a second § 5: %v, want a conflict naming § 5", err)
			}
			if e.reload(c).Version != c.Version {
				t.Fatal("the refused decision changed the case")
			}
			c = e.decide(c, fmt.Sprintf(`{"outcome":"bordlagg","meeting":%d}`, december), 6)
			e.clock.set("2025-01-15")
			january := e.meeting("KS", "2025-01-15")
			e.decide(a, fmt.Sprintf(`{"outcome":"antaget","meeting":%d}`, january), 1)
			e.decide(c, fmt.Sprintf(`{"outcome":"antaget","meeting":%d}`, january), 2)
		})
	}
}

// decide fires ks_beslut with data and checks the § it got.
func (e *env) decide(c workflow.Case, data string, want int) workflow.Case {
	e.t.Helper()
	after, err := e.fire(c, workflow.RoleSekreterare, "ks_beslut", data)
	e.check(err)
	if got := after.Paragraphs[len(after.Paragraphs)-1]; got.Number != want {
		e.t.Fatalf("§ %d, want § %d", got.Number, want)
	}
	return after
}

// TestAppealWindow: three weeks after the anslag, moved past weekends,
// holidays and the eves that lag 1930:173 counts as holidays.
func TestAppealWindow(t *testing.T) {
	cal := calendar.NewSwedish()
	for _, tc := range []struct{ name, anslag, want string }{
		{"ordinary Wednesday", "2024-04-03", "2024-04-24"},
		{"ends on a Saturday", "2024-04-06", "2024-04-29"},
		{"ends on Good Friday 2024", "2024-03-08", "2024-04-02"},
		{"ends on Easter Monday 2024", "2024-03-11", "2024-04-02"},
		{"ends on Ascension Day 2024", "2024-04-18", "2024-05-10"},
		{"ends on midsommarafton 2024", "2024-05-31", "2024-06-24"},
		{"ends on julafton 2024", "2024-12-03", "2024-12-27"},
		{"ends on nyårsafton 2024", "2024-12-10", "2025-01-02"},
		{"ends on nyårsdagen 2025", "2024-12-11", "2025-01-02"},
		{"ends on trettondedag jul 2025", "2024-12-16", "2025-01-07"},
		{"ends on Easter Sunday 2025", "2025-03-30", "2025-04-22"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			anslag, _ := workflow.ParseDate(tc.anslag)
			if got := workflow.AppealEnds(anslag, cal, stockholm); got.String() != tc.want {
				t.Errorf("anslag %s: last day %s, want %s", tc.anslag, got, tc.want)
			}
		})
	}
}

// TestMeetingJusteringMovesTheDecidedCases: justering of the KS minutes
// moves every case decided there that waits for justering, in one go,
// with the anslag and the last day to appeal; the meeting's paragraphs are
// justerade and the anslagsbevis can be written.
func TestMeetingJusteringMovesTheDecidedCases(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.members("KS", "Daniel Dronjak", "Malin Danielsson", "Sara Svensson")
	a, b := e.atKS(), e.atKS()
	a = e.decide(a, sampleData["ks_beslut"], 1)
	b = e.decide(b, sampleData["ks_beslut"], 2)
	ks := e.meetings["KS"]
	sek := e.as[workflow.RoleSekreterare]
	e.clock.set("2024-02-02")
	m, err := e.svc.Meetings.JusteraMeeting(e.ctx, sek, "huddinge", ks, meetings.JusteringInput{Version: e.meetingVersion(ks), Date: "2024-02-01",
		Ordforande: "daniel dronjak", Justerare: []string{"Malin Danielsson"}, Anslag: "2024-02-02"})
	e.check(err)
	if m.Justering == nil || m.Justering.Ordforande != "Daniel Dronjak" || m.Justering.AppealEndsOn.String() != "2024-02-23" {
		t.Fatalf("justering %+v", m.Justering)
	}
	for _, c := range []workflow.Case{a, b} {
		c = e.reload(c)
		if c.State != "expediering" || c.Justering == nil || c.Justering.AnslagOn.String() != "2024-02-02" {
			t.Errorf("%s is %s with justering %+v", c.Dnr, c.State, c.Justering)
		}
	}
	ps, err := e.svc.Meetings.Paragraphs(e.ctx, sek, "huddinge", ks)
	e.check(err)
	if ps[0].Justering == nil || ps[1].Justering.JusteradOn.String() != "2024-02-01" {
		t.Errorf("paragraphs not justerade: %+v", ps)
	}
	if _, err := e.svc.Meetings.JusteraMeeting(e.ctx, sek, "huddinge", ks, meetings.JusteringInput{Version: m.Version, Date: "2024-02-01",
		Ordforande: "Daniel Dronjak", Justerare: []string{"Malin Danielsson"}}); workflow.ErrorCode(err) != workflow.CodeConflict {
		t.Errorf("a second justering: %v, want a conflict", err)
	}
	l, err := e.svc.Meetings.Anslagsbevis(e.ctx, sek, "huddinge", ks)
	e.check(err)
	if got := documents.PlainText(l.Blocks[2].Rows[2][1].Spans); got != "§§ 1–2" {
		t.Errorf("anslagsbevis paragraphs %q", got)
	}
}

func (e *env) meetingVersion(id int64) int64 {
	e.t.Helper()
	m, err := e.svc.Meetings.Meeting(e.ctx, e.as[workflow.RoleSekreterare], "huddinge", id)
	e.check(err)
	return m.Version
}

// TestBadMeetingInputIsRefusedClearly: the mistakes a secretary can make
// with meetings each get a message that says what is wrong, and change
// nothing.
func TestBadMeetingInputIsRefusedClearly(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.members("KS", "Daniel Dronjak", "Malin Danielsson")
	sek := e.as[workflow.RoleSekreterare]
	e.clock.set("2024-02-05")
	past := e.meetings["KSAU"] // 2024-01-29
	c := e.register("kommunstyrelsen")
	e.addYttrande(c)
	c, _ = e.fire(c, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	c, _ = e.fire(c, workflow.RoleHandlaggare, "paborja_beredning", "")
	expect := func(name string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, want)
		}
	}
	_, err := e.fire(c, workflow.RoleHandlaggare, "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, past))
	expect("agenda item for a past meeting", err, "har redan varit")

	future := e.meeting("KSAU", "2024-02-14")
	cancelled := e.meeting("KS", "2024-02-20")
	_, err = e.svc.Meetings.CancelMeeting(e.ctx, sek, "huddinge", cancelled, workflow.MeetingChange{Version: 1, Reason: "Ingen ärenden"})
	e.check(err)
	c, err = e.fire(c, workflow.RoleHandlaggare, "anmal_till_au", fmt.Sprintf(`{"meeting":%d}`, future))
	e.check(err)
	e.clock.set("2024-02-14")
	_, err = e.fire(c, workflow.RoleSekreterare, "au_beslut", fmt.Sprintf(`{"outcome":"forslag","meeting":%d,"ks_meeting":%d}`, future, cancelled))
	expect("KS step on a cancelled meeting", err, "är inställt")

	ks := e.meeting("KS", "2024-02-14")
	c, err = e.fire(c, workflow.RoleSekreterare, "au_beslut", fmt.Sprintf(`{"outcome":"forslag","meeting":%d,"ks_meeting":%d}`, future, ks))
	e.check(err)
	_, err = e.fire(c, workflow.RoleSekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d}`, cancelled))
	expect("paragraph on a cancelled meeting", err, "är inställt")
	_, err = e.fire(c, workflow.RoleSekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d,"reservationer":[{"ledamot":"Okänd Person","text":"Nej."}]}`, ks))
	expect("reservation by an unknown member", err, "Okänd Person är inte ledamot eller ersättare i Kommunstyrelsen")
	_, err = e.fire(c, workflow.RoleSekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d,"jav":["Malin Danielsson"],"reservationer":[{"ledamot":"Malin Danielsson"}]}`, ks))
	expect("reservation by a member with jäv", err, "har anmält jäv")
	c, err = e.fire(c, workflow.RoleSekreterare, "ks_beslut", fmt.Sprintf(`{"outcome":"antaget","meeting":%d}`, ks))
	e.check(err)

	_, err = e.svc.Meetings.JusteraMeeting(e.ctx, sek, "huddinge", ks, meetings.JusteringInput{Version: e.meetingVersion(ks), Date: "2024-02-13",
		Ordforande: "Daniel Dronjak", Justerare: []string{"Malin Danielsson"}})
	expect("justering before the meeting", err, "kan inte ske före sammanträdet")
	_, err = e.svc.Meetings.JusteraMeeting(e.ctx, sek, "huddinge", ks, meetings.JusteringInput{Version: e.meetingVersion(ks), Date: "2024-02-14",
		Ordforande: "Daniel Dronjak", Justerare: []string{"Per Okänd"}})
	expect("unknown justerare", err, "Per Okänd är inte ledamot")
	_, err = e.svc.Meetings.JusteraMeeting(e.ctx, sek, "huddinge", ks, meetings.JusteringInput{Version: e.meetingVersion(ks), Date: "2024-02-14",
		Ordforande: "Daniel Dronjak", Justerare: []string{"Malin Danielsson"}, Anslag: "2024-02-19"})
	expect("anslag too late", err, "senast 2 dagar efter justeringen")
	_, err = e.svc.Meetings.MoveMeeting(e.ctx, sek, "huddinge", ks, workflow.MeetingChange{Version: e.meetingVersion(ks), Date: "2024-03-01"})
	expect("moving a held meeting", err, "har hållits")
	if got := e.reload(c); got.State != "justering" {
		t.Errorf("after the refusals the case is %s, want justering", got.State)
	}
}

// TestAgendaCollectsCasesAndOrdforandebeslut: anmälan to the AU and the
// AU's proposal put the case on the AU's and the KS's agendas; an
// ordförandebeslut shows on the next KS meeting until reported there.
func TestAgendaCollectsCasesAndOrdforandebeslut(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	lasare := e.as[workflow.RoleLasare]
	c := e.atKS()
	for _, body := range []string{"KSAU", "KS"} {
		_, items, err := e.svc.Meetings.Agenda(e.ctx, lasare, "huddinge", e.meetings[body])
		e.check(err)
		if len(items) != 1 || items[0].CaseID != c.ID || len(items[0].Documents) != 2 {
			t.Fatalf("%s agenda %+v, want the case with its two handlingar", body, items)
		}
	}
	o := e.register("kommunstyrelsen")
	o, _ = e.fire(o, workflow.RoleRegistrator, "tilldela", sampleData["tilldela"])
	o, err := e.fire(o, workflow.RoleOrdforande, "ordforandebeslut", sampleData["ordforandebeslut"])
	e.check(err)
	next := e.meeting("KS", "2024-02-12")
	later := e.meeting("KS", "2024-03-11")
	kinds := func(id int64) []string {
		_, items, err := e.svc.Meetings.Agenda(e.ctx, lasare, "huddinge", id)
		e.check(err)
		var out []string
		for _, it := range items {
			out = append(out, it.Kind)
		}
		return out
	}
	if got := kinds(next); !slices.Equal(got, []string{workflow.AgendaAnmalanOrdforandebeslut}) {
		t.Errorf("next KS agenda %v, want the anmälan", got)
	}
	if got := kinds(later); len(got) != 0 {
		t.Errorf("later KS agenda %v, want nothing", got)
	}
	e.clock.set("2024-02-12")
	o, err = e.fire(o, workflow.RoleSekreterare, "anmal_ordforandebeslut", fmt.Sprintf(`{"meeting":%d}`, next))
	e.check(err)
	if ob := o.Obligations[0]; ob.Open() || ob.Report != "KS 2024-02-12 § 1" {
		t.Errorf("obligation after anmälan %+v", ob)
	}
	if got := kinds(next); !slices.Equal(got, []string{workflow.AgendaAnmalanOrdforandebeslut}) {
		t.Errorf("KS agenda after the anmälan %v, want it still listed", got)
	}
}

// TestImportedPlanSkipsWhatIsThere: a CSV plan is imported once; the same
// file again adds nothing; a bad row refuses the whole file.
func TestImportedPlanSkipsWhatIsThere(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	sek := e.as[workflow.RoleSekreterare]
	csv := "\uFEFFDatum;Tid;Plats;Kommentar\n2024-02-14;13.00;KS-salen;\n2024-03-27;9:00;KS-salen;budget\n\n2024-04-10;;;\n"
	rows, err := meetings.ParseMeetingsCSV(strings.NewReader(csv))
	e.check(err)
	res, err := e.svc.Meetings.ImportMeetings(e.ctx, sek, "huddinge", "KSAU", "CSV", rows)
	e.check(err)
	if len(res.Created) != 3 || res.Created[0].Time != "13:00" || res.Created[1].Time != "09:00" || res.Created[0].Location != "KS-salen" {
		t.Fatalf("created %+v", res.Created)
	}
	res, err = e.svc.Meetings.ImportMeetings(e.ctx, sek, "huddinge", "KSAU", "CSV", rows)
	e.check(err)
	if len(res.Created) != 0 || len(res.Skipped) != 3 {
		t.Errorf("second import created %d, skipped %d", len(res.Created), len(res.Skipped))
	}
	bad, err := meetings.ParseMeetingsCSV(strings.NewReader("datum,tid\n2024-05-02,13:00\n2024-13-02,25:00\n"))
	e.check(err)
	_, err = e.svc.Meetings.ImportMeetings(e.ctx, sek, "huddinge", "KSAU", "CSV", bad)
	if err == nil || !strings.Contains(err.Error(), "rad 3.date") || !strings.Contains(err.Error(), "rad 3.time") {
		t.Errorf("bad row: %v, want errors for rad 3", err)
	}
	all, err := e.svc.Meetings.Meetings(e.ctx, sek, "huddinge", "KSAU", workflow.MeetingFilter{})
	e.check(err)
	if len(all) != 4 {
		t.Errorf("%d KSAU meetings after the refused import, want 4", len(all))
	}
}

// TestMovingAndCancellingAreAudited: a move and a cancellation are
// compare-and-swap on the meeting's version and leave log rows.
func TestMovingAndCancellingAreAudited(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	sek := e.as[workflow.RoleSekreterare]
	id := e.meeting("KS", "2024-03-04")
	m, err := e.svc.Meetings.MoveMeeting(e.ctx, sek, "huddinge", id, workflow.MeetingChange{Version: 1, Date: "2024-03-05", Reason: "Krockar med fullmäktige"})
	e.check(err)
	if m.Date.String() != "2024-03-05" || m.Time != "13:00" || m.Version != 2 {
		t.Fatalf("moved meeting %+v", m)
	}
	if _, err := e.svc.Meetings.CancelMeeting(e.ctx, sek, "huddinge", id, workflow.MeetingChange{Version: 1, Reason: "x"}); workflow.ErrorCode(err) != workflow.CodeConflict {
		t.Errorf("cancel at a stale version: %v", err)
	}
	if _, err := e.svc.Meetings.CancelMeeting(e.ctx, sek, "huddinge", id, workflow.MeetingChange{Version: 2}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("cancel without a reason: %v", err)
	}
	_, err = e.svc.Meetings.CancelMeeting(e.ctx, sek, "huddinge", id, workflow.MeetingChange{Version: 2, Reason: "Inga ärenden"})
	e.check(err)
	log, err := e.svc.Meetings.MeetingLog(e.ctx, e.as[workflow.RoleLasare], "huddinge", id)
	e.check(err)
	var actions []string
	for _, l := range log {
		actions = append(actions, l.Action)
	}
	if !slices.Equal(actions, []string{"skapat", "flyttat", "installt"}) {
		t.Errorf("log %v", actions)
	}
	if _, err := e.svc.Meetings.CreateMeeting(e.ctx, e.as[workflow.RoleHandlaggare], "huddinge", "KS", workflow.NewMeeting{Date: "2024-05-05"}); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("a handläggare creating a meeting: %v", err)
	}
}
