package ical

import (
	"io"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// meetingLength is how long a meeting is shown; the calendar only knows
// when it starts.
const meetingLength = 2 * time.Hour

// WriteFeed writes f as an iCalendar feed that Outlook and other clients
// can subscribe to: deadlines as whole days, meetings at their time in
// loc, each with a UID that stays the same when the plan changes so that a
// refresh moves the entry instead of duplicating it.
func WriteFeed(w io.Writer, f planning.Feed, loc *time.Location) error {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//remiss//remiss//SV")
	cal.SetName(f.Name)
	cal.SetXWRCalName(f.Name)
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, e := range f.Events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(e.Updated.UTC())
		ev.SetSummary(e.Summary)
		if e.Description != "" {
			ev.SetDescription(e.Description)
		}
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		start, ok := clockOn(e.Date, e.Time, loc)
		if !ok {
			day := e.Date.Time(time.UTC)
			ev.SetAllDayStartAt(day)
			ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
			continue
		}
		ev.SetStartAt(start.UTC())
		ev.SetEndAt(start.Add(meetingLength).UTC())
	}
	return cal.SerializeTo(w)
}

// clockOn is the instant of HH:MM on d in loc.
func clockOn(d workflow.Date, clock string, loc *time.Location) (time.Time, bool) {
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, loc), true
}
