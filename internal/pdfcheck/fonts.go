package pdfcheck

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// charCode is a character code as shown, with its length in bytes: <0041>
// and <41> are different codes.
type charCode struct {
	code uint32
	n    int
}

func (c charCode) String() string { return fmt.Sprintf("<%0*X>", 2*c.n, c.code) }

// font is a font as used by the content, with the codes it showed.
type font struct {
	key        string // its reference, or a name for a direct dictionary
	name       string // BaseFont
	subtype    string
	dict       map[string]any
	descendant map[string]any // a Type0 font's CIDFont
	identity   bool           // Type0 with Identity-H or Identity-V: codes are 2-byte CIDs
	toUnicode  *cmap          // nil without a ToUnicode CMap
	used       map[charCode]bool
	order      []charCode // codes in the order first shown
	rendered   bool       // shown in a rendering mode other than 3
	firstPage  int
}

// font returns the font a Tf operand names in resources, loading it once.
func (c *checker) font(res map[string]any, name string, p *page) *font {
	v, ok := c.dict(res["/Font"])["/"+name]
	if !ok {
		return nil
	}
	key := refOf(v)
	if key == direct {
		key = fmt.Sprintf("/%s on page %d", name, p.number)
	}
	if f, ok := c.fonts[key]; ok {
		return f
	}
	f := c.loadFont(key, c.dict(v))
	f.firstPage = p.number
	c.fonts[key] = f
	return f
}

func (c *checker) loadFont(key string, dict map[string]any) *font {
	f := &font{key: key, name: c.name(dict["/BaseFont"]), subtype: c.name(dict["/Subtype"]), dict: dict, used: map[charCode]bool{}}
	if f.subtype == "Type0" {
		if kids := c.array(dict["/DescendantFonts"]); len(kids) > 0 {
			f.descendant = c.dict(kids[0])
		}
		enc := c.name(dict["/Encoding"])
		f.identity = enc == "Identity-H" || enc == "Identity-V"
	}
	if s := c.stream(dict["/ToUnicode"]); s != nil {
		f.toUnicode = parseCMap(s.data)
	}
	return f
}

// use records a shown code; rendered is false in rendering mode 3.
func (f *font) use(code charCode, rendered bool) {
	was, seen := f.used[code]
	if !seen {
		f.order = append(f.order, code)
	}
	f.used[code] = was || rendered
	f.rendered = f.rendered || rendered
}

// split cuts a shown string into character codes: two bytes for Identity
// CMaps, by the ToUnicode CMap's code space for other Type0 fonts (two
// bytes without one), one byte for simple fonts.
func (f *font) split(s pdfString) []charCode {
	var codes []charCode
	for len(s) > 0 {
		n := 1
		switch {
		case f.identity || (f.subtype == "Type0" && (f.toUnicode == nil || len(f.toUnicode.spaces) == 0)):
			n = 2
		case f.subtype == "Type0":
			n = f.toUnicode.codeLength(s)
		}
		n = min(n, len(s))
		codes = append(codes, charCode{code: be(s[:n]), n: n})
		s = s[n:]
	}
	return codes
}

