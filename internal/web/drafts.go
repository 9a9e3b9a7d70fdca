package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// maxDraftJSON bounds a draft's request body: the largest draft, with room
// for JSON escapes (a line break is two bytes in JSON).
const maxDraftJSON = 2*documents.MaxDraftBytes + 64<<10

// draftRef reads {org}, {case} and {kind}.
func draftRef(r *http.Request) (org string, caseID int64, kind documents.DraftKind, err error) {
	org, caseID, err = caseRef(r)
	if err == nil {
		kind, err = documents.ParseDraftKind(chi.URLParam(r, "kind"))
	}
	return org, caseID, kind, err
}

func (s *Server) putDraft(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var in documents.DraftSave
	if err == nil {
		err = decodeJSONUpTo(w, r, &in, maxDraftJSON)
	}
	if workflow.ErrorCode(err) == workflow.CodeTooLarge {
		err = documents.ErrDraftTooLarge()
	}
	var d documents.Draft
	if err == nil {
		d, err = s.svc.Docs.SaveDraft(r.Context(), actorFrom(r.Context()), org, caseID, kind, in)
	}
	s.answer(w, r, http.StatusOK, d, err)
}

func (s *Server) getDraft(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var n int64
	if err == nil {
		n, err = queryInt(r, "version")
	}
	var d documents.Draft
	if err == nil {
		d, err = s.svc.Docs.Draft(r.Context(), actorFrom(r.Context()), org, caseID, kind, int(min(n, 1<<31-1)))
	}
	s.answer(w, r, http.StatusOK, d, err)
}

func (s *Server) listDraftVersions(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var vs []documents.DraftVersion
	if err == nil {
		vs, err = s.svc.Docs.DraftVersions(r.Context(), actorFrom(r.Context()), org, caseID, kind)
	}
	s.answer(w, r, http.StatusOK, list(vs), err)
}

func (s *Server) getDraftDiff(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var from, to int64
	context := int64(3)
	if err == nil {
		from, err = queryInt(r, "from")
	}
	if err == nil {
		to, err = queryInt(r, "to")
	}
	if raw := r.URL.Query().Get("context"); err == nil && raw != "" {
		if context, err = strconv.ParseInt(raw, 10, 32); err != nil || context < 0 {
			err = workflow.Errorf(workflow.CodeInvalid, "Parametern ”context” ska vara ett heltal, 0 eller större.")
		}
	}
	var d documents.DraftDiff
	if err == nil {
		d, err = s.svc.Docs.DiffDraft(r.Context(), actorFrom(r.Context()), org, caseID, kind, int(min(from, 1<<31-1)), int(min(to, 1<<31-1)), int(context))
	}
	s.answer(w, r, http.StatusOK, d, err)
}

// draftCommentInput is a comment with the version it is on.
type draftCommentInput struct {
	Version int    `json:"version"`
	Quote   string `json:"quote"`
	Text    string `json:"text"`
}

func (s *Server) createDraftComment(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var in draftCommentInput
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	var c documents.DraftComment
	if err == nil {
		c, err = s.svc.Docs.CommentDraft(r.Context(), actorFrom(r.Context()), org, caseID, kind, in.Version,
			documents.NewDraftComment{Quote: in.Quote, Text: in.Text})
	}
	s.answer(w, r, http.StatusCreated, c, err)
}

func (s *Server) listDraftComments(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var cs []documents.DraftComment
	if err == nil {
		cs, err = s.svc.Docs.DraftComments(r.Context(), actorFrom(r.Context()), org, caseID, kind)
	}
	s.answer(w, r, http.StatusOK, list(cs), err)
}

func (s *Server) resolveDraftComment(w http.ResponseWriter, r *http.Request) {
	org, caseID, kind, err := draftRef(r)
	var id int64
	if err == nil {
		id, err = pathID(r, "comment", "Kommentaren")
	}
	var c documents.DraftComment
	if err == nil {
		c, err = s.svc.Docs.ResolveDraftComment(r.Context(), actorFrom(r.Context()), org, caseID, kind, id)
	}
	s.answer(w, r, http.StatusOK, c, err)
}
