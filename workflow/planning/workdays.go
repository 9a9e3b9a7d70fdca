package planning

import (
	"slices"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// DayKind says how an organisation's own day differs from the national
// calendar.
type DayKind string

// The kinds of an organisation's own days.
const (
	// DayStangd is a day the administration is closed (a klämdag given
	// off): no deadline falls on it and it is not counted.
	DayStangd DayKind = "stangd"
	// DayHalvdag is a working day that ends at lunch: it counts, but a
	// deadline on it is flagged so nobody plans a full day's work for it.
	DayHalvdag DayKind = "halvdag"
)

// ClosedDay is one of an organisation's own days off or half days.
type ClosedDay struct {
	Date workflow.Date `json:"date"`
	Kind DayKind       `json:"kind"`
	Name string        `json:"name"`
}

// Workdays is the working-day calendar of one organisation: the Swedish
// calendar (weekends, public holidays, midsommarafton, julafton,
// nyårsafton) plus the organisation's own closed days and half days.
type Workdays struct {
	cal workflow.Calendar
	loc *time.Location
	own map[workflow.Date]ClosedDay
}

// NewWorkdays returns the calendar of an organisation with its own days.
func NewWorkdays(cal workflow.Calendar, loc *time.Location, own []ClosedDay) Workdays {
	w := Workdays{cal: cal, loc: loc, own: make(map[workflow.Date]ClosedDay, len(own))}
	for _, d := range own {
		w.own[d.Date] = d
	}
	return w
}

// IsWorkingDay reports whether d is a working day for the organisation.
func (w Workdays) IsWorkingDay(d workflow.Date) bool {
	if o, ok := w.own[d]; ok && o.Kind == DayStangd {
		return false
	}
	return w.cal.IsWorkingDay(d.Time(w.loc))
}

// HalfDay returns the organisation's half day on d, if it is one.
func (w Workdays) HalfDay(d workflow.Date) (ClosedDay, bool) {
	o, ok := w.own[d]
	return o, ok && o.Kind == DayHalvdag
}

// Add returns the date n working days after d, or before it for a
// negative n. For n = 0 it returns d itself, working day or not.
func (w Workdays) Add(d workflow.Date, n int) workflow.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if w.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Move returns d when it is a working day, else the nearest working day
// in the direction dir.
func (w Workdays) Move(d workflow.Date, dir workflow.MoveDirection) workflow.Date {
	step := 1
	if dir == workflow.MoveEarlier {
		step = -1
	}
	for !w.IsWorkingDay(d) {
		d = d.AddDays(step)
	}
	return d
}

// Between counts the working days after from up to and including to; it
// is negative when to lies before from.
func (w Workdays) Between(from, to workflow.Date) int {
	if to.Before(from) {
		return -w.Between(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if w.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// validateClosedDays checks an organisation's own days: real dates, a
// known kind, a name, each date once.
func validateClosedDays(in []ClosedDay) error {
	var v workflow.Validation
	seen := map[workflow.Date]bool{}
	for i, d := range in {
		p := "days[" + workflow.Itoa(i) + "]."
		if d.Date.IsZero() {
			v.Add(p+"date", "Ange datumet som ÅÅÅÅ-MM-DD.")
		} else if seen[d.Date] {
			v.Addf(p+"date", "Datumet %s finns redan i listan.", d.Date)
		}
		seen[d.Date] = true
		if !slices.Contains([]DayKind{DayStangd, DayHalvdag}, d.Kind) {
			v.Addf(p+"kind", "Okänd sorts dag ”%s”: välj stangd eller halvdag.", d.Kind)
		}
		if len([]rune(d.Name)) > 100 {
			v.Add(p+"name", "Namnet får vara högst 100 tecken.")
		}
	}
	if len(in) > 400 {
		v.Add("days", "Högst 400 egna dagar.")
	}
	return v.Err()
}
