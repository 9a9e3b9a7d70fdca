package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Protokollsutdrag returns the extract of paragraph number n of a
// meeting's minutes, laid out like the body's minutes: the organ, the
// meeting's date, the § and the dnr, the title, the decision, the
// proposal, the summary, the members' statements, the recipients and the
// utdragsbestyrkande.
func (s *Meetings) Protokollsutdrag(ctx context.Context, actor Actor, slug string, meetingID int64, n int) (Layout, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Layout{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, meetingID)
	if err != nil {
		return Layout{}, err
	}
	p, err := s.paragraph(ctx, org.ID, meetingID, n)
	if err != nil {
		return Layout{}, err
	}
	return s.docs.ExtractLayout(ctx, org, m, p, s.parentBody(ctx, org.ID, m.Body), actor.Name)
}

// parentBody is the body an utskott proposes to; nil for other bodies.
func (s *Meetings) parentBody(ctx context.Context, orgID int64, code string) *Body {
	if b, err := s.store.BodyByCode(ctx, orgID, code); err == nil && b.Parent != "" {
		if pb, err := s.store.BodyByCode(ctx, orgID, b.Parent); err == nil {
			return &pb
		}
	}
	return nil
}

func keywords(dnr string, rest ...string) []string {
	if dnr == "" {
		return rest
	}
	return append([]string{dnr}, rest...)
}

// Anslagsbevis returns the notice that a meeting's minutes are justerade
// and announced, with the period for laglighetsprövning.
func (s *Meetings) Anslagsbevis(ctx context.Context, actor Actor, slug string, meetingID int64) (Layout, error) {
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Layout{}, err
	}
	m, err := s.store.Meeting(ctx, org.ID, meetingID)
	if err != nil {
		return Layout{}, err
	}
	if m.Justering == nil {
		return Layout{}, Errorf(CodeInvalid, "Protokollet från %s är inte justerat än; anslagsbeviset skrivs efter justeringen.", m.Label())
	}
	ps, err := s.store.Paragraphs(ctx, org.ID, meetingID)
	if err != nil {
		return Layout{}, err
	}
	return AnslagsbevisLayout(org, m, ps, s.Now()), nil
}

// AnslagsbevisLayout lays out the anslagsbevis of a justerad meeting.
func AnslagsbevisLayout(org Organization, m Meeting, ps []Paragraph, created time.Time) Layout {
	j := m.Justering
	place := j.Forvaringsplats
	if place == "" {
		place = org.Name
	}
	rows := [][]TableCell{
		cells("Organ", m.BodyName),
		cells("Sammanträdesdatum", LongDate(m.Date)),
		cells("Paragrafer", paragraphRange(ps)),
		cells("Protokollet justerades", LongDate(j.Date)),
		cells("Datum då anslaget sätts upp", LongDate(j.AnslagOn)),
		cells("Sista dag att överklaga", LongDate(j.AppealEndsOn)),
		cells("Datum då anslaget tas ned", LongDate(j.AppealEndsOn.AddDays(1))),
		cells("Förvaringsplats för protokollet", place),
	}
	return Layout{
		Meta:       LayoutMeta{Title: "Anslagsbevis " + m.BodyName + " " + LongDate(m.Date), Author: org.Name, Subject: "Anslagsbevis", Keywords: []string{"anslagsbevis", m.Body}, Created: created},
		Letterhead: Letterhead{Name: org.Name, Unit: m.BodyName},
		Blocks: []Block{
			{Role: RoleTitle, Spans: Text("Anslagsbevis")},
			ParagraphBlock("Protokollet är justerat. Justeringen har tillkännagivits genom anslag på kommunens anslagstavla."),
			{Role: RoleTable, Rows: rows, Widths: []float64{2, 3}},
			ParagraphBlock(fmt.Sprintf("Den som vill överklaga ett beslut genom laglighetsprövning (kommunallagen 13 kap.) ska ge in överklagandet till förvaltningsrätten senast den %s.", LongDate(j.AppealEndsOn))),
		},
	}
}

func cells(texts ...string) []TableCell {
	out := make([]TableCell, len(texts))
	for i, t := range texts {
		out[i] = TableCell{Spans: Text(t)}
	}
	return out
}

// paragraphRange writes the numbers of ps as the minutes do: "§§ 12–20"
// for a run, "§§ 3, 5–7" otherwise.
func paragraphRange(ps []Paragraph) string {
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
func (s *Meetings) Kallelse(ctx context.Context, actor Actor, slug string, meetingID int64) (Layout, error) {
	m, items, err := s.Agenda(ctx, actor, slug, meetingID)
	if err != nil {
		return Layout{}, err
	}
	org, err := s.OrgFor(ctx, actor, slug, PermReadCase)
	if err != nil {
		return Layout{}, err
	}
	return KallelseLayout(org, m, items, s.Now()), nil
}

// KallelseLayout lays out the kallelse of m with its agenda.
func KallelseLayout(org Organization, m Meeting, items []AgendaItem, created time.Time) Layout {
	fields := []LayoutField{{"Sammanträdesdatum", LongDate(m.Date)}}
	if m.Time != "" {
		fields = append(fields, LayoutField{"Tid", "kl. " + m.Time})
	}
	if m.Location != "" {
		fields = append(fields, LayoutField{"Plats", m.Location})
	}
	l := Layout{
		Meta:       LayoutMeta{Title: "Kallelse " + m.BodyName + " " + LongDate(m.Date), Author: org.Name, Subject: "Kallelse och föredragningslista", Keywords: []string{"kallelse", m.Body}, Created: created},
		Letterhead: Letterhead{Name: org.Name, Unit: m.BodyName},
		Fields:     fields,
		Blocks:     []Block{{Role: RoleTitle, Spans: Text("Kallelse")}},
	}
	if m.Status == MeetingInstallt {
		l.Blocks = append(l.Blocks, ParagraphBlock("Sammanträdet är inställt."))
	}
	l.Blocks = append(l.Blocks, HeadingBlock(1, "Föredragningslista"))
	if len(items) == 0 {
		return withBlocks(l, ParagraphBlock("Inga ärenden är anmälda till sammanträdet."))
	}
	rows := [][]TableCell{cells("Nr", "Ärende", "Diarienummer", "Handlingar")}
	for _, it := range items {
		rows = append(rows, cells(fmt.Sprint(it.Position), it.Title, it.Dnr, documentList(it.Documents)))
	}
	return withBlocks(l, Block{Role: RoleTable, Rows: rows, HeaderRows: 1, Widths: []float64{0.6, 4, 2, 3}})
}

func withBlocks(l Layout, bs ...Block) Layout {
	l.Blocks = append(l.Blocks, bs...)
	return l
}

func documentList(docs []Document) string {
	names := make([]string, 0, len(docs))
	for _, d := range docs {
		names = append(names, d.Title)
	}
	return strings.Join(names, "; ")
}

// ProtokollsutdragPDF renders the protokollsutdrag of p, certified by
// certifier, as the PDF an expedition attaches.
func (s *Meetings) ProtokollsutdragPDF(ctx context.Context, org Organization, p Paragraph, certifier string) (File, error) {
	m, err := s.store.Meeting(ctx, org.ID, p.MeetingID)
	if err != nil {
		return File{}, err
	}
	l, err := s.docs.ExtractLayout(ctx, org, m, p, s.parentBody(ctx, org.ID, m.Body), certifier)
	if err != nil {
		return File{}, err
	}
	return s.docs.RenderFile(l, org.Name+" - Protokollsutdrag "+m.BodyName+" § "+Itoa(p.Number), "pdf")
}
