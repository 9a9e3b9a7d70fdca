package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// DemoClock is the demo's clock, which its users move forward; nil
// outside the demo (internal/demo implements it).
type DemoClock interface {
	Now() time.Time
	MoveTo(t time.Time) error
}

// demoBanner is what the banner on every page of the demo says.
type demoBanner struct {
	Today string            // "måndag 29 januari 2024"
	Date  string            // "2024-01-29", the date field's floor
	Next  *workflow.Meeting // the next meeting, when the user is signed in
	Back  string            // the page to come back to after a move
}

// demoClockJSON is the demo's clock as the API shows it.
type demoClockJSON struct {
	Now   time.Time     `json:"now"`
	Today workflow.Date `json:"today"`
}

// demoClockMove is a request to move the demo's clock: to a day (at
// nine in the morning) or to a moment.
type demoClockMove struct {
	Date string     `json:"date"`
	Time *time.Time `json:"time"`
}

// afterMeeting is how long after a meeting's start a move to it lands:
// the meeting is over and its decisions can be recorded.
const afterMeeting = 2 * time.Hour

// errNoDemo answers the demo's routes outside the demo.
var errNoDemo = workflow.Errorf(workflow.CodeNotFound, "Klockan kan bara flyttas i demon (remiss demo).")

// banner is the demo banner for a page of org, or nil outside the demo.
func (s *Server) banner(r *http.Request, actor workflow.Actor, org workflow.Organization) *demoBanner {
	if s.demo == nil {
		return nil
	}
	now := s.demo.Now().In(s.loc)
	b := &demoBanner{Today: workflow.WeekdayDate(workflow.DateOf(now)), Date: workflow.DateOf(now).String(), Back: r.URL.RequestURI()}
	if org.ID == 0 {
		return b
	}
	if m, ok, err := s.svc.Meetings.NextMeeting(r.Context(), actor, org.Slug); err == nil && ok {
		b.Next = &m
	}
	return b
}

// moveDemoClock is the banner's form: to the next meeting of the
// signed-in user's organisation, or to a day.
func (s *Server) moveDemoClock(w http.ResponseWriter, r *http.Request) {
	back := safeNext(r.PostFormValue("tillbaka"), "/")
	if s.demo == nil {
		s.failPage(w, r, errNoDemo)
		return
	}
	msg, err := s.demoMove(r)
	if err != nil {
		msg = workflow.Message(err)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// demoMove moves the clock as the banner's form asks and says where it
// went.
func (s *Server) demoMove(r *http.Request) (string, error) {
	if r.PostFormValue("till") == "nasta" {
		m, ok, err := s.svc.Meetings.NextMeeting(r.Context(), actorFrom(r.Context()), s.sessions.GetString(r.Context(), sessionSlug))
		if err != nil {
			return "", err
		}
		if !ok {
			return "", workflow.Errorf(workflow.CodeInvalid, "Det finns inget planerat sammanträde under det kommande året.")
		}
		to := m.Start(s.loc).Add(afterMeeting)
		if err := s.moveTo(to); err != nil {
			return "", err
		}
		return fmt.Sprintf("Demons klocka är nu %s kl. %s, efter sammanträdet med %s.",
			workflow.WeekdayDate(workflow.DateOf(to)), to.Format("15.04"), strings.ToLower(m.BodyName[:1])+m.BodyName[1:]), nil
	}
	to, err := s.demoDay(r.PostFormValue("datum"))
	if err != nil {
		return "", err
	}
	if err := s.moveTo(to); err != nil {
		return "", err
	}
	return fmt.Sprintf("Demons klocka är nu %s.", workflow.WeekdayDate(workflow.DateOf(to))), nil
}

// demoDay is nine in the morning of day, or now when day is today and
// nine has passed.
func (s *Server) demoDay(day string) (time.Time, error) {
	d, err := workflow.ParseDate(strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, workflow.Errorf(workflow.CodeInvalid, "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", day)
	}
	to := d.Time(s.loc).Add(9 * time.Hour)
	if now := s.demo.Now(); d == workflow.DateOf(now.In(s.loc)) && to.Before(now) {
		return now, nil
	}
	return to, nil
}

// moveTo moves the clock, in Swedish when it cannot go back.
func (s *Server) moveTo(t time.Time) error {
	err := s.demo.MoveTo(t)
	if err != nil {
		now := s.demo.Now().In(s.loc)
		return workflow.Errorf(workflow.CodeInvalid, "Demons klocka går bara framåt; i demon är det redan %s kl. %s.",
			workflow.WeekdayDate(workflow.DateOf(now)), now.Format("15.04"))
	}
	return nil
}

// getDemoClock tells the demo's time.
func (s *Server) getDemoClock(w http.ResponseWriter, r *http.Request) {
	if s.demo == nil {
		s.fail(w, r, errNoDemo)
		return
	}
	respond(w, http.StatusOK, s.demoClockJSON())
}

// postDemoClock moves the demo's clock to a day or a moment.
func (s *Server) postDemoClock(w http.ResponseWriter, r *http.Request) {
	if s.demo == nil {
		s.fail(w, r, errNoDemo)
		return
	}
	var in demoClockMove
	err := decodeJSON(w, r, &in)
	var to time.Time
	switch {
	case err != nil:
	case in.Time != nil && in.Date == "":
		to = *in.Time
	case in.Time == nil && in.Date != "":
		to, err = s.demoDay(in.Date)
	default:
		err = &workflow.Error{Code: workflow.CodeInvalid, Message: "Ange antingen ”date” eller ”time”.",
			Fields: []workflow.FieldError{{Field: "date", Message: "Ett datum (ÅÅÅÅ-MM-DD) eller en tidpunkt i ”time”, inte båda."}}}
	}
	if err == nil {
		err = s.moveTo(to)
	}
	s.answer(w, r, http.StatusOK, s.demoClockJSON(), err)
}

func (s *Server) demoClockJSON() demoClockJSON {
	now := s.demo.Now().In(s.loc)
	return demoClockJSON{Now: now, Today: workflow.DateOf(now)}
}
