// Package docx renders a document layout (workflow.Layout) to Word
// (.docx), the editable twin of internal/pdf, and is the only importer of
// github.com/gomutex/godocx. It starts from godocx's default template and
// uses Word's own building blocks, so that what the reader edits behaves
// like any Word document: the built-in Title and Heading 1–3 styles (the
// navigation pane and screen readers see the outline), List Bullet and
// List Number with real numbering, tables whose header rows repeat on each
// page, A4 pages with a footer that counts "1 (3)" with PAGE and NUMPAGES
// fields, Swedish as the proofing language and the core properties filled
// in. The same layout always gives the same bytes.
package docx

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/docx"

	"github.com/yttrande/remiss/workflow/documents"
)

var _ documents.Renderer = (*Renderer)(nil)

// Page geometry in twentieths of a point (twips), matching internal/pdf:
// A4 with 25 mm sides, 20 mm top and 22 mm bottom.
const (
	pageWidth    = 11906
	pageHeight   = 16838
	marginSide   = 1417
	marginTop    = 1134
	marginBottom = 1247
	textWidth    = pageWidth - 2*marginSide
)

// defaultLang is the proofing language when the layout names none.
const defaultLang = "sv-SE"

// epoch stands in for a missing creation date, so that a layout without
// one still renders to the same bytes every time.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Renderer renders layouts to Word documents. Each rendering starts from
// a fresh copy of godocx's template and shares nothing, so a Renderer is
// safe for concurrent use.
type Renderer struct{}

// NewRenderer checks once that godocx's template has the styles and the
// numbering the renderer relies on, so that a template that lacks them
// fails at start-up rather than in the first rendering.
func NewRenderer() (*Renderer, error) {
	root, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("docx: the template: %w", err)
	}
	if _, err := listNumberAbstract(root); err != nil {
		return nil, err
	}
	if err := checkStyles(root); err != nil {
		return nil, err
	}
	return &Renderer{}, nil
}

// Render draws l. An empty layout or a logo that is not a PNG or JPEG
// image is an error, not a broken file.
func (r *Renderer) Render(l documents.Layout) ([]byte, error) {
	if len(l.Blocks) == 0 {
		return nil, errors.New("docx: the layout has no blocks")
	}
	d, err := newDoc(l)
	if err != nil {
		return nil, err
	}
	if err := d.body(); err != nil {
		return nil, err
	}
	d.parts()
	var buf bytes.Buffer
	if err := d.root.Write(&buf); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return repack(buf.Bytes(), created(l.Meta))
}

// doc is one document being built.
type doc struct {
	root *docx.RootDoc
	l    documents.Layout
	lang string
	// listAbstract is the template's numbering definition behind the
	// List Number style; each ordered list gets its own instance of it,
	// so that its numbering starts at 1.
	listAbstract int
}

// newDoc starts a document from a fresh copy of the template, restyled
// and with A4 pages.
func newDoc(l documents.Layout) (*doc, error) {
	root, err := godocx.NewDocument()
	if err != nil {
		return nil, fmt.Errorf("docx: the template: %w", err)
	}
	abstract, err := listNumberAbstract(root)
	if err != nil {
		return nil, err
	}
	d := &doc{root: root, l: l, lang: cmp.Or(l.Meta.Lang, defaultLang), listAbstract: abstract}
	d.styles()
	d.page()
	return d, nil
}

// body adds the first page's furniture and the blocks.
func (d *doc) body() error {
	if err := d.letterhead(); err != nil {
		return err
	}
	d.fields()
	d.addressee()
	for _, b := range d.l.Blocks {
		d.block(b)
	}
	d.separateTables()
	return nil
}

func created(m documents.LayoutMeta) time.Time {
	if m.Created.IsZero() {
		return epoch
	}
	return m.Created.UTC()
}
