package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// routes is the whole URL space of the product, top to bottom. The OpenAPI
// document describes exactly these API routes; a test checks both ways.
func (s *Server) routes() *chi.Mux {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, securityHeaders, requestCache)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	r.Get("/healthz", s.getHealth)
	r.Get("/readyz", s.getReady)
	r.Get("/api/v1/openapi.json", s.getOpenAPI)
	// Calendar clients cannot send a bearer token: the feed's own token is
	// in the path.
	r.Get("/api/v1/feeds/{token}/mine.ics", s.getFeed)
	r.Get("/api/v1/feeds/{token}/bodies/{code}/feed.ics", s.getFeed)

	// The web application: pages for people, with a session cookie, and
	// forms protected against cross-site requests by Sec-Fetch-Site and
	// Origin (net/http's CrossOriginProtection).
	r.Handle("/static/*", static())
	r.Group(func(r chi.Router) {
		r.Use(s.uiHeaders, s.sessions.LoadAndSave, http.NewCrossOriginProtection().Handler)
		r.Get("/", s.home)
		r.Get("/login", s.loginPage)
		r.With(s.clientIP, httprate.LimitBy(20, time.Minute, clientIPKey, httprate.WithLimitHandler(s.tooManyLogins))).Post("/login", s.login)
		r.Post("/logout", s.logout)
		r.Get("/login/oidc", s.ssoStart)
		r.Get("/login/oidc/callback", s.ssoCallback)
		r.Group(func(r chi.Router) {
			r.Use(s.requireSession)
			r.Get("/o/{org}/", s.overviewPage)
			r.Get("/o/{org}/registrera", s.registerPage)
			r.Post("/o/{org}/registrera", s.register)
			r.Get("/o/{org}/arenden/{case}", s.casePage)
			r.Get("/o/{org}/arenden/{case}/handelser/{event}", s.eventFormPage)
			r.Post("/o/{org}/arenden/{case}/handelser/{event}", s.fireFromForm)
			r.Get("/o/{org}/arenden/{case}/handlingar/{n}/fil", s.documentFile)
			r.Get("/o/{org}/arenden/{case}/utkast/{kind}", s.draftPage)
			r.Post("/o/{org}/arenden/{case}/utkast/{kind}", s.saveDraft)
			r.Get("/o/{org}/arenden/{case}/yttrande.pdf", s.yttrandePDF)
			r.Get("/o/{org}/arenden/{case}/expediering", s.expeditionPage)
			r.Get("/o/{org}/administration", s.adminPage)
			r.Post("/o/{org}/administration/anvandare", s.createUserFromForm)
			r.Get("/o/{org}/sammantraden", s.meetingsPage)
			r.Get("/o/{org}/sammantraden/{meeting}", s.meetingPage)
			r.Post("/o/{org}/sammantraden/{meeting}/justering", s.justeraMeeting)
			r.Get("/o/{org}/sammantraden/{meeting}/kallelse.pdf", s.getKallelse)
			r.Get("/o/{org}/sammantraden/{meeting}/anslagsbevis.pdf", s.getAnslagsbevis)
			r.Get("/o/{org}/sammantraden/{meeting}/paragrafer/{n}/protokollsutdrag.pdf", s.getProtokollsutdrag)
			r.Post("/demo/klocka", s.moveDemoClock)
		})
	})

	r.Group(func(r chi.Router) {
		r.Use(s.authenticate)
		r.Get("/api/v1/demo/clock", s.getDemoClock)
		r.Post("/api/v1/demo/clock", s.postDemoClock)
		r.Post("/api/v1/organizations", s.createOrganization)
		r.Get("/api/v1/organizations/{org}", s.getOrganization)
		r.Patch("/api/v1/organizations/{org}", s.patchOrganization)
		r.Get("/api/v1/organizations/{org}/days", s.getClosedDays)
		r.Put("/api/v1/organizations/{org}/days", s.putClosedDays)
		r.Get("/api/v1/organizations/{org}/deadlines", s.listDeadlines)
		r.Post("/api/v1/organizations/{org}/feed-token", s.issueFeedToken)
		r.Get("/api/v1/organizations/{org}/logo", s.getLogo)
		r.Put("/api/v1/organizations/{org}/logo", s.putLogo)
		r.Delete("/api/v1/organizations/{org}/logo", s.deleteLogo)
		r.Get("/api/v1/organizations/{org}/templates", listOf(s, s.svc.Docs.Templates))
		r.Get("/api/v1/organizations/{org}/templates/{kind}", s.getTemplate)
		r.Put("/api/v1/organizations/{org}/templates/{kind}", s.putTemplate)
		r.Delete("/api/v1/organizations/{org}/templates/{kind}", s.deleteTemplate)

		r.Post("/api/v1/organizations/{org}/users", createIn(s, s.svc.Accounts.CreateUser))
		r.Get("/api/v1/organizations/{org}/users", listOf(s, s.svc.Accounts.Users))
		r.Post("/api/v1/organizations/{org}/tokens", createIn(s, s.svc.Accounts.IssueToken)) // the answer holds the secret, shown only here
		r.Get("/api/v1/organizations/{org}/tokens", listOf(s, s.svc.Accounts.Tokens))
		r.Delete("/api/v1/organizations/{org}/tokens/{token}", s.deleteToken)

		r.Post("/api/v1/organizations/{org}/bodies", createIn(s, s.svc.Diarium.CreateBody))
		r.Get("/api/v1/organizations/{org}/bodies", listOf(s, s.svc.Diarium.Bodies))
		r.Patch("/api/v1/organizations/{org}/bodies/{code}", s.patchBody)
		r.Post("/api/v1/organizations/{org}/bodies/{code}/members", s.createMember)
		r.Get("/api/v1/organizations/{org}/bodies/{code}/members", s.listMembers)
		r.Post("/api/v1/organizations/{org}/bodies/{code}/meetings", s.createMeeting)
		r.Get("/api/v1/organizations/{org}/bodies/{code}/meetings", s.listMeetings)
		r.Post("/api/v1/organizations/{org}/bodies/{code}/meetings/import", s.importMeetings)
		r.Post("/api/v1/organizations/{org}/series", createIn(s, s.svc.Diarium.CreateSeries))
		r.Get("/api/v1/organizations/{org}/series", listOf(s, s.svc.Diarium.SeriesList))
		r.Patch("/api/v1/organizations/{org}/series/{code}", s.patchSeries)

		r.Get("/api/v1/organizations/{org}/meetings/{meeting}", s.getMeeting)
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/history", s.getMeetingHistory)
		r.Post("/api/v1/organizations/{org}/meetings/{meeting}/move", changeMeeting(s, s.svc.Meetings.MoveMeeting))
		r.Post("/api/v1/organizations/{org}/meetings/{meeting}/cancel", changeMeeting(s, s.svc.Meetings.CancelMeeting))
		r.Post("/api/v1/organizations/{org}/meetings/{meeting}/justering", changeMeeting(s, s.svc.Meetings.JusteraMeeting))
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/agenda", s.getAgenda)
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/kallelse.pdf", s.getKallelse)
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/paragraphs", s.listParagraphs)
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/paragraphs/{n}/protokollsutdrag.pdf", s.getProtokollsutdrag)
		r.Get("/api/v1/organizations/{org}/meetings/{meeting}/anslagsbevis.pdf", s.getAnslagsbevis)

		r.Get("/api/v1/organizations/{org}/workflows", listOf(s, s.svc.Workflows))
		r.Get("/api/v1/organizations/{org}/workflows/{name}", s.getWorkflow)
		r.Put("/api/v1/organizations/{org}/workflows/{name}", s.putWorkflow)
		r.Get("/api/v1/organizations/{org}/workflows/{name}/graph", s.getWorkflowGraph)

		r.Post("/api/v1/organizations/{org}/cases", s.createCase)
		r.Get("/api/v1/organizations/{org}/cases", s.listCases)
		r.Get("/api/v1/organizations/{org}/cases/{case}", s.getCase)
		r.Get("/api/v1/organizations/{org}/cases/{case}/history", s.getHistory)
		r.Get("/api/v1/organizations/{org}/cases/{case}/plan", s.getPlan)
		r.Get("/api/v1/organizations/{org}/cases/{case}/messages", s.getMessages)
		r.Post("/api/v1/organizations/{org}/cases/{case}/events", s.fireEvent)
		r.Post("/api/v1/organizations/{org}/cases/{case}/documents", s.createDocument)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents", s.listDocuments)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents/{n}", s.getDocument)
		r.Put("/api/v1/organizations/{org}/cases/{case}/documents/{n}/content", s.putDocumentContent)
		r.Get("/api/v1/organizations/{org}/cases/{case}/documents/{n}/content", s.getDocumentContent)

		r.Get("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}", s.getDraft)
		r.Put("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}", s.putDraft)
		r.Get("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}/versions", s.listDraftVersions)
		r.Get("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}/diff", s.getDraftDiff)
		r.Get("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}/comments", s.listDraftComments)
		r.Post("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}/comments", s.createDraftComment)
		r.Post("/api/v1/organizations/{org}/cases/{case}/drafts/{kind}/comments/{comment}/resolve", s.resolveDraftComment)
		r.Get("/api/v1/organizations/{org}/cases/{case}/yttrande.pdf", s.getYttrande("pdf"))
		r.Get("/api/v1/organizations/{org}/cases/{case}/yttrande.docx", s.getYttrande("docx"))
		r.Post("/api/v1/organizations/{org}/cases/{case}/yttrande/register", s.registerYttrande)
		r.Get("/api/v1/organizations/{org}/cases/{case}/render/{file}", s.getRendered)
		r.Get("/api/v1/organizations/{org}/cases/{case}/missiv", s.getMissiv)
		r.Get("/api/v1/organizations/{org}/cases/{case}/expediering", s.getExpedition)
		r.Patch("/api/v1/organizations/{org}/cases/{case}/recipients", s.patchRecipients)
	})
	return r
}

// clientIP finds the client's address: the TCP peer, or with
// REMISS_TRUSTED_PROXIES the address that many proxies in front of us
// saw, from X-Forwarded-For.
func (s *Server) clientIP(next http.Handler) http.Handler {
	if s.trustedProxies > 0 {
		return middleware.ClientIPFromXFFTrustedProxies(s.trustedProxies)(next)
	}
	return middleware.ClientIPFromRemoteAddr(next)
}

// clientIPKey buckets login attempts by client address (IPv6 by /64).
func clientIPKey(r *http.Request) (string, error) {
	return httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
}
