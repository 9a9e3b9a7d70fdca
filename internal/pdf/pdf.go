// Package pdf renders a document layout (workflow.Layout) to PDF with
// gofpdf, the only importer of github.com/jung-kurt/gofpdf: A4, embedded
// Liberation fonts (SIL OFL 1.1, in fonts/) so that Swedish text (å ä ö –
// § ” «») is exact and extractable, the letterhead, header fields and
// addressee on the first page, running text ragged or justified (never
// hyphenated) without widows or orphans, headings kept with what follows,
// tables whose header rows repeat on each page, signers side by side,
// bookmarks from the headings, metadata, and "1 (3)" page numbers.
// Characters the fonts lack are replaced before drawing (glyphs.go).
//
// Every file is a tagged PDF that declares PDF/UA-1 and PDF/A-2a: the
// content is marked while it is drawn (tags.go), and what gofpdf cannot
// write — the structure tree, the document's language, the viewer
// preference to show its title, the XMP metadata, the output intent, the
// file identifier — is added with pdfcpu, the only importer of
// github.com/pdfcpu/pdfcpu, as an incremental update (catalog.go,
// structure.go, pdfa.go). The same layout always gives the same bytes.
// docs/accessibility.md says what is checked and what is not claimed.
package pdf

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/yttrande/remiss/workflow/documents"
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
	fonts  map[string][]byte // by family and style, "serif" + "B"
	glyphs *glyphSet         // the characters all the fonts can draw
	// untagged leaves the structure out, only to measure what tagging
	// costs (BenchmarkRender3Pages/untagged).
	untagged bool
}

// NewRenderer reads the embedded fonts and which characters they have.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{fonts: map[string][]byte{}}
	for _, f := range fontFiles {
		b, err := fontFS.ReadFile("fonts/" + f.file)
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", f.file, err)
		}
		r.fonts[f.family+f.style] = b
	}
	g, err := newGlyphSet(r.fonts)
	if err != nil {
		return nil, err
	}
	r.glyphs = g
	return r, nil
}

// Render draws l. An empty layout or a logo that is not PNG or JPEG is an
// error, not a broken file.
func (r *Renderer) Render(l documents.Layout) ([]byte, error) {
	l.Meta.Title = title(l)
	raw, tags, err := r.draw(l)
	if err != nil {
		return nil, err
	}
	return finish(raw, tags, l.Meta)
}

// title is the document's title: the layout's, else its first heading's
// text, else the organisation's name, else "Dokument". A viewer shows it
// instead of the file name (DisplayDocTitle), and PDF/UA wants one in the
// XMP.
func title(l documents.Layout) string {
	if l.Meta.Title != "" {
		return l.Meta.Title
	}
	for _, b := range l.Blocks {
		if t := strings.TrimSpace(documents.PlainText(b.Spans)); t != "" && (b.Role == documents.RoleTitle || b.Role == documents.RoleHeading) {
			return t
		}
	}
	return cmp.Or(l.Letterhead.Name, "Dokument")
}

// draw is gofpdf's document, before finish adds what gofpdf cannot
// write, and the structure recorded while drawing it.
func (r *Renderer) draw(l documents.Layout) ([]byte, tagger, error) {
	if len(l.Blocks) == 0 {
		return nil, tagger{}, errors.New("pdf: the layout has no blocks")
	}
	l = r.glyphs.layout(l)
	d := &doc{f: gofpdf.New("P", "mm", "A4", ""), l: l, fonts: r.fonts, added: map[string]bool{}, outline: -1, resume: -1, tags: tagger{open: -1, off: r.untagged}}
	d.setup()
	d.f.AddPage()
	d.letterhead()
	if err := d.f.Error(); err != nil {
		return nil, tagger{}, fmt.Errorf("pdf: the logo is not a PNG or JPEG image: %w", err)
	}
	d.fields()
	d.addressee()
	for i, b := range l.Blocks {
		var next *documents.Block
		if i+1 < len(l.Blocks) {
			next = &l.Blocks[i+1]
		}
		d.block(b, next)
	}
	d.endMarked()
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return nil, tagger{}, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), d.tags, nil
}

// doc is one document being drawn.
type doc struct {
	f        *gofpdf.Fpdf
	l        documents.Layout
	fonts    map[string][]byte
	added    map[string]bool // fonts given to gofpdf so far
	cur      fontKey         // the font last set
	outline  int             // the level of the last bookmark, -1 before the first
	tagLevel int             // the level n of the last heading's Hn, 0 before the first
	tags     tagger          // the structure tree, as drawn
	resume   int             // the element to go on with on a new page, -1 for none
}

