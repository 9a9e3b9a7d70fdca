package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// registerPage shows the form for registering a remiss.
func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.showRegistration(w, r, http.StatusOK, url.Values{}, nil)
}

// showRegistration renders the registration form with values and the
// domain's messages beside their fields.
func (s *Server) showRegistration(w http.ResponseWriter, r *http.Request, status int, values url.Values, refusal error) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	org, err := s.svc.Accounts.Organization(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	series, err := s.svc.Diarium.SeriesList(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	flows, err := s.svc.Workflows(ctx, actor, slug)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	f := &eventForm{Event: workflow.AvailableEvent{Name: "registrera", Title: "Registrera remissen"}, Fields: registrationFields(series, flows, values)}
	f.refuse(refusal)
	s.render(w, r, status, "register", page{Title: "Registrera remiss", Page: "register", Org: org, Form: f})
}

// registrationFields are the registration form's inputs, named by the
// paths of the domain's field messages.
func registrationFields(series []diarium.Series, flows []workflow.Summary, values url.Values) []formField {
	in := func(name, label, kind string, required bool, hint string) formField {
		return input(values, name, label, kind, required, hint)
	}
	seriesField := in("series", "Nummerserie", "select", true, "")
	for _, sr := range series {
		seriesField.Options = append(seriesField.Options, option{sr.Code, sr.Code})
	}
	if seriesField.Value == "" && len(series) == 1 {
		seriesField.Value = series[0].Code
	}
	flow := in("workflow", "Arbetsflöde", "select", true, "")
	for _, wf := range flows {
		flow.Options = append(flow.Options, option{wf.Name, wf.Title})
	}
	if flow.Value == "" {
		flow.Value = "kommunstyrelsen"
	}
	return []formField{
		in("title", "Ärendemening", "text", true, "T.ex. ”Remiss av SOU 2023:94 Förändring genom försök”."),
		in("remiss.sender", "Avsändare", "text", true, "Departementet eller myndigheten, t.ex. Finansdepartementet."),
		in("remiss.sender_dnr", "Avsändarens diarienummer", "text", false, "T.ex. Fi2023/04321; står i e-postens ämnesrad när svaret skickas."),
		in("remiss.reference", "Beteckning", "text", false, "T.ex. SOU 2023:94 eller Ds 2024:3."),
		in("remiss.received", "Inkom", "date", true, ""),
		in("remiss.deadline", "Svar senast", "date", true, ""),
		seriesField,
		in("classification", "Klassificering", "text", false, "Enligt informationshanteringsplanen, t.ex. 109."),
		flow,
		in("remiss.reply_to", "Svarsadress", "email", false, "Tom: departementets remissbrevlåda, härledd ur diarienumret."),
		in("remiss.cc", "Kopia till", "textarea", false, "En adress per rad, t.ex. enheten som remissen anger."),
		in("remiss.contact", "Kontaktperson hos avsändaren", "text", false, ""),
	}
}

// register registers the remiss from the form and shows the new case.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	ctx, actor, slug := r.Context(), actorFrom(r.Context()), chi.URLParam(r, "org")
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, workflow.Errorf(workflow.CodeBadRequest, "Formuläret kunde inte läsas."))
		return
	}
	v := r.PostForm
	in := diarium.Registration{Series: v.Get("series"), Classification: v.Get("classification"), Title: v.Get("title"), Workflow: v.Get("workflow"),
		Remiss: diarium.RemissInput{Sender: v.Get("remiss.sender"), SenderDnr: v.Get("remiss.sender_dnr"), Reference: v.Get("remiss.reference"),
			Received: v.Get("remiss.received"), Deadline: v.Get("remiss.deadline"), ReplyTo: v.Get("remiss.reply_to"),
			Cc: lines(v.Get("remiss.cc")), Contact: v.Get("remiss.contact")}}
	c, err := s.svc.Diarium.RegisterCase(ctx, actor, slug, in)
	if err != nil {
		status, _ := statusOf(err)
		if status == http.StatusUnprocessableEntity {
			s.showRegistration(w, r, status, v, err)
			return
		}
		s.failPage(w, r, err)
		return
	}
	msg := "Remissen är registrerad som " + c.Dnr + "."
	for _, warn := range c.Warnings {
		msg += " Observera: " + warn.Message
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/o/"+url.PathEscape(slug)+"/arenden/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
