package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/internal/draw"
	"github.com/yttrande/remiss/workflow"
)

// queryInt reads an optional positive integer query parameter; 0 when absent.
func queryInt(r *http.Request, name string) (int64, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 1 {
		return 0, &workflow.Error{Code: workflow.CodeInvalid, Message: "Parametern ”" + name + "” ska vara ett positivt heltal.",
			Fields: []workflow.FieldError{{Field: name, Message: "Ska vara ett positivt heltal."}}}
	}
	return n, nil
}

func (s *Server) getWorkflow(w http.ResponseWriter, r *http.Request) {
	version, err := queryInt(r, "version")
	var d *workflow.Definition
	if err == nil {
		d, err = s.svc.Workflow(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "name"), int(version))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, d)
}

// putWorkflow stores the body as the organisation's next version of the
// route; the body is read whole so that the domain can report every
// problem with its path.
func (s *Server) putWorkflow(w http.ResponseWriter, r *http.Request) {
	if err := requireJSON(r); err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBytes))
	if err != nil {
		s.fail(w, r, jsonError(err))
		return
	}
	d, err := s.svc.SaveWorkflow(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "name"), body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, d)
}

// graphTypes are the media types of the graph formats.
var graphTypes = map[string]string{
	draw.FormatSVG:     "image/svg+xml",
	"":                 "image/svg+xml",
	draw.FormatDOT:     "text/vnd.graphviz; charset=utf-8",
	draw.FormatMermaid: "text/plain; charset=utf-8",
}

func (s *Server) getWorkflowGraph(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	version, err := queryInt(r, "version")
	var caseID int64
	if err == nil {
		caseID, err = queryInt(r, "case")
	}
	if _, ok := graphTypes[format]; !ok && err == nil {
		err = &workflow.Error{Code: workflow.CodeInvalid, Message: "Okänt format.", Fields: []workflow.FieldError{{Field: "format", Message: "Ange svg, dot eller mermaid."}}}
	}
	var d *workflow.Definition
	var current string
	if err == nil {
		d, current, err = s.svc.WorkflowToDraw(r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org"), chi.URLParam(r, "name"), int(version), caseID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	graph, _ := draw.Definition(d, current, format)
	w.Header().Set("Content-Type", graphTypes[format])
	_, _ = io.WriteString(w, graph)
}
