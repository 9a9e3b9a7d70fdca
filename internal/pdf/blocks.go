package pdf

import (
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow/documents"
)

// block draws one block; next is the block after it, which a heading is
// kept with.
func (d *doc) block(b documents.Block, next *documents.Block) {
	switch b.Role {
	case documents.RoleTitle:
		d.heading(b, 0, next)
	case documents.RoleHeading:
		d.heading(b, max(1, min(b.Level, 3)), next)
	case documents.RoleParagraph:
		d.mark(d.elem("P", -1), func() { d.paragraph(b.Spans) })
	case documents.RoleList:
		d.list(b)
	case documents.RoleTable:
		d.table(b)
	case documents.RoleSignature:
		d.mark(d.elem("P", -1), func() { d.signatures(b.Signers) })
	case documents.RoleSpacer:
		d.f.Ln(lineHeight)
	}
}

// headingStyles are the font, style and size of the title (0) and the
// heading levels 1–3.
var headingStyles = [4]struct {
	family, style string
	size          float64
}{{"sans", "B", 15}, {"sans", "B", 12.5}, {"sans", "BI", 11.5}, {"serif", "BI", 11.5}}

// heading draws a title or heading, on a new page when it and the first
// lines of what follows would not fit, and bookmarks it.
func (d *doc) heading(b documents.Block, level int, next *documents.Block) {
	st := headingStyles[level]
	text := documents.PlainText(b.Spans)
	d.font(st.family, st.style, st.size)
	lines := wordBreak(d.f.SplitText(text, d.width()))
	h := float64(len(lines))*st.size*0.5 + headingSpace
	if next != nil {
		h += d.leadHeight(*next)
	}
	d.ensure(h)
	d.f.Ln(2)
	d.bookmark(text, max(0, level-1))
	d.font(st.family, st.style, st.size)
	d.mark(d.elem(d.headingTag(level), -1), func() {
		for _, line := range lines {
			d.f.CellFormat(0, st.size*0.5, line, "", 2, "L", false, 0, "")
		}
	})
	d.f.Ln(headingSpace - 2)
}

// headingTag is the structure type of a heading of level (0: the title).
// The title is the document's one H1 and headings of level n are H(n+1),
// but a heading is never more than one level below the one before it:
// a draft that goes from a level 1 heading to a level 3 one is read by a
// screen reader as going one level down (Matterhorn 14-003), and a
// document without a title starts at H1 (14-002). It looks as its level
// says.
func (d *doc) headingTag(level int) string {
	d.tagLevel = min(level+1, d.tagLevel+1)
	return fmt.Sprintf("H%d", d.tagLevel)
}

// headingSpace is the space above and below a heading together.
const headingSpace = 3.5

// bookmark adds an outline entry. An entry is never more than one level
// below the one before it: gofpdf would hang one that skips a level (a
// level 3 heading straight after a level 1) under the wrong parent.
func (d *doc) bookmark(text string, level int) {
	level = min(level, d.outline+1)
	d.f.Bookmark(text, level, -1)
	d.outline = level
}

// leadHeight is the height of the first lines of a block, which must stay
// on the page of the heading before it.
func (d *doc) leadHeight(b documents.Block) float64 {
	switch b.Role {
	case documents.RoleParagraph:
		return float64(leadLines(len(d.layout(b.Spans, d.width())))) * lineHeight
	case documents.RoleList:
		if len(b.Items) == 0 {
			return 0
		}
		return float64(leadLines(len(d.layout(b.Items[0], d.width()-listIndent)))) * lineHeight
	case documents.RoleTable:
		return 3 * lineHeight
	case documents.RoleSignature:
		per := signersPerRow(len(b.Signers))
		return signatureSpace + d.signatureHeight(b.Signers[:min(len(b.Signers), per)], per)
	}
	return lineHeight
}

func (d *doc) width() float64 {
	w, _ := d.f.GetPageSize()
	l, _, r, _ := d.f.GetMargins()
	return w - l - r
}

// listIndent is the hanging indent of a list item's text.
const listIndent = 8

