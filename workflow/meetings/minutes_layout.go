package meetings

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

// Protokollsutdrag returns the extract of paragraph number n of a
// meeting's minutes, laid out like the body's minutes: the organ, the
// meeting's date, the § and the dnr, the title, the decision, the
// proposal, the summary, the members' statements, the recipients and the
// utdragsbestyrkande.
func (s *Service) Protokollsutdrag(ctx context.Context, actor workflow.Actor, slug string, meetingID int64, n int) (documents.Layout, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return documents.Layout{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, meetingID)
	if err != nil {
		return documents.Layout{}, err
	}
	p, err := s.paragraph(ctx, org.ID, meetingID, n)
	if err != nil {
		return documents.Layout{}, err
	}
	return s.docs.ExtractLayout(ctx, org, m, p, s.parentBody(ctx, org.ID, m.Body), actor.Name)
}

// parentBody is the body an utskott proposes to; nil for other bodies.
func (s *Service) parentBody(ctx context.Context, orgID int64, code string) *workflow.Body {
	if b, err := s.store.BodyByCode(ctx, orgID, code); err == nil && b.Parent != "" {
		if pb, err := s.store.BodyByCode(ctx, orgID, b.Parent); err == nil {
			return &pb
		}
	}
	return nil
}

// Anslagsbevis returns the notice that a meeting's minutes are justerade
// and announced, with the period for laglighetsprövning.
func (s *Service) Anslagsbevis(ctx context.Context, actor workflow.Actor, slug string, meetingID int64) (documents.Layout, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return documents.Layout{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, meetingID)
	if err != nil {
		return documents.Layout{}, err
	}
	if m.Justering == nil {
		return documents.Layout{}, workflow.Errorf(workflow.CodeInvalid, "Protokollet från %s är inte justerat än; anslagsbeviset skrivs efter justeringen.", m.Label())
	}
	ps, err := s.store.Paragraphs(ctx, org.ID, meetingID)
	if err != nil {
		return documents.Layout{}, err
	}
	return AnslagsbevisLayout(org, m, ps, s.Now()), nil
}

// AnslagsbevisLayout lays out the anslagsbevis of a justerad meeting.
func AnslagsbevisLayout(org workflow.Organization, m workflow.Meeting, ps []workflow.Paragraph, created time.Time) documents.Layout {
	j := m.Justering
	place := j.Forvaringsplats
	if place == "" {
		place = org.Name
	}
	rows := [][]documents.TableCell{
		cells("Organ", m.BodyName),
		cells("Sammanträdesdatum", workflow.LongDate(m.Date)),
		cells("Paragrafer", paragraphRange(ps)),
		cells("Protokollet justerades", workflow.LongDate(j.Date)),
		cells("Datum då anslaget sätts upp", workflow.LongDate(j.AnslagOn)),
		cells("Sista dag att överklaga", workflow.LongDate(j.AppealEndsOn)),
		cells("Datum då anslaget tas ned", workflow.LongDate(j.AppealEndsOn.AddDays(1))),
		cells("Förvaringsplats för protokollet", place),
	}
	return documents.Layout{
		Meta:       documents.LayoutMeta{Title: "Anslagsbevis " + m.BodyName + " " + workflow.LongDate(m.Date), Author: org.Name, Subject: "Anslagsbevis", Keywords: []string{"anslagsbevis", m.Body}, Created: created},
		Letterhead: documents.Letterhead{Name: org.Name, Unit: m.BodyName},
		Blocks: []documents.Block{
			{Role: documents.RoleTitle, Spans: documents.Text("Anslagsbevis")},
			documents.ParagraphBlock("Protokollet är justerat. Justeringen har tillkännagivits genom anslag på kommunens anslagstavla."),
			{Role: documents.RoleTable, Rows: rows, Widths: []float64{2, 3}},
			documents.ParagraphBlock(fmt.Sprintf("Den som vill överklaga ett beslut genom laglighetsprövning (kommunallagen 13 kap.) ska ge in överklagandet till förvaltningsrätten senast den %s.", workflow.LongDate(j.AppealEndsOn))),
		},
	}
}

func cells(texts ...string) []documents.TableCell {
	out := make([]documents.TableCell, len(texts))
	for i, t := range texts {
		out[i] = documents.TableCell{Spans: documents.Text(t)}
	}
	return out
}

// paragraphRange writes the numbers of ps as the minutes do: "§§ 12–20"
// for a run, "§§ 3, 5–7" otherwise.
func paragraphRange(ps []workflow.Paragraph) string {
	if len(ps) == 0 {
		return "–"
	}
	if len(ps) == 1 {
		return fmt.Sprintf("§ %d", ps[0].Number)
	}
	var parts []string
	start := ps[0].Number
	for i := 1; i <= len(ps); i++ {
		if i < len(ps) && ps[i].Number == ps[i-1].Number+1 {
			continue
		}
		end := ps[i-1].Number
		if end == start {
			parts = append(parts, fmt.Sprint(start))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", start, end))
		}
		if i < len(ps) {
			start = ps[i].Number
		}
	}
	return "§§ " + strings.Join(parts, ", ")
}

