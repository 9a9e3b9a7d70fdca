package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httplog/v3"

	"github.com/yttrande/remiss/workflow"
)

// problemBase is where docs/problems.md explains each problem type.
const problemBase = "https://github.com/yttrande/remiss/blob/main/docs/problems.md#"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail"`
	Instance  string                `json:"instance,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
	Errors    []workflow.FieldError `json:"errors,omitempty"`
}

// problemKinds is the one mapping from domain error codes to HTTP.
var problemKinds = map[workflow.Code]struct {
	status int
	title  string
}{
	workflow.CodeInvalid:          {http.StatusUnprocessableEntity, "Ogiltiga uppgifter"},
	workflow.CodeBadRequest:       {http.StatusBadRequest, "Felaktig begäran"},
	workflow.CodeNotFound:         {http.StatusNotFound, "Finns inte"},
	workflow.CodeConflict:         {http.StatusConflict, "Konflikt"},
	workflow.CodeForbidden:        {http.StatusForbidden, "Behörighet saknas"},
	workflow.CodeUnauthorized:     {http.StatusUnauthorized, "Inloggning krävs"},
	workflow.CodeTooLarge:         {http.StatusRequestEntityTooLarge, "För stor"},
	workflow.CodeUnsupportedMedia: {http.StatusUnsupportedMediaType, "Filtypen stöds inte"},
	workflow.CodeInternal:         {http.StatusInternalServerError, "Internt fel"},
}

// fail writes err as problem+json. Only internal errors are logged as
// errors; their cause never reaches the client, who gets the request id to
// quote to IT support instead.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *workflow.Error
	if !errors.As(err, &e) {
		e = workflow.Internal(err)
	}
	kind, ok := problemKinds[e.Code]
	if !ok {
		kind = problemKinds[workflow.CodeInternal]
	}
	reqID := middleware.GetReqID(r.Context())
	p := Problem{
		Type: problemBase + string(e.Code), Title: kind.title, Status: kind.status, Detail: e.Message,
		Instance: r.URL.Path, RequestID: reqID, Errors: e.Fields,
	}
	if kind.status == http.StatusInternalServerError {
		httplog.SetError(r.Context(), err)
		s.log.ErrorContext(r.Context(), "internal error", slog.String("request_id", reqID), slog.Any("error", err))
		p.Detail = "Ett oväntat fel inträffade. Försök igen om en stund; kvarstår felet, kontakta IT-supporten och ange referensen " + reqID + "."
	}
	if kind.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="remiss"`)
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, workflow.Errorf(workflow.CodeNotFound, "Adressen %s finns inte.", r.URL.Path))
}

// methodNotAllowed answers 405 with the Allow header chi's own handler
// would set, found by asking the router which methods match the path.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if s.router.Match(chi.NewRouteContext(), m, r.URL.Path) {
			allowed = append(allowed, m)
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeProblem(w, Problem{
		Type: problemBase + "method_not_allowed", Title: "Metoden stöds inte", Status: http.StatusMethodNotAllowed,
		Detail:   "Adressen " + r.URL.Path + " tar inte emot " + r.Method + ".",
		Instance: r.URL.Path, RequestID: middleware.GetReqID(r.Context()),
	})
}

// statusOf is err's HTTP status and Swedish title, by the same mapping
// the API uses, for the web application's error pages.
func statusOf(err error) (int, string) {
	kind, ok := problemKinds[workflow.ErrorCode(err)]
	if !ok {
		kind = problemKinds[workflow.CodeInternal]
	}
	return kind.status, kind.title
}
