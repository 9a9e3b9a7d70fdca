package pdfcheck

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// scanner runs a page's content: it follows the graphics state (font,
// text rendering mode, q/Q) and the marked-content sequences, and records
// what the checks need on the page, the fonts and the checker.
type scanner struct {
	c      *checker
	page   *page
	res    map[string]any
	gs     graphicsState
	saved  []graphicsState
	marks  []mark
	forms  []string // form XObjects being run, innermost last
	nOps   int
	lastOp string
}

type graphicsState struct {
	font   *font
	render int // text rendering mode; 3 is invisible
}

// mark is an open marked-content sequence.
type mark struct {
	artifact bool
	mcid     int // -1 for none
}

// painting operators: the ones that put marks on the page.
var painting = map[string]bool{
	"Tj": true, "TJ": true, "'": true, `"`: true, "Do": true, "sh": true, "BI": true,
	"S": true, "s": true, "f": true, "F": true, "f*": true, "B": true, "B*": true, "b": true, "b*": true,
}

// handle acts on the operators that matter beyond painting.
func (s *scanner) handle(o operation) error {
	switch o.op {
	case "q":
		s.save()
	case "Q":
		s.restore()
	case "Tf":
		s.setFont(o)
	case "Tr":
		s.setRender(o)
	case "BMC", "BDC":
		s.begin(o)
	case "EMC":
		s.end()
	case "Tj", "'", `"`:
		s.showLast(o)
	case "TJ":
		s.showArray(o)
	case "Do":
		return s.do(o)
	case "BI":
		s.inlineImage(o)
	case "sh":
		s.shading(o)
	case "cs", "CS":
		s.setColourSpace(o)
	case "rg", "RG":
		s.deviceColour("RGB")
	case "k", "K":
		s.deviceColour("CMYK")
	case "g", "G":
		s.deviceColour("Gray")
	}
	return nil
}

func (c *checker) scanPage(p *page) error {
	s := &scanner{c: c, page: p, res: p.resources}
	return s.run(c.contents(p))
}

// run interprets content; the graphics and marked-content state carry on
// from the caller, as they do into a form XObject.
func (s *scanner) run(content []byte) error {
	p := newParser(content)
	p.seen = s.limit
	for {
		o, ok, err := p.operation()
		if err != nil || !ok {
			return err
		}
		s.nOps++
		s.lastOp = o.op
		if painting[o.op] && o.op != "Do" {
			s.paint(o.op)
		}
		if err := s.handle(o); err != nil {
			return err
		}
	}
}

func (s *scanner) save() {
	s.saved = append(s.saved, s.gs)
	s.page.maxNesting = max(s.page.maxNesting, len(s.saved))
}

func (s *scanner) restore() {
	if n := len(s.saved); n > 0 {
		s.gs, s.saved = s.saved[n-1], s.saved[:n-1]
	}
}

func (s *scanner) setFont(o operation) {
	if name, ok := arg[pdfName](o, 0); ok {
		s.gs.font = s.c.font(s.res, string(name), s.page)
	}
}

func (s *scanner) setRender(o operation) {
	if n, ok := arg[pdfInt](o, 0); ok {
		s.gs.render = int(n)
	}
}

// arg returns operand i as a T.
func arg[T any](o operation, i int) (T, bool) {
	var zero T
	if i < 0 || i >= len(o.args) {
		return zero, false
	}
	v, ok := o.args[i].(T)
	return v, ok
}

// begin opens a marked-content sequence, noting artifacts inside tagged
// content and tagged content inside artifacts.
func (s *scanner) begin(o operation) {
	tag, _ := arg[pdfName](o, 0)
	m := mark{artifact: tag == "Artifact", mcid: s.mcid(o)}
	tagged, artifact := s.inside()
	if m.artifact && tagged {
		s.page.artifactInTagged++
	}
	if m.mcid >= 0 && artifact {
		s.page.taggedInArtifact++
	}
	if m.mcid >= 0 && len(s.forms) == 0 {
		s.page.mcids[m.mcid]++
	}
	s.marks = append(s.marks, m)
}

// mcid returns a BDC's MCID from its property list, inline or named in
// the resources' /Properties; -1 for none.
func (s *scanner) mcid(o operation) int {
	var props any
	if len(o.args) == 2 {
		props = jsonish(o.args[1])
		if name, ok := props.(string); ok {
			props = s.c.dict(s.res["/Properties"])[name]
		}
	}
	if n, ok := s.c.integer(s.c.dict(props)["/MCID"]); ok {
		return n
	}
	return -1
}

func (s *scanner) end() {
	if n := len(s.marks); n > 0 {
		s.marks = s.marks[:n-1]
	}
}

// inside reports whether the open sequences include a tagged one (with an
// MCID) and an artifact.
func (s *scanner) inside() (tagged, artifact bool) {
	for _, m := range s.marks {
		tagged = tagged || m.mcid >= 0
		artifact = artifact || m.artifact
	}
	return tagged, artifact
}

// paint notes a painting operator outside both tagged content and artifacts.
func (s *scanner) paint(op string) {
	if tagged, artifact := s.inside(); tagged || artifact {
		return
	}
	if s.page.unmarked == 0 {
		s.page.firstUnmarked = fmt.Sprintf("%s, operator %d of the content", op, s.nOps)
	}
	s.page.unmarked++
}

// showLast shows the string operand of Tj, ' and ".
func (s *scanner) showLast(o operation) {
	if str, ok := arg[pdfString](o, len(o.args)-1); ok {
		s.show(str)
	}
}

func (s *scanner) showArray(o operation) {
	a, _ := arg[[]any](o, 0)
	for _, v := range a {
		if str, ok := v.(pdfString); ok {
			s.show(str)
		}
	}
}

