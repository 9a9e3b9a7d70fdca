package diarium

import (
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
)

func TestCheckMinistryDnr(t *testing.T) {
	for _, tc := range []struct {
		dnr  string
		warn string // "" for none, else a fragment of the warning
	}{
		{"Fi2023/04321", ""},
		{"KN2023/04578", ""},
		{"S2023/02147", ""},
		{"Fö2024/00012", ""},
		{"Fi2019/01234/K", ""},
		{"", "saknas"},
		{"Fi 2023/04321", "liknar inte"},
		{"Fi2023/4321", "liknar inte"},
		{"SOU 2023:94", "liknar inte"},
		{"Xy2023/04321", "ingen känd departementsförkortning"},
		{"Fi2031/04321", "Årtalet 2031"},
	} {
		got := checkMinistryDnr(tc.dnr, 2024)
		if (tc.warn == "") != (got == "") || !strings.Contains(got, tc.warn) {
			t.Errorf("checkMinistryDnr(%q) = %q, want a warning containing %q", tc.dnr, got, tc.warn)
		}
	}
}

func TestRegistrationValidation(t *testing.T) {
	today := workflow.Date{Year: 2024, Month: 1, Day: 29}
	for _, tc := range []struct {
		name   string
		change func(*Registration)
		fields []string
	}{
		{"valid", func(*Registration) {}, nil},
		{"missing title", func(r *Registration) { r.Title = "  " }, []string{"title"}},
		{"malformed dates", func(r *Registration) { r.Remiss.Received = "26/1/2024"; r.Remiss.Deadline = "2024-04-31" },
			[]string{"remiss.received", "remiss.deadline"}},
		{"deadline before received", func(r *Registration) { r.Remiss.Deadline = "2024-01-01" }, []string{"remiss.deadline"}},
		{"received in the future", func(r *Registration) { r.Remiss.Received = "2024-02-01"; r.Remiss.Deadline = "2024-05-01" }, []string{"remiss.received"}},
		{"no series, bad class", func(r *Registration) { r.Series = ""; r.Classification = "1 0 9" }, []string{"series", "classification"}},
		{"bad reply_to and url", func(r *Registration) { r.Remiss.ReplyTo = "fi.remissvar"; r.Remiss.URL = "ftp://x" }, []string{"remiss.reply_to", "remiss.url"}},
		{"missing sender", func(r *Registration) { r.Remiss.Sender = "" }, []string{"remiss.sender"}},
		{"control characters", func(r *Registration) { r.Title = "a\x00b" }, []string{"title"}},
		{"bad and too many cc", func(r *Registration) {
			r.Remiss.Cc = []string{"a@x.se", "b@x.se", "c@x.se", "d@x.se", "e@x.se", "inte en adress"}
		},
			[]string{"remiss.cc", "remiss.cc[5]"}},
		{"contact too long", func(r *Registration) { r.Remiss.Contact = strings.Repeat("x", 201) }, []string{"remiss.contact"}},
	} {
		r := validRegistration()
		tc.change(&r)
		var v workflow.Validation
		r.validate(&v, today)
		var got []string
		for _, f := range v.Problems() {
			got = append(got, f.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: invalid fields %v, want %v (%v)", tc.name, got, tc.fields, v.Problems())
		}
	}
}

// TestReplyToFollowsTheMinistry: without a reply_to, the answer goes to
// the remiss mailbox of the ministry the dnr names; a given one is kept.
func TestReplyToFollowsTheMinistry(t *testing.T) {
	for dnr, want := range map[string]string{
		"Fi2023/04321": "fi.remissvar@regeringskansliet.se", "Ju2024/00123": "ju.remissvar@regeringskansliet.se",
		"S2024/01000": "s.remissvar@regeringskansliet.se", "KN2023/04578": "kn.remissvar@regeringskansliet.se",
		"Fö2024/00001": "fo.remissvar@regeringskansliet.se", "Xy2024/00001": "", "SOU 2023:94": "",
	} {
		r := validRegistration()
		r.Remiss.SenderDnr, r.Remiss.ReplyTo = dnr, ""
		var v workflow.Validation
		if m := r.validate(&v, workflow.Date{Year: 2024, Month: 1, Day: 29}); m.ReplyTo != want {
			t.Errorf("%s: reply_to %q, want %q", dnr, m.ReplyTo, want)
		}
	}
	r := validRegistration()
	r.Remiss.ReplyTo, r.Remiss.Cc = "Remisser@Example.se", []string{"fi.ka@regeringskansliet.se", "FI.KA@regeringskansliet.se"}
	var v workflow.Validation
	if m := r.validate(&v, workflow.Date{Year: 2024, Month: 1, Day: 29}); m.ReplyTo != "remisser@example.se" || len(m.Cc) != 1 {
		t.Errorf("given reply_to %q and cc %q", m.ReplyTo, m.Cc)
	}
}

func TestRegistrationWarnings(t *testing.T) {
	today := workflow.Date{Year: 2024, Month: 5, Day: 1}
	m := workflow.Remiss{SenderDnr: "Fi 2023/4321", Deadline: workflow.Date{Year: 2024, Month: 4, Day: 15}}
	w := registrationWarnings(m, today, []workflow.Case{{Dnr: "KS-2024/12", Title: "Samma remiss"}})
	if len(w) != 3 || w[0].Field != "remiss.sender_dnr" || !strings.Contains(w[1].Message, "KS-2024/12") || w[2].Field != "remiss.deadline" {
		t.Errorf("warnings = %+v", w)
	}
	if w := registrationWarnings(workflow.Remiss{SenderDnr: "Fi2023/04321", Deadline: today}, today, nil); len(w) != 0 {
		t.Errorf("a clean registration warns: %+v", w)
	}
}

func validRegistration() Registration {
	return Registration{
		Series: "KS", Classification: "109", Title: "Förändring genom försök",
		Remiss: RemissInput{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94",
			Received: "2024-01-26", Deadline: "2024-04-15"},
	}
}
