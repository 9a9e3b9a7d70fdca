package ical

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// stockholm is the zone every test reads in: the product's municipalities
// are Swedish, and Europe/Stockholm has the DST switches the cases below
// rely on to tell a correct conversion from an off-by-an-hour one.
func stockholm(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatalf("tzdata: %v", err)
	}
	return loc
}

// crlf turns a readable LF-separated literal into the CRLF lines that
// RFC 5545 requires and that real exports use.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// event wraps VEVENT properties in a minimal calendar.
func event(props ...string) string {
	return crlf("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//remiss//SV\nBEGIN:VEVENT\n" +
		strings.Join(props, "\n") + "\nEND:VEVENT\nEND:VCALENDAR\n")
}

// outlookExport is shaped like what Outlook 16 writes for "Spara kalender":
// a VTIMEZONE named the Windows way, and DTSTARTs that refer to it, once
// quoted and once not, since both spellings occur in the wild.
var outlookExport = crlf(`BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-CALSTART:20240214T120000Z
X-WR-CALNAME:KSAU 2024
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
CLASS:PUBLIC
CREATED:20231120T094512Z
DESCRIPTION:Sammanträde med kommunstyrelsens arbetsutskott\n
DTEND;TZID="W. Europe Standard Time":20240214T160000
DTSTAMP:20231120T094512Z
DTSTART;TZID="W. Europe Standard Time":20240214T130000
LAST-MODIFIED:20231120T094512Z
LOCATION:KS-salen\, Stadshuset
SEQUENCE:0
SUMMARY;LANGUAGE=sv:KSAU
TRANSP:OPAQUE
UID:040000008200E00074C5B7101A82E00800000000A0B1
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
END:VEVENT
BEGIN:VEVENT
DTSTAMP:20231120T094512Z
DTSTART;TZID=W. Europe Standard Time:20240612T090000
DTEND;TZID=W. Europe Standard Time:20240612T120000
LOCATION:Sessionssalen
SUMMARY;LANGUAGE=sv:KSAU
UID:040000008200E00074C5B7101A82E00800000000A0B2
END:VEVENT
END:VCALENDAR
`)

type icalCase struct {
	name string
	in   string
	want []workflow.NewMeeting
	// wantErr is a fragment of the Swedish message; empty means success.
	wantErr string
}

