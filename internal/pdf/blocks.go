package pdf

import (
	"fmt"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// block draws one block; next is the block after it, which a heading is
// kept with.
func (d *doc) block(b workflow.Block, next *workflow.Block) {
	switch b.Role {
	case workflow.RoleTitle:
		d.heading(b, 0, next)
	case workflow.RoleHeading:
		d.heading(b, max(1, min(b.Level, 3)), next)
	case workflow.RoleParagraph:
		d.paragraph(b.Spans)
	case workflow.RoleList:
		d.list(b)
	case workflow.RoleTable:
		d.table(b)
	case workflow.RoleSignature:
		d.signatures(b.Signers)
	case workflow.RoleSpacer:
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
func (d *doc) heading(b workflow.Block, level int, next *workflow.Block) {
	st := headingStyles[level]
	text := workflow.PlainText(b.Spans)
	d.f.SetFont(st.family, st.style, st.size)
	lines := len(d.f.SplitText(text, d.width()))
	h := float64(lines)*st.size*0.5 + 3
	if next != nil {
		h += d.leadHeight(*next)
	}
	d.ensure(h)
	d.f.Ln(2)
	d.f.Bookmark(text, max(0, level-1), -1)
	d.f.SetFont(st.family, st.style, st.size)
	d.f.MultiCell(0, st.size*0.5, text, "", "L", false)
	d.f.Ln(1.5)
}

// leadHeight is the height of the first lines of a block, which must stay
// on the page of the heading before it.
func (d *doc) leadHeight(b workflow.Block) float64 {
	switch b.Role {
	case workflow.RoleParagraph, workflow.RoleList:
		return 2 * lineHeight
	case workflow.RoleTable:
		return 3 * lineHeight
	case workflow.RoleSignature:
		return 22
	}
	return lineHeight
}

func (d *doc) width() float64 {
	w, _ := d.f.GetPageSize()
	l, _, r, _ := d.f.GetMargins()
	return w - l - r
}

// paragraph draws ragged-right text whose spans may change emphasis mid
// line. A paragraph of four lines or more leaves at least two lines on
// each page (no widows or orphans); a shorter one is not split.
func (d *doc) paragraph(spans []workflow.Span) {
	d.f.SetFont("serif", "", textSize)
	lines := len(d.f.SplitText(workflow.PlainText(spans), d.width()))
	switch {
	case lines < 4:
		d.ensure(float64(lines) * lineHeight)
	default:
		d.ensure(2 * lineHeight)
		if rest := d.room() - float64(lines)*lineHeight; rest < 0 && rest > -2*lineHeight {
			d.ensure(d.room() + 1) // the last line would be alone on the next page
		}
	}
	d.write(spans)
	d.f.Ln(lineHeight + 2)
}

// write writes spans from the current position, word by word so that a
// change of emphasis can fall anywhere in a line.
func (d *doc) write(spans []workflow.Span) {
	for _, s := range spans {
		style := ""
		if s.Bold {
			style += "B"
		}
		if s.Italic {
			style += "I"
		}
		d.f.SetFont("serif", style, textSize)
		d.f.Write(lineHeight, s.Text)
	}
}

// list draws bulleted or numbered items with a hanging indent.
func (d *doc) list(b workflow.Block) {
	left, _, _, _ := d.f.GetMargins()
	for i, item := range b.Items {
		d.ensure(lineHeight)
		marker := "•"
		if b.Ordered {
			marker = fmt.Sprintf("%d.", i+1)
		}
		d.f.SetFont("serif", "", textSize)
		d.f.SetX(left + 2)
		d.f.CellFormat(6, lineHeight, marker, "", 0, "L", false, 0, "")
		d.f.SetLeftMargin(left + 8)
		d.write(item)
		d.f.SetLeftMargin(left)
		d.f.Ln(lineHeight + 0.8)
	}
	d.f.Ln(1.5)
}

// signatures draws a line to sign on for each signer, side by side, with
// the name and title below.
func (d *doc) signatures(ss []workflow.Signer) {
	if len(ss) == 0 {
		return
	}
	d.ensure(26)
	d.f.Ln(14)
	left, _, _, _ := d.f.GetMargins()
	w := d.width() / float64(max(len(ss), 2))
	y := d.f.GetY()
	for i, s := range ss {
		x := left + float64(i)*w
		d.f.Line(x, y, x+w-8, y)
		d.f.SetXY(x, y+1)
		d.f.SetFont("serif", "", textSize)
		d.f.CellFormat(w-8, lineHeight, s.Name, "", 2, "L", false, 0, "")
		d.f.SetX(x)
		d.f.SetFont("sans", "", 9)
		d.f.CellFormat(w-8, 4.5, s.Title, "", 0, "L", false, 0, "")
	}
	d.f.SetXY(left, y+12)
}

// table draws a table with borders; a row never breaks, and the header
// rows are drawn again at the top of each new page.
func (d *doc) table(b workflow.Block) {
	if len(b.Rows) == 0 {
		return
	}
	widths := d.columnWidths(b)
	header := b.Rows[:min(b.HeaderRows, len(b.Rows))]
	for i, row := range b.Rows {
		bold := i < b.HeaderRows
		h := d.rowHeight(row, widths, bold)
		if d.room() < h {
			d.f.AddPage()
			if !bold {
				for _, hr := range header {
					d.row(hr, widths, true)
				}
			}
		}
		d.row(row, widths, bold)
	}
	d.f.Ln(3)
}

func (d *doc) columnWidths(b workflow.Block) []float64 {
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

func (d *doc) cellLines(c workflow.TableCell, w float64, bold bool) []string {
	d.cellFont(bold)
	text := strings.TrimSpace(workflow.PlainText(c.Spans))
	if text == "" {
		return []string{""}
	}
	return d.f.SplitText(text, w-2*cellPad)
}

func (d *doc) cellFont(bold bool) {
	if bold {
		d.f.SetFont("sans", "B", 9.5)
	} else {
		d.f.SetFont("serif", "", 10.5)
	}
}

func (d *doc) rowHeight(row []workflow.TableCell, widths []float64, bold bool) float64 {
	lines := 1
	for i, c := range row {
		lines = max(lines, len(d.cellLines(c, widths[i], bold)))
	}
	return float64(lines)*5 + 2*cellPad
}

func (d *doc) row(row []workflow.TableCell, widths []float64, bold bool) {
	h := d.rowHeight(row, widths, bold)
	left, _, _, _ := d.f.GetMargins()
	x, y := left, d.f.GetY()
	for i, w := range widths {
		d.f.Rect(x, y, w, h, "D")
		if i < len(row) {
			d.f.SetXY(x+cellPad, y+cellPad)
			d.cellFont(bold)
			for _, line := range d.cellLines(row[i], w, bold) {
				d.f.SetX(x + cellPad)
				d.f.CellFormat(w-2*cellPad, 5, line, "", 2, "L", false, 0, "")
			}
		}
		x += w
	}
	d.f.SetXY(left, y+h)
}
