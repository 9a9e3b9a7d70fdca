package docx

import (
	"strings"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"github.com/yttrande/remiss/workflow/documents"
)

// block adds one block to the body. Page breaking is left to Word: the
// heading styles keep with the next paragraph, widow and orphan control
// is on, and table rows do not split.
func (d *doc) block(b documents.Block) {
	var last *docx.Paragraph
	switch b.Role {
	case documents.RoleTitle:
		last = d.styled(styleTitle, b.Spans)
	case documents.RoleHeading:
		last = d.styled(headingStyle(b.Level), b.Spans)
	case documents.RoleParagraph:
		last = d.paragraph(b.Spans)
	case documents.RoleList:
		last = d.list(b)
	case documents.RoleTable:
		d.separateTables()
		d.table(b)
	case documents.RoleSignature:
		d.separateTables()
		d.signatures(b.Signers)
	case documents.RoleSpacer:
		last = d.root.AddEmptyParagraph()
	}
	if b.KeepWithNext && last != nil {
		paraProps(last).KeepNext = &ctypes.OnOff{}
	}
}

// separateTables adds an empty paragraph after a table that another is
// about to follow, or that would end the document: Word joins adjacent
// tables into one and wants the body to end with a paragraph.
func (d *doc) separateTables() {
	children := d.root.Document.Body.Children
	if len(children) > 0 && children[len(children)-1].Table != nil {
		paraProps(d.root.AddEmptyParagraph()).Spacing = ctypes.NewParagraphSpacing(0, 0)
	}
}

// styled adds a paragraph in one of the template's styles.
func (d *doc) styled(style string, spans []documents.Span) *docx.Paragraph {
	p := d.root.AddEmptyParagraph()
	p.Style(style)
	addSpans(p, spans)
	return p
}

// paragraph adds running text, justified when the layout asks for it.
func (d *doc) paragraph(spans []documents.Span) *docx.Paragraph {
	p := d.root.AddEmptyParagraph()
	if d.l.Justify {
		p.Justification(stypes.JustificationBoth)
	}
	addSpans(p, spans)
	return p
}

// list adds one paragraph per item in the List Bullet or List Number
// style, so that Word numbers the items itself. Each numbered list is a
// numbering instance of its own, which starts again at 1.
func (d *doc) list(b documents.Block) *docx.Paragraph {
	style, numID := styleListBullet, 0
	if b.Ordered {
		style, numID = styleListNumber, d.root.NewListInstance(d.listAbstract)
	}
	var p *docx.Paragraph
	for _, item := range b.Items {
		p = d.root.AddEmptyParagraph()
		p.Style(style)
		if numID != 0 {
			p.Numbering(numID, 0)
		}
		addSpans(p, item)
	}
	return p
}

// addSpans appends spans to p with their emphasis.
func addSpans(p *docx.Paragraph, spans []documents.Span) {
	for _, s := range spans {
		addText(p, s.Text, look{bold: s.Bold, italic: s.Italic})
	}
}

// addText appends text in one look to p as one run. A line feed becomes
// a line break and a tab a tab, which Word would otherwise show as spaces.
func addText(p *docx.Paragraph, text string, lk look) {
	run := &ctypes.Run{}
	if lk != (look{}) {
		run.Property = props(lk)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			run.Children = append(run.Children, ctypes.RunChild{Break: &ctypes.Break{}})
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				run.Children = append(run.Children, ctypes.RunChild{Tab: &ctypes.Empty{}})
			}
			if part != "" {
				run.Children = append(run.Children, ctypes.RunChild{Text: ctypes.TextFromString(part)})
			}
		}
	}
	ct := p.GetCT()
	ct.Children = append(ct.Children, ctypes.ParagraphChild{Run: run})
}

// paraProps returns p's paragraph properties, creating them if need be.
func paraProps(p *docx.Paragraph) *ctypes.ParagraphProp {
	ct := p.GetCT()
	if ct.Property == nil {
		ct.Property = ctypes.DefaultParaProperty()
	}
	return ct.Property
}
