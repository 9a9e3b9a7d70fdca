package pdf

import (
	"strings"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow/documents"
)

// Running text is laid out here rather than with gofpdf's Write or
// MultiCell: MultiCell justifies only text in one font, and Write cannot
// justify at all, while a paragraph may change emphasis mid line. Laying
// the lines out first also tells exactly how many lines a paragraph has,
// which the page breaks (no widows or orphans, headings kept with what
// follows) need.

// piece is a run of text in one style inside a word; the space after a
// word, if any, is added to its last piece when it is drawn.
type piece struct {
	text  string
	style string // "", "B", "I" or "BI"
	w     float64
}

// word is text between spaces. space is the width of the space that
// follows it (zero when none does, as inside an over-long word broken
// across lines); br says a line break was asked for after it.
type word struct {
	pieces []piece
	w      float64
	space  float64
	br     bool
}

// line is one laid out line; last lines (of a paragraph, or before a
// line break) stay ragged when the paragraph is justified.
type line struct {
	words []word
	w     float64 // natural width, with the spaces between the words
	last  bool
}

// spanStyle is gofpdf's style string for a span's emphasis.
func spanStyle(s documents.Span) string {
	switch {
	case s.Bold && s.Italic:
		return "BI"
	case s.Bold:
		return "B"
	case s.Italic:
		return "I"
	}
	return ""
}

// splitWords splits spans into words. Runs of white space count as one
// space, and a newline asks for a line break; a change of emphasis without
// a space (as in "**viktig**,") stays inside one word.
func splitWords(spans []documents.Span) []word {
	var ws []word
	open := false // no space since the last word's last piece
	for _, s := range spans {
		style := spanStyle(s)
		for text := s.Text; text != ""; {
			n := strings.IndexAny(text, " \t\r\n")
			if n < 0 {
				n = len(text)
			}
			if n > 0 {
				ws = addPiece(ws, open, piece{text: text[:n], style: style})
				open, text = true, text[n:]
				continue
			}
			if text[0] == '\n' && len(ws) > 0 {
				ws[len(ws)-1].br = true
			}
			open, text = false, text[1:]
		}
	}
	return ws
}

// addPiece adds p to the last word when open, else as a new word.
func addPiece(ws []word, open bool, p piece) []word {
	if open {
		last := &ws[len(ws)-1]
		last.pieces = append(last.pieces, p)
		return ws
	}
	return append(ws, word{pieces: []piece{p}})
}

// measure sets the widths of the words' pieces and spaces, measuring
// one style at a time because every change of font is written into the
// page.
func (d *doc) measure(ws []word) {
	for _, style := range [...]string{"", "B", "I", "BI"} {
		set := false
		for i := range ws {
			for j := range ws[i].pieces {
				p := &ws[i].pieces[j]
				if p.style != style {
					continue
				}
				if !set {
					d.font("serif", style, textSize)
					set = true
				}
				p.w = d.f.GetStringWidth(p.text)
				if j == len(ws[i].pieces)-1 {
					ws[i].space = d.f.GetStringWidth(" ")
				}
			}
		}
	}
	for i := range ws {
		ws[i].w = 0
		for _, p := range ws[i].pieces {
			ws[i].w += p.w
		}
	}
}

// layout lays spans of running text out in lines of the given width.
func (d *doc) layout(spans []documents.Span, width float64) []line {
	ws := splitWords(spans)
	d.measure(ws)
	ws = d.splitLong(ws, width)
	return breakLines(ws, width)
}

// breakLines fills lines greedily: a word goes on the next line when it
// does not fit. Nothing is hyphenated.
func breakLines(ws []word, width float64) []line {
	var lines []line
	var cur line
	for _, w := range ws {
		gap := 0.0
		if n := len(cur.words); n > 0 {
			gap = cur.words[n-1].space
		}
		if len(cur.words) > 0 && cur.w+gap+w.w > width+1e-6 {
			lines = append(lines, cur)
			cur, gap = line{}, 0
		}
		cur.words = append(cur.words, w)
		cur.w += gap + w.w
		if w.br {
			cur.last = true
			lines = append(lines, cur)
			cur = line{}
		}
	}
	if len(cur.words) > 0 {
		cur.last = true
		lines = append(lines, cur)
	}
	return lines
}

// splitLong breaks a word wider than the line (a long web address) into
// pieces that fit, without a hyphen: the only place a line may end inside
// a word. Only words in one style are broken; others overflow.
func (d *doc) splitLong(ws []word, width float64) []word {
	var out []word
	for _, w := range ws {
		if w.w <= width || len(w.pieces) != 1 {
			out = append(out, w)
			continue
		}
		p := w.pieces[0]
		d.font("serif", p.style, textSize)
		for _, text := range d.fit(p.text, width) {
			pw := d.f.GetStringWidth(text)
			out = append(out, word{pieces: []piece{{text: text, style: p.style, w: pw}}, w: pw})
		}
		last := &out[len(out)-1]
		last.space, last.br = w.space, w.br
	}
	return out
}

// fit cuts s, in the current font, into parts no wider than width,
// preferring to cut after a slash or a hyphen.
func (d *doc) fit(s string, width float64) []string {
	var parts []string
	for d.f.GetStringWidth(s) > width {
		cut, soft := 0, 0
		for i, r := range s {
			n := i + utf8.RuneLen(r)
			if d.f.GetStringWidth(s[:n]) > width {
				break
			}
			cut = n
			if r == '/' || r == '-' {
				soft = n
			}
		}
		if soft > 0 {
			cut = soft
		}
		if cut == 0 {
			_, cut = utf8.DecodeRuneInString(s)
		}
		parts, s = append(parts, s[:cut]), s[cut:]
	}
	return append(parts, s)
}
