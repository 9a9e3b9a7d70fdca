package web

import (
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole URL space of the product, top to bottom. The OpenAPI
// document describes exactly these API routes; a test checks both ways.
func (s *Server) routes() *chi.Mux {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, securityHeaders)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/healthz", s.getHealth)
	r.Get("/readyz", s.getReady)
	r.Get("/api/v1/openapi.json", s.getOpenAPI)

	r.Group(func(r chi.Router) {
		r.Use(s.authenticate)
		r.Post("/api/v1/organizations", s.createOrganization)
		r.Get("/api/v1/organizations/{org}", s.getOrganization)

		r.Post("/api/v1/organizations/{org}/users", s.createUser)
		r.Get("/api/v1/organizations/{org}/users", s.listUsers)
		r.Post("/api/v1/organizations/{org}/tokens", s.createToken)
		r.Get("/api/v1/organizations/{org}/tokens", s.listTokens)
		r.Delete("/api/v1/organizations/{org}/tokens/{token}", s.deleteToken)

		r.Post("/api/v1/organizations/{org}/bodies", s.createBody)
		r.Get("/api/v1/organizations/{org}/bodies", s.listBodies)
		r.Post("/api/v1/organizations/{org}/series", s.createSeries)
		r.Get("/api/v1/organizations/{org}/series", s.listSeries)

		r.Post("/api/v1/organizations/{org}/cases", s.createCase)
		r.Get("/api/v1/organizations/{org}/cases", s.listCases)
		r.Get("/api/v1/organizations/{org}/cases/{case}", s.getCase)
		r.Get("/api/v1/organizations/{org}/cases/{case}/history", s.getHistory)
		r.Post("/api/v1/organizations/{org}/cases/{case}/documents", s.createDocument)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents", s.listDocuments)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents/{n}", s.getDocument)
		r.Put("/api/v1/organizations/{org}/cases/{case}/documents/{n}/content", s.putDocumentContent)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents/{n}/content", s.getDocumentContent)
	})
	return r
}
