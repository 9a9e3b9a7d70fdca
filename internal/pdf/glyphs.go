package pdf

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"github.com/yttrande/remiss/workflow/documents"
)

// Text is drawn only with characters every embedded font has a glyph for.
// gofpdf would draw any other as the font's .notdef glyph (an empty box
// that PDF/A and PDF/UA forbid), and a character beyond the Basic
// Multilingual Plane, such as an emoji pasted into a draft, makes it
// panic. So the layout's text is first composed (NFC: an "a" followed by
// a combining ring, as text copied from some PDFs arrives, becomes "å",
// which the fonts have), and then a character the fonts lack is
// replaced: an invisible formatting character (a zero-width joiner, a
// variation selector) is left out, one with a compatibility equivalent
// the fonts have takes it (㎡ becomes m2, mathematical italic x becomes
// x, the non-breaking hyphen a hyphen), and any other is drawn as
// missing, "□".

// missing stands for a character the fonts cannot draw.
const missing = '□'

// glyphSet is the characters of the Basic Multilingual Plane that all
// the embedded fonts have a glyph for, one bit each.
type glyphSet [0x10000 / 64]uint64

// newGlyphSet reads the fonts' character maps.
func newGlyphSet(fonts map[string][]byte) (*glyphSet, error) {
	g := &glyphSet{}
	for i := range g {
		g[i] = ^uint64(0)
	}
	var buf sfnt.Buffer
	for name, b := range fonts {
		f, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", name, err)
		}
		for r := rune(0); r < 0x10000; r++ {
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				g[r/64] &^= 1 << (r % 64)
			}
		}
	}
	return g, nil
}

func (g *glyphSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && g[r/64]&(1<<(r%64)) != 0
}

// text is s composed, with each character the fonts lack replaced.
func (g *glyphSet) text(s string) string {
	s = norm.NFC.String(s)
	if !strings.ContainsFunc(s, func(r rune) bool { return !g.has(r) && r != '\n' && r != '\t' }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteString(g.substitute(r))
	}
	return b.String()
}

// substitute is what is drawn for r.
func (g *glyphSet) substitute(r rune) string {
	switch {
	case g.has(r) || r == '\n' || r == '\t':
		return string(r)
	case unicode.In(r, unicode.Cf, unicode.Variation_Selector) || r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
		return ""
	}
	if k := norm.NFKC.String(string(r)); k != string(r) && !strings.ContainsFunc(k, func(c rune) bool { return !g.has(c) }) {
		return k
	}
	return string(missing)
}

// layout is l with the text that is drawn made drawable; the metadata,
// which is not drawn, keeps every character.
func (g *glyphSet) layout(l documents.Layout) documents.Layout {
	l.Letterhead.Name, l.Letterhead.Unit = g.text(l.Letterhead.Name), g.text(l.Letterhead.Unit)
	l.Letterhead.Lines = g.texts(l.Letterhead.Lines)
	l.Addressee = g.texts(l.Addressee)
	l.Footer = g.text(l.Footer)
	fields := make([]documents.LayoutField, len(l.Fields))
	for i, f := range l.Fields {
		fields[i] = documents.LayoutField{Label: g.text(f.Label), Value: g.text(f.Value)}
	}
	l.Fields = fields
	blocks := make([]documents.Block, len(l.Blocks))
	for i, b := range l.Blocks {
		blocks[i] = g.block(b)
	}
	l.Blocks = blocks
	return l
}

func (g *glyphSet) block(b documents.Block) documents.Block {
	b.Spans = g.spans(b.Spans)
	items := make([][]documents.Span, len(b.Items))
	for i, it := range b.Items {
		items[i] = g.spans(it)
	}
	b.Items = items
	rows := make([][]documents.TableCell, len(b.Rows))
	for i, row := range b.Rows {
		rows[i] = make([]documents.TableCell, len(row))
		for j, c := range row {
			rows[i][j] = documents.TableCell{Spans: g.spans(c.Spans)}
		}
	}
	b.Rows = rows
	signers := make([]documents.Signer, len(b.Signers))
	for i, s := range b.Signers {
		signers[i] = documents.Signer{Name: g.text(s.Name), Title: g.text(s.Title), Unit: g.text(s.Unit)}
	}
	b.Signers = signers
	return b
}

func (g *glyphSet) spans(ss []documents.Span) []documents.Span {
	out := make([]documents.Span, len(ss))
	for i, s := range ss {
		s.Text = g.text(s.Text)
		out[i] = s
	}
	return out
}

func (g *glyphSet) texts(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = g.text(s)
	}
	return out
}
