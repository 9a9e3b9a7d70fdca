package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

// bodyMeetings is one body's sammanträdesplan on the meetings page.
type bodyMeetings struct {
	Body     workflow.Body
	Meetings []workflow.Meeting
}

// meetingView is one meeting with its agenda and its paragraphs.
type meetingView struct {
	Meeting    workflow.Meeting
	Agenda     []workflow.AgendaItem
	Paragraphs []workflow.Paragraph
}

// meetingsPage lists every body's meetings, the coming ones first.
func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	org, err := s.svc.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	bodies, err := s.svc.Bodies(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	var plan []bodyMeetings
	for _, b := range bodies {
		ms, err := s.svc.Meetings(ctx, actor, slug, b.Code, workflow.MeetingFilter{Cancelled: true})
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		plan = append(plan, bodyMeetings{Body: b, Meetings: ms})
	}
	s.render(w, r, http.StatusOK, "meetings", page{Title: "Sammanträden", Page: "meetings", Org: org, Bodies: plan})
}

// meetingPage shows one meeting: when and where, its justering, its
// agenda and the paragraphs of its minutes, with the meeting's documents.
func (s *Server) meetingPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, err := strconv.ParseInt(chi.URLParam(r, "meeting"), 10, 64)
	if err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeNotFound, "Sammanträdet finns inte."))
		return
	}
	org, err := s.svc.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	var v meetingView
	if v.Meeting, v.Agenda, err = s.svc.Agenda(ctx, actor, slug, id); err != nil {
		s.failPage(w, r, err)
		return
	}
	if v.Paragraphs, err = s.svc.Paragraphs(ctx, actor, slug, id); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "meeting", page{Title: v.Meeting.BodyName + " " + v.Meeting.Date.String(), Page: "meetings", Org: org, MeetingView: &v})
}
