package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// guardSpec is a named precondition of an event, as a definition may
// name it; what it checks is a GuardFunc.
type guardSpec struct {
	needsArg bool
}

// guards are the guards a definition may name.
var guards = map[string]guardSpec{
	"consultations_closed": {},
	"consultation_pending": {},
	"draft_exists":         {},
	"not_expedited":        {},
	"expedited":            {},
	"no_open_obligations":  {},
	"obligation_open":      {needsArg: true},
}

// GuardFunc says whether an event may fire: nil when it may, else an
// invalid Error saying, in Swedish, why not. It runs twice: without data
// (f.Data nil) to decide whether the event is offered at all, and with
// the data when it fires.
type GuardFunc func(f *Firing, arg string) error

// builtinGuards are the guards the engine judges itself; the domain
// packages give the others (ServiceConfig.Guards).
var builtinGuards = map[string]GuardFunc{
	"consultations_closed": guardConsultationsClosed,
	"consultation_pending": guardConsultationPending,
	"no_open_obligations":  guardNoOpenObligations,
	"obligation_open":      GuardObligationOpen,
}

func Blocked(format string, args ...any) error {
	return Errorf(CodeInvalid, format, args...)
}

// guardConsultationsClosed: every body asked has answered, declined or let
// its deadline pass; a late nämnd is not waited for.
func guardConsultationsClosed(f *Firing, _ string) error {
	var waiting []string
	for _, c := range f.Case.Consultations {
		if !c.closed(f.Today) {
			waiting = append(waiting, fmt.Sprintf("%s (senast %s)", c.BodyName, c.Deadline))
		}
	}
	if len(waiting) > 0 {
		return Blocked("Väntar fortfarande på svar från %s.", strings.Join(waiting, ", "))
	}
	return nil
}

// guardConsultationPending: the body answering was asked and has not
// answered yet; without data, that some body has yet to answer.
func guardConsultationPending(f *Firing, _ string) error {
	code, _ := f.Data["body"].(string)
	for _, c := range f.Case.Consultations {
		if c.Status == ConsultationBegard && (code == "" || c.Body == code) {
			return nil
		}
	}
	if code == "" {
		return Blocked("Ingen instans har ett obesvarat yttrande i ärendet.")
	}
	return Blocked("%s har inget obesvarat yttrande i ärendet.", code)
}

// guardNoOpenObligations: nothing is still owed, such as the report of an
// ordförandebeslut.
func guardNoOpenObligations(f *Firing, _ string) error {
	for _, o := range f.Case.Obligations {
		if o.Open() {
			return Blocked("Ärendet kan inte avslutas: %s (beslut %s).", strings.ToLower(o.Title[:1])+o.Title[1:], o.DecidedOn)
		}
	}
	return nil
}

// guardObligationOpen: an obligation of the kind arg is open.
func GuardObligationOpen(f *Firing, kind string) error {
	if f.OpenObligation(kind) != nil {
		return nil
	}
	return Blocked("Det finns inget %s att anmäla i ärendet.", kind)
}

func validateGuards(p *problems, at string, e Event) {
	for j, g := range e.Guards {
		spec, ok := guards[g.Name]
		switch {
		case !ok:
			p.addf(fmt.Sprintf("%s.guards[%d]", at, j), "Okänt villkor (guard) ”%s”. Möjliga: %s.", g.Name, strings.Join(sortedKeys(guards), ", "))
		case spec.needsArg && g.Arg == "":
			p.addf(fmt.Sprintf("%s.guards[%d].arg", at, j), "Villkoret ”%s” behöver ett argument.", g.Name)
		case g.Name == "obligation_open" && obligationTitles[g.Arg] == "":
			p.addf(fmt.Sprintf("%s.guards[%d].arg", at, j), "Okänt slag av åtagande ”%s”.", g.Arg)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
