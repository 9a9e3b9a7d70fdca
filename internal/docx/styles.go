package docx

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// The fonts are metric twins of internal/pdf's Liberation fonts, so that
// the Word and the PDF version of a document break lines alike.
const (
	serif = "Times New Roman"
	sans  = "Arial"
)

// The template's built-in style ids the renderer writes into paragraphs
// and tables; Word, LibreOffice and screen readers know them by these ids.
const (
	styleTitle      = "Title"
	styleFooter     = "Footer"
	styleListBullet = "ListBullet"
	styleListNumber = "ListNumber"
	styleTableGrid  = "TableGrid"
)

// headingStyle is the style id of a heading level 1–3.
func headingStyle(level int) string {
	return "Heading" + strconv.Itoa(max(1, min(level, 3)))
}

// look is the type of a style or a run: font, size in half points,
// emphasis and colour (hex or "auto"; "" leaves it as it is).
type look struct {
	font         string
	halfPoints   uint64
	bold, italic bool
	color        string
}

// restyled are the template styles given internal/pdf's look instead of
// the template's blue Calibri, with their space before and after.
var restyled = []struct {
	id            string
	look          look
	before, after uint64
}{
	{styleTitle, look{font: sans, halfPoints: 30, bold: true, color: "auto"}, 0, 160},
	{"Heading1", look{font: sans, halfPoints: 25, bold: true, color: "auto"}, 240, 80},
	{"Heading2", look{font: sans, halfPoints: 23, bold: true, italic: true, color: "auto"}, 200, 60},
	{"Heading3", look{font: serif, halfPoints: 23, bold: true, italic: true, color: "auto"}, 200, 60},
	{styleFooter, look{font: sans, halfPoints: 17, color: "505050"}, 0, 0},
}

// checkStyles reports a template without the styles the renderer uses.
func checkStyles(root *docx.RootDoc) error {
	ids := []string{styleListBullet, styleListNumber, styleTableGrid}
	for _, s := range restyled {
		ids = append(ids, s.id)
	}
	for _, id := range ids {
		if style(root, id) == nil {
			return fmt.Errorf("docx: the template has no style %q", id)
		}
	}
	return nil
}

