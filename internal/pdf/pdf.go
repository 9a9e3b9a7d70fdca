// Package pdf renders a document layout (workflow.Layout) to PDF with
// gofpdf, the only importer of github.com/jung-kurt/gofpdf: A4, embedded
// Liberation fonts (SIL OFL 1.1, in fonts/) so that Swedish text (å ä ö –
// § ” «») is exact and extractable, the letterhead and header fields on
// the first page, headings kept with what follows, tables whose header
// rows repeat on each page, bookmarks from the headings, metadata, and
// "1 (3)" page numbers. The same layout always gives the same bytes.
//
// Not done here yet: tagged PDF (PDF/UA), /Lang in the catalog and
// PDF/A, which gofpdf cannot write by itself (a later issue post-processes
// with pdfcpu).
package pdf

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/yttrande/remiss/workflow"
)

//go:embed fonts/*.ttf
var fontFS embed.FS

// The fonts: serif for text, sans for headings and labels, as Swedish
// municipal documents commonly set them.
var fontFiles = []struct{ family, style, file string }{
	{"serif", "", "LiberationSerif-Regular.ttf"},
	{"serif", "B", "LiberationSerif-Bold.ttf"},
	{"serif", "I", "LiberationSerif-Italic.ttf"},
	{"serif", "BI", "LiberationSerif-BoldItalic.ttf"},
	{"sans", "", "LiberationSans-Regular.ttf"},
	{"sans", "B", "LiberationSans-Bold.ttf"},
	{"sans", "BI", "LiberationSans-BoldItalic.ttf"},
}

// Page geometry in millimetres.
const (
	marginSide   = 25.0
	marginTop    = 20.0
	marginBottom = 22.0
	lineHeight   = 5.6
	textSize     = 11.5
)

// Renderer renders layouts to PDF. It holds the font files, read once;
// it is safe for concurrent use.
type Renderer struct {
	fonts [][]byte
}

// NewRenderer reads the embedded fonts.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{}
	for _, f := range fontFiles {
		b, err := fontFS.ReadFile("fonts/" + f.file)
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", f.file, err)
		}
		r.fonts = append(r.fonts, b)
	}
	return r, nil
}

// Render draws l. An empty layout or a logo that is not PNG or JPEG is an
// error, not a broken file.
func (r *Renderer) Render(l workflow.Layout) ([]byte, error) {
	if len(l.Blocks) == 0 {
		return nil, errors.New("pdf: the layout has no blocks")
	}
	d := &doc{f: gofpdf.New("P", "mm", "A4", ""), l: l}
	d.setup(r.fonts)
	d.f.AddPage()
	d.letterhead()
	if err := d.f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: the logo is not a PNG or JPEG image: %w", err)
	}
	d.fields()
	for i, b := range l.Blocks {
		var next *workflow.Block
		if i+1 < len(l.Blocks) {
			next = &l.Blocks[i+1]
		}
		d.block(b, next)
	}
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// doc is one document being drawn.
type doc struct {
	f *gofpdf.Fpdf
	l workflow.Layout
}

func (d *doc) setup(fonts [][]byte) {
	f, m := d.f, d.l.Meta
	for i, ff := range fontFiles {
		f.AddUTF8FontFromBytes(ff.family, ff.style, fonts[i])
	}
	f.SetMargins(marginSide, marginTop, marginSide)
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	created := m.Created
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetSubject(m.Subject, true)
	f.SetKeywords(strings.Join(m.Keywords, ", "), true)
	f.SetCreator("remiss", true)
	f.SetProducer("remiss (gofpdf)", true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(d.footer)
}

// footer prints the layout's footer text and the page number "1 (3)".
func (d *doc) footer() {
	f := d.f
	f.SetY(-marginBottom + 8)
	f.SetFont("sans", "", 8.5)
	f.SetTextColor(80, 80, 80)
	w := 210 - 2*marginSide
	if d.l.Footer != "" {
		f.CellFormat(w/2, 4, d.l.Footer, "", 0, "L", false, 0, "")
	} else {
		f.CellFormat(w/2, 4, "", "", 0, "L", false, 0, "")
	}
	f.CellFormat(w/2, 4, fmt.Sprintf("%d ({nb})", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// letterhead draws the organisation, the unit and the address lines, with
// the logo at the right.
func (d *doc) letterhead() {
	f, lh := d.f, d.l.Letterhead
	if len(lh.Logo) > 0 {
		info := f.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: imageType(lh.Logo)}, bytes.NewReader(lh.Logo))
		if f.Ok() && info != nil {
			f.ImageOptions("logo", 210-marginSide-30, marginTop-4, 30, 0, false, gofpdf.ImageOptions{ImageType: imageType(lh.Logo)}, 0, "")
		}
	}
	f.SetFont("sans", "B", 15)
	f.CellFormat(0, 7, lh.Name, "", 1, "L", false, 0, "")
	if lh.Unit != "" {
		f.SetFont("sans", "", 11)
		f.CellFormat(0, 5.5, lh.Unit, "", 1, "L", false, 0, "")
	}
	f.SetFont("sans", "", 8.5)
	for _, line := range lh.Lines {
		f.CellFormat(0, 4, line, "", 1, "L", false, 0, "")
	}
	f.Ln(6)
}

func imageType(b []byte) string {
	if bytes.HasPrefix(b, []byte("\x89PNG")) {
		return "PNG"
	}
	return "JPG"
}

// fields draws the header grid, one label and its value per line. The
// value follows its label closely rather than in an aligned column, so
// that text extraction (and a screen reader) reads each pair together.
func (d *doc) fields() {
	f := d.f
	for _, fl := range d.l.Fields {
		f.SetFont("sans", "B", 10)
		f.Write(5.5, fl.Label+"  ")
		f.SetFont("serif", "", 10.5)
		f.Write(5.5, fl.Value)
		f.Ln(5.5)
	}
	if len(d.l.Fields) > 0 {
		f.Ln(6)
	}
}

// room is the space left on the page above the bottom margin.
func (d *doc) room() float64 {
	_, h := d.f.GetPageSize()
	return h - marginBottom - d.f.GetY()
}

// ensure starts a new page unless h millimetres are left.
func (d *doc) ensure(h float64) {
	if d.room() < h {
		d.f.AddPage()
	}
}
