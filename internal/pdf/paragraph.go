package pdf

import "github.com/yttrande/remiss/workflow/documents"

// maxStretch is the most a space of justified text may grow, in
// millimetres: 0.75 em, so that with the space itself (0.25 em) a gap is
// never wider than 1 em. A line that would need more, because the word
// after it is long and nothing is hyphenated, is left ragged: wider gaps
// look like holes, and pdftotext (and so, likely, other text extraction)
// starts to read the words on either side as separate columns.
const maxStretch = 0.75 * textSize * 25.4 / 72

// minSplit is the fewest lines a paragraph must have to be split over two
// pages; a split leaves at least two lines on each (no widows or orphans).
const minSplit = 4

// paragraph draws running text, ragged right or, when the layout asks for
// it, justified.
func (d *doc) paragraph(spans []documents.Span) {
	left, _, _, _ := d.f.GetMargins()
	d.flow(d.layout(spans, d.width()), left, d.width(), d.l.Justify, nil)
	d.f.Ln(2)
}

// leadLines is how many of a paragraph's n lines must stay with a heading
// before it: the whole of a paragraph too short to split, else two.
func leadLines(n int) int {
	if n < minSplit {
		return n
	}
	return 2
}

// flow draws lines in the column at x of width w from the current
// position on, going on on a new page where they do not fit. first, when
// not nil, is called just before the first line is drawn, on its page (a
// list item draws its marker there).
func (d *doc) flow(lines []line, x, w float64, justify bool, first func()) {
	// The lines are measured to fit; gofpdf's own page break would only
	// misplace one that ends a rounding error below the margin.
	d.f.SetAutoPageBreak(false, marginBottom)
	defer d.f.SetAutoPageBreak(true, marginBottom)
	for len(lines) > 0 {
		n := d.take(len(lines))
		if n == 0 {
			d.f.AddPage()
			continue
		}
		if first != nil {
			first()
			first = nil
		}
		for i, l := range lines[:n] {
			d.drawLine(l, x, w, justify, i < len(lines)-1)
		}
		if lines = lines[n:]; len(lines) > 0 {
			d.f.AddPage()
		}
	}
}

// take is how many of a paragraph's n remaining lines go on this page:
// all if they fit; none if it is too short to split or fewer than two
// would fit; else as many as fit while leaving two for the next page.
func (d *doc) take(n int) int {
	fit := int((d.room() + 1e-6) / lineHeight)
	switch {
	case fit >= n:
		return n
	case n < minSplit || fit < 2:
		if d.pageEmpty() {
			return max(fit, 1) // no later page has more room
		}
		return 0
	}
	return min(fit, n-2)
}

// pageEmpty says nothing has been drawn below the top margin yet.
func (d *doc) pageEmpty() bool {
	return d.f.GetY() < marginTop+0.01
}

// run is the text of a line in one style, with the spaces it holds.
type run struct {
	text, style string
	w           float64
	spaces      int
}

// runs joins a line's words into runs of one style each, so that each is
// one text object with real space characters (for copying and screen
// readers) however far apart justification sets the words.
func runs(l line) []run {
	var rs []run
	for i, w := range l.words {
		for j, p := range w.pieces {
			r := run{text: p.text, style: p.style, w: p.w}
			if j == len(w.pieces)-1 && i < len(l.words)-1 && w.space > 0 {
				r.text += " "
				r.w += w.space
				r.spaces = 1
			}
			if n := len(rs); n > 0 && rs[n-1].style == r.style {
				rs[n-1].text += r.text
				rs[n-1].w += r.w
				rs[n-1].spaces += r.spaces
				continue
			}
			rs = append(rs, r)
		}
	}
	return rs
}

// drawLine draws one line at x on the current line position; more says
// another line of the same text follows, so the line ends in a space (see
// wordBreak). A justified
// line (other than a last one, or one that would stretch too far) shares
// the room left over among its spaces: gofpdf's "J" alignment
// does that within one run (by moving each space in a TJ array, since
// word spacing does not apply to two-byte fonts), so each run is given its
// share of the room as extra width. (The cell margin is 0, see setup, so
// that a run's text fills its cell exactly.)
func (d *doc) drawLine(l line, x, w float64, justify, more bool) {
	extra := 0.0
	if justify && !l.last {
		if gaps := l.gaps(); gaps > 0 {
			extra = (w - l.w) / float64(gaps)
		}
		if extra > maxStretch {
			extra = 0
		}
	}
	y := d.f.GetY()
	d.f.SetXY(x, y)
	for _, r := range runs(l) {
		align := "L"
		if extra > 0 && r.spaces > 0 {
			align = "J"
		}
		d.font("serif", r.style, textSize)
		d.f.CellFormat(r.w+extra*float64(r.spaces), lineHeight, r.text, "", 0, align, false, 0, "")
	}
	if more {
		d.f.CellFormat(0.1, lineHeight, " ", "", 0, "L", false, 0, "")
	}
	d.f.SetXY(x, y+lineHeight)
}

// gaps is the number of spaces between the words of l.
func (l line) gaps() int {
	n := 0
	for _, w := range l.words[:len(l.words)-1] {
		if w.space > 0 {
			n++
		}
	}
	return n
}

// wordBreak is what ends a line that another line of the same text
// follows: a space, which is invisible at the end of a line but tells
// text extraction, and so a screen reader reading the structure tree,
// that the last word of one line and the first of the next are two words
// (ISO 32000-1, 14.8.2.5). gofpdf's own line breaking drops that space.
func wordBreak(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l
		if i < len(lines)-1 {
			out[i] += " "
		}
	}
	return out
}
