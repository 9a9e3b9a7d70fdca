package workflow

import (
	"fmt"
	"slices"
)

// problems collects what is wrong with a definition, each with the path
// of the offending part ("events[3].from[1]").
type problems struct {
	list []FieldError
}

func (p *problems) addf(path, format string, args ...any) {
	p.list = append(p.list, FieldError{Field: path, Message: fmt.Sprintf(format, args...)})
}

// Validate checks a definition and reports every problem at once: names,
// unknown states, roles, guards and effects, events from a terminal state,
// states that cannot be reached and states from which the route cannot end.
func (d *Definition) Validate() error {
	var p problems
	if !namePattern.MatchString(d.Name) {
		p.addf("name", "”%s” är inget giltigt namn (små bokstäver, siffror, _ och -).", d.Name)
	}
	if d.Version < 1 {
		p.addf("version", "Versionen ska vara 1 eller högre.")
	}
	if d.Title == "" {
		p.addf("title", "Definitionen behöver en rubrik.")
	}
	d.validateStates(&p)
	d.validateEvents(&p)
	if len(p.list) == 0 { // the graph checks need well-formed states and events
		d.validateGraph(&p)
	}
	if len(p.list) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: fmt.Sprintf("Arbetsflödet ”%s” är inte giltigt (%d fel).", d.Name, len(p.list)), Fields: p.list}
}

func (d *Definition) validateStates(p *problems) {
	seen := map[string]bool{}
	terminal := false
	for i, s := range d.States {
		if !namePattern.MatchString(s.Name) {
			p.addf(fmt.Sprintf("states[%d].name", i), "”%s” är inget giltigt namn på ett tillstånd.", s.Name)
		}
		if seen[s.Name] {
			p.addf(fmt.Sprintf("states[%d].name", i), "Tillståndet ”%s” finns två gånger.", s.Name)
		}
		seen[s.Name] = true
		terminal = terminal || s.Terminal
	}
	if len(d.States) == 0 {
		p.addf("states", "Definitionen har inga tillstånd.")
	} else if !terminal {
		p.addf("states", "Inget tillstånd är ett sluttillstånd (terminal); ett ärende kan då aldrig avslutas.")
	}
	if _, ok := d.State(d.Initial); !ok {
		p.addf("initial", "Starttillståndet ”%s” finns inte bland tillstånden.", d.Initial)
	} else if d.IsTerminal(d.Initial) {
		p.addf("initial", "Starttillståndet kan inte vara ett sluttillstånd.")
	}
}

func (d *Definition) validateEvents(p *problems) {
	seen := map[string]bool{}
	if len(d.Events) == 0 {
		p.addf("events", "Definitionen har inga händelser.")
	}
	for i, e := range d.Events {
		at := fmt.Sprintf("events[%d]", i)
		if !namePattern.MatchString(e.Name) || e.Name == EventRegister {
			p.addf(at+".name", "”%s” är inget giltigt namn på en händelse.", e.Name)
		}
		if seen[e.Name] {
			p.addf(at+".name", "Händelsen ”%s” finns två gånger.", e.Name)
		}
		seen[e.Name] = true
		d.validateFrom(p, at, e)
		d.validateTargets(p, at, e)
		switch {
		case e.System && len(e.Roles) > 0:
			p.addf(at+".roles", "Händelsen ”%s” görs av systemet (system) och kan inte ha roller.", e.Name)
		case !e.System && len(e.Roles) == 0:
			p.addf(at+".roles", "Händelsen ”%s” saknar roller; ingen skulle kunna utlösa den.", e.Name)
		}
		for j, r := range e.Roles {
			if !slices.Contains(Roles, r) {
				p.addf(fmt.Sprintf("%s.roles[%d]", at, j), "Okänd roll ”%s”. Möjliga: %s.", r, RoleList())
			}
		}
		validateFields(p, at+".data", e.Data)
		validateGuards(p, at, e)
		validateEffects(p, at, e)
	}
}

func (d *Definition) validateFrom(p *problems, at string, e Event) {
	if len(e.From) == 0 {
		p.addf(at+".from", "Händelsen ”%s” har inget tillstånd att utgå från.", e.Name)
	}
	for j, f := range e.From {
		if f == AnyOpenState {
			continue
		}
		if _, ok := d.State(f); !ok {
			p.addf(fmt.Sprintf("%s.from[%d]", at, j), "Okänt tillstånd ”%s”.", f)
		} else if d.IsTerminal(f) {
			p.addf(fmt.Sprintf("%s.from[%d]", at, j), "Händelsen ”%s” utgår från sluttillståndet ”%s”; från ett sluttillstånd går inget vidare.", e.Name, f)
		}
	}
}

func (d *Definition) validateTargets(p *problems, at string, e Event) {
	if e.To != "" {
		if _, ok := d.State(e.To); !ok {
			p.addf(at+".to", "Okänt tillstånd ”%s”.", e.To)
		}
	}
	for j, b := range e.Branch {
		here := fmt.Sprintf("%s.branches[%d]", at, j)
		if _, ok := d.State(b.To); b.To != "" && !ok {
			p.addf(here+".to", "Okänt tillstånd ”%s”.", b.To)
		}
		for _, f := range b.From {
			if !slices.Contains(d.sources(e.From), f) {
				p.addf(here+".from", "”%s” är inget av händelsens utgångstillstånd.", f)
			}
		}
		for field, value := range b.When {
			k := slices.IndexFunc(e.Data, func(s FieldSpec) bool { return s.Name == field })
			switch {
			case k < 0:
				p.addf(here+".when", "Villkoret gäller fältet ”%s”, som händelsen inte har.", field)
			case e.Data[k].Type == FieldEnum && !slices.Contains(e.Data[k].Values, fmt.Sprint(value)):
				p.addf(here+".when", "”%v” är inget värde av ”%s”.", value, field)
			case e.Data[k].Type != FieldEnum && e.Data[k].Type != FieldBool:
				p.addf(here+".when", "Villkor kan bara gälla val (enum) och ja/nej (bool); ”%s” är %s.", field, e.Data[k].Type)
			}
		}
	}
}

// validateGraph finds states no event leads to, and states from which no
// sequence of events reaches a terminal state (dead ends).
func (d *Definition) validateGraph(p *problems) {
	edges := map[string][]string{}
	for _, e := range d.Events {
		for _, from := range d.sources(e.From) {
			for _, to := range d.targets(e, from) {
				if to != from {
					edges[from] = append(edges[from], to)
				}
			}
		}
	}
	reached := reach([]string{d.Initial}, edges)
	for i, s := range d.States {
		if !reached[s.Name] {
			p.addf(fmt.Sprintf("states[%d]", i), "Tillståndet ”%s” kan inte nås från starttillståndet ”%s”.", s.Name, d.Initial)
		}
	}
	for i, s := range d.States {
		if s.Terminal || !reached[s.Name] {
			continue
		}
		if !slices.ContainsFunc(d.States, func(t State) bool { return t.Terminal && reach([]string{s.Name}, edges)[t.Name] }) {
			p.addf(fmt.Sprintf("states[%d]", i), "Återvändsgränd: från ”%s” leder ingen väg till ett sluttillstånd.", s.Name)
		}
	}
}

// reach returns every state reachable from start along edges.
func reach(start []string, edges map[string][]string) map[string]bool {
	seen := map[string]bool{}
	queue := slices.Clone(start)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s] {
			continue
		}
		seen[s] = true
		queue = append(queue, edges[s]...)
	}
	return seen
}
