package documents

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// TemplateProtokollsutdrag is the extract of one § of a meeting's minutes.
const TemplateProtokollsutdrag TemplateKind = "protokollsutdrag"

// ExtractData is what the protokollsutdrag template can show. Every text
// is escaped for Markdown before the template sees it; texts of several
// paragraphs keep their blank lines.
type ExtractData struct {
	Organisation       string
	Body               string // the body whose minutes these are
	Parent             string // the body an utskott proposes to; empty otherwise
	Date               string // the meeting's date, written out
	Paragraph          string // "§ 15"
	Dnr                string
	Title              string
	Beslut             string // the decision as the minutes state it
	Forslag            string // the proposal the decision was made on
	Forslagsstallare   string // who proposed it; "Förvaltningen" when not given
	Sammanfattning     string
	Yrkanden           []workflow.Statement
	Reservationer      []workflow.Statement
	SarskildaYttranden []workflow.Statement
	Jav                []string
	JusterasOmedelbart bool
	SkickasTill        []string
	Justerad           *ExtractJustering // nil while the minutes are not justerade
	Certifier          string            // who certifies the extract
}

// ExtractJustering is when the minutes were justerade and announced.
type ExtractJustering struct {
	Date   string
	Anslag string
}

func extractData(org workflow.Organization, m workflow.Meeting, p workflow.Paragraph, parent *workflow.Body, certifier string) ExtractData {
	d := p.Decision
	x := ExtractData{Organisation: org.Name, Body: m.BodyName, Date: workflow.LongDate(m.Date), Paragraph: fmt.Sprintf("§ %d", p.Number),
		Dnr: p.Dnr, Title: p.Title, Beslut: decisionText(p), Forslag: d.Forslag, Forslagsstallare: cmp.Or(d.Forslagsstallare, "Förvaltningen"),
		Sammanfattning: d.Sammanfattning, Yrkanden: d.Yrkanden, Reservationer: d.Reservationer, SarskildaYttranden: d.SarskildaYttranden,
		Jav: d.Jav, JusterasOmedelbart: p.JusterasOmedelbart, SkickasTill: d.SkickasTill, Certifier: certifier}
	if parent != nil {
		x.Parent = parent.Name
	}
	j := p.Justering
	if j == nil && m.Justering != nil {
		j = &workflow.Justering{JusteradOn: m.Justering.Date, AnslagOn: m.Justering.AnslagOn}
	}
	if j != nil {
		x.Justerad = &ExtractJustering{Date: workflow.LongDate(j.JusteradOn), Anslag: workflow.LongDate(j.AnslagOn)}
	}
	return x
}

// escaped returns x with every text escaped for Markdown.
func (x ExtractData) escaped() ExtractData {
	e := mdEscape
	out := x
	for _, f := range []*string{&out.Organisation, &out.Body, &out.Parent, &out.Date, &out.Paragraph, &out.Dnr, &out.Title,
		&out.Beslut, &out.Forslag, &out.Forslagsstallare, &out.Sammanfattning, &out.Certifier} {
		*f = e(*f)
	}
	for _, l := range []*[]workflow.Statement{&out.Yrkanden, &out.Reservationer, &out.SarskildaYttranden} {
		ss := make([]workflow.Statement, len(*l))
		for i, s := range *l {
			ss[i] = workflow.Statement{Ledamot: e(s.Ledamot), Text: e(s.Text)}
		}
		*l = ss
	}
	for _, l := range []*[]string{&out.Jav, &out.SkickasTill} {
		ss := make([]string, len(*l))
		for i, s := range *l {
			ss[i] = e(s)
		}
		*l = ss
	}
	if x.Justerad != nil {
		out.Justerad = &ExtractJustering{Date: e(x.Justerad.Date), Anslag: e(x.Justerad.Anslag)}
	}
	return out
}

// sampleExtractData fills every field, for trying a template.
func sampleExtractData() ExtractData {
	st := []workflow.Statement{{Ledamot: "Exempel Exempelsson (S)", Text: "Bifall till förslaget."}}
	return ExtractData{Organisation: "Exempels kommun", Body: "Kommunstyrelsens arbetsutskott", Parent: "Kommunstyrelsen",
		Date: "1 april 2024", Paragraph: "§ 1", Dnr: "KS-2024/1", Title: "Exempel", Beslut: "Beslut.", Forslag: "Förslag.",
		Forslagsstallare: "Förvaltningen", Sammanfattning: "Sammanfattning.", Yrkanden: st, Reservationer: st, SarskildaYttranden: st,
		Jav: []string{"Exempel Exempelsson"}, JusterasOmedelbart: true, SkickasTill: []string{"Finansdepartementet"},
		Justerad: &ExtractJustering{Date: "2 april 2024", Anslag: "3 april 2024"}, Certifier: "Exempel Exempelsson"}
}

// ExtractLayout lays out the extract of p from the organisation's
// protokollsutdrag template.
func (s *Service) ExtractLayout(ctx context.Context, org workflow.Organization, m workflow.Meeting, p workflow.Paragraph, parent *workflow.Body, certifier string) (Layout, error) {
	if s.markdown == nil {
		return Layout{}, workflow.Internal(errNoMarkdown)
	}
	src, err := s.templateSource(ctx, org.ID, TemplateProtokollsutdrag)
	if err != nil {
		return Layout{}, err
	}
	out, err := executeTemplate(TemplateProtokollsutdrag, src, extractData(org, m, p, parent, certifier).escaped())
	if err != nil {
		return Layout{}, err
	}
	fr, err := readFrame(out, s.markdown)
	if err != nil {
		return Layout{}, err
	}
	return Layout{
		Meta: LayoutMeta{Title: fmt.Sprintf("Protokollsutdrag %s § %d", m.BodyName, p.Number), Author: org.Name,
			Subject: p.Title, Keywords: Keywords(p.Dnr, "protokollsutdrag"), Lang: "sv-SE", Created: s.Now()},
		Letterhead: Letterhead{Name: org.Name, Unit: m.BodyName, LogoAlt: org.Name},
		Fields:     fr.fields, Addressee: fr.addressee, Blocks: fr.blocks, Footer: fr.footer, Justify: org.Documents.Justify,
	}, nil
}

// decisionText is the decision as the minutes state it.
func decisionText(p workflow.Paragraph) string {
	if p.Decision.Beslutsformulering != "" {
		return p.Decision.Beslutsformulering
	}
	switch p.Outcome {
	case "aterremiss":
		return strings.TrimSpace("Ärendet återremitteras. " + p.Decision.Motivation)
	case "bordlagg":
		return "Ärendet bordläggs."
	}
	if p.Kind == workflow.ParagraphAnmalan {
		return "Anmälan läggs till handlingarna."
	}
	return ""
}
