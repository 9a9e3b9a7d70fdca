package web

import (
	"net/http"

	"github.com/yttrande/remiss/workflow"
)

// fireEvent fires one event of the case's workflow. A retried request with
// the same Idempotency-Key gets the first answer instead of firing twice.
func (s *Server) fireEvent(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var req workflow.FireRequest
	if err == nil {
		err = decodeJSON(w, r, &req)
	}
	var c workflow.Case
	if err == nil {
		c, err = s.svc.Fire(r.Context(), actorFrom(r.Context()), org, caseID, req, r.Header.Get("Idempotency-Key"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, c)
}