// Kallelse returns the notice of a meeting with its agenda: one row per
// ärende with its dnr and handlingar.
func (s *Service) Kallelse(ctx context.Context, actor workflow.Actor, slug string, meetingID int64) (documents.Layout, error) {
	m, items, err := s.Agenda(ctx, actor, slug, meetingID)
	if err != nil {
		return documents.Layout{}, err
	}
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return documents.Layout{}, err
	}
	return KallelseLayout(org, m, items, s.Now()), nil
}

// KallelseLayout lays out the kallelse of m with its agenda.
func KallelseLayout(org workflow.Organization, m workflow.Meeting, items []workflow.AgendaItem, created time.Time) documents.Layout {
	fields := []documents.LayoutField{{Label: "Sammanträdesdatum", Value: workflow.LongDate(m.Date)}}
	if m.Time != "" {
		fields = append(fields, documents.LayoutField{Label: "Tid", Value: "kl. " + m.Time})
	}
	if m.Location != "" {
		fields = append(fields, documents.LayoutField{Label: "Plats", Value: m.Location})
	}
	l := documents.Layout{
		Meta:       documents.LayoutMeta{Title: "Kallelse " + m.BodyName + " " + workflow.LongDate(m.Date), Author: org.Name, Subject: "Kallelse och föredragningslista", Keywords: []string{"kallelse", m.Body}, Created: created},
		Letterhead: documents.Letterhead{Name: org.Name, Unit: m.BodyName},
		Fields:     fields,
		Blocks:     []documents.Block{{Role: documents.RoleTitle, Spans: documents.Text("Kallelse")}},
	}
	if m.Status == workflow.MeetingInstallt {
		l.Blocks = append(l.Blocks, documents.ParagraphBlock("Sammanträdet är inställt."))
	}
	l.Blocks = append(l.Blocks, documents.HeadingBlock(1, "Föredragningslista"))
	if len(items) == 0 {
		return withBlocks(l, documents.ParagraphBlock("Inga ärenden är anmälda till sammanträdet."))
	}
	rows := [][]documents.TableCell{cells("Nr", "Ärende", "Diarienummer", "Handlingar")}
	for _, it := range items {
		rows = append(rows, cells(fmt.Sprint(it.Position), it.Title, it.Dnr, documentList(it.Documents)))
	}
	return withBlocks(l, documents.Block{Role: documents.RoleTable, Rows: rows, HeaderRows: 1, Widths: []float64{0.6, 4, 2, 3}})
}

func withBlocks(l documents.Layout, bs ...documents.Block) documents.Layout {
	l.Blocks = append(l.Blocks, bs...)
	return l
}

func documentList(docs []workflow.Document) string {
	names := make([]string, 0, len(docs))
	for _, d := range docs {
		names = append(names, d.Title)
	}
	return strings.Join(names, "; ")
}

// ProtokollsutdragPDF renders the protokollsutdrag of p, certified by
// certifier, as the PDF an expedition attaches.
func (s *Service) ProtokollsutdragPDF(ctx context.Context, org workflow.Organization, p workflow.Paragraph, certifier string) (workflow.File, error) {
	m, err := s.store.Meeting(ctx, org.ID, p.MeetingID)
	if err != nil {
		return workflow.File{}, err
	}
	l, err := s.docs.ExtractLayout(ctx, org, m, p, s.parentBody(ctx, org.ID, m.Body), certifier)
	if err != nil {
		return workflow.File{}, err
	}
	return s.docs.RenderFile(l, org.Name+" - Protokollsutdrag "+m.BodyName+" § "+workflow.Itoa(p.Number), "pdf")
}

// The documents of a meeting, as MeetingDocument names them.
const (
	DocKallelse         = "kallelse"
	DocAnslagsbevis     = "anslagsbevis"
	DocProtokollsutdrag = "protokollsutdrag"
)

// MeetingDocument renders a document of a meeting (DocKallelse,
// DocAnslagsbevis, or DocProtokollsutdrag of § paragraph) as format
// ("pdf"), through the same renderer as the cases' documents, named after
// the organisation and the document's title.
func (s *Service) MeetingDocument(ctx context.Context, actor workflow.Actor, slug string, meetingID int64, kind string, paragraph int, format string) (workflow.File, error) {
	var l documents.Layout
	var err error
	switch kind {
	case DocKallelse:
		l, err = s.Kallelse(ctx, actor, slug, meetingID)
	case DocAnslagsbevis:
		l, err = s.Anslagsbevis(ctx, actor, slug, meetingID)
	case DocProtokollsutdrag:
		if paragraph <= 0 {
			return workflow.File{}, workflow.InvalidField("paragraph", "Ange paragrafen (§) vars utdrag du vill ha.")
		}
		l, err = s.Protokollsutdrag(ctx, actor, slug, meetingID, paragraph)
	default:
		return workflow.File{}, workflow.InvalidField("kind", fmt.Sprintf("Okänt dokument ”%s”: välj kallelse, anslagsbevis eller protokollsutdrag.", kind))
	}
	if err != nil {
		return workflow.File{}, err
	}
	return s.docs.RenderFile(l, l.Letterhead.Name+" - "+l.Meta.Title, format)
}
