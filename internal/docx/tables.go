package docx

import (
	"math"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"

	"github.com/yttrande/remiss/workflow/documents"
)

// The looks of table text, as in internal/pdf: a smaller serif body under
// bold sans headers.
var (
	cellLook   = look{halfPoints: 21}
	headerLook = look{font: sans, halfPoints: 19, bold: true}
	smallLook  = look{font: sans, halfPoints: 18}
)

// table adds a table in the Table Grid style, which draws every border.
// Its header rows are marked to repeat at the top of each page, and no
// row breaks across pages.
func (d *doc) table(b documents.Block) {
	widths := columnWidths(b)
	if len(widths) == 0 {
		return
	}
	t := d.newTable(widths)
	t.Style(styleTableGrid)
	for i, row := range b.Rows {
		header := i < b.HeaderRows
		r := addRow(t, header)
		for j, w := range widths {
			p := addCell(t, r, w).AddEmptyPara()
			if j < len(row) {
				cellText(p, row[j].Spans, header)
			}
		}
	}
}

func cellText(p *docx.Paragraph, spans []documents.Span, header bool) {
	for _, s := range spans {
		lk := cellLook
		if header {
			lk = headerLook
		}
		lk.bold = lk.bold || s.Bold
		lk.italic = s.Italic
		addText(p, s.Text, lk)
	}
}

// signatures adds a borderless table with a column for each signer, at
// least two as in the PDF: a line to sign on with room above it, then the
// name, the title and the unit.
func (d *doc) signatures(ss []documents.Signer) {
	if len(ss) == 0 {
		return
	}
	widths := share(ones(max(len(ss), 2)))
	t := d.newTable(widths)
	r := addRow(t, false)
	for i, w := range widths {
		c := addCell(t, r, w)
		if i >= len(ss) {
			c.AddEmptyPara()
			continue
		}
		signer(c, ss[i])
	}
}

// signer fills a signature cell. The paragraphs stop short of the cell's
// right edge, so that the lines of neighbouring signers do not join; the
// space before the line is room to sign, about 14 mm as in the PDF.
func signer(c *docx.Cell, s documents.Signer) {
	line := signerPara(c, 480)
	paraProps(line).Border = &ctypes.ParaBorder{Bottom: ctypes.NewCellBorder(stypes.BorderStyleSingle, "auto", "1", 4)}
	addText(signerPara(c, 0), s.Name, look{})
	addText(signerPara(c, 0), s.Title, smallLook)
	if s.Unit != "" {
		addText(signerPara(c, 0), s.Unit, smallLook)
	}
}

func signerPara(c *docx.Cell, before uint64) *docx.Paragraph {
	p := c.AddEmptyPara()
	pp := paraProps(p)
	pp.Spacing = ctypes.NewParagraphSpacing(before, 0)
	pp.Indent = &ctypes.Indent{Right: new(454)}
	return p
}

// newTable adds a table across the text width with fixed columns.
func (d *doc) newTable(widths []uint64) *docx.Table {
	t := d.root.AddTable()
	t.Width(textWidth, stypes.TableWidthDxa)
	t.Layout(stypes.TableLayoutFixed)
	t.Grid(widths...)
	return t
}

// addRow adds a row that never breaks across pages; a header row repeats
// at the top of each page. godocx has no setter for either, so they are
// set on the row's element.
func addRow(t *docx.Table, header bool) *docx.Row {
	r := t.AddRow()
	rows := t.GetCT().RowContents
	prop := rows[len(rows)-1].Row.Property
	prop.CantSplit = &ctypes.OnOff{}
	if header {
		prop.Header = &ctypes.OnOff{}
	}
	return r
}

// addCell adds a cell of a width. godocx gives each cell a white fill,
// which would hide the shading of a table style the reader picks later,
// so it is removed.
func addCell(t *docx.Table, r *docx.Row, width uint64) *docx.Cell {
	c := r.AddCell()
	c.Width(int(width), stypes.TableWidthDxa)
	rows := t.GetCT().RowContents
	cells := rows[len(rows)-1].Row.Contents
	cells[len(cells)-1].Cell.Property.Shading = nil
	return c
}

// columnWidths shares the text width among the columns as b.Widths says,
// or equally when the widths do not fit the rows.
func columnWidths(b documents.Block) []uint64 {
	n := 0
	for _, r := range b.Rows {
		n = max(n, len(r))
	}
	rel := b.Widths
	if len(rel) != n || !usable(rel) {
		rel = ones(n)
	}
	return share(rel)
}

func usable(rel []float64) bool {
	for _, v := range rel {
		if !(v > 0) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func ones(n int) []float64 {
	rel := make([]float64, n)
	for i := range rel {
		rel[i] = 1
	}
	return rel
}

// share divides the text width in proportion to rel; the last column
// takes what rounding leaves, so that the columns fill the width exactly.
func share(rel []float64) []uint64 {
	sum := 0.0
	for _, v := range rel {
		sum += v
	}
	out := make([]uint64, len(rel))
	left := uint64(textWidth)
	for i, v := range rel {
		if i == len(rel)-1 {
			out[i] = left
			break
		}
		out[i] = uint64(textWidth * v / sum)
		left -= out[i]
	}
	return out
}