// style finds a style by id; unlike godocx's GetStyleByID it returns the
// style itself, not a copy, so that it can be changed.
func style(root *docx.RootDoc, id string) *ctypes.Style {
	list := root.DocStyles.StyleList
	for i := range list {
		if list[i].ID != nil && *list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}

// styles sets the document defaults and gives the title, the headings
// and the footer internal/pdf's look.
func (d *doc) styles() {
	d.root.DocStyles.DocDefaults = defaults(d.lang)
	restoreLineSpacing(d.root.DocStyles)
	for _, r := range restyled {
		if s := style(d.root, r.id); s != nil {
			restyle(s, r.look, r.before, r.after)
		}
	}
	if s := style(d.root, styleTitle); s != nil {
		// The title is the document's outline level 1, as in the PDF's
		// bookmarks, and has no rule under it.
		s.ParaProp.Border = nil
		s.ParaProp.KeepNext = &ctypes.OnOff{}
		s.ParaProp.OutlineLvl = ctypes.NewDecimalNum(0)
	}
	if s := style(d.root, styleFooter); s != nil {
		s.ParaProp.Tabs = ctypes.Tabs{Tab: []ctypes.Tab{{Val: stypes.CustTabStopRight, Position: textWidth}}}
	}
}

// defaults is the body text's font and size, the language, and widow and
// orphan control, which the template leaves off. The language sits
// in the defaults rather than on each run, so that text the reader adds
// later is checked as Swedish too.
func defaults(lang string) *ctypes.DocDefault {
	text := props(look{font: serif, halfPoints: 23})
	text.Lang = &ctypes.Lang{Val: &lang}
	line, rule := 276, stypes.LineSpacingRuleAuto
	return &ctypes.DocDefault{
		RunProp: &ctypes.RunPropDefault{RunProp: text},
		ParaProp: &ctypes.ParaPropDefault{ParaProp: &ctypes.ParagraphProp{
			WindowControl: &ctypes.OnOff{},
			Spacing:       &ctypes.Spacing{After: new(uint64(120)), Line: &line, LineRule: &rule},
		}},
	}
}

// restoreLineSpacing puts back the line spacing that godocx drops when it
// reads the template's styles: it takes w:spacing's w:line for an element
// rather than an attribute, leaving a w:lineRule without its w:line, so
// that Table Grid, for one, would lose its single spacing. In the
// template every such style is single spaced but Body Text 2, which is
// double.
func restoreLineSpacing(st *ctypes.Styles) {
	for i := range st.StyleList {
		s := &st.StyleList[i]
		if s.ParaProp == nil || s.ParaProp.Spacing == nil || s.ParaProp.Spacing.LineRule == nil || s.ParaProp.Spacing.Line != nil {
			continue
		}
		line := 240
		if s.ID != nil && *s.ID == "BodyText2" {
			line = 480
		}
		s.ParaProp.Spacing.Line = &line
	}
}

func restyle(s *ctypes.Style, lk look, before, after uint64) {
	s.RunProp = props(lk)
	if s.ParaProp == nil {
		s.ParaProp = &ctypes.ParagraphProp{}
	}
	s.ParaProp.Spacing = ctypes.NewParagraphSpacing(before, after)
}

// props is the run properties of a look. The fonts are named, not taken
// from the theme, because Word prefers a theme font over a named one.
func props(lk look) *ctypes.RunProperty {
	p := &ctypes.RunProperty{}
	if lk.font != "" {
		p.Fonts = &ctypes.RunFonts{Ascii: lk.font, HAnsi: lk.font, CS: lk.font}
	}
	if lk.bold {
		p.Bold, p.BoldCS = &ctypes.OnOff{}, &ctypes.OnOff{}
	}
	if lk.italic {
		p.Italic, p.ItalicCS = &ctypes.OnOff{}, &ctypes.OnOff{}
	}
	if lk.color != "" {
		p.Color = ctypes.NewColor(lk.color)
	}
	if lk.halfPoints > 0 {
		p.Size, p.SizeCs = ctypes.NewFontSize(lk.halfPoints), ctypes.NewFontSizeCS(lk.halfPoints)
	}
	return p
}

// page makes the page A4 with internal/pdf's margins.
func (d *doc) page() {
	body := d.root.Document.Body
	if body.SectPr == nil {
		body.SectPr = ctypes.NewSectionProper()
	}
	w, h := uint64(pageWidth), uint64(pageHeight)
	body.SectPr.PageSize = &ctypes.PageSize{Width: &w, Height: &h}
	body.SectPr.PageMargin = &ctypes.PageMargin{
		Top: new(marginTop), Bottom: new(marginBottom), Left: new(marginSide), Right: new(marginSide),
		Header: new(709), Footer: new(567), Gutter: new(0),
	}
}

// listNumberAbstract finds the numbering definition behind the template's
// List Number style: the style names a numbering instance and
// word/numbering.xml maps it to its definition.
func listNumberAbstract(root *docx.RootDoc) (int, error) {
	s := style(root, styleListNumber)
	if s == nil || s.ParaProp == nil || s.ParaProp.NumProp == nil || s.ParaProp.NumProp.NumID == nil {
		return 0, fmt.Errorf("docx: the template's style %s has no numbering", styleListNumber)
	}
	raw, _ := root.FileMap.Load(numberingPart)
	b, _ := raw.([]byte)
	var numbering struct {
		Nums []struct {
			ID       int `xml:"numId,attr"`
			Abstract struct {
				Val int `xml:"val,attr"`
			} `xml:"abstractNumId"`
		} `xml:"num"`
	}
	if err := xml.Unmarshal(b, &numbering); err != nil {
		return 0, fmt.Errorf("docx: the template's numbering: %w", err)
	}
	for _, n := range numbering.Nums {
		if n.ID == s.ParaProp.NumProp.NumID.Val {
			return n.Abstract.Val, nil
		}
	}
	return 0, fmt.Errorf("docx: the template's numbering lacks instance %d", s.ParaProp.NumProp.NumID.Val)
}
