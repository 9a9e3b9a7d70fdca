package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/meetings"
)

// The meetings API: a body's members and sammanträdesplan, each meeting's
// agenda, paragraphs, justering and the documents printed from them.

func (s *Server) createMember(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewMember
	err := decodeJSON(w, r, &in)
	var m workflow.Member
	if err == nil {
		m, err = s.svc.Meetings.AddMember(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), in)
	}
	s.answer(w, r, http.StatusCreated, m, err)
}

func (s *Server) patchBody(w http.ResponseWriter, r *http.Request) {
	var in diarium.BodyChange
	err := decodeJSON(w, r, &in)
	var b workflow.Body
	if err == nil {
		b, err = s.svc.Diarium.UpdateBody(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), in)
	}
	s.answer(w, r, http.StatusOK, b, err)
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	ms, err := s.svc.Meetings.Members(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"))
	s.answer(w, r, http.StatusOK, list(ms), err)
}

func (s *Server) createMeeting(w http.ResponseWriter, r *http.Request) {
	var in workflow.NewMeeting
	err := decodeJSON(w, r, &in)
	var m workflow.Meeting
	if err == nil {
		m, err = s.svc.Meetings.CreateMeeting(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), in)
	}
	if err == nil {
		w.Header().Set("Location", meetingPath(chi.URLParam(r, "org"), m.ID))
	}
	s.answer(w, r, http.StatusCreated, m, err)
}

func meetingPath(org string, id int64) string {
	return fmt.Sprintf("/api/v1/organizations/%s/meetings/%d", url.PathEscape(org), id)
}

func (s *Server) listMeetings(w http.ResponseWriter, r *http.Request) {
	f, err := meetingFilter(r.URL.Query())
	var ms []workflow.Meeting
	if err == nil {
		ms, err = s.svc.Meetings.Meetings(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), f)
	}
	s.answer(w, r, http.StatusOK, list(ms), err)
}

func meetingFilter(q url.Values) (workflow.MeetingFilter, error) {
	var v workflow.Validation
	f := workflow.MeetingFilter{From: v.OptionalDate("from", q.Get("from")), To: v.OptionalDate("to", q.Get("to"))}
	switch q.Get("cancelled") {
	case "", "false":
	case "true":
		f.Cancelled = true
	default:
		v.Add("cancelled", "Ange true eller false.")
	}
	return f, v.Err()
}

// importMeetings reads a sammanträdesplan as CSV (text/csv) or iCalendar
// (text/calendar), told apart by the Content-Type.
func (s *Server) importMeetings(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
	if err != nil {
		s.fail(w, r, workflow.Errorf(workflow.CodeTooLarge, "Filen är för stor för en sammanträdesplan (högst 4 MB)."))
		return
	}
	var rows []workflow.NewMeeting
	source := "CSV"
	switch mt {
	case "text/csv":
		rows, err = meetings.ParseMeetingsCSV(bytes.NewReader(body))
	case "text/calendar":
		source = "iCalendar"
		rows, err = s.parseICS(bytes.NewReader(body))
	default:
		err = workflow.Errorf(workflow.CodeUnsupportedMedia, "Skicka sammanträdesplanen som CSV (Content-Type: text/csv) eller iCalendar (Content-Type: text/calendar).")
	}
	var res workflow.ImportResult
	if err == nil {
		res, err = s.svc.Meetings.ImportMeetings(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), source, rows)
	}
	s.answer(w, r, http.StatusOK, res, err)
}

// meetingRef reads {org} and {meeting}.
func meetingRef(r *http.Request) (string, int64, error) {
	id, err := pathID(r, "meeting", "Sammanträdet")
	return chi.URLParam(r, "org"), id, err
}