// be reads a big-endian unsigned number of up to four bytes.
func be(b []byte) uint32 {
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// checkFonts checks every font shown: embedded, every code mapped to
// Unicode, no .notdef, and the widths (the last two for TrueType CIDFonts
// with Identity encodings only).
func (c *checker) checkFonts() {
	for _, p := range c.pages {
		for _, f := range c.fontsFirstOn(p.number) {
			c.checkEmbedded(f)
			c.checkUnicode(f)
			c.checkGlyphs(f)
		}
	}
}

// fontsFirstOn returns the fonts first used on page n, in a stable order.
func (c *checker) fontsFirstOn(n int) []*font {
	var fs []*font
	for _, f := range c.fonts {
		if f.firstPage == n && len(f.used) > 0 {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(a, b *font) int { return strings.Compare(a.key, b.key) })
	return fs
}

func (f *font) where() string {
	return fmt.Sprintf("font %s (%s), first used on page %d", f.name, f.key, f.firstPage)
}

// descriptor returns the font descriptor: a Type0 font's is its CIDFont's.
func (c *checker) descriptor(f *font) map[string]any {
	if f.descendant != nil {
		return c.dict(f.descendant["/FontDescriptor"])
	}
	return c.dict(f.dict["/FontDescriptor"])
}

func (c *checker) checkEmbedded(f *font) {
	if !f.rendered || f.subtype == "Type3" {
		return
	}
	d := c.descriptor(f)
	if d["/FontFile"] != nil || d["/FontFile2"] != nil || d["/FontFile3"] != nil {
		return
	}
	for _, id := range []string{"ISO 14289-1 7.21.4.1", "ISO 19005-2 6.2.11.4.1"} {
		c.fail(id, "%s is not embedded (no FontFile, FontFile2 or FontFile3 in its descriptor)", f.where())
	}
}

// checkUnicode finds shown codes without a Unicode value, or with U+0000,
// U+FEFF or U+FFFE in theirs.
func (c *checker) checkUnicode(f *font) {
	var unmapped, invalid []string
	for _, code := range f.order {
		text, ok := c.unicode(f, code)
		switch {
		case !ok:
			unmapped = append(unmapped, code.String())
		case strings.ContainsAny(text, "\u0000\ufeff\ufffe"):
			invalid = append(invalid, fmt.Sprintf("%s→%+q", code, text))
		}
	}
	if len(unmapped) > 0 {
		for _, id := range []string{"Matterhorn 10-001", "ISO 19005-2 6.2.11.7.2"} {
			c.fail(id, "%s: codes not mapped to Unicode: %s", f.where(), list(unmapped))
		}
	}
	if len(invalid) > 0 {
		c.fail("ISO 19005-2 6.2.11.7.2", "%s: codes mapped to U+0000, U+FEFF or U+FFFE: %s", f.where(), list(invalid))
	}
}

// unicode returns a code's Unicode text: from the ToUnicode CMap, or for a
// simple font with a standard Latin encoding, which maps without one.
func (c *checker) unicode(f *font, code charCode) (string, bool) {
	if f.toUnicode != nil {
		if text, ok := f.toUnicode.lookup(code); ok && text != "" {
			return text, true
		}
		return "", false
	}
	return "", f.subtype != "Type0" && f.subtype != "Type3" && c.standardEncoding(f.dict["/Encoding"])
}

// standardEncoding reports whether an encoding is WinAnsi, MacRoman or
// MacExpert without Differences: ISO 19005-2 6.2.11.7.2 accepts those.
func (c *checker) standardEncoding(v any) bool {
	std := func(n string) bool {
		return n == "WinAnsiEncoding" || n == "MacRomanEncoding" || n == "MacExpertEncoding"
	}
	if d := c.dict(v); d != nil {
		return d["/Differences"] == nil && std(c.name(d["/BaseEncoding"]))
	}
	return std(c.name(v))
}

// checkGlyphs checks .notdef and widths of a TrueType CIDFont shown with
// an Identity CMap, where a code is a CID that /CIDToGIDMap maps to a glyph.
func (c *checker) checkGlyphs(f *font) {
	if !f.identity || c.name(f.descendant["/Subtype"]) != "CIDFontType2" {
		return
	}
	g := c.glyphs(f)
	var notdef, widths []string
	for _, code := range f.order {
		gid, ok := g.gid(code.code)
		if !ok || gid == 0 || (g.program != nil && gid >= int(g.program.numGlyphs)) {
			notdef = append(notdef, fmt.Sprintf("CID %d→GID %d", code.code, gid))
			continue
		}
		if !f.used[code] || g.program == nil {
			continue
		}
		pdf, prog := g.width(code.code), g.program.width(gid)
		if math.Abs(pdf-prog) > 1 {
			widths = append(widths, fmt.Sprintf("CID %d: %g in the PDF, %.1f in the font", code.code, pdf, prog))
		}
	}
	c.glyphFailures(f, notdef, widths)
}

func (c *checker) glyphFailures(f *font, notdef, widths []string) {
	if len(notdef) > 0 {
		for _, id := range []string{"ISO 14289-1 7.21.8", "ISO 19005-2 6.2.11.8"} {
			c.fail(id, "%s: .notdef shown (GID 0, or no glyph in the font): %s", f.where(), list(notdef))
		}
	}
	if len(widths) > 0 {
		c.fail("ISO 19005-2 6.2.11.5", "%s: widths in /W differ from the font program's: %s", f.where(), list(widths))
	}
}

// cidGlyphs maps a CIDFont's CIDs to glyphs and widths.
type cidGlyphs struct {
	identity bool   // /CIDToGIDMap /Identity
	gidMap   []byte // else two bytes a CID
	widths   map[uint32]float64
	dw       float64
	program  *trueType // nil when not embedded or not readable
}

func (c *checker) glyphs(f *font) *cidGlyphs {
	d := f.descendant
	g := &cidGlyphs{identity: c.name(d["/CIDToGIDMap"]) == "Identity" || d["/CIDToGIDMap"] == nil, dw: 1000}
	if s := c.stream(d["/CIDToGIDMap"]); s != nil {
		g.identity, g.gidMap = false, s.data
	}
	if dw, ok := c.number(d["/DW"]); ok {
		g.dw = dw
	}
	g.widths = c.cidWidths(d["/W"])
	if s := c.stream(c.descriptor(f)["/FontFile2"]); s != nil {
		g.program, _ = parseTrueType(s.data)
	}
	return g
}

// gid maps a CID to a glyph; ok is false beyond the map.
func (g *cidGlyphs) gid(cid uint32) (int, bool) {
	if g.identity {
		return int(cid), true
	}
	if i := int(cid) * 2; i+1 < len(g.gidMap) {
		return int(g.gidMap[i])<<8 | int(g.gidMap[i+1]), true
	}
	return 0, false
}

func (g *cidGlyphs) width(cid uint32) float64 {
	if w, ok := g.widths[cid]; ok {
		return w
	}
	return g.dw
}

// cidWidths reads a /W array: "c [w1 w2 …]" and "cfirst clast w".
func (c *checker) cidWidths(v any) map[uint32]float64 {
	widths := map[uint32]float64{}
	a := c.array(v)
	for i := 0; i+1 < len(a); {
		first, _ := c.integer(a[i])
		if ws := c.array(a[i+1]); ws != nil {
			for j, w := range ws {
				widths[uint32(first+j)], _ = c.number(w)
			}
			i += 2
			continue
		}
		last, _ := c.integer(a[i+1])
		w, _ := c.number(a[min(i+2, len(a)-1)])
		for cid := first; cid <= last && cid-first < 1<<16; cid++ {
			widths[uint32(cid)] = w
		}
		i += 3
	}
	return widths
}
