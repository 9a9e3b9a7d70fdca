package workflow

import (
	"strings"
	"testing"
)

func TestShippedDefinitionsAreValid(t *testing.T) {
	defs, err := ShippedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "delegation,kommunstyrelsen,kommunstyrelsen-utan-au,namnd" {
		t.Errorf("shipped %v", names)
	}
}

// TestKommunstyrelsenHasTheAgreedNames pins the state and event names the
// issue fixes: other code, the API's users and saved data depend on them.
func TestKommunstyrelsenHasTheAgreedNames(t *testing.T) {
	defs, _ := loadShipped()
	d := defs[defKey{"kommunstyrelsen", 1}]
	var states, events []string
	for _, s := range d.States {
		states = append(states, s.Name)
	}
	for _, e := range d.Events {
		events = append(events, e.Name)
	}
	if got := strings.Join(states, " "); got != "registrerad tilldelad intern_remiss beredning arbetsutskott kommunstyrelse justering expediering besvarad avslutad" {
		t.Errorf("states %s", got)
	}
	for _, want := range []string{"tilldela", "begar_yttranden", "registrera_svar", "sammanstall", "paborja_beredning", "anmal_till_au",
		"au_beslut", "ks_beslut", "justera", "ordforandebeslut", "avsta", "expediera", "anmal_ordforandebeslut", "avsluta", "begar_anstand"} {
		if !strings.Contains(" "+strings.Join(events, " ")+" ", " "+want+" ") {
			t.Errorf("event %s missing", want)
		}
	}
}

// TestValidatorRejectsBadDefinitions: each broken definition is refused
// with a message at the right place.
func TestValidatorRejectsBadDefinitions(t *testing.T) {
	base := `{"name":"x","version":1,"title":"X","initial":"a",
	  "states":[{"name":"a","title":"A"},{"name":"b","title":"B"},{"name":"z","title":"Z","terminal":true}],
	  "events":[{"name":"go","title":"Go","from":["a"],"to":"b","roles":["sekreterare"]},
	            {"name":"end","title":"End","from":["b"],"to":"z","roles":["sekreterare"]}]}`
	if _, err := ParseDefinition([]byte(base)); err != nil {
		t.Fatalf("the base definition is invalid: %v", err)
	}
	for _, tc := range []struct {
		name, from, to, path, message string
	}{
		{"unknown state", `"to":"z"`, `"to":"q"`, "events[1].to", "Okänt tillstånd ”q”"},
		{"system event with roles", `{"name":"end","title":"End",`, `{"name":"end","title":"End","system":true,`, "events[1].roles", "görs av systemet"},
		{"event without roles", `"to":"z","roles":["sekreterare"]`, `"to":"z","roles":[]`, "events[1].roles", "saknar roller"},
		{"event from terminal", `"from":["b"]`, `"from":["b","z"]`, "events[1].from[1]", "sluttillståndet ”z”"},
		{"unreachable", `"from":["a"],"to":"b"`, `"from":["a"],"to":"z"`, "states[1]", "kan inte nås"},
		{"dead end", `{"name":"end","title":"End","from":["b"],"to":"z","roles":["sekreterare"]}`,
			`{"name":"end","title":"End","from":["a"],"to":"z","roles":["sekreterare"]}`, "states[1]", "Återvändsgränd"},
		{"unknown guard", `"to":"b",`, `"to":"b","guards":[{"name":"maybe"}],`, "events[0].guards[0]", "Okänt villkor"},
		{"unknown role", `"to":"b","roles":["sekreterare"]`, `"to":"b","roles":["kung"]`, "events[0].roles[0]", "Okänd roll ”kung”"},
		{"duplicate event", `"name":"end"`, `"name":"go"`, "events[1].name", "finns två gånger"},
		{"duplicate state", `{"name":"b","title":"B"}`, `{"name":"a","title":"B"}`, "states[1].name", "finns två gånger"},
		{"unknown effect", `"to":"b",`, `"to":"b","effects":[{"name":"explode"}],`, "events[0].effects[0]", "Okänd effekt"},
		{"effect without its field", `"to":"b",`, `"to":"b","effects":[{"name":"change_deadline"}],`, "events[0].effects[0]", "new_deadline"},
		{"no terminal", `"terminal":true`, `"terminal":false`, "states", "sluttillstånd"},
		{"bad initial", `"initial":"a"`, `"initial":"q"`, "initial", "Starttillståndet"},
		{"branch on unknown field", `"to":"b",`, `"to":"b","branches":[{"when":{"x":"y"},"to":"z"}],`, "events[0].branches[0].when", "fältet ”x”"},
		{"unknown field type", `"to":"b",`, `"to":"b","data":[{"name":"d","title":"D","type":"colour"}],`, "events[0].data[0].type", "Okänd fälttyp"},
		{"unknown json field", `"title":"X"`, `"title":"X","colour":"red"`, "", "colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(base, tc.from, tc.to, 1)
			if src == base {
				t.Fatalf("the replacement %q did not apply", tc.from)
			}
			_, err := ParseDefinition([]byte(src))
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("accepted: %v", err)
			}
			if !strings.Contains(e.Error(), tc.message) {
				t.Errorf("error %v does not say %q", e, tc.message)
			}
			if tc.path != "" && !hasField(e, tc.path) {
				t.Errorf("no problem at %s: %v", tc.path, e.Fields)
			}
		})
	}
}

func hasField(e *Error, path string) bool {
	for _, f := range e.Fields {
		if f.Field == path {
			return true
		}
	}
	return false
}

// FuzzParseDefinition: nothing a client can send as a definition panics
// the loader or the validator (internal/draw's FuzzDraw draws what is
// accepted).
func FuzzParseDefinition(f *testing.F) {
	for _, d := range []string{"kommunstyrelsen.v1.json", "namnd.v1.json", "delegation.v1.json"} {
		b, _ := shippedFS.ReadFile("definitions/" + d)
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","version":1,"title":"X","initial":"a","states":[{"name":"a"}],"events":[{"name":"e","from":["*"],"roles":["admin"]}]}`))
	f.Add([]byte(`{"events":[{"branches":[{"when":{"a":null}}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseDefinition(b)
	})
}

// FuzzDecodeData: no event data panics the decoder, and what it accepts is
// normalised.
func FuzzDecodeData(f *testing.F) {
	defs, _ := loadShipped()
	ks := defs[defKey{"kommunstyrelsen", 1}]
	for _, s := range []string{
		`{"consultations":[{"body":"SN","deadline":"2024-03-14"}]}`, `{"outcome":"aterremiss","paragraph":15,"date":"2024-03-27"}`,
		`{"outcome":"antaget","paragraph":1e3,"justeras_omedelbart":true,"reservationer":[{"ledamot":"A","text":"B"}]}`,
		`{"justerare":["A",""],"date":"2024-13-01"}`, `[]`, `null`, `{"paragraph":-1}`, `{"consultations":[1,{"body":7}]}`,
	} {
		for i := range ks.Events {
			f.Add(i, []byte(s))
		}
	}
	today := Date{2024, 3, 1}
	f.Fuzz(func(t *testing.T, i int, b []byte) {
		if i < 0 {
			i = -i
		}
		e := ks.Events[i%len(ks.Events)]
		data, err := decodeData(b, e.Data, today)
		if err != nil {
			if ErrorCode(err) == CodeInternal {
				t.Fatalf("internal error for %q: %v", b, err)
			}
			return
		}
		for _, spec := range e.Data {
			if spec.Required && data[spec.Name] == nil {
				t.Fatalf("%s: required %s missing from accepted %q", e.Name, spec.Name, b)
			}
		}
	})
}
