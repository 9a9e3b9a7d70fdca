package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's OpenAPI 3.1 description, kept true by tests that
// compare it with the routes and validate responses against it.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) getOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPI)
}