func (s *Server) getMeeting(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var m workflow.Meeting
	if err == nil {
		m, err = s.svc.Meetings.Meeting(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.answer(w, r, http.StatusOK, m, err)
}

func (s *Server) getMeetingHistory(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var log []workflow.MeetingLogEntry
	if err == nil {
		log, err = s.svc.Meetings.MeetingLog(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.answer(w, r, http.StatusOK, list(log), err)
}

// changeMeeting makes the handler of a change to a meeting (move, cancel,
// justering) that takes a JSON body of type In.
func changeMeeting[In any](s *Server, change func(context.Context, workflow.Actor, string, int64, In) (workflow.Meeting, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		org, id, err := meetingRef(r)
		var in In
		if err == nil {
			err = decodeJSON(w, r, &in)
		}
		var m workflow.Meeting
		if err == nil {
			m, err = change(r.Context(), actorFrom(r.Context()), org, id, in)
		}
		s.answer(w, r, http.StatusOK, m, err)
	}
}

// agenda is the answer of GET …/agenda: the meeting and its items.
type agenda struct {
	Meeting workflow.Meeting      `json:"meeting"`
	Items   []workflow.AgendaItem `json:"items"`
}

func (s *Server) getAgenda(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var a agenda
	if err == nil {
		a.Meeting, a.Items, err = s.svc.Meetings.Agenda(r.Context(), actorFrom(r.Context()), org, id)
	}
	if a.Items == nil {
		a.Items = []workflow.AgendaItem{}
	}
	s.answer(w, r, http.StatusOK, a, err)
}

func (s *Server) listParagraphs(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var ps []workflow.Paragraph
	if err == nil {
		ps, err = s.svc.Meetings.Paragraphs(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.answer(w, r, http.StatusOK, list(ps), err)
}

func (s *Server) getKallelse(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var l documents.Layout
	if err == nil {
		l, err = s.svc.Meetings.Kallelse(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.servePDF(w, r, l, err)
}

func (s *Server) getAnslagsbevis(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var l documents.Layout
	if err == nil {
		l, err = s.svc.Meetings.Anslagsbevis(r.Context(), actorFrom(r.Context()), org, id)
	}
	s.servePDF(w, r, l, err)
}

func (s *Server) getProtokollsutdrag(w http.ResponseWriter, r *http.Request) {
	org, id, err := meetingRef(r)
	var n int64
	if err == nil {
		n, err = pathID(r, "n", "Paragrafen")
	}
	var l documents.Layout
	if err == nil {
		l, err = s.svc.Meetings.Protokollsutdrag(r.Context(), actorFrom(r.Context()), org, id, int(min(n, 1<<31-1)))
	}
	s.servePDF(w, r, l, err)
}

// servePDF renders l and sends it inline, named after its title.
func (s *Server) servePDF(w http.ResponseWriter, r *http.Request, l documents.Layout, err error) {
	var pdf []byte
	if err == nil {
		pdf, err = s.pdf.Render(l)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	disposition := mime.FormatMediaType("inline", map[string]string{"filename": l.Letterhead.Name + " - " + l.Meta.Title + ".pdf"})
	if disposition == "" {
		disposition = "inline"
	}
	w.Header().Set("Content-Disposition", disposition)
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", l.Meta.Created, bytes.NewReader(pdf))
}

func (s *Server) patchOrganization(w http.ResponseWriter, r *http.Request) {
	var in workflow.OrganizationSettings
	err := decodeJSON(w, r, &in)
	var org workflow.Organization
	if err == nil {
		org, err = s.svc.Accounts.UpdateOrganization(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), in)
	}
	s.answer(w, r, http.StatusOK, org, err)
}

// answer renders v with status, or the error.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, status, v)
}

// patchSeries continues a number series from another diarium.
func (s *Server) patchSeries(w http.ResponseWriter, r *http.Request) {
	var in diarium.SeriesContinuation
	err := decodeJSON(w, r, &in)
	var sr diarium.Series
	if err == nil {
		sr, err = s.svc.Diarium.ContinueSeries(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "code"), in)
	}
	s.answer(w, r, http.StatusOK, sr, err)
}
