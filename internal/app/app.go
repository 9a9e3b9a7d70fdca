// Package app builds the services of the remiss work on one store and
// one core: the composition root that cmd/remiss wires and that the
// tests drive. It holds no logic of its own.
package app

import (
	"context"
	"io/fs"
	"log/slog"
	"time"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
	"github.com/yttrande/remiss/workflow/documents"
	"github.com/yttrande/remiss/workflow/meetings"
	"github.com/yttrande/remiss/workflow/planning"
	"github.com/yttrande/remiss/workflow/sending"
)

// App is the services, each reachable by name; their methods are
// promoted for the callers that want one handle on all of them.
type App struct {
	*workflow.Core
	*workflow.Engine
	Planning *planning.Service
	Sending  *sending.Service
	Meetings *meetings.Service
	Docs     *documents.Service
	Diarium  *diarium.Service
	Accounts *diarium.Accounts
}

// Store is every store interface the services declare; internal/store
// implements them all.
type Store interface {
	workflow.Store
	planning.Store
	sending.Store
	meetings.Store
	documents.Store
	diarium.Store
	diarium.AccountsStore
}

// Config is what the services need.
type Config struct {
	Store Store
	Clock workflow.Clock // nil: the system clock
	// Location is the organisations' local time, which decides the
	// registration year and "today". nil: Europe/Stockholm.
	Location       *time.Location
	Calendar       workflow.Calendar
	Secrets        workflow.SecretSource
	MaxUploadBytes int64
	Log            *slog.Logger
	// Markdown reads drafts; PDF and DOCX draw documents; Templates holds
	// the shipped document templates. Without them the services keep
	// drafts but render nothing.
	Markdown  documents.MarkdownParser
	PDF       documents.Renderer
	DOCX      documents.Renderer
	Templates fs.FS
	// Passwords hashes local accounts' passwords. nil: no password login.
	Passwords diarium.Passwords
}

// New builds the services.
func New(c Config) (*App, error) {
	core, err := workflow.NewCore(workflow.CoreConfig{Store: c.Store, Clock: c.Clock, Location: c.Location, Calendar: c.Calendar, Log: c.Log})
	if err != nil {
		return nil, err
	}
	planning := planning.New(core, c.Store, c.Secrets)
	sending := sending.New(core, c.Store)
	meetings := meetings.New(core, c.Store, planning)
	documents := documents.New(core, c.Store, documents.Config{Markdown: c.Markdown, PDF: c.PDF, DOCX: c.DOCX, Templates: c.Templates})
	svc, err := workflow.NewEngine(workflow.EngineConfig{Core: core, Planner: planning, Store: c.Store,
		Effects: merge(sending.Effects(), meetings.Effects()), Guards: merge(sending.Guards(), documents.Guards()),
		OnDecided: documents.RegisterDecided})
	if err != nil {
		return nil, err
	}
	register := diarium.New(core, c.Store, planning, c.MaxUploadBytes)
	register.Bind(svc)
	accounts := diarium.NewAccounts(core, c.Store, diarium.AccountsConfig{Planner: planning, Secrets: c.Secrets, Passwords: c.Passwords})
	documents.Bind(svc)
	meetings.Bind(svc, documents)
	sending.Bind(svc, papers{documents, meetings})
	return &App{Core: core, Engine: svc, Planning: planning, Sending: sending, Meetings: meetings, Docs: documents,
		Diarium: register, Accounts: accounts}, nil
}

// papers is what an expedition attaches: the yttrande from the documents,
// the protokollsutdrag from the meetings.
type papers struct {
	*documents.Service
	meetings *meetings.Service
}

func (p papers) ProtokollsutdragPDF(ctx context.Context, org workflow.Organization, par workflow.Paragraph, certifier string) (workflow.File, error) {
	return p.meetings.ProtokollsutdragPDF(ctx, org, par, certifier)
}

// merge joins the effect maps the domain packages give.
func merge[F any](maps ...map[string]F) map[string]F {
	out := map[string]F{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