// font sets the font, giving it to gofpdf on first use only: parsing a
// font file and embedding its subset is most of a render's time, and a
// font that is never used need not be embedded at all. A font already
// set is not set again, since gofpdf writes every change into the page.
func (d *doc) font(family, style string, size float64) {
	key := fontKey{family, style, size}
	if key == d.cur {
		return
	}
	if !d.added[family+style] {
		// A copy, because gofpdf writes into the font file's bytes as it
		// subsets it (padding tables with zeros): shared between
		// concurrent renders, that is a data race.
		d.f.AddUTF8FontFromBytes(family, style, bytes.Clone(d.fonts[family+style]))
		d.added[family+style] = true
	}
	d.f.SetFont(family, style, size)
	d.cur = key
}

// fontKey is a font at a size.
type fontKey struct {
	family, style string
	size          float64
}

func (d *doc) setup() {
	f, m := d.f, d.l.Meta
	f.SetMargins(marginSide, marginTop, marginSide)
	f.SetCellMargin(0) // text starts at the margin, as the lines of running text do
	f.SetAutoPageBreak(true, marginBottom)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(created(m))
	f.SetModificationDate(created(m))
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetSubject(m.Subject, true)
	f.SetKeywords(strings.Join(m.Keywords, ", "), true)
	f.SetCreator(creator, true)
	f.SetProducer(producer, true)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(d.pageEnds)
	f.SetHeaderFunc(d.pageStarts)
}

// created is the document's date of creation, in the zone it was given
// in (part of the input, so the bytes stay the same); a fixed date when
// none is.
func created(m documents.LayoutMeta) time.Time {
	if m.Created.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return m.Created
}

// The names written as the document's creator and producer.
const (
	creator  = "remiss"
	producer = "remiss (gofpdf)"
)

// footer prints the layout's footer text and the page number "1 (3)".
func (d *doc) footer() {
	f := d.f
	// gofpdf sets the font of the page before again on the next page.
	defer func(cur fontKey) { d.cur = cur }(d.cur)
	f.SetY(-marginBottom + 8)
	d.font("sans", "", 8.5)
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
		d.logo(lh)
	}
	// The letterhead's text is page furniture; the logo is a figure with
	// its alternative text.
	d.artifact(func() {
		d.font("sans", "B", 15)
		f.CellFormat(0, 7, lh.Name, "", 1, "L", false, 0, "")
		if lh.Unit != "" {
			d.font("sans", "", 11)
			f.CellFormat(0, 5.5, lh.Unit, "", 1, "L", false, 0, "")
		}
		d.font("sans", "", 8.5)
		for _, line := range lh.Lines {
			f.CellFormat(0, 4, line, "", 1, "L", false, 0, "")
		}
	})
	f.Ln(6)
}

// logo draws the letterhead's logo as a figure with its alternative text
// (the organisation's name unless the letterhead gives one). A logo that
// cannot be read leaves gofpdf in error.
func (d *doc) logo(lh documents.Letterhead) {
	logo, err := rgbLogo(lh.Logo)
	if err != nil {
		d.f.SetError(err)
		return
	}
	opt := gofpdf.ImageOptions{ImageType: imageType(logo)}
	if info := d.f.RegisterImageOptionsReader("logo", opt, bytes.NewReader(logo)); !d.f.Ok() || info == nil {
		return
	}
	fig := d.elem("Figure", -1)
	d.tags.elems[fig].alt = cmp.Or(lh.LogoAlt, lh.Name)
	d.mark(fig, func() { d.f.ImageOptions("logo", 210-marginSide-30, marginTop-4, 30, 0, false, opt, 0, "") })
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
		d.mark(d.elem("P", -1), func() {
			d.font("sans", "B", 10)
			f.Write(5.5, fl.Label+"  ")
			d.font("serif", "", 10.5)
			f.Write(5.5, fl.Value)
		})
		f.Ln(5.5)
	}
	if len(d.l.Fields) > 0 {
		f.Ln(6)
	}
}

// addressee draws the recipient's name and address, one line each.
func (d *doc) addressee() {
	if len(d.l.Addressee) == 0 {
		return
	}
	d.font("serif", "", textSize)
	d.mark(d.elem("P", -1), func() {
		for _, line := range wordBreak(d.l.Addressee) {
			d.f.CellFormat(0, lineHeight, line, "", 1, "L", false, 0, "")
		}
	})
	d.f.Ln(6)
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
