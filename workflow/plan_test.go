package workflow_test

import (
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// The bodies and the 2024 sammanträdesplan of a municipality like
// Huddinge (KSAU on Wednesdays, KS on Mondays twelve days later), and of
// Nacka's KS with the Nämnden för arbete och försörjning.
var (
	planBodies = []workflow.Body{
		{ID: 1, Code: "KS", Name: "Kommunstyrelsen", Kind: workflow.KindStyrelse},
		{ID: 2, Code: "KSAU", Name: "Kommunstyrelsens arbetsutskott", Kind: workflow.KindUtskott, Parent: "KS", ParentID: 1},
		{ID: 3, Code: "SN", Name: "Socialnämnden", Kind: workflow.KindNamnd},
		{ID: 4, Code: "NAF", Name: "Nämnden för arbete och försörjning", Kind: workflow.KindNamnd},
	}
	planCalendar = map[int64][]string{
		1: {"2024-02-19", "2024-03-11", "2024-04-08", "2024-05-06", "2024-05-27", "2024-06-17", "2024-08-26", "2024-09-16", "2024-10-14", "2024-11-04", "2024-11-25", "2024-12-16"},
		2: {"2024-02-07", "2024-02-28", "2024-03-27", "2024-04-24", "2024-05-15", "2024-06-05", "2024-08-14", "2024-09-04", "2024-10-02", "2024-10-23", "2024-11-13", "2024-12-04"},
		3: {"2024-02-20", "2024-03-19", "2024-04-23", "2024-05-21", "2024-06-18", "2024-08-27", "2024-09-24"},
		4: {"2024-02-21", "2024-03-20", "2024-04-17", "2024-05-22", "2024-06-12", "2024-08-21"},
	}
)

func day(t testing.TB, s string) workflow.Date {
	t.Helper()
	d, err := workflow.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustDay(s string) workflow.Date {
	d, err := workflow.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func planMeetings(t testing.TB, from workflow.Date) []workflow.Meeting {
	var out []workflow.Meeting
	id := int64(100)
	for bodyID, dates := range planCalendar {
		for _, s := range dates {
			id++
			d := day(t, s)
			if d.Before(from) {
				continue
			}
			b := planBodies[bodyID-1]
			out = append(out, workflow.Meeting{ID: id, BodyID: bodyID, Body: b.Code, BodyName: b.Name, BodyKind: b.Kind, Date: d, Status: workflow.MeetingPlanerat})
		}
	}
	return out
}

func shipped(t testing.TB, name string) *workflow.Definition {
	t.Helper()
	defs, err := workflow.ShippedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	var latest *workflow.Definition
	for _, d := range defs {
		if d.Name == name && (latest == nil || d.Version > latest.Version) {
			latest = d
		}
	}
	if latest == nil {
		t.Fatalf("no shipped workflow %s", name)
	}
	return latest
}

type planCase struct {
	name          string
	route         string
	series        string // KS unless given
	state         string
	today, reply  string
	rules         func(*workflow.PlanningRules)
	own           []planning.ClosedDay
	consultations []workflow.Consultation
	paragraphs    []workflow.Paragraph
	agenda        []workflow.Meeting
	// want maps a step (kind, or kind:body) to "date status".
	want         map[string]string
	wantStatus   workflow.PlanStatus
	wantSendBy   string
	wantNamnd    string
	wantAlts     []string // kind date
	wantProblems []string // substrings
	wantNotes    []string // substrings of some step's note
}

func (pc planCase) input(t *testing.T) planning.PlanInput {
	rules := workflow.DefaultPlanningRules()
	if pc.rules != nil {
		pc.rules(&rules)
	}
	today := day(t, pc.today)
	if pc.series == "" {
		pc.series = "KS"
	}
	c := workflow.Case{ID: 1, Dnr: "KS-2024/76.109", Series: pc.series, State: pc.state,
		Remiss:        workflow.Remiss{Deadline: day(t, pc.reply)},
		Consultations: pc.consultations, Paragraphs: pc.paragraphs}
	return planning.PlanInput{Case: c, Def: shipped(t, pc.route), Today: today, Rules: rules,
		Days:   planning.NewWorkdays(calendar.NewSwedish(), stockholm, pc.own),
		Bodies: planBodies, Meetings: planMeetings(t, today), Agenda: pc.agenda}
}

var planCases = []planCase{
	{
		// KS-2024/76.109: registered 29 January, reply by 15 April. Huddinge
		// treated it at KSAU 27 March (§ 15) and KS 8 April.
		name: "Huddinge SOU 2023:94", route: "kommunstyrelsen", state: "tilldelad", today: "2024-01-29", reply: "2024-04-15",
		want: map[string]string{
			"expediering": "2024-04-15 i_tid", "justering": "2024-04-12 i_tid", "kommunstyrelse": "2024-04-08 i_tid",
			"arbetsutskott": "2024-03-27 i_tid", "stopptid": "2024-03-13 i_tid", "namnd_svar": "2024-03-06 i_tid",
		},
		wantStatus: workflow.PlanITid, wantSendBy: "2024-04-15", wantNamnd: "2024-03-06",
	},
	{
		// NAF-2024-00024: Nacka asked three nämnder; Nämnden för arbete och
		// försörjning decided in March for KS on 8 April. Nacka's own lead
		// times are shorter and its KS has no AU step for remisser.
		name: "Nacka with the nämnder", route: "kommunstyrelsen-utan-au", state: "intern_remiss", today: "2024-02-26", reply: "2024-04-15",
		rules: func(r *workflow.PlanningRules) { r.CutoffDays, r.NamndDays = 5, 3 },
		consultations: []workflow.Consultation{
			{ID: 7, BodyID: 4, Body: "NAF", BodyName: "Nämnden för arbete och försörjning", Deadline: mustDay("2024-03-25"), Status: workflow.ConsultationBegard},
			{ID: 8, BodyID: 3, Body: "SN", BodyName: "Socialnämnden", Deadline: mustDay("2024-03-25"), Status: workflow.ConsultationBesvarad, DecidedOn: mustDay("2024-03-19")},
		},
		want: map[string]string{
			"kommunstyrelse": "2024-04-08 i_tid", "stopptid": "2024-03-28 i_tid",
			"namnd_svar:NAF": "2024-03-25 i_tid", "namnd_svar:SN": "2024-03-19 klar",
		},
		wantStatus: workflow.PlanITid, wantNamnd: "2024-03-25",
		wantNotes: []string{"Nämndens sista sammanträde före svarsdatum: 2024-03-20."},
	},
	{
		// Arrives before midsommar, reply at the end of August: the plan
		// goes through the first meetings after the summer break, and the
		// nämnd meets only once more before it.
		name: "summer break", route: "kommunstyrelsen", state: "intern_remiss", today: "2024-06-14", reply: "2024-08-30",
		consultations: []workflow.Consultation{
			{ID: 9, BodyID: 3, Body: "SN", BodyName: "Socialnämnden", Deadline: mustDay("2024-07-24"), Status: workflow.ConsultationBegard},
		},
		want: map[string]string{
			"kommunstyrelse": "2024-08-26 i_tid", "arbetsutskott": "2024-08-14 i_tid", "stopptid": "2024-07-31 i_tid",
			"namnd_svar:SN": "2024-07-24 i_tid",
		},
		wantStatus: workflow.PlanITid, wantNamnd: "2024-07-24",
		wantNotes: []string{"Nämndens sista sammanträde före svarsdatum: 2024-06-18."},
	},
	{
		// Two weeks left and no KS meeting before the reply date.
		name: "no KS meeting in time", route: "kommunstyrelsen", state: "beredning", today: "2024-04-22", reply: "2024-05-03",
		want: map[string]string{
			"kommunstyrelse": "2024-04-29 omojlig", "arbetsutskott": "2024-04-22 omojlig", "justering": "2024-05-02 i_tid",
		},
		wantStatus:   workflow.PlanOmojlig,
		wantAlts:     []string{"ordforandebeslut 2024-05-02", "delegation 2024-05-02", "anstand 2024-05-30"},
		wantProblems: []string{"Kommunstyrelsen har inget sammanträde mellan 2024-04-22 och 2024-04-29"},
	},
	{
		name: "reply on annandag påsk", route: "kommunstyrelsen", state: "tilldelad", today: "2024-01-10", reply: "2024-04-01",
		want:       map[string]string{"expediering": "2024-03-28 i_tid", "justering": "2024-03-27 i_tid", "kommunstyrelse": "2024-03-11 i_tid"},
		wantSendBy: "2024-03-28", wantStatus: workflow.PlanITid,
	},
	{
		// Kristi himmelsfärd on Thursday 9 May and the municipality's own
		// klämdag on Friday 10 May: sent on the 8th, justerat on the 7th, so
		// KS on 6 May leaves too little time and KS 8 April is chosen.
		name: "Ascension and a klämdag", route: "kommunstyrelsen", state: "tilldelad", today: "2024-02-01", reply: "2024-05-10",
		own:        []planning.ClosedDay{{Date: mustDay("2024-05-10"), Kind: planning.DayStangd, Name: "Klämdag"}, {Date: mustDay("2024-04-30"), Kind: planning.DayHalvdag, Name: "Valborgsmässoafton"}},
		want:       map[string]string{"expediering": "2024-05-08 i_tid", "justering": "2024-05-07 i_tid", "kommunstyrelse": "2024-04-08 i_tid", "arbetsutskott": "2024-03-27 i_tid"},
		wantSendBy: "2024-05-08", wantStatus: workflow.PlanITid,
	},
	{
		name: "reply on midsommarafton", route: "kommunstyrelsen", state: "tilldelad", today: "2024-03-01", reply: "2024-06-21",
		want:       map[string]string{"expediering": "2024-06-20 i_tid", "justering": "2024-06-19 i_tid", "kommunstyrelse": "2024-06-17 i_tid", "arbetsutskott": "2024-06-05 i_tid"},
		wantSendBy: "2024-06-20", wantStatus: workflow.PlanITid,
	},
	{
		name: "reply on juldagen", route: "kommunstyrelsen", state: "tilldelad", today: "2024-09-02", reply: "2024-12-25",
		want:       map[string]string{"expediering": "2024-12-23 i_tid", "justering": "2024-12-20 i_tid", "kommunstyrelse": "2024-12-16 i_tid", "arbetsutskott": "2024-12-04 i_tid"},
		wantSendBy: "2024-12-23", wantStatus: workflow.PlanITid,
	},
	{
		// Decided at KSAU § 15 and KS § 70; the justering is three working
		// days away.
		name: "decided, waiting for justering", route: "kommunstyrelsen", state: "justering", today: "2024-04-09", reply: "2024-04-15",
		paragraphs: []workflow.Paragraph{
			{BodyID: 2, Body: "KSAU", Number: 15, MeetingID: 5, MeetingDate: mustDay("2024-03-27"), Kind: workflow.ParagraphBeslut},
			{BodyID: 1, Body: "KS", Number: 70, MeetingID: 6, MeetingDate: mustDay("2024-04-08"), Kind: workflow.ParagraphBeslut},
		},
		want:       map[string]string{"arbetsutskott": "2024-03-27 klar", "kommunstyrelse": "2024-04-08 klar", "stopptid": "2024-03-13 klar", "justering": "2024-04-12 risk"},
		wantStatus: workflow.PlanRisk,
	},
	{
		// Anmäld to the KSAU of 24 April, after the reply date allows.
		name: "anmäld too late", route: "kommunstyrelsen", state: "arbetsutskott", today: "2024-04-02", reply: "2024-04-30",
		agenda:       []workflow.Meeting{{ID: 55, BodyID: 2, Body: "KSAU", BodyKind: workflow.KindUtskott, Date: mustDay("2024-04-24"), Status: workflow.MeetingPlanerat}},
		want:         map[string]string{"arbetsutskott": "2024-04-24 sen"},
		wantStatus:   workflow.PlanSen,
		wantAlts:     []string{"ordforandebeslut 2024-04-29", "delegation 2024-04-29", "anstand 2024-05-10"},
		wantProblems: []string{"anmält till KSAU 2024-04-24, för sent för svaret 2024-04-30"},
	},
	{
		// The nämnd answers the ministry itself; its meeting is chosen from
		// the series code.
		name: "a nämnd's own remiss", route: "namnd", series: "NAF", state: "beredning", today: "2024-02-01", reply: "2024-04-15",
		want:       map[string]string{"namnd_beslut": "2024-03-20 i_tid", "stopptid": "2024-03-06 i_tid"},
		wantStatus: workflow.PlanITid,
	},
}

func TestPlanner(t *testing.T) {
	for _, pc := range planCases {
		t.Run(pc.name, func(t *testing.T) {
			p := planning.ComputePlan(pc.input(t))
			got := map[string]string{}
			var notes []string
			for _, s := range p.Steps {
				key := s.Kind
				if s.Kind == planning.StepNamndSvar && s.Body != "" {
					key += ":" + s.Body
				}
				got[key] = s.Date.String() + " " + string(s.Status)
				notes = append(notes, s.Note)
			}
			for k, want := range pc.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q (plan %v)", k, got[k], want, got)
				}
			}
			if pc.wantStatus != "" && p.Status != pc.wantStatus {
				t.Errorf("plan status %s, want %s", p.Status, pc.wantStatus)
			}
			if pc.wantSendBy != "" && p.SendBy.String() != pc.wantSendBy {
				t.Errorf("send by %s, want %s", p.SendBy, pc.wantSendBy)
			}
			if pc.wantNamnd != "" && p.NamndDeadline.String() != pc.wantNamnd {
				t.Errorf("nämnd deadline %s, want %s", p.NamndDeadline, pc.wantNamnd)
			}
			var alts []string
			for _, a := range p.Alternatives {
				alts = append(alts, a.Kind+" "+a.Date.String())
			}
			if strings.Join(alts, ", ") != strings.Join(pc.wantAlts, ", ") {
				t.Errorf("alternatives %v, want %v", alts, pc.wantAlts)
			}
			for _, want := range pc.wantProblems {
				if !strings.Contains(strings.ToLower(strings.Join(p.Problems, "\n")), strings.ToLower(want)) {
					t.Errorf("problems %q lack %q", p.Problems, want)
				}
			}
			for _, want := range pc.wantNotes {
				if !strings.Contains(strings.Join(notes, "\n"), want) {
					t.Errorf("notes %q lack %q", notes, want)
				}
			}
		})
	}
}

func TestPlanFlagsHalfDays(t *testing.T) {
	pc := planCase{route: "kommunstyrelsen", state: "tilldelad", today: "2024-03-01", reply: "2024-05-02",
		own: []planning.ClosedDay{{Date: day(t, "2024-04-30"), Kind: planning.DayHalvdag, Name: "Valborgsmässoafton"}}}
	p := planning.ComputePlan(pc.input(t))
	for _, s := range p.Steps {
		if s.Kind == planning.StepJustering {
			if s.Date.String() != "2024-04-30" || !strings.Contains(s.Note, "Halvdag: Valborgsmässoafton.") {
				t.Errorf("justering %s %q: want 2024-04-30 flagged as a half day", s.Date, s.Note)
			}
			return
		}
	}
	t.Fatal("no justering step")
}

// FuzzPlanIsOrderedOnWorkingDays: whatever the dates and lead times, the
// steps of a plan come in the order of the route and every date the plan
// sets is a working day.
func FuzzPlanIsOrderedOnWorkingDays(f *testing.F) {
	f.Add(uint16(28), uint16(77), uint8(5), uint8(10), uint8(5), uint8(2), uint8(1), false)
	f.Add(uint16(112), uint16(11), uint8(0), uint8(0), uint8(0), uint8(0), uint8(0), true)
	f.Add(uint16(165), uint16(77), uint8(3), uint8(5), uint8(9), uint8(14), uint8(3), false)
	f.Add(uint16(340), uint16(20), uint8(15), uint8(15), uint8(15), uint8(15), uint8(15), true)
	order := map[string]int{
		planning.StepNamndSvar: 0, planning.StepStopptid: 1, planning.StepArbetsutskott: 2, planning.StepStyrelse: 3,
		planning.StepJustering: 4, planning.StepExpediering: 5,
	}
	defs := map[bool]*workflow.Definition{false: shipped(f, "kommunstyrelsen"), true: shipped(f, "kommunstyrelsen-utan-au")}
	cal := planning.NewWorkdays(calendar.NewSwedish(), stockholm, nil)
	f.Fuzz(func(t *testing.T, todayOff, replyOff uint16, namnd, cutoff, auks, just, exp uint8, withoutAU bool) {
		today := mustDay("2024-01-01").AddDays(int(todayOff % 366))
		rules := workflow.DefaultPlanningRules()
		rules.NamndDays, rules.CutoffDays, rules.AUToKSDays = int(namnd%20), int(cutoff%20), int(auks%20)
		rules.JusteringDays, rules.ExpedieringDays = int(just%20), int(exp%20)
		p := planning.ComputePlan(planning.PlanInput{
			Case: workflow.Case{State: "tilldelad", Series: "KS", Remiss: workflow.Remiss{Deadline: today.AddDays(int(replyOff % 400))}},
			Def:  defs[withoutAU], Today: today, Rules: rules, Days: cal, Bodies: planBodies, Meetings: planMeetings(t, today),
		})
		last := map[int]workflow.Date{}
		for _, s := range p.Steps {
			if !cal.IsWorkingDay(s.Date) {
				t.Errorf("%s on %s, not a working day", s.Kind, s.Date)
			}
			rank := order[s.Kind]
			last[rank] = s.Date
		}
		for r := 1; r <= 5; r++ {
			for q := 0; q < r; q++ {
				a, aok := last[q]
				b, bok := last[r]
				if aok && bok && a.After(b) {
					t.Errorf("step %d on %s after step %d on %s: %+v", q, a, r, b, p.Steps)
				}
			}
		}
		if p.Status == workflow.PlanOmojlig && len(p.Alternatives) == 0 && len(p.Problems) == 0 {
			t.Errorf("an impossible plan says neither why nor what to do instead: %+v", p)
		}
	})
}

// BenchmarkComputePlan plans the Huddinge case with intern remiss to two
// nämnder through a year's calendar of four bodies.
func BenchmarkComputePlan(b *testing.B) {
	pc := planCases[1]
	in := planning.PlanInput{
		Case: workflow.Case{State: "intern_remiss", Series: "KS", Remiss: workflow.Remiss{Deadline: mustDay("2024-04-15")}, Consultations: pc.consultations},
		Def:  shipped(b, "kommunstyrelsen"), Today: mustDay("2024-02-26"), Rules: workflow.DefaultPlanningRules(),
		Days: planning.NewWorkdays(calendar.NewSwedish(), stockholm, nil), Bodies: planBodies, Meetings: planMeetings(b, mustDay("2024-02-26")),
	}
	for b.Loop() {
		if p := planning.ComputePlan(in); len(p.Steps) == 0 {
			b.Fatal("no steps")
		}
	}
}

// TestAPlanAfterTheReplyDate: every open step is late, the problem names
// the passed reply date, and only an anstånd is proposed.
func TestAPlanAfterTheReplyDate(t *testing.T) {
	pc := planCase{route: "kommunstyrelsen", state: "tilldelad", today: "2024-05-02", reply: "2024-04-15"}
	p := planning.ComputePlan(pc.input(t))
	for _, s := range p.Steps {
		if s.Status != workflow.PlanSen {
			t.Errorf("%s on %s is %s, want sen (%s)", s.Kind, s.Date, s.Status, s.Note)
		}
	}
	if len(p.Problems) != 1 || p.Problems[0] != "Svarsdatumet 2024-04-15 har passerat." {
		t.Errorf("problems %q", p.Problems)
	}
	if len(p.Alternatives) != 1 || p.Alternatives[0].Kind != "anstand" || p.Alternatives[0].Date.String() != "2024-06-20" {
		t.Errorf("alternatives %+v", p.Alternatives)
	}
}
