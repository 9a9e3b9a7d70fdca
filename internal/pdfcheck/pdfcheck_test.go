package pdfcheck_test

import (
	"bytes"
	"compress/lzw"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	"image/color"
	"image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/internal/pdfcheck"
	"github.com/yttrande/remiss/workflow/documents"
)

// layout is internal/pdf's sample with a table with a header row and a
// logo, so that every kind of block the renderer tags is in the file.
func layout(t *testing.T) documents.Layout {
	cells := func(s ...string) []documents.TableCell {
		row := make([]documents.TableCell, len(s))
		for i, text := range s {
			row[i] = documents.TableCell{Spans: documents.Text(text)}
		}
		return row
	}
	return documents.Layout{
		Meta: documents.LayoutMeta{Title: "Yttrande över SOU 2023:94", Author: "Huddinge kommun", Subject: "Försöksverksamhet",
			Keywords: []string{"KS-2024/76.109", "Fi2023/04321"}, Created: time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)},
		Letterhead: documents.Letterhead{Name: "Huddinge kommun", Unit: "Kommunstyrelsens arbetsutskott", Lines: []string{"141 85 Huddinge"},
			Logo: logo(t), LogoAlt: "Huddinge kommuns logotyp"},
		Fields: []documents.LayoutField{{Label: "Sammanträdesdatum", Value: "27 mars 2024"}, {Label: "Paragraf", Value: "§ 15"}},
		Footer: "Justerandes signatur",
		Blocks: []documents.Block{
			{Role: documents.RoleTitle, Spans: documents.Text("Förändring genom försöksverksamhet – svar på remiss")},
			documents.HeadingBlock(1, "Kommunstyrelsens arbetsutskotts beslut"),
			{Role: documents.RoleParagraph, Spans: []documents.Span{{Text: "Åtgärden är "}, {Text: "viktig", Bold: true}, {Text: " för «kommunsektorn» och ”försök”."}}},
			{Role: documents.RoleList, Items: [][]documents.Span{documents.Text("Finansdepartementet"), documents.Text("Socialnämnden")}},
			{Role: documents.RoleTable, HeaderRows: 1, Rows: [][]documents.TableCell{cells("Avsnitt", "Ställningstagande"), cells("5.2", "Tillstyrker")}},
			{Role: documents.RoleSignature, Signers: []documents.Signer{{Name: "Anna Ek", Title: "Sekreterare"}}},
		},
	}
}