var icalCases = []icalCase{
	{
		// A zoned time is wall-clock time in that zone, summer and
		// winter alike: no shift may creep in from the Windows name.
		name: "outlook export with Windows zone",
		in:   outlookExport,
		want: []workflow.NewMeeting{
			{Date: "2024-02-14", Time: "13:00", Location: "KS-salen, Stadshuset", Source: "händelse 040000008200E00074C5B7101A82E00800000000A0B1"},
			{Date: "2024-06-12", Time: "09:00", Location: "Sessionssalen", Source: "händelse 040000008200E00074C5B7101A82E00800000000A0B2"},
		},
	},
	{
		name: "IANA zone",
		in:   event("UID:iana", "DTSTART;TZID=Europe/Stockholm:20240918T083000"),
		want: []workflow.NewMeeting{{Date: "2024-09-18", Time: "08:30", Source: "händelse iana"}},
	},
	{
		// A meeting set in another zone is converted to Swedish time,
		// which proves TZID is honoured rather than ignored.
		name: "foreign IANA zone converted",
		in:   event("UID:ny", "DTSTART;TZID=America/New_York:20240918T083000"),
		want: []workflow.NewMeeting{{Date: "2024-09-18", Time: "14:30", Source: "händelse ny"}},
	},
	{
		name: "UTC in winter is +1h",
		in:   event("UID:w", "DTSTART:20240327T080000Z"),
		want: []workflow.NewMeeting{{Date: "2024-03-27", Time: "09:00", Source: "händelse w"}},
	},
	{
		name: "UTC in summer is +2h",
		in:   event("UID:s", "DTSTART:20240612T080000Z"),
		want: []workflow.NewMeeting{{Date: "2024-06-12", Time: "10:00", Source: "händelse s"}},
	},
	{
		// 01:00 UTC on the last Sunday of March is the instant summer
		// time begins; a fixed +1h offset would say 02:00.
		name: "UTC at the spring DST switch",
		in:   event("UID:dst", "DTSTART:20240331T010000Z"),
		want: []workflow.NewMeeting{{Date: "2024-03-31", Time: "03:00", Source: "händelse dst"}},
	},
	{
		// Late evening UTC is the next day in Sweden: the date must come
		// from the converted time, not from the UTC value.
		name: "UTC crossing midnight",
		in:   event("UID:midnatt", "DTSTART:20241231T233000Z"),
		want: []workflow.NewMeeting{{Date: "2025-01-01", Time: "00:30", Source: "händelse midnatt"}},
	},
	{
		// Floating time must be read in loc, not in the server's zone
		// (which is UTC in production containers).
		name: "floating time is local",
		in:   event("UID:f", "DTSTART:20241015T130000"),
		want: []workflow.NewMeeting{{Date: "2024-10-15", Time: "13:00", Source: "händelse f"}},
	},
	{
		name: "all-day event has no time",
		in:   event("UID:heldag", "DTSTART;VALUE=DATE:20240801", "DTEND;VALUE=DATE:20240802"),
		want: []workflow.NewMeeting{{Date: "2024-08-01", Source: "händelse heldag"}},
	},
	{
		// STATUS is matched case-insensitively because exporters differ.
		name: "cancelled events are left out",
		in: crlf("BEGIN:VCALENDAR\nVERSION:2.0\n" +
			"BEGIN:VEVENT\nUID:1\nDTSTART:20240201T120000Z\nSTATUS:CANCELLED\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:2\nDTSTART:20240202T120000Z\nSTATUS:CONFIRMED\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:3\nDTSTART:20240203T120000Z\nSTATUS:Cancelled\nEND:VEVENT\n" +
			"END:VCALENDAR\n"),
		want: []workflow.NewMeeting{{Date: "2024-02-02", Time: "13:00", Source: "händelse 2"}},
	},
	{
		// Escaped commas and semicolons must come out unescaped, and a
		// fold may split a UTF-8 sequence (RFC 5545 §3.1 folds octets):
		// here the fold falls between the two bytes of "å".
		name: "Swedish letters, escapes and folded lines",
		in: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:plats\r\n" +
			"DTSTART:20240415T110000Z\r\n" +
			"LOCATION:Sal \xc3\r\n \xa5\\, Rådhuset\\; plan 2\\, Östra gatan 4\\, Väst\r\n erås\r\n" +
			"END:VEVENT\r\nEND:VCALENDAR\r\n",
		want: []workflow.NewMeeting{{Date: "2024-04-15", Time: "13:00", Location: "Sal å, Rådhuset; plan 2, Östra gatan 4, Västerås", Source: "händelse plats"}},
	},
	{
		// Some exporters write bare LF; refusing them would gain nothing.
		name: "LF line endings",
		in:   strings.ReplaceAll(event("UID:lf", "DTSTART:20240612T080000Z", "LOCATION:Lilla\n  salen"), "\r\n", "\n"),
		want: []workflow.NewMeeting{{Date: "2024-06-12", Time: "10:00", Location: "Lilla salen", Source: "händelse lf"}},
	},
	{
		// An empty calendar is not an error here; ImportMeetings refuses
		// an import without meetings, with its own message.
		name: "calendar without events",
		in:   crlf("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"),
	},
	{
		name:    "not a calendar at all",
		in:      "datum;tid;plats\n2024-02-14;13:00;KS-salen\n",
		wantErr: "Filen är ingen giltig iCalendar-fil (.ics).",
	},
	{
		name:    "event outside a calendar",
		in:      crlf("BEGIN:VEVENT\nUID:x\nDTSTART:20240612T080000Z\nEND:VEVENT\n"),
		wantErr: "Filen är ingen giltig iCalendar-fil (.ics).",
	},
	{
		// The number names the event in file order, counting the good
		// one before it, so the user can find the broken one.
		name: "event without DTSTART",
		in: crlf("BEGIN:VCALENDAR\nVERSION:2.0\n" +
			"BEGIN:VEVENT\nUID:1\nDTSTART:20240201T120000Z\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:2\nSUMMARY:KSAU\nEND:VEVENT\n" +
			"END:VCALENDAR\n"),
		wantErr: "Händelse 2 i filen: saknar starttid (DTSTART)",
	},
	{
		name:    "garbage DTSTART",
		in:      event("UID:g", "DTSTART:nästa tisdag"),
		wantErr: "Händelse 1 i filen: ogiltig starttid ”nästa tisdag”",
	},
	{
		name:    "ISO date instead of iCalendar date",
		in:      event("UID:iso", "DTSTART:2024-06-12T08:00"),
		wantErr: "ogiltig starttid ”2024-06-12T08:00”",
	},
	{
		name:    "all-day date that does not exist",
		in:      event("UID:feb", "DTSTART;VALUE=DATE:20240230"),
		wantErr: "Händelse 1 i filen: ogiltigt datum ”20240230”",
	},
	{
		// Found by FuzzParseMeetings: year 0000 is valid iCalendar but no
		// Date the product accepts.
		name:    "all-day date in year 0000",
		in:      event("UID:noll", "DTSTART;VALUE=DATE:00001010"),
		wantErr: "Händelse 1 i filen: ogiltigt datum ”00001010”",
	},
	{
		// The conversion to Swedish time carries this into year 10000.
		name:    "time at the end of year 9999",
		in:      event("UID:slut", "DTSTART:99991231T233000Z"),
		wantErr: "Händelse 1 i filen: ogiltigt datum ”99991231T233000Z”",
	},
	{
		name:    "unknown zone",
		in:      event("UID:tz", "DTSTART;TZID=Mars/Olympus_Mons:20240612T080000"),
		wantErr: "ogiltig starttid ”20240612T080000”",
	},
}

