// Package ical reads and writes iCalendar (RFC 5545) for the product: a
// body's sammanträdesplan exported from Outlook or a municipality's meeting
// system is imported as meetings. It is the only importer of
// github.com/arran4/golang-ical.
package ical

import (
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/yttrande/remiss/workflow"
)

// maxBytes bounds an imported calendar; a year's plan is a few kilobytes.
const maxBytes = 4 << 20

// ParseMeetings reads one meeting from each VEVENT of an iCalendar file:
// its start date and time (in loc, the municipality's time zone) and its
// LOCATION. Cancelled events are left out. A time without a zone
// ("floating") is read as local time in loc, as Outlook means it.
func ParseMeetings(r io.Reader, loc *time.Location) ([]workflow.NewMeeting, error) {
	// Outlook names zones the Windows way (TZID=W. Europe Standard Time),
	// which time.LoadLocation does not know; without the mapping every
	// zoned event of an Outlook export is refused.
	cal, err := ics.ParseCalendarWithOptions(io.LimitReader(r, maxBytes), ics.WithWindowsTimezoneMapping())
	if err != nil {
		return nil, workflow.Errorf(workflow.CodeInvalid, "Filen är ingen giltig iCalendar-fil (.ics).")
	}
	var out []workflow.NewMeeting
	for i, ev := range cal.Events() {
		if p := ev.GetProperty(ics.ComponentPropertyStatus); p != nil && strings.EqualFold(p.Value, "CANCELLED") {
			continue
		}
		m, err := meeting(ev, loc)
		if err != nil {
			return nil, workflow.Errorf(workflow.CodeInvalid, "Händelse %d i filen: %s", i+1, err.Error())
		}
		out = append(out, m)
	}
	return out, nil
}

func meeting(ev *ics.VEvent, loc *time.Location) (workflow.NewMeeting, error) {
	p := ev.GetProperty(ics.ComponentPropertyDtStart)
	if p == nil {
		return workflow.NewMeeting{}, fmt.Errorf("saknar starttid (DTSTART)")
	}
	source := "händelse " + ev.Id()
	location := ""
	if l := ev.GetProperty(ics.ComponentPropertyLocation); l != nil {
		location = l.Value
	}
	if len(p.Value) == 8 { // VALUE=DATE: a day without a time
		t, err := time.Parse("20060102", p.Value)
		if err != nil || !dateInRange(t) {
			return workflow.NewMeeting{}, fmt.Errorf("ogiltigt datum ”%s”", p.Value)
		}
		return workflow.NewMeeting{Date: t.Format(time.DateOnly), Location: location, Source: source}, nil
	}
	t, err := ev.GetStartAt()
	if err != nil {
		return workflow.NewMeeting{}, fmt.Errorf("ogiltig starttid ”%s”", p.Value)
	}
	if _, zoned := p.ICalParameters["TZID"]; !zoned && !strings.HasSuffix(p.Value, "Z") {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	}
	t = t.In(loc)
	if !dateInRange(t) {
		return workflow.NewMeeting{}, fmt.Errorf("ogiltigt datum ”%s”", p.Value)
	}
	return workflow.NewMeeting{Date: t.Format(time.DateOnly), Time: t.Format("15:04"), Location: location, Source: source}, nil
}

// dateInRange reports whether t's day is one workflow.ParseDate accepts.
// iCalendar allows year 0000, and 9999-12-31 late in UTC is year 10000 in
// Sweden, which does not even format as YYYY-MM-DD; the rest of the
// product could not read such a Date back.
func dateInRange(t time.Time) bool {
	_, err := workflow.ParseDate(t.Format(time.DateOnly))
	return err == nil
}
