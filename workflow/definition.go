package workflow

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Definition is a route a remiss takes, as data: its states, the events
// that move a case between them, who may fire each event, the guards that
// must hold and the data each event needs. A case is pinned to the name and
// version it started with.
type Definition struct {
	Name        string  `json:"name"`
	Version     int     `json:"version"`
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Initial     string  `json:"initial"`
	States      []State `json:"states"`
	Events      []Event `json:"events"`

	// Custom is set for an organisation's own definition (not shipped).
	Custom    bool      `json:"custom"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	CreatedBy string    `json:"created_by,omitempty"`
}

// State is one state of a definition.
type State struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Terminal bool   `json:"terminal,omitempty"`
}

// AnyOpenState in an event's from list stands for every state that is not
// terminal.
const AnyOpenState = "*"

// Event moves a case from one of the From states to To, or to the target
// of the first Branch whose conditions the event's data meets. An event
// with neither keeps the case in its state. A System event has no roles:
// remiss fires it itself, such as when the mail server has accepted the
// answer, and no user may.
type Event struct {
	Name    string      `json:"name"`
	Title   string      `json:"title"`
	System  bool        `json:"system,omitempty"`
	From    []string    `json:"from"`
	To      string      `json:"to,omitempty"`
	Branch  []Branch    `json:"branches,omitempty"`
	Roles   []Role      `json:"roles"`
	Guards  []Guard     `json:"guards,omitempty"`
	Data    []FieldSpec `json:"data,omitempty"`
	Effects []Effect    `json:"effects,omitempty"`
}

// Branch is a conditional target: taken when the event fires from one of
// From (if given) and every field named in When has the value given.
type Branch struct {
	From []string       `json:"from,omitempty"`
	When map[string]any `json:"when,omitempty"`
	To   string         `json:"to,omitempty"` // "" keeps the state
}

// Guard names a precondition implemented in Go (see guards.go), with an
// optional argument.
type Guard struct {
	Name string `json:"name"`
	Arg  string `json:"arg,omitempty"`
}

// Effect names a change an event makes besides its state (see effects.go),
// with an optional argument.
type Effect struct {
	Name string `json:"name"`
	Arg  string `json:"arg,omitempty"`
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// ParseDefinition reads a definition from JSON, rejecting unknown fields,
// and validates it.
func ParseDefinition(b []byte) (*Definition, error) {
	d, err := decodeDefinition(b)
	if err != nil {
		return nil, err
	}
	return d, d.Validate()
}

// state returns the named state.
func (d *Definition) State(name string) (State, bool) {
	for _, s := range d.States {
		if s.Name == name {
			return s, true
		}
	}
	return State{}, false
}

// Event returns the named event.
func (d *Definition) Event(name string) (Event, bool) {
	for _, e := range d.Events {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// IsTerminal reports whether the named state ends the route.
func (d *Definition) IsTerminal(name string) bool {
	s, ok := d.State(name)
	return ok && s.Terminal
}

// StateTitle returns the human name of a state.
func (d *Definition) StateTitle(name string) string {
	if s, ok := d.State(name); ok && s.Title != "" {
		return s.Title
	}
	return name
}

// sources expands an event's from list (AnyOpenState) to state names.
func (d *Definition) sources(from []string) []string {
	var out []string
	for _, f := range from {
		if f != AnyOpenState {
			out = append(out, f)
			continue
		}
		for _, s := range d.States {
			if !s.Terminal {
				out = append(out, s.Name)
			}
		}
	}
	return out
}

// FiresFrom reports whether e may fire in state.
func (d *Definition) FiresFrom(e Event, state string) bool {
	return slices.Contains(d.sources(e.From), state)
}

// Target is where e takes a case in state from with the (normalised) data:
// the first branch that matches, else To, else the state itself.
func (d *Definition) Target(e Event, from string, data map[string]any) string {
	for _, b := range e.Branch {
		if b.matches(from, data) {
			if b.To == "" {
				return from
			}
			return b.To
		}
	}
	if e.To == "" {
		return from
	}
	return e.To
}

func (b Branch) matches(from string, data map[string]any) bool {
	if len(b.From) > 0 && !slices.Contains(b.From, from) {
		return false
	}
	for field, want := range b.When {
		if !sameValue(data[field], want) {
			return false
		}
	}
	return true
}

// sameValue compares a data value with a branch condition; an absent bool
// counts as false.
func sameValue(got, want any) bool {
	if w, ok := want.(bool); ok {
		g, _ := got.(bool)
		return g == w
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// targets lists every state e can lead to from state from.
func (d *Definition) targets(e Event, from string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			s = from
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, b := range e.Branch {
		if len(b.From) == 0 || slices.Contains(b.From, from) {
			add(b.To)
		}
	}
	if len(e.Branch) == 0 || !d.branchesExhaustive(e, from) {
		add(e.To)
	}
	return out
}

// branchesExhaustive reports whether some branch without conditions on
// data applies from state from, so that To is never reached from there.
func (d *Definition) branchesExhaustive(e Event, from string) bool {
	for _, b := range e.Branch {
		if len(b.When) == 0 && (len(b.From) == 0 || slices.Contains(b.From, from)) {
			return true
		}
	}
	return false
}

// Summary is a definition in a list.
type Summary struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Title   string `json:"title"`
	Custom  bool   `json:"custom"`
}

// Summary returns d's list entry.
func (d *Definition) Summary() Summary {
	return Summary{Name: d.Name, Version: d.Version, Title: d.Title, Custom: d.Custom}
}

// labelOf names a definition with its version, for messages.
func (d *Definition) labelOf() string {
	return fmt.Sprintf("%s v%d", d.Name, d.Version)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "”" + n + "”"
	}
	return strings.Join(q, ", ")
}

// DefaultWorkflow is the route a remiss takes when registration names none:
// the kommunstyrelse with an arbetsutskott.
const DefaultWorkflow = "kommunstyrelsen"

// EventRegister is the history event of a case's registration.
const EventRegister = "registrera"
