package documents

import (
	"context"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// templateSource is the organisation's own template of kind, else the
// shipped one.
func (s *Service) templateSource(ctx context.Context, orgID int64, kind TemplateKind) (string, error) {
	t, err := s.store.Template(ctx, orgID, kind)
	switch {
	case err == nil:
		return t.Source, nil
	case workflow.ErrorCode(err) != workflow.CodeNotFound:
		return "", err
	}
	return shippedTemplate(s.templates, kind)
}

// Templates lists the document templates the organisation uses.
func (s *Service) Templates(ctx context.Context, actor workflow.Actor, slug string) ([]DocumentTemplate, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return nil, err
	}
	out := make([]DocumentTemplate, 0, len(TemplateKinds))
	for _, k := range TemplateKinds {
		t, err := s.template(ctx, org.ID, k)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Template returns the document template of kind the organisation uses.
func (s *Service) Template(ctx context.Context, actor workflow.Actor, slug string, kind TemplateKind) (DocumentTemplate, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return DocumentTemplate{}, err
	}
	return s.template(ctx, org.ID, kind)
}

func (s *Service) template(ctx context.Context, orgID int64, kind TemplateKind) (DocumentTemplate, error) {
	t, err := s.store.Template(ctx, orgID, kind)
	if workflow.ErrorCode(err) != workflow.CodeNotFound {
		return t, err
	}
	src, err := shippedTemplate(s.templates, kind)
	return DocumentTemplate{Kind: kind, Source: src}, err
}

// SetTemplate replaces the organisation's template of kind with its own,
// after trying it on a sample case: a template that does not parse, that
// uses a field that does not exist or that writes an unknown section is
// refused with the reason and the line.
func (s *Service) SetTemplate(ctx context.Context, actor workflow.Actor, slug string, kind TemplateKind, source string) (DocumentTemplate, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return DocumentTemplate{}, err
	}
	if err := s.tryTemplate(kind, source); err != nil {
		return DocumentTemplate{}, err
	}
	at := s.Now()
	t := DocumentTemplate{Kind: kind, Source: source, Custom: true, UpdatedBy: actor.Label(), UpdatedAt: &at}
	return t, s.store.SetTemplate(ctx, org.ID, t)
}

// DeleteTemplate makes the organisation use the shipped template of kind
// again.
func (s *Service) DeleteTemplate(ctx context.Context, actor workflow.Actor, slug string, kind TemplateKind) (DocumentTemplate, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermManageOrganization)
	if err != nil {
		return DocumentTemplate{}, err
	}
	if err := s.store.DeleteTemplate(ctx, org.ID, kind); err != nil {
		return DocumentTemplate{}, err
	}
	return s.template(ctx, org.ID, kind)
}

// tryTemplate runs a template on sample data and reads its frame.
func (s *Service) tryTemplate(kind TemplateKind, source string) error {
	if strings.TrimSpace(source) == "" {
		return workflow.Errorf(workflow.CodeInvalid, "Mallen är tom.")
	}
	if !validUTF8Text(source) {
		return workflow.Errorf(workflow.CodeInvalid, "Mallen innehåller otillåtna tecken.")
	}
	if s.markdown == nil {
		return workflow.Internal(errNoMarkdown)
	}
	// Before the decision a case has no Decision and maybe no
	// handläggare: the template must work for both.
	full := sampleDocumentData()
	bare := DocumentData{Organisation: full.Organisation, Body: full.Body, Dnr: full.Dnr, Title: full.Title, Date: full.Date, Text: full.Text}
	if kind == TemplateProtokollsutdrag {
		return tryExtract(source, s.markdown)
	}
	for _, data := range []DocumentData{full, bare} {
		if kind == TemplateMissiv {
			if _, err := executeTemplate(kind, source, data); err != nil {
				return err
			}
			continue
		}
		out, err := executeTemplate(kind, source, data.escaped())
		if err != nil {
			return err
		}
		if _, err = readFrame(out, s.markdown); err != nil {
			return err
		}
	}
	return nil
}

func validUTF8Text(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r == 0xfffd || workflow.IsControl(r) && r != '\n' && r != '\t' && r != '\r' })
}

// sampleDocumentData fills every field, so that trying a template on it
// reaches every field the template names.
func sampleDocumentData() DocumentData {
	return DocumentData{Organisation: "Exempels kommun", Body: "Kommunstyrelsen", Dnr: "KS-2024/1", Title: "Exempel på betänkande",
		Date: "1 mars 2024", Text: "Exempeltext.",
		Remiss:   RemissData{"Finansdepartementet", "Fi2024/00001", "SOU 2024:1", "1 februari 2024", "1 maj 2024", "fi.remissvar@regeringskansliet.se"},
		Decision: &DecisionData{"Kommunstyrelsen", "1 april 2024", "§ 1", "antaget"},
		Reason:   "Skäl.", Handlaggare: "Exempel Exempelsson", Handlingar: []string{"Tjänsteutlåtande den 1 mars 2024"},
		Signers:  []Signer{{Name: "Exempel Exempelsson", Title: "Ordförande"}},
		OnBehalf: true}
}

// tryExtract runs a protokollsutdrag template on a sample § with every
// field set and on one with none.
func tryExtract(source string, md MarkdownParser) error {
	for _, data := range []ExtractData{sampleExtractData(), {Title: "Exempel", Date: "1 april 2024", Paragraph: "§ 1"}} {
		out, err := executeTemplate(TemplateProtokollsutdrag, source, data.escaped())
		if err != nil {
			return err
		}
		if _, err := readFrame(out, md); err != nil {
			return err
		}
	}
	return nil
}
