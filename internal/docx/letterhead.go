package docx

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the logo may be a JPEG
	_ "image/png"  // or a PNG
	"strconv"
	"strings"

	"github.com/gomutex/godocx/common/constants"
	"github.com/gomutex/godocx/common/units"
	"github.com/gomutex/godocx/dml"
	"github.com/gomutex/godocx/dml/dmlct"
	"github.com/gomutex/godocx/dml/dmlpic"
	"github.com/gomutex/godocx/docx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/gomutex/godocx/wml/stypes"
)

// Logo size in EMU: 30 mm wide as in the PDF, and at most 20 mm high so
// that a tall logo does not push the text down the page.
const (
	logoWidth     = 1080000
	logoMaxHeight = 720000
	// maxLogoPixels bounds the memory that decoding a hostile logo takes.
	maxLogoPixels = 40_000_000
)

// Space after the letterhead and the header grid, 6 mm as in the PDF.
const gapAfter = 340

// fieldTab is where a header field's value starts, 50 mm in.
const fieldTab = 2835

// letterhead adds the logo at the right, then the organisation's name in
// bold, its unit and its address lines.
func (d *doc) letterhead() error {
	lh := d.l.Letterhead
	if len(lh.Logo) > 0 {
		if err := d.logo(lh.Logo, cmp.Or(lh.LogoAlt, lh.Name)); err != nil {
			return err
		}
	}
	var last *docx.Paragraph
	if lh.Name != "" {
		last = d.line(lh.Name, look{font: sans, halfPoints: 30, bold: true})
	}
	if lh.Unit != "" {
		last = d.line(lh.Unit, look{font: sans, halfPoints: 22})
	}
	for _, l := range lh.Lines {
		last = d.line(l, look{font: sans, halfPoints: 17})
	}
	spaceAfter(last)
	return nil
}

// line adds a paragraph of one look with no space after it.
func (d *doc) line(text string, lk look) *docx.Paragraph {
	p := d.root.AddEmptyParagraph()
	paraProps(p).Spacing = ctypes.NewParagraphSpacing(0, 0)
	addText(p, text, lk)
	return p
}

func spaceAfter(p *docx.Paragraph) {
	if p != nil {
		paraProps(p).Spacing = ctypes.NewParagraphSpacing(0, gapAfter)
	}
}

// fields adds the header grid: each label in bold and its value after a
// tab, one pair to a paragraph so that each is read together.
func (d *doc) fields() {
	var last *docx.Paragraph
	for _, f := range d.l.Fields {
		last = d.line(f.Label+"\t", look{font: sans, halfPoints: 20, bold: true})
		paraProps(last).Tabs = ctypes.Tabs{Tab: []ctypes.Tab{{Val: stypes.CustTabStopLeft, Position: fieldTab}}}
		addText(last, f.Value, look{halfPoints: 21})
	}
	spaceAfter(last)
}

// addressee adds the recipient as one address block, a line break
// between the lines, as Word's own letters have it.
func (d *doc) addressee() {
	if len(d.l.Addressee) > 0 {
		spaceAfter(d.line(strings.Join(d.l.Addressee, "\n"), look{}))
	}
}

// logo adds the image inline in a paragraph of its own, at the right as
// in the PDF. godocx only takes pictures from files, so the part, its
// relationship and the drawing are made here from godocx's types. The
// image is decoded in full first: a logo that is not a whole PNG or JPEG
// is an error rather than a broken picture in Word.
func (d *doc) logo(b []byte, alt string) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("docx: the logo is not a PNG or JPEG image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxLogoPixels {
		return errors.New("docx: the logo's size is out of range")
	}
	if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("docx: the logo is not a whole %s image: %w", strings.ToUpper(format), err)
	}
	rID := d.addMedia("logo."+format, "image/"+format, b)
	w, h := logoSize(cfg.Width, cfg.Height)
	p := d.root.AddEmptyParagraph()
	p.Justification(stypes.JustificationRight)
	ct := p.GetCT()
	ct.Children = append(ct.Children, ctypes.ParagraphChild{Run: &ctypes.Run{
		Children: []ctypes.RunChild{{Drawing: &dml.Drawing{Inline: []dml.Inline{picture(rID, alt, w, h)}}}},
	}})
	return nil
}

// addMedia stores an image part and returns its relationship id.
func (d *doc) addMedia(name, mime string, b []byte) string {
	d.root.FileMap.Store(constants.MediaPath+name, b)
	ext := name[strings.LastIndexByte(name, '.')+1:]
	if !hasDefault(d.root.ContentType, ext) {
		_ = d.root.ContentType.AddExtension(ext, mime)
	}
	id := "rId" + strconv.Itoa(d.root.Document.IncRelationID())
	d.root.Document.DocRels.Relationships = append(d.root.Document.DocRels.Relationships, &docx.Relationship{
		ID: id, Type: constants.SourceRelationshipImage, Target: "media/" + name,
	})
	return id
}

// hasDefault reports whether the package already maps ext to a content
// type; a second entry for it would make the package invalid.
func hasDefault(ct docx.ContentTypes, ext string) bool {
	for _, def := range ct.Default {
		if strings.EqualFold(def.Extension, ext) {
			return true
		}
	}
	return false
}

// logoSize scales an image of w×h pixels to the logo's width, or to its
// maximum height if it is tall.
func logoSize(w, h int) (units.Emu, units.Emu) {
	ew, eh := int64(logoWidth), int64(logoWidth)*int64(h)/int64(w)
	if eh > logoMaxHeight {
		ew, eh = int64(logoMaxHeight)*int64(w)/int64(h), logoMaxHeight
	}
	return units.Emu(max(ew, 1)), units.Emu(max(eh, 1))
}

// picture is an inline drawing of the image rID with alt as its
// alternative text, on both the drawing and the picture, where Word and
// screen readers look for it.
func picture(rID, alt string, w, h units.Emu) dml.Inline {
	pic := dmlpic.NewPic(rID, 1, w, h)
	pic.NonVisualPicProp.CNvPr.Description = alt
	return dml.NewInline(*dmlct.NewPostvSz2D(w, h), dml.DocProp{ID: 1, Name: "Logotyp", Description: alt}, *dml.NewPicGraphic(pic))
}