// show records the character codes of a string in the current font.
func (s *scanner) show(str pdfString) {
	f := s.gs.font
	if f == nil {
		return
	}
	for _, code := range f.split(str) {
		f.use(code, s.gs.render != 3)
	}
}

// do runs a form XObject's content within the page's, and counts an image
// (or a form it cannot run) as painting.
func (s *scanner) do(o operation) error {
	name, _ := arg[pdfName](o, 0)
	ref := s.c.dict(s.res["/XObject"])["/"+string(name)]
	xo := s.c.stream(ref)
	if xo == nil || s.c.name(xo.dict["/Subtype"]) != "Form" || len(s.forms) >= 8 || slices.Contains(s.forms, refOf(ref)) {
		s.paint("Do")
		if xo != nil && s.c.name(xo.dict["/Subtype"]) == "Image" && !isTrue(s.c, xo.dict["/ImageMask"]) {
			s.colourSpace(xo.dict["/ColorSpace"], 0)
		}
		return nil
	}
	return s.form(refOf(ref), xo)
}

// form runs a form XObject's content with its resources, as if in q/Q;
// sequences it leaves open end with it.
func (s *scanner) form(ref string, xo *stream) error {
	gs, saved, marks, res := s.gs, len(s.saved), len(s.marks), s.res
	if r := s.c.dict(xo.dict["/Resources"]); r != nil {
		s.res = r
	}
	s.forms = append(s.forms, ref)
	err := s.run(xo.data)
	s.forms = s.forms[:len(s.forms)-1]
	s.gs, s.saved, s.marks, s.res = gs, s.saved[:min(saved, len(s.saved))], s.marks[:min(marks, len(s.marks))], res
	if err != nil {
		return fmt.Errorf("form XObject %s: %w", ref, err)
	}
	return nil
}

func (s *scanner) inlineImage(o operation) {
	dict, _ := jsonish(o.args[0]).(map[string]any)
	if isTrue(s.c, dict["/I"]) || isTrue(s.c, dict["/Interpolate"]) {
		s.page.interpolated = true
	}
	if !isTrue(s.c, dict["/IM"]) && !isTrue(s.c, dict["/ImageMask"]) {
		s.colourSpace(firstOf(dict, "/CS", "/ColorSpace"), 0)
	}
}

func (s *scanner) shading(o operation) {
	name, _ := arg[pdfName](o, 0)
	sh := s.c.dict(s.c.dict(s.res["/Shading"])["/"+string(name)])
	s.colourSpace(sh["/ColorSpace"], 0)
}

func (s *scanner) setColourSpace(o operation) {
	if name, ok := arg[pdfName](o, 0); ok {
		s.colourSpace("/"+string(name), 0)
	}
}

// colourSpace notes the device colour spaces a colour space uses: itself,
// an Indexed base, a Separation's or DeviceN's alternate.
func (s *scanner) colourSpace(v any, depth int) {
	if depth > 4 {
		return
	}
	switch n := s.c.name(v); n {
	case "DeviceRGB", "RGB":
		s.deviceColour("RGB")
	case "DeviceCMYK", "CMYK":
		s.deviceColour("CMYK")
	case "DeviceGray", "G":
		s.deviceColour("Gray")
	case "":
	default:
		if cs, ok := s.c.dict(s.res["/ColorSpace"])["/"+n]; ok {
			s.colourSpace(cs, depth+1)
		}
		return
	}
	a := s.c.array(v)
	if len(a) < 2 {
		return
	}
	switch s.c.name(a[0]) {
	case "Indexed", "I", "Pattern":
		s.colourSpace(a[1], depth+1)
	case "Separation", "DeviceN":
		if len(a) > 2 {
			s.colourSpace(a[2], depth+1)
		}
	}
}

// deviceColour notes a device colour space in use, unless the resources
// give a default colour space for it.
func (s *scanner) deviceColour(family string) {
	if _, ok := s.c.dict(s.res["/ColorSpace"])["/Default"+family]; ok {
		return
	}
	if _, ok := s.c.device[family]; !ok {
		s.c.device[family] = fmt.Sprintf("%s, operator %s", s.page.where(), s.lastOp)
	}
}

// limit notes an object in content beyond ISO 19005-2 6.1.13's limits.
func (s *scanner) limit(v any) {
	var problem string
	switch v := v.(type) {
	case pdfInt:
		if v > maxInt || v < minInt {
			problem = "integer " + strconv.FormatInt(int64(v), 10)
		}
	case pdfString:
		if len(v) > maxString {
			problem = fmt.Sprintf("string of %d bytes", len(v))
		}
	case pdfName:
		if len(v) > maxName {
			problem = fmt.Sprintf("name of %d bytes", len(v))
		}
	}
	if problem != "" && !slices.Contains(s.page.limits, problem) {
		s.page.limits = append(s.page.limits, problem)
	}
}

// jsonish turns a content-stream object into qpdf's JSON form, so that one
// set of helpers reads both.
func jsonish(v any) any {
	switch v := v.(type) {
	case pdfName:
		return "/" + string(v)
	case pdfString:
		return "b:" + hex.EncodeToString(v)
	case pdfInt:
		return json.Number(strconv.FormatInt(int64(v), 10))
	case float64:
		return json.Number(strconv.FormatFloat(v, 'f', -1, 64))
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = jsonish(x)
		}
		return a
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m["/"+k] = jsonish(x)
		}
		return m
	}
	return v
}

func isTrue(c *checker, v any) bool {
	b, ok := c.boolean(v)
	return ok && b
}

// firstOf returns the first of keys that m has.
func firstOf(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}