func TestParseMeetings(t *testing.T) {
	loc := stockholm(t)
	for _, tc := range icalCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMeetings(strings.NewReader(tc.in), loc)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, meetings %+v; want %q", got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %q, want it to contain %q", err.Error(), tc.wantErr)
				}
				var werr *workflow.Error
				if !errors.As(err, &werr) || werr.Code != workflow.CodeInvalid {
					t.Errorf("error %#v, want a *workflow.Error with code %q", err, workflow.CodeInvalid)
				}
				if got != nil {
					t.Errorf("meetings %+v alongside the error, want none", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("meetings\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// clock is the only time format a parsed meeting may carry.
var clock = regexp.MustCompile(`^\d\d:\d\d$`)

// FuzzParseMeetings checks that no upload can crash the import or slip a
// malformed date or time past the parser: the service trusts what this
// parser says a file contains.
func FuzzParseMeetings(f *testing.F) {
	for _, tc := range icalCases {
		f.Add([]byte(tc.in))
	}
	loc := stockholm(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := ParseMeetings(bytes.NewReader(in), loc)
		if err != nil {
			var werr *workflow.Error
			if !errors.As(err, &werr) || werr.Code != workflow.CodeInvalid {
				t.Fatalf("error %#v, want a *workflow.Error with code %q", err, workflow.CodeInvalid)
			}
			return
		}
		for _, m := range got {
			if _, err := workflow.ParseDate(m.Date); err != nil {
				t.Errorf("meeting %+v: date: %v", m, err)
			}
			if m.Time != "" && !clock.MatchString(m.Time) {
				t.Errorf("meeting %+v: time %q is not HH:MM", m, m.Time)
			}
		}
	})
}
