package workflow

import (
	"regexp"
	"strings"
	"time"
)

// MeetingStatus says whether a meeting is to be held.
type MeetingStatus string

// The statuses of a meeting.
const (
	MeetingPlanerat MeetingStatus = "planerat"
	MeetingInstallt MeetingStatus = "installt" // cancelled; kept, because the plan and the history refer to it
)

// Meeting is one sammanträde of a body, from its sammanträdesplan.
type Meeting struct {
	ID        int64             `json:"id"`
	OrgID     int64             `json:"-"`
	BodyID    int64             `json:"-"`
	Body      string            `json:"body"`
	BodyName  string            `json:"body_name"`
	BodyKind  BodyKind          `json:"body_kind"`
	Date      Date              `json:"date"`
	Time      string            `json:"time,omitempty"` // HH:MM, local time
	Location  string            `json:"location,omitempty"`
	Status    MeetingStatus     `json:"status"`
	Version   int64             `json:"version"`
	Justering *MeetingJustering `json:"justering,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// MeetingJustering is the approval of a meeting's minutes and their
// anslag on the anslagstavla.
type MeetingJustering struct {
	Date            Date     `json:"date"`
	Ordforande      string   `json:"ordforande"`
	Justerare       []string `json:"justerare"`
	AnslagOn        Date     `json:"anslag_on"`
	AppealEndsOn    Date     `json:"appeal_ends_on"`
	Forvaringsplats string   `json:"forvaringsplats,omitempty"`
}

// Held reports whether the meeting's day has come.
func (m Meeting) Held(today Date) bool { return !m.Date.After(today) }

// Start is when the meeting begins in loc: its day at its time, or at
// noon when the plan gives no time.
func (m Meeting) Start(loc *time.Location) time.Time {
	h, min := 12, 0
	if len(m.Time) == 5 {
		h, min = int(m.Time[0]-'0')*10+int(m.Time[1]-'0'), int(m.Time[3]-'0')*10+int(m.Time[4]-'0')
	}
	return m.Date.Time(loc).Add(time.Duration(h)*time.Hour + time.Duration(min)*time.Minute)
}

// Label names the meeting for messages: "KSAU 2024-03-27".
func (m Meeting) Label() string { return m.Body + " " + m.Date.String() }

// NewMeeting is the input for adding a meeting to a body's calendar.
type NewMeeting struct {
	Date     string `json:"date"`
	Time     string `json:"time"`
	Location string `json:"location"`
	// Source says where an imported meeting came from ("rad 3", an
	// iCalendar UID), for error messages.
	Source string `json:"-"`
}

var clockPattern = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)

// validate checks the input and returns the meeting's date and time; a
// new meeting must not lie in the past, except when imported (a year's
// plan may begin before the day of the import).
func (n NewMeeting) Validate(v *Validation, prefix string, today Date, allowPast bool) (Date, string, string) {
	d, err := ParseDate(strings.TrimSpace(n.Date))
	switch {
	case err != nil:
		v.Addf(prefix+"date", "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", n.Date)
	case !allowPast && d.Before(today):
		v.Addf(prefix+"date", "Datumet %s har redan passerat.", d)
	case d.Time(time.UTC).Year() < 2000 || d.Time(time.UTC).Year() > 2200:
		v.Addf(prefix+"date", "Årtalet i %s är inte rimligt.", d)
	}
	clock := ""
	if t := strings.TrimSpace(n.Time); t != "" {
		m := clockPattern.FindStringSubmatch(t)
		if m == nil {
			v.Addf(prefix+"time", "”%s” är ingen giltig tid. Skriv den som TT:MM, t.ex. 13:00.", n.Time)
		} else {
			clock = strings.Repeat("0", 2-len(m[1])) + m[1] + ":" + m[2]
		}
	}
	return d, clock, LimitText(v, prefix+"location", strings.TrimSpace(n.Location), 200)
}

// MeetingChange moves or cancels a meeting. Version is the meeting's
// version as the caller read it.
type MeetingChange struct {
	Version  int64  `json:"version"`
	Date     string `json:"date"`
	Time     string `json:"time"`
	Location string `json:"location"`
	Reason   string `json:"reason"`
}

// MeetingLogEntry is one row of a meeting's append-only log: created,
// moved, cancelled, justerad.
type MeetingLogEntry struct {
	Seq     int64          `json:"seq"`
	Action  string         `json:"action"`
	Actor   string         `json:"actor"`
	ActorID int64          `json:"-"`
	At      time.Time      `json:"at"`
	Data    map[string]any `json:"data,omitempty"`
}

// MeetingFilter selects meetings of a body.
type MeetingFilter struct {
	From, To  Date // inclusive; zero means open
	Cancelled bool // include cancelled meetings
}

// ImportResult says what an import of a sammanträdesplan did.
type ImportResult struct {
	Created []Meeting `json:"created"`
	Skipped []Meeting `json:"skipped"` // already in the calendar
}
