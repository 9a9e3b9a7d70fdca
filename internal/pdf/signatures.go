package pdf

import "github.com/yttrande/remiss/workflow/documents"

// signatureSpace is the room above the line to sign on.
const signatureSpace = 14

// signersPerRow is how many of n signers sign side by side: two, or all
// three of a protocol's ordförande, justerare and sekreterare.
func signersPerRow(n int) int {
	if n == 3 {
		return 3
	}
	return 2
}

// signatures draws a line to sign on for each signer, in columns side by
// side, with the name, title and unit below.
func (d *doc) signatures(ss []documents.Signer) {
	per := signersPerRow(len(ss))
	for len(ss) > 0 {
		n := min(per, len(ss))
		d.signatureRow(ss[:n], per)
		ss = ss[n:]
	}
}

// signatureRow draws one row of signers in per columns.
func (d *doc) signatureRow(ss []documents.Signer, per int) {
	h := d.signatureHeight(ss, per)
	d.ensure(signatureSpace + h)
	d.f.Ln(signatureSpace)
	left, _, _, _ := d.f.GetMargins()
	w := d.width() / float64(per)
	y := d.f.GetY()
	for i, s := range ss {
		x := left + float64(i)*w
		d.f.Line(x, y, x+w-signatureGutter, y)
		d.f.SetXY(x, y+1)
		for _, l := range d.signerLines(s, w-signatureGutter) {
			d.font(l.family, "", l.size)
			d.f.SetX(x)
			d.f.CellFormat(w-signatureGutter, l.h, l.text+" ", "", 2, "L", false, 0, "") // a word break (wordBreak) before the next line
		}
	}
	d.f.SetXY(left, y+h)
}

// signatureGutter is the space between two signers' columns.
const signatureGutter = 8

// signerLine is one line under a signature: the name, the title or the
// unit, or part of one too long for its column.
type signerLine struct {
	text, family string
	size, h      float64
}

// signerLines are the lines under s's signature, wrapped to w.
func (d *doc) signerLines(s documents.Signer, w float64) []signerLine {
	var out []signerLine
	for _, p := range []signerLine{{s.Name, "serif", textSize, lineHeight}, {s.Title, "sans", 9, 4.5}, {s.Unit, "sans", 9, 4.5}} {
		if p.text == "" {
			continue
		}
		d.font(p.family, "", p.size)
		for _, t := range d.f.SplitText(p.text, w) {
			out = append(out, signerLine{t, p.family, p.size, p.h})
		}
	}
	return out
}

// signatureHeight is the height below the line of a row of signers in
// per columns.
func (d *doc) signatureHeight(ss []documents.Signer, per int) float64 {
	w := d.width()/float64(per) - signatureGutter
	h := 0.0
	for _, s := range ss {
		sum := 1.0
		for _, l := range d.signerLines(s, w) {
			sum += l.h
		}
		h = max(h, sum)
	}
	return h + 1
}
