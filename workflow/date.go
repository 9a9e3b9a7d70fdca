package workflow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a civil date without time or zone: a reply date, a meeting day.
// Dates in the diarium are days in Sweden, not instants, so they must not
// shift when converted between zones.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is the only date format of the API.
const dateLayout = "2006-01-02"

// ParseDate reads a date written YYYY-MM-DD and rejects everything else,
// including dates that do not exist such as 2024-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != len(dateLayout) {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD: %w", s, err)
	}
	if t.Year() < 1900 || t.Year() > 2999 {
		return Date{}, fmt.Errorf("date %q is out of range", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero Date (no date given).
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return d.Time(time.UTC).Compare(e.Time(time.UTC))
}

// AddDays returns the date n calendar days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time(time.UTC).AddDate(0, 0, n))
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date must be a string YYYY-MM-DD")
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// weekdayNames are the Swedish names of time.Weekday, Sunday first.
var weekdayNames = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// WeekdayDate writes a date with its weekday: "onsdag 13 mars 2024".
func WeekdayDate(d Date) string {
	return weekdayNames[d.Time(time.UTC).Weekday()] + " " + LongDate(d)
}

var monthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// MonthName is the Swedish name of month m, in lower case: "mars".
func MonthName(m time.Month) string { return monthNames[m-1] }

// LongDate writes a date as Swedish minutes do: "27 mars 2024".
func LongDate(d Date) string {
	t := d.Time(time.UTC)
	return fmt.Sprintf("%d %s %d", t.Day(), monthNames[t.Month()-1], t.Year())
}

// genitive forms the Swedish genitive of a body's name, as in the
// heading "Kommunstyrelsens arbetsutskotts beslut".
func Genitive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "x") || strings.HasSuffix(name, "z") {
		return name
	}
	return name + "s"
}