// logo is an opaque RGB PNG.
func logo(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{R: uint8(6 * x), G: 90, B: uint8(12 * y), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func render(t *testing.T, l documents.Layout) string {
	t.Helper()
	r, err := pdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baseline.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func check(t *testing.T, path string) []pdfcheck.Failure {
	t.Helper()
	failures, err := pdfcheck.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	return failures
}

// ids returns the distinct IDs of failures, sorted.
func ids(failures []pdfcheck.Failure) []string {
	var s []string
	for _, f := range failures {
		s = append(s, f.ID)
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// TestBaselinePasses: what the renderer makes of a layout with every kind
// of block fails no condition.
func TestBaselinePasses(t *testing.T) {
	for _, f := range check(t, render(t, layout(t))) {
		t.Errorf("the baseline fails %s", f)
	}
}

// TestLongDocumentPasses: a document over several pages, with a paragraph
// and a table broken across pages (the header row repeated as an
// artifact), fails no condition either.
func TestLongDocumentPasses(t *testing.T) {
	l := layout(t)
	rows := [][]documents.TableCell{{{Spans: documents.Text("Nr")}, {Spans: documents.Text("Ärende")}}}
	for i := range 70 {
		rows = append(rows, []documents.TableCell{{Spans: documents.Text(fmt.Sprint(i))}, {Spans: documents.Text(fmt.Sprintf("Remiss nummer %d om försöksverksamhet", i))}})
	}
	l.Justify = true
	l.Addressee = []string{"Finansdepartementet", "103 33 Stockholm"}
	l.Blocks = append(l.Blocks,
		documents.HeadingBlock(2, "Bakgrund"),
		documents.ParagraphBlock(strings.Repeat("Kommunen delar utredningens bedömning att försöksverksamhet är ett bra sätt att pröva nya arbetssätt. ", 60)),
		documents.Block{Role: documents.RoleList, Ordered: true, Items: [][]documents.Span{documents.Text("Ett"), documents.Text("Två")}},
		documents.HeadingBlock(3, "Ärendena"),
		documents.Block{Role: documents.RoleTable, Rows: rows, HeaderRows: 1, Widths: []float64{1, 5}},
	)
	path := render(t, l)
	out, err := exec.Command("qpdf", "--show-npages", path).Output()
	if n, _ := strconv.Atoi(strings.TrimSpace(string(out))); err != nil || n < 3 {
		t.Fatalf("the long document has %q pages (%v), want at least 3", out, err)
	}
	for _, f := range check(t, path) {
		t.Errorf("the long document fails %s", f)
	}
}

// TestCheckNeedsAFile: a file that is not there, or not a PDF, is an
// error, not a list of failures.
func TestCheckNeedsAFile(t *testing.T) {
	notPDF := filepath.Join(t.TempDir(), "not.pdf")
	if err := os.WriteFile(notPDF, []byte("hej"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.pdf"), notPDF} {
		if failures, err := pdfcheck.Check(path); err == nil {
			t.Errorf("Check(%s) = %v, nil; want an error", path, failures)
		}
	}
}

// TestConditionsAreDistinct: every condition has its own ID and a one
// sentence text.
func TestConditionsAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range pdfcheck.Conditions {
		if seen[c.ID] {
			t.Errorf("%s is listed twice", c.ID)
		}
		seen[c.ID] = true
		if !strings.HasSuffix(c.Text, ".") || strings.Contains(strings.TrimSuffix(c.Text, "."), ". ") {
			t.Errorf("%s: %q is not one sentence", c.ID, c.Text)
		}
	}
}

// conditionID is the form of the IDs in Conditions.
var conditionID = regexp.MustCompile(`^(Matterhorn \d\d-\d\d\d|ISO \d+-\d+ \d+(\.\d+)*)$`)

// TestCodeReportsExactlyTheConditions: every condition ID written in the
// package's code (outside the list itself) is in Conditions, and every
// condition is reported somewhere.
func TestCodeReportsExactlyTheConditions(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	inCode := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "conditions.go" {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, _ := strconv.Unquote(lit.Value); conditionID.MatchString(s) {
					inCode[s] = true
				}
			}
			return true
		})
	}
	listed := map[string]bool{}
	for _, c := range pdfcheck.Conditions {
		listed[c.ID] = true
		if !inCode[c.ID] {
			t.Errorf("%s is listed but never reported", c.ID)
		}
	}
	for id := range inCode {
		if !listed[id] {
			t.Errorf("%s is reported but not listed in Conditions", id)
		}
	}
}

// TestEachConditionFails: for each condition, a change to the baseline
// that makes exactly it fail (or, where one fault breaks two conditions,
// exactly those), and changes that must break none. Every ID reported is
// one of Conditions', and every condition is made to fail by some row.
func TestEachConditionFails(t *testing.T) {
	slow(t)
	base := render(t, layout(t))
	before := ids(check(t, base))
	f := open(t, base)
	var mu sync.Mutex
	reported, wanted := map[string]bool{}, map[string]bool{}
	t.Run("rows", func(t *testing.T) {
		for _, row := range mutations {
			for _, id := range row.want {
				wanted[id] = true
			}
			t.Run(row.name, func(t *testing.T) {
				t.Parallel()
				failures := check(t, row.mutate(t, f))
				mu.Lock()
				for _, id := range ids(failures) {
					reported[id] = true
				}
				mu.Unlock()
				got := slices.DeleteFunc(ids(failures), func(id string) bool { return slices.Contains(before, id) })
				want := slices.Sorted(slices.Values(row.want))
				if !slices.Equal(got, want) {
					t.Errorf("new failures %q, want %q; all failures:\n%s", got, want, lines(failures))
				}
			})
		}
	})
	known := map[string]bool{}
	for _, c := range pdfcheck.Conditions {
		known[c.ID] = true
		if !wanted[c.ID] {
			t.Errorf("no row makes %s fail", c.ID)
		}
	}
	for id := range reported {
		if !known[id] {
			t.Errorf("Check reported %s, which is not in Conditions", id)
		}
	}
}

func lines(failures []pdfcheck.Failure) string {
	var b strings.Builder
	for _, f := range failures {
		fmt.Fprintln(&b, f)
	}
	return b.String()
}

// pdfFile is a rendered file as qpdf's JSON shows it: each object as
// written (streams without data) and each stream's data decoded.
type pdfFile struct {
	path    string
	objects map[string]map[string]any // "obj:N G R" and "trailer" → {"value": …} or {"stream": {"dict": …}}
	data    map[string][]byte         // "N G R" → decoded stream data
	maxID   int
}

func open(t *testing.T, path string) *pdfFile {
	t.Helper()
	f := &pdfFile{path: path, data: map[string][]byte{}}
	f.objects, f.maxID = qpdfJSON(t, path, "--json-stream-data=none")
	decoded, _ := qpdfJSON(t, path, "--json-stream-data=inline", "--decode-level=generalized")
	for key, o := range decoded {
		if s, ok := o["stream"].(map[string]any); ok {
			b, err := base64.StdEncoding.DecodeString(s["data"].(string))
			if err != nil {
				t.Fatal(err)
			}
			f.data[strings.TrimPrefix(key, "obj:")] = b
		}
	}
	return f
}

func qpdfJSON(t *testing.T, path string, args ...string) (map[string]map[string]any, int) {
	t.Helper()
	out, err := exec.Command("qpdf", append([]string{"--json", "--json-key=qpdf"}, append(args, path)...)...).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var doc struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	var header struct {
		MaxObjectID int `json:"maxobjectid"`
	}
	var objects map[string]map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&doc); err != nil || len(doc.Qpdf) != 2 {
		t.Fatalf("qpdf's JSON: %v", err)
	}
	if err := json.Unmarshal(doc.Qpdf[0], &header); err != nil {
		t.Fatal(err)
	}
	dec = json.NewDecoder(bytes.NewReader(doc.Qpdf[1]))
	dec.UseNumber()
	if err := dec.Decode(&objects); err != nil {
		t.Fatal(err)
	}
	return objects, header.MaxObjectID
}

// copyOf deep-copies a JSON value, so that rows running at once never
// share what they change.
func copyOf[T any](t *testing.T, v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var c T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// value returns a copy of a non-stream object's value.
func (f *pdfFile) value(t *testing.T, ref string) map[string]any {
	t.Helper()
	v, ok := f.objects["obj:"+ref]["value"].(map[string]any)
	if !ok {
		t.Fatalf("object %s is not a dictionary", ref)
	}
	return copyOf(t, v)
}

// streamDict returns a copy of a stream's dictionary as written.
func (f *pdfFile) streamDict(t *testing.T, ref string) map[string]any {
	t.Helper()
	s, ok := f.objects["obj:"+ref]["stream"].(map[string]any)
	if !ok {
		t.Fatalf("object %s is not a stream", ref)
	}
	return copyOf(t, s["dict"].(map[string]any))
}

// refs returns the objects (dictionaries, or streams' dictionaries) for
// which match is true, in object number order.
func (f *pdfFile) refs(match func(map[string]any) bool) []string {
	var refs []string
	for key, o := range f.objects {
		d, _ := o["value"].(map[string]any)
		if s, ok := o["stream"].(map[string]any); ok {
			d, _ = s["dict"].(map[string]any)
		}
		if ref, ok := strings.CutPrefix(key, "obj:"); ok && d != nil && match(d) {
			refs = append(refs, ref)
		}
	}
	slices.SortFunc(refs, func(a, b string) int { return objectNumber(a) - objectNumber(b) })
	return refs
}

func objectNumber(ref string) int {
	n, _ := strconv.Atoi(strings.Fields(ref)[0])
	return n
}

func has(key, value string) func(map[string]any) bool {
	return func(d map[string]any) bool { return d[key] == value }
}

// first returns the first object that match is true for.
func (f *pdfFile) first(t *testing.T, what string, match func(map[string]any) bool) string {
	t.Helper()
	refs := f.refs(match)
	if len(refs) == 0 {
		t.Fatalf("the baseline has no %s", what)
	}
	return refs[0]
}

func (f *pdfFile) root() string {
	return f.objects["trailer"]["value"].(map[string]any)["/Root"].(string)
}
func (f *pdfFile) info() string {
	return f.objects["trailer"]["value"].(map[string]any)["/Info"].(string)
}

func (f *pdfFile) page(t *testing.T) string { return f.first(t, "page", has("/Type", "/Page")) }

func (f *pdfFile) elem(t *testing.T, s string) string {
	return f.first(t, "<"+s+"> element", has("/S", "/"+s))
}

// content returns the first page's content stream and its text.
func (f *pdfFile) content(t *testing.T) (string, string) {
	t.Helper()
	ref, ok := f.value(t, f.page(t))["/Contents"].(string)
	if !ok {
		t.Fatal("the first page's /Contents is not one stream")
	}
	return ref, string(f.data[ref])
}

// fonts returns the first page's font resources, name → reference.
func (f *pdfFile) fonts(t *testing.T) map[string]string {
	t.Helper()
	res := f.value(t, f.page(t))["/Resources"]
	if ref, ok := res.(string); ok {
		res = f.value(t, ref)
	}
	fonts := map[string]string{}
	for name, ref := range res.(map[string]any)["/Font"].(map[string]any) {
		fonts[name] = ref.(string)
	}
	return fonts
}

// cidFonts returns the CIDFonts of the first page's fonts.
func (f *pdfFile) cidFonts(t *testing.T) []string {
	var refs []string
	for _, font := range slices.Sorted(maps.Values(f.fonts(t))) {
		refs = append(refs, f.value(t, font)["/DescendantFonts"].([]any)[0].(string))
	}
	return refs
}

// patch is a qpdf JSON update: "obj:N G R" → the object's new form.
type patch map[string]any

func (p patch) value(ref string, v any) { p["obj:"+ref] = map[string]any{"value": v} }

// dict replaces a stream's dictionary (as written) and keeps its data.
func (p patch) dict(ref string, d map[string]any) {
	p["obj:"+ref] = map[string]any{"stream": map[string]any{"dict": d}}
}

// data replaces a stream's dictionary and data.
func (p patch) data(ref string, d map[string]any, data []byte) {
	p["obj:"+ref] = map[string]any{"stream": map[string]any{"dict": d, "data": base64.StdEncoding.EncodeToString(data)}}
}

// apply writes the baseline with the patch applied to a new file.
func (f *pdfFile) apply(t *testing.T, p patch, qpdfArgs ...string) string {
	t.Helper()
	header := map[string]any{"jsonversion": 2, "pushedinheritedpageresources": false, "calledgetallpages": false, "maxobjectid": f.maxID}
	b, err := json.Marshal(map[string]any{"qpdf": []any{header, p}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	patchFile, out := filepath.Join(dir, "patch.json"), filepath.Join(dir, "mutated.pdf")
	if err := os.WriteFile(patchFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args := append(qpdfArgs, f.path, out, "--update-from-json="+patchFile)
	if msg, err := exec.Command("qpdf", args...).CombinedOutput(); err != nil {
		t.Fatalf("qpdf %v: %v\n%s", args, err, msg)
	}
	return out
}

// newRef returns the reference of the i-th new object a patch adds.
func (f *pdfFile) newRef(i int) string { return fmt.Sprintf("%d 0 R", f.maxID+i) }

// writeRaw writes the baseline's bytes, changed, to a new file.
func (f *pdfFile) writeRaw(t *testing.T, edit func([]byte) []byte) string {
	t.Helper()
	b, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "mutated.pdf")
	if err := os.WriteFile(out, edit(b), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// replace replaces old, which must be in s, once.
func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q is not in:\n%s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

func lzwEncode(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := lzw.NewWriter(&b, lzw.MSB, 8)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
