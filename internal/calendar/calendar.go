// Package calendar knows the Swedish working days: Monday to Friday except
// the public holidays and the days treated like them (midsommarafton,
// julafton, nyårsafton), from rickar/cal's Swedish calendar. It is a leaf
// package: it knows nothing of cases or meetings.
package calendar

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/se"
)

// Swedish tells Swedish working days. It is safe for concurrent use.
type Swedish struct {
	bc *cal.BusinessCalendar
}

// NewSwedish returns the Swedish working-day calendar.
func NewSwedish() *Swedish {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(se.Holidays...)
	return &Swedish{bc: bc}
}

// IsWorkingDay reports whether the calendar day of t is a working day.
func (s *Swedish) IsWorkingDay(t time.Time) bool {
	return s.bc.IsWorkday(noon(t))
}

// Holiday returns the name of the holiday on t's day, if it is one.
func (s *Swedish) Holiday(t time.Time) (string, bool) {
	actual, observed, h := s.bc.IsHoliday(noon(t))
	if !(actual || observed) || h == nil {
		return "", false
	}
	return h.Name, true
}

// noon moves t to midday of its own day, so that no zone conversion inside
// the calendar can move it to the day before or after.
func noon(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}