// list draws bulleted or numbered items with a hanging indent, ragged
// right, each split over pages as a paragraph is. An item's bullet or
// number is its label (Lbl), drawn on its first line; its text is the
// body (LBody), whose sequence opens after the label and runs on across
// a page break.
func (d *doc) list(b documents.Block) {
	left, _, _, _ := d.f.GetMargins()
	list := d.elem("L", -1)
	for i, item := range b.Items {
		marker := "•"
		if b.Ordered {
			marker = fmt.Sprintf("%d.", i+1)
		}
		li := d.elem("LI", list)
		label, body := d.elem("Lbl", li), d.elem("LBody", li)
		d.flow(d.layout(item, d.width()-listIndent), left+listIndent, d.width()-listIndent, false, func() {
			d.mark(label, func() {
				d.font("serif", "", textSize)
				d.f.SetX(left + 2)
				d.f.CellFormat(6, lineHeight, marker, "", 0, "L", false, 0, "")
			})
			d.markOn(body)
		})
		d.endMarked()
		d.f.Ln(0.8)
	}
	d.f.Ln(1.5)
}

// table draws a table with borders; a row never breaks, and the header
// rows are drawn again at the top of each new page.
func (d *doc) table(b documents.Block) {
	if len(b.Rows) == 0 {
		return
	}
	widths := d.columnWidths(b)
	header := b.Rows[:min(b.HeaderRows, len(b.Rows))]
	table := d.elem("Table", -1)
	for i, row := range b.Rows {
		bold := i < b.HeaderRows
		h := d.rowHeight(row, widths, bold)
		if d.room() < h {
			d.f.AddPage()
			if !bold {
				// The header again on the new page is furniture: it is in
				// the tree once.
				d.artifact(func() {
					for _, hr := range header {
						d.row(hr, widths, true, -1)
					}
				})
			}
		}
		d.row(row, widths, bold, d.elem("TR", table))
	}
	d.f.Ln(3)
}

func (d *doc) columnWidths(b documents.Block) []float64 {
	n := 0
	for _, r := range b.Rows {
		n = max(n, len(r))
	}
	rel := b.Widths
	if len(rel) != n {
		rel = make([]float64, n)
		for i := range rel {
			rel[i] = 1
		}
	}
	sum := 0.0
	for _, v := range rel {
		sum += v
	}
	out := make([]float64, n)
	for i, v := range rel {
		out[i] = d.width() * v / sum
	}
	return out
}

const cellPad = 1.5

func (d *doc) cellLines(c documents.TableCell, w float64, bold bool) []string {
	d.cellFont(bold)
	text := strings.TrimSpace(documents.PlainText(c.Spans))
	if text == "" {
		return []string{""}
	}
	return d.f.SplitText(text, w-2*cellPad)
}

func (d *doc) cellFont(bold bool) {
	if bold {
		d.font("sans", "B", 9.5)
	} else {
		d.font("serif", "", 10.5)
	}
}

func (d *doc) rowHeight(row []documents.TableCell, widths []float64, bold bool) float64 {
	lines := 1
	for i, c := range row {
		lines = max(lines, len(d.cellLines(c, widths[i], bold)))
	}
	return float64(lines)*5 + 2*cellPad
}

// row draws one row, its cells as TH (bold) or TD elements of tr; with
// tr -1, as it is inside an artifact.
func (d *doc) row(row []documents.TableCell, widths []float64, bold bool, tr int) {
	h := d.rowHeight(row, widths, bold)
	left, _, _, _ := d.f.GetMargins()
	x, y := left, d.f.GetY()
	cell := "TD"
	if bold {
		cell = "TH"
	}
	for i, w := range widths {
		d.artifactOr(tr, func() { d.f.Rect(x, y, w, h, "D") })
		if i < len(row) {
			draw := func() {
				d.f.SetXY(x+cellPad, y+cellPad)
				d.cellFont(bold)
				for _, line := range wordBreak(d.cellLines(row[i], w, bold)) {
					d.f.SetX(x + cellPad)
					d.f.CellFormat(w-2*cellPad, 5, line, "", 2, "L", false, 0, "")
				}
			}
			if tr >= 0 {
				d.mark(d.elem(cell, tr), draw)
			} else {
				draw()
			}
		}
		x += w
	}
	d.f.SetXY(left, y+h)
}

// artifactOr draws the rules of a table as artifacts, except when the
// whole row already is one (tr -1).
func (d *doc) artifactOr(tr int, draw func()) {
	if tr < 0 {
		draw()
		return
	}
	d.artifact(draw)
}
