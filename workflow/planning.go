package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// PlanningRules are an organisation's lead times, in working days, used to
// plan a remiss backwards from the ministry's reply date. The defaults are
// those of the real cases in the design notes: Huddinge's KSAU 27 March
// 2024 before KS 8 April for a reply by 15 April.
type PlanningRules struct {
	// NamndDays: a nämnd's answer is due this many working days before
	// the tjänsteutlåtande's stopptid, so the handläggare can use it.
	NamndDays int `json:"namnd_days"`
	// CutoffDays: the tjänsteutlåtande is ready (stopptid) this many
	// working days before the first meeting that treats it.
	CutoffDays int `json:"cutoff_days"`
	// AUToKSDays: at least this many working days between the
	// arbetsutskott and the kommunstyrelse it proposes to.
	AUToKSDays int `json:"au_to_ks_days"`
	// JusteringDays: the minutes are justerade at most this many working
	// days after the deciding meeting.
	JusteringDays int `json:"justering_days"`
	// ExpedieringDays: the yttrande is sent this many working days after
	// justering, at the latest on the reply date.
	ExpedieringDays int `json:"expediering_days"`
	// RiskDays: an open step this many working days away or nearer is
	// shown as at risk.
	RiskDays int `json:"risk_days"`
	// Move says, per kind of date, where a date that falls on a closed
	// day moves: "svar" (the ministry's reply date) and "namnd" (a
	// nämnd's deadline given by hand).
	Move map[string]MoveDirection `json:"move"`
	// Reminders say when the responsible person is reminded by e-mail
	// of each open deadline.
	Reminders ReminderRules `json:"reminders"`
}

// DefaultPlanningRules are the rules of an organisation that has set none.
func DefaultPlanningRules() PlanningRules {
	return PlanningRules{
		NamndDays: 5, CutoffDays: 10, AUToKSDays: 5, JusteringDays: 2, ExpedieringDays: 1, RiskDays: 3,
		Move:      map[string]MoveDirection{"svar": MoveEarlier, "namnd": MoveEarlier},
		Reminders: DefaultReminderRules(),
	}
}

// moveKinds are the kinds of date whose direction can be configured.
var moveKinds = []string{"svar", "namnd"}

// direction is the configured direction for kind; earlier, because a
// deadline moved later is a deadline missed.
func (r PlanningRules) Direction(kind string) MoveDirection {
	if d, ok := r.Move[kind]; ok {
		return d
	}
	return MoveEarlier
}

// validate checks that every lead time is reasonable: no negative days
// and nothing longer than a working quarter.
func (r PlanningRules) validate() error {
	var v Validation
	for _, f := range []struct {
		name string
		n    int
	}{
		{"namnd_days", r.NamndDays}, {"cutoff_days", r.CutoffDays}, {"au_to_ks_days", r.AUToKSDays},
		{"justering_days", r.JusteringDays}, {"expediering_days", r.ExpedieringDays}, {"risk_days", r.RiskDays},
	} {
		if f.n < 0 || f.n > 60 {
			v.Addf("planning."+f.name, "Ange ett antal arbetsdagar mellan 0 och 60 (inte %d).", f.n)
		}
	}
	r.Reminders.validate(&v)
	for kind, dir := range r.Move {
		switch {
		case !slices.Contains(moveKinds, kind):
			v.Addf("planning.move."+kind, "Okänd sorts datum ”%s”: välj %s.", kind, quoteAll(moveKinds))
		case dir != MoveEarlier && dir != MoveLater:
			v.Addf("planning.move."+kind, "Ange earlier eller later (inte ”%s”).", dir)
		}
	}
	return v.Err()
}

// plansAlike reports whether r and o give every case the same plan: they
// differ at most in their reminders, so the stored plans can stay.
func (r PlanningRules) PlansAlike(o PlanningRules) bool {
	r.Reminders, o.Reminders = ReminderRules{}, ReminderRules{}
	return reflect.DeepEqual(r, o)
}

// String sums the rules up for a plan's explanation.
func (r PlanningRules) String() string {
	return fmt.Sprintf("nämnd %d, stopptid %d, AU→KS %d, justering %d, expediering %d arbetsdagar",
		r.NamndDays, r.CutoffDays, r.AUToKSDays, r.JusteringDays, r.ExpedieringDays)
}

// patch returns the rules with the lead times in the JSON object b
// changed; the fields b leaves out keep their values.
func (r PlanningRules) Patch(b json.RawMessage) (PlanningRules, error) {
	if len(b) == 0 {
		return r, nil
	}
	out := r
	out.Move = maps.Clone(r.Move)
	out.Reminders = ReminderRules{Before: slices.Clone(r.Reminders.Before), After: slices.Clone(r.Reminders.After)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return r, Errorf(CodeInvalid, "Planeringsreglerna kunde inte läsas: ange ett objekt med antal arbetsdagar, t.ex. {\"cutoff_days\": 10}.")
	}
	for _, l := range []*[]int{&out.Reminders.Before, &out.Reminders.After} {
		if *l == nil {
			*l = []int{} // null: no reminders, shown as an empty list
		}
	}
	return out, out.validate()
}

// MoveDirection says where a date that falls on a non-working day moves.
type MoveDirection string

// The directions a date may move.
const (
	MoveEarlier MoveDirection = "earlier"
	MoveLater   MoveDirection = "later"
)
