package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/meetings"
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
	Justera    *eventForm // the justering form, for a secretary before the justering
}

// meetingsPage lists every body's meetings, the coming ones first.
func (s *Server) meetingsPage(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	org, err := s.svc.Accounts.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	bodies, err := s.svc.Diarium.Bodies(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	var plan []bodyMeetings
	for _, b := range bodies {
		ms, err := s.svc.Meetings.Meetings(ctx, actor, slug, b.Code, workflow.MeetingFilter{Cancelled: true})
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
	s.showMeeting(w, r, http.StatusOK, url.Values{}, nil)
}

// showMeeting renders a meeting with the justering form, as typed and
// with the domain's messages when it was refused.
func (s *Server) showMeeting(w http.ResponseWriter, r *http.Request, status int, values url.Values, refusal error) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, err := strconv.ParseInt(chi.URLParam(r, "meeting"), 10, 64)
	if err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeNotFound, "Sammanträdet finns inte."))
		return
	}
	org, err := s.svc.Accounts.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	var v meetingView
	if v.Meeting, v.Agenda, err = s.svc.Meetings.Agenda(ctx, actor, slug, id); err != nil {
		s.failPage(w, r, err)
		return
	}
	if v.Paragraphs, err = s.svc.Meetings.Paragraphs(ctx, actor, slug, id); err != nil {
		s.failPage(w, r, err)
		return
	}
	if v.Meeting.Justering == nil && actor.Can(workflow.PermManageMeetings, org.ID) {
		v.Justera = &eventForm{Version: v.Meeting.Version, Fields: justeringFields(values)}
		v.Justera.refuse(refusal)
	}
	s.render(w, r, status, "meeting", page{Title: v.Meeting.BodyName + " " + v.Meeting.Date.String(), Page: "meetings", Org: org, MeetingView: &v})
}

// justeringFields is the form for justering a meeting's minutes.
func justeringFields(values url.Values) []formField {
	return []formField{
		input(values, "date", "Justeringsdag", "date", true, ""),
		input(values, "ordforande", "Ordförande", "text", true, "Ordföranden som justerar protokollet, som i ledamotslistan."),
		input(values, "justerare", "Justerare", "textarea", true, "En per rad."),
		input(values, "anslag", "Anslagsdag", "date", false, "Tom: samma dag som justeringen."),
		input(values, "forvaringsplats", "Förvaringsplats för protokollet", "text", false, ""),
	}
}

// justeraMeeting records the justering from the form: the meeting and
// every ärende it decided that waits for justering move on together.
func (s *Server) justeraMeeting(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	id, _ := strconv.ParseInt(chi.URLParam(r, "meeting"), 10, 64)
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeBadRequest, "Formuläret kunde inte läsas."))
		return
	}
	v := r.PostForm
	version, _ := strconv.ParseInt(v.Get("version"), 10, 64)
	_, err := s.svc.Meetings.JusteraMeeting(ctx, actor, slug, id, meetings.JusteringInput{Version: version, Date: v.Get("date"), Ordforande: v.Get("ordforande"),
		Justerare: lines(v.Get("justerare")), Anslag: v.Get("anslag"), Forvaringsplats: v.Get("forvaringsplats")})
	switch workflow.ErrorCode(err) {
	case "":
		s.setFlash(w, "Protokollet är justerat.")
		http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/sammantraden/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case workflow.CodeInvalid, workflow.CodeConflict:
		s.showMeeting(w, r, http.StatusUnprocessableEntity, v, err)
	default:
		s.failPage(w, r, err)
	}
}
