package notify_test

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/notify"
	"github.com/yttrande/remiss/workflow/sending"
)

// reminderPayload is a paminnelse payload as workflow queues it, the way
// it reads back from JSON.
func reminderPayload(overdue bool) map[string]any {
	p := map[string]any{
		"org": "Huddinge kommun", "dnr": "KS-2024/76.109", "name": "Åsa Öberg",
		"case_title": "Remiss av betänkandet Ett förbättrat skydd för äldre (SOU 2023:94)",
		"step":       "Stopptid för tjänsteutlåtandet", "body_name": "Socialnämnden",
		"due": "2024-03-13", "due_long": "onsdag 13 mars 2024", "when": "om 5 arbetsdagar",
		"overdue": overdue, "reply_by": "15 april 2024", "sender": "Finansdepartementet", "reference": "SOU 2023:94",
	}
	if overdue {
		p["when"] = "för 1 arbetsdag sedan"
	}
	return p
}

// assignedPayload is a tilldelad payload.
func assignedPayload() map[string]any {
	return map[string]any{
		"dnr": "KS-2024/76.109", "title": "Remiss av betänkandet Ett förbättrat skydd för äldre",
		"deadline": "2024-04-15", "handlaggare": "Åsa Öberg", "by": "Bengt Ek",
	}
}

// with is p with the given keys changed; a nil value deletes the key.
func with(p map[string]any, kv ...any) map[string]any {
	p = maps.Clone(p)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(p, kv[i].(string))
		} else {
			p[kv[i].(string)] = kv[i+1]
		}
	}
	return p
}

func TestRender(t *testing.T) {
	tmpl, err := notify.ParseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		template string
		payload  map[string]any
		subject  string
		want     []string // phrases of the body
		wantNot  []string
	}{
		{
			name: "assigned", template: "tilldelad", payload: assignedPayload(),
			subject: "Nytt ärende att handlägga: Remiss av betänkandet Ett förbättrat skydd för äldre – KS-2024/76.109",
			want: []string{"Hej Åsa Öberg!", "Bengt Ek har tilldelat dig ett ärende att handlägga:",
				"KS-2024/76.109 Remiss av betänkandet", "senast 15 april 2024.", "skickats automatiskt från remissystemet"},
		},
		{
			name: "assigned without a reply date", template: "tilldelad", payload: with(assignedPayload(), "deadline", "0000-00-00"),
			subject: "Nytt ärende att handlägga: Remiss av betänkandet Ett förbättrat skydd för äldre – KS-2024/76.109",
			want:    []string{"Bengt Ek har tilldelat dig"}, wantNot: []string{"senast", "0000"},
		},
		{
			name: "reminder", template: "paminnelse", payload: reminderPayload(false),
			subject: "Påminnelse: Stopptid för tjänsteutlåtandet 13 mars – KS-2024/76.109",
			want: []string{"Hej Åsa Öberg!", "en påminnelse om ett datum i remissärendet KS-2024/76.109.",
				"Ärende:  Remiss av betänkandet Ett förbättrat skydd för äldre (SOU 2023:94)",
				"Moment:  Stopptid för tjänsteutlåtandet", "Nämnd:   Socialnämnden",
				"Datum:   onsdag 13 mars 2024 (om 5 arbetsdagar)",
				"Remissen kommer från Finansdepartementet (SOU 2023:94).",
				"Svaret från Huddinge kommun ska ha kommit in senast 15 april 2024.",
				"skickats automatiskt från remissystemet\nhos Huddinge kommun"},
			wantNot: []string{"passerat"},
		},
		{
			name: "overdue reminder", template: "paminnelse", payload: reminderPayload(true),
			subject: "Försenad: Stopptid för tjänsteutlåtandet 13 mars – KS-2024/76.109",
			want:    []string{"Ett datum i remissärendet KS-2024/76.109 har passerat.", "(för 1 arbetsdag sedan)"},
			wantNot: []string{"Det här är en påminnelse"},
		},
		{
			name: "reminder without body or reference", template: "paminnelse",
			payload: with(reminderPayload(false), "body_name", "", "reference", "", "when", "i dag"),
			subject: "Påminnelse: Stopptid för tjänsteutlåtandet 13 mars – KS-2024/76.109",
			want:    []string{"Moment:  Stopptid för tjänsteutlåtandet\n  Datum:", "(i dag)", "kommer från Finansdepartementet."},
			wantNot: []string{"Nämnd:", "()"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject, body, err := tmpl.Render(tt.template, tt.payload)
			if err != nil {
				t.Fatal(err)
			}
			if subject != tt.subject {
				t.Errorf("subject\n got %q\nwant %q", subject, tt.subject)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("body has %q:\n%s", w, body)
				}
			}
			if strings.Contains(body+subject, "<no value>") || strings.HasPrefix(body, "\n") || strings.Contains(body, "\n\n\n") {
				t.Errorf("body is badly laid out:\n%q", body)
			}
		})
	}
}

func TestRenderFails(t *testing.T) {
	tmpl, err := notify.ParseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		template string
		payload  map[string]any
		want     string
	}{
		{"unknown template", "saknas", assignedPayload(), `no mail template "saknas"`},
		{"missing key in the body", "tilldelad", with(assignedPayload(), "by", nil), `"by"`},
		{"missing key in the subject", "paminnelse", with(reminderPayload(false), "overdue", nil), `"overdue"`},
		{"no payload", "tilldelad", nil, "no entry for key"},
		{"bad date", "paminnelse", with(reminderPayload(false), "due", "13 mars"), `"13 mars" is not YYYY-MM-DD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tmpl.Render(tt.template, tt.payload)
			if !errors.Is(err, sending.ErrPermanent) {
				t.Fatalf("err = %v, want one wrapping ErrPermanent", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %s", err, tt.want)
			}
		})
	}
}
