package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strconv"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/yttrande/remiss/workflow/documents"
)

// What PDF/A-2 (ISO 19005-2) asks beyond what tagging already gives, and
// gofpdf does not write: a comment of binary bytes after the header, a
// file identifier, dates with their time zone in the information
// dictionary (so that they equal the XMP's), and an output intent that
// says what the device colours (gofpdf's rg and g operators, the logo's
// DeviceRGB) mean. The XMP's identification is in xmp.go.

// srgb is the sRGB IEC61966-2.1 ICC profile (icc/LICENSE).
//
//go:embed icc/sRGB.icc
var srgb []byte

// binaryComment follows the header line: a comment of bytes above 127,
// so that tools treat the file as binary (ISO 19005-2, 6.1.2).
const binaryComment = "%\xE2\xE3\xCF\xD3\n"

// withHeader gives gofpdf's file a PDF 1.7 header followed by the binary
// comment. gofpdf always writes "%PDF-1.3" alone on the first line, so
// the comment moves every object: the offsets in its one cross-reference
// table (and the one to the table) are moved with them. Nothing else in
// gofpdf's file holds an offset.
func withHeader(pdf []byte) ([]byte, error) {
	nl := bytes.IndexByte(pdf, '\n')
	at := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if nl < 0 || !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || at < 0 {
		return nil, errors.New("pdf: gofpdf's file has no header or no startxref")
	}
	var xref int
	if _, err := fmt.Sscanf(string(pdf[at+len("\nstartxref\n"):]), "%d", &xref); err != nil || xref <= nl || xref >= at {
		return nil, errors.New("pdf: gofpdf's startxref is unreadable")
	}
	shift := len(binaryComment) + len("%PDF-1.7") - nl
	out := make([]byte, 0, len(pdf)+shift)
	out = append(out, "%PDF-1.7\n"+binaryComment...)
	out = append(out, pdf[nl+1:xref]...)
	table, err := shiftXref(pdf[xref:at+1], shift)
	if err != nil {
		return nil, err
	}
	out = append(out, table...)
	return fmt.Appendf(out, "startxref\n%d\n%%%%EOF\n", xref+shift), nil
}

// shiftXref moves each in-use entry of a cross-reference table (as
// gofpdf writes it: "xref", one subsection, 20-byte entries, the trailer)
// by shift bytes.
func shiftXref(table []byte, shift int) ([]byte, error) {
	out := bytes.Clone(table)
	var first, n int
	if _, err := fmt.Sscanf(string(out), "xref\n%d %d\n", &first, &n); err != nil {
		return nil, fmt.Errorf("pdf: gofpdf's xref table is unreadable: %w", err)
	}
	start := bytes.IndexByte(out[len("xref\n"):], '\n') + len("xref\n") + 1
	if len(out) < start+20*n {
		return nil, errors.New("pdf: gofpdf's xref table is short")
	}
	for i := range n {
		e := out[start+20*i : start+20*i+20]
		if e[17] != 'n' {
			continue
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil {
			return nil, fmt.Errorf("pdf: gofpdf's xref entry %q: %w", e, err)
		}
		copy(e, fmt.Sprintf("%010d", off+shift))
	}
	return out, nil
}

// archival adds to the update what PDF/A-2 needs of the trailer, the
// information dictionary and the catalog; raw is gofpdf's file, whose
// hash is the file identifier (so that the same layout still gives the
// same bytes).
func archival(ctx *model.Context, raw []byte, m documents.LayoutMeta) error {
	id := md5.Sum(raw)
	ctx.XRefTable.ID = types.Array{types.NewHexLiteral(id[:]), types.NewHexLiteral(id[:])}
	if err := datedInfo(ctx, m); err != nil {
		return err
	}
	intent, err := outputIntent(ctx)
	if err != nil {
		return err
	}
	ctx.RootDict.Insert("OutputIntents", types.Array{intent})
	if names, ok := ctx.RootDict["Names"].(types.Dict); ok && len(names) == 1 && emptyNameTree(names["EmbeddedFiles"]) {
		ctx.RootDict.Delete("Names") // gofpdf's empty list of embedded files
	}
	return nil
}

// datedInfo writes the dates of the information dictionary again with
// their time zone: gofpdf leaves it out, and PDF/A wants them to be the
// same instants as the XMP's.
func datedInfo(ctx *model.Context, m documents.LayoutMeta) error {
	if ctx.XRefTable.Info == nil {
		return errors.New("pdf: gofpdf wrote no information dictionary")
	}
	info, err := ctx.DereferenceDict(*ctx.XRefTable.Info)
	if err != nil || info == nil {
		return fmt.Errorf("pdf: the information dictionary: %v", err)
	}
	date := types.StringLiteral(types.DateString(created(m)))
	info.Update("CreationDate", date)
	info.Update("ModDate", date)
	ctx.Write.IncrementWithObjNr(ctx.XRefTable.Info.ObjectNumber.Value())
	return nil
}

// srgbFlate is the ICC profile compressed, once: it is the same in every
// file, and compressing it is about 180 µs and 800 kB a render.
var srgbFlate = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(srgb) // a bytes.Buffer does not fail
	w.Close()
	return b.Bytes()
})

// outputIntent is the PDF/A output intent: sRGB, with its ICC profile.
func outputIntent(ctx *model.Context) (types.Dict, error) {
	raw := srgbFlate()
	n := int64(len(raw))
	sd := types.StreamDict{
		Dict:           types.Dict{"N": types.Integer(3), "Filter": types.Name("FlateDecode"), "Length": types.Integer(n)},
		Raw:            raw, // pdfcpu writes it as it is
		StreamLength:   &n,
		FilterPipeline: []types.PDFFilter{{Name: "FlateDecode"}},
	}
	ref, err := ctx.IndRefForNewObject(sd)
	if err != nil {
		return nil, err
	}
	ctx.Write.IncrementWithObjNr(ref.ObjectNumber.Value())
	return types.Dict{
		"Type":                      types.Name("OutputIntent"),
		"S":                         types.Name("GTS_PDFA1"),
		"OutputConditionIdentifier": types.StringLiteral("sRGB IEC61966-2.1"),
		"RegistryName":              types.StringLiteral("http://www.color.org"),
		"Info":                      types.StringLiteral("sRGB IEC61966-2.1"),
		"DestOutputProfile":         *ref,
	}, nil
}

// emptyNameTree says a name tree has no names.
func emptyNameTree(o types.Object) bool {
	d, ok := o.(types.Dict)
	if !ok {
		return false
	}
	names, _ := d["Names"].(types.Array)
	return len(d) == 1 && len(names) == 0
}

// rgbLogo returns a CMYK JPEG as an RGB PNG, and any other logo as it is:
// the output intent is RGB, and PDF/A allows device CMYK only under a CMYK
// one (ISO 19005-2, 6.2.4.3). The colours are Go's plain conversion, not
// a colour-managed one; a logo in RGB keeps its colours exactly.
func rgbLogo(b []byte) ([]byte, error) {
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.ColorModel != color.CMYKModel {
		return b, nil
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("pdf: the CMYK logo: %w", err)
	}
	rgb := image.NewNRGBA(img.Bounds())
	draw.Draw(rgb, rgb.Bounds(), img, img.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, rgb); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
