package pdfcheck_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mutation changes the baseline so that the conditions in want fail.
type mutation struct {
	name   string
	want   []string
	mutate func(*testing.T, *pdfFile) string // returns the changed file
}

type (
	picker func(*testing.T, *pdfFile) string
	editor func(*testing.T, *pdfFile, map[string]any)
)

// editValue changes the dictionary of the object pick chooses.
func editValue(pick picker, edit editor) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		ref := pick(t, f)
		d := f.value(t, ref)
		edit(t, f, d)
		p := patch{}
		p.value(ref, d)
		return f.apply(t, p)
	}
}

// set sets keys to values (nil deletes), pairwise.
func set(pairs ...any) editor {
	return func(_ *testing.T, _ *pdfFile, d map[string]any) {
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == nil {
				delete(d, pairs[i].(string))
			} else {
				d[pairs[i].(string)] = pairs[i+1]
			}
		}
	}
}

func catalog(_ *testing.T, f *pdfFile) string { return f.root() }
func info(_ *testing.T, f *pdfFile) string    { return f.info() }
func page(t *testing.T, f *pdfFile) string    { return f.page(t) }

func elem(s string) picker { return func(t *testing.T, f *pdfFile) string { return f.elem(t, s) } }

// structRoot picks the StructTreeRoot.
func structRoot(t *testing.T, f *pdfFile) string {
	return f.value(t, f.root())["/StructTreeRoot"].(string)
}

// editContent changes the first page's content stream.
func editContent(edit func(t *testing.T, f *pdfFile, content string) string) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		ref, text := f.content(t)
		p := patch{}
		p.data(ref, map[string]any{}, []byte(edit(t, f, text)))
		return f.apply(t, p)
	}
}

// inContent replaces old with new in the content stream.
func inContent(old, new string) func(*testing.T, *pdfFile) string {
	return editContent(func(t *testing.T, _ *pdfFile, s string) string { return replace(t, s, old, new) })
}

// firstMCID is how the renderer opens the first tagged sequence.
const firstMCID = "<</MCID 0>> BDC"

// editXMP changes the catalog's XMP packet by regular expressions and
// their replacements, pairwise.
func editXMP(pairs ...string) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		ref := f.value(t, f.root())["/Metadata"].(string)
		xmp := f.data[ref]
		for i := 0; i+1 < len(pairs); i += 2 {
			re := regexp.MustCompile(pairs[i])
			if !re.Match(xmp) {
				t.Fatalf("%s does not match the XMP:\n%s", pairs[i], xmp)
			}
			xmp = re.ReplaceAll(xmp, []byte(pairs[i+1]))
		}
		p := patch{}
		p.data(ref, map[string]any{"/Type": "/Metadata", "/Subtype": "/XML"}, xmp)
		return f.apply(t, p)
	}
}

// forEach applies edit to each object pick chooses.
func forEach(pick func(*testing.T, *pdfFile) []string, edit editor) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		p := patch{}
		for _, ref := range pick(t, f) {
			d := f.value(t, ref)
			edit(t, f, d)
			p.value(ref, d)
		}
		return f.apply(t, p)
	}
}

func fontRefs(t *testing.T, f *pdfFile) []string { return slices.Sorted(maps.Values(f.fonts(t))) }

func cidFonts(t *testing.T, f *pdfFile) []string { return f.cidFonts(t) }

// descriptors returns the font descriptors of the page's CIDFonts.
func descriptors(t *testing.T, f *pdfFile) []string {
	var refs []string
	for _, ref := range f.cidFonts(t) {
		refs = append(refs, f.value(t, ref)["/FontDescriptor"].(string))
	}
	return refs
}

// toUnicode replaces every font's ToUnicode CMap by one with these
// mappings: CMap syntax between begincmap's header and endcmap.
func toUnicode(mappings string) func(*testing.T, *pdfFile) string {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"/CMapName /Test-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		mappings + "\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
	return func(t *testing.T, f *pdfFile) string {
		p := patch{}
		for _, font := range fontRefs(t, f) {
			p.data(f.value(t, font)["/ToUnicode"].(string), map[string]any{}, []byte(cmap))
		}
		return f.apply(t, p)
	}
}

// notdef shows, inside the first tagged sequence, a CID of the first
// font that its CIDToGIDMap maps to GID 0.
func notdef(t *testing.T, f *pdfFile) string {
	fonts := f.fonts(t)
	name := slices.Sorted(maps.Keys(fonts))[0]
	cidFont := f.value(t, f.value(t, fonts[name])["/DescendantFonts"].([]any)[0].(string))
	gids := f.data[cidFont["/CIDToGIDMap"].(string)]
	cid := -1
	for c := 1; c < 256 && 2*c+1 < len(gids); c++ {
		if gids[2*c] == 0 && gids[2*c+1] == 0 {
			cid = c
			break
		}
	}
	if cid < 0 {
		t.Fatal("no CID below 256 maps to GID 0")
	}
	show := fmt.Sprintf("%s\nq BT %s 10 Tf 100 100 Td <%04X> Tj ET Q\n", firstMCID, name, cid)
	return inContent(firstMCID, show)(t, f)
}

// taggedInArtifact wraps the first tagged sequence in an artifact.
func taggedInArtifact(t *testing.T, f *pdfFile) string {
	return editContent(func(t *testing.T, _ *pdfFile, s string) string {
		i := strings.Index(s, firstMCID)
		open := strings.LastIndex(s[:max(i, 0)], "\n") + 1
		end := strings.Index(s[max(i, 0):], "EMC")
		if i < 0 || end < 0 {
			t.Fatalf("no tagged sequence in:\n%s", s)
		}
		end += i + len("EMC")
		return s[:open] + "/Artifact BMC\n" + s[open:end] + "\nEMC" + s[end:]
	})(t, f)
}

// lzwContent writes the content stream LZW-encoded.
func lzwContent(t *testing.T, f *pdfFile) string {
	ref, text := f.content(t)
	p := patch{}
	p.data(ref, map[string]any{"/Filter": "/LZWDecode", "/DecodeParms": map[string]any{"/EarlyChange": 0}}, lzwEncode(t, []byte(text)))
	return f.apply(t, p, "--stream-data=preserve")
}

// iccClass makes the output intent's profile a scanner (input) profile.
func iccClass(t *testing.T, f *pdfFile) string {
	intent := f.value(t, f.root())["/OutputIntents"].([]any)[0].(map[string]any)
	ref := intent["/DestOutputProfile"].(string)
	data := bytes.Clone(f.data[ref])
	copy(data[12:16], "scnr")
	d := f.streamDict(t, ref)
	for _, key := range []string{"/Filter", "/DecodeParms", "/Length"} {
		delete(d, key)
	}
	p := patch{}
	p.data(ref, d, data)
	return f.apply(t, p)
}

// interpolatedImage sets /Interpolate true on the logo.
func interpolatedImage(t *testing.T, f *pdfFile) string {
	ref := f.first(t, "image", has("/Subtype", "/Image"))
	d := f.streamDict(t, ref)
	d["/Interpolate"] = true
	p := patch{}
	p.dict(ref, d)
	return f.apply(t, p)
}

// annotation adds an annotation of a subtype to the first page; with
// tagged, a Link element holding it through an OBJR, as PDF/UA wants for
// a Link annotation.
func annotation(subtype string, tagged bool, pageKeys ...any) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		pg, annot, link := f.page(t), f.newRef(1), f.newRef(2)
		p := patch{}
		p.value(annot, map[string]any{"/Type": "/Annot", "/Subtype": subtype, "/Rect": []any{70, 70, 200, 90}, "/F": 4,
			"/Border": []any{0, 0, 0}, "/A": map[string]any{"/S": "/URI", "/URI": "u:https://www.regeringen.se"}, "/Contents": "u:Regeringen"})
		pd := f.value(t, pg)
		pd["/Annots"] = []any{annot}
		set(pageKeys...)(t, f, pd)
		p.value(pg, pd)
		if tagged {
			doc := f.elem(t, "Document")
			p.value(link, map[string]any{"/Type": "/StructElem", "/S": "/Link", "/P": doc, "/Pg": pg,
				"/K": []any{map[string]any{"/Type": "/OBJR", "/Obj": annot, "/Pg": pg}}})
			dd := f.value(t, doc)
			dd["/K"] = append(dd["/K"].([]any), link)
			p.value(doc, dd)
		}
		return f.apply(t, p)
	}
}

// formNamedA adds a form XObject with the given content to the page's
// resources under the name /A, which is also an action's key, and draws
// it where the content stream has firstMCID.
func formNamedA(content string) func(*testing.T, *pdfFile) string {
	return func(t *testing.T, f *pdfFile) string {
		res, form := f.value(t, f.page(t))["/Resources"].(string), f.newRef(1)
		rd := f.value(t, res)
		xobjects, _ := rd["/XObject"].(map[string]any)
		if xobjects == nil {
			xobjects = map[string]any{}
		}
		xobjects["/A"] = form
		rd["/XObject"] = xobjects
		ref, text := f.content(t)
		p := patch{}
		p.value(res, rd)
		p.data(form, map[string]any{"/Type": "/XObject", "/Subtype": "/Form", "/BBox": []any{0, 0, 10, 10}}, []byte(content))
		p.data(ref, map[string]any{}, []byte(replace(t, text, firstMCID, firstMCID+"\nq /A Do Q\n")))
		return f.apply(t, p)
	}
}

// embeddedFile attaches a text file through the EmbeddedFiles name tree.
func embeddedFile(t *testing.T, f *pdfFile) string {
	spec, file := f.newRef(1), f.newRef(2)
	p := patch{}
	p.value(spec, map[string]any{"/Type": "/Filespec", "/F": "u:bilaga.txt", "/UF": "u:bilaga.txt", "/EF": map[string]any{"/F": file}})
	p.data(file, map[string]any{"/Type": "/EmbeddedFile"}, []byte("Bilaga\n"))
	cat := f.value(t, f.root())
	cat["/Names"] = map[string]any{"/EmbeddedFiles": map[string]any{"/Names": []any{"u:bilaga.txt", spec}}}
	p.value(f.root(), cat)
	return f.apply(t, p)
}

// dropLastID blanks the last trailer's /ID, keeping every offset.
func dropLastID(t *testing.T, f *pdfFile) string {
	return f.writeRaw(t, func(b []byte) []byte {
		loc := regexp.MustCompile(`/ID\s*\[[^\]]*\]`).FindAllIndex(b, -1)
		if loc == nil {
			t.Fatal("the file has no /ID")
		}
		last := loc[len(loc)-1]
		return slices.Concat(b[:last[0]], bytes.Repeat([]byte(" "), last[1]-last[0]), b[last[1]:])
	})
}

// headerScheme gives the first TD a Headers attribute and the THs none.
func headerScheme(t *testing.T, f *pdfFile) string {
	p := patch{}
	for _, th := range f.refs(has("/S", "/TH")) {
		d := f.value(t, th)
		delete(d, "/A")
		p.value(th, d)
	}
	td := f.elem(t, "TD")
	d := f.value(t, td)
	d["/A"] = map[string]any{"/O": "/Table", "/Headers": []any{"b:7468"}}
	p.value(td, d)
	return f.apply(t, p)
}

// n is a JSON number for a patch.
func n(s string) json.Number { return json.Number(s) }

var (
	ua      = func(ids ...string) []string { return ids }
	fonts   = []string{"ISO 14289-1 7.21.4.1", "ISO 19005-2 6.2.11.4.1"}
	notdefs = []string{"ISO 14289-1 7.21.8", "ISO 19005-2 6.2.11.8"}
)

var mutations = []mutation{
	{"artifact inside tagged content", ua("Matterhorn 01-003"), inContent(firstMCID, firstMCID+"\n/Artifact BMC EMC")},
	{"tagged content inside an artifact", ua("Matterhorn 01-004"), taggedInArtifact},
	{"painting outside marked content", ua("Matterhorn 01-005"), editContent(func(_ *testing.T, _ *pdfFile, s string) string { return s + "\n0 0 10 10 re f\n" })},
	{"suspects", ua("Matterhorn 01-007"), editValue(catalog, set("/MarkInfo", map[string]any{"/Marked": true, "/Suspects": true}))},
	{"not marked", ua("ISO 19005-2 6.7.2.2"), editValue(catalog, set("/MarkInfo", map[string]any{"/Marked": false}))},
	{"unmapped structure type", ua("Matterhorn 02-001", "ISO 19005-2 6.7.3.4"), editValue(elem("P"), set("/S", "/Stycke"))},
	{"circular role map", ua("Matterhorn 02-003", "ISO 19005-2 6.7.3.4"), func(t *testing.T, f *pdfFile) string {
		p := patch{}
		e, root := f.elem(t, "P"), structRoot(t, f)
		pe, pr := f.value(t, e), f.value(t, root)
		pe["/S"], pr["/RoleMap"] = "/Stycke", map[string]any{"/Stycke": "/Text", "/Text": "/Stycke"}
		p.value(e, pe)
		p.value(root, pr)
		return f.apply(t, p)
	}},
	{"standard type remapped", ua("Matterhorn 02-004", "ISO 19005-2 6.7.3.4"), editValue(structRoot, set("/RoleMap", map[string]any{"/P": "/Stycke"}))},
	{"role-mapped list body passes", nil, func(t *testing.T, f *pdfFile) string {
		p := patch{}
		e, root := f.elem(t, "LBody"), structRoot(t, f)
		pe, pr := f.value(t, e), f.value(t, root)
		pe["/S"], pr["/RoleMap"] = "/Brodtext", map[string]any{"/Brodtext": "/LBody"}
		p.value(e, pe)
		p.value(root, pr)
		return f.apply(t, p)
	}},
	{"no metadata", ua("Matterhorn 06-001", "ISO 19005-2 6.6.2.1"), editValue(catalog, set("/Metadata", nil))},
	{"no PDF/UA identifier", ua("Matterhorn 06-002"), editXMP(`<pdfuaid:part>1</pdfuaid:part>`, "")},
	{"empty title", ua("Matterhorn 06-003"), func(t *testing.T, f *pdfFile) string {
		path := editXMP(`(<dc:title><rdf:Alt><rdf:li xml:lang="x-default">)[^<]*`, "$1")(t, f)
		return (&pdfFile{path: path, objects: reread(t, path), maxID: f.maxID}).apply(t, withoutInfoTitle(t, path))
	}},
	{"no DisplayDocTitle", ua("Matterhorn 07-001"), editValue(catalog, set("/ViewerPreferences", map[string]any{}))},
	{"DisplayDocTitle false", ua("Matterhorn 07-002"), editValue(catalog, set("/ViewerPreferences", map[string]any{"/DisplayDocTitle": false}))},
	{"row as a cell", ua("Matterhorn 09-004"), editValue(elem("TR"), set("/S", "/TD"))},
	{"list item holds a paragraph", ua("Matterhorn 09-005"), editValue(elem("LBody"), set("/S", "/P"))},
	{"no ToUnicode", ua("Matterhorn 10-001", "ISO 19005-2 6.2.11.7.2"), forEach(fontRefs, set("/ToUnicode", nil))},
	{"space mapped to U+FFFE", ua("ISO 19005-2 6.2.11.7.2"),
		toUnicode("2 beginbfrange <0000> <001F> <0000> <0021> <FFFF> <0021> endbfrange\n1 beginbfchar <0020> <FFFE> endbfchar")},
	{"ToUnicode in bfchar and both bfrange forms passes", nil,
		toUnicode("1 beginbfchar <0020> <0020> endbfchar\n3 beginbfrange <0000> <001F> <0000> <0021> <0022> [<0021> <0022>] <0023> <FFFF> <0023> endbfrange")},
	{"no language", ua("Matterhorn 11-001"), editValue(catalog, set("/Lang", nil))},
	{"language on the Document element passes", nil, func(t *testing.T, f *pdfFile) string {
		p := patch{}
		cat, doc := f.value(t, f.root()), f.elem(t, "Document")
		delete(cat, "/Lang")
		d := f.value(t, doc)
		d["/Lang"] = "u:sv-SE"
		p.value(f.root(), cat)
		p.value(doc, d)
		return f.apply(t, p)
	}},
	{"figure without alternative text", ua("Matterhorn 13-004"), editValue(elem("Figure"), set("/Alt", nil))},
	{"first heading H2", ua("Matterhorn 14-002"), editValue(elem("H1"), set("/S", "/H2"))},
	{"heading level skipped", ua("Matterhorn 14-003"), editValue(elem("H2"), set("/S", "/H3"))},
	{"header cell without scope", ua("Matterhorn 15-003"), editValue(elem("TH"), set("/A", nil))},
	{"header cells named by Headers pass", nil, headerScheme},
	{"annotation not tagged", ua("ISO 14289-1 7.18.1"), annotation("/Link", false)},
	{"text annotation in a Link element", ua("ISO 14289-1 7.18.1"), annotation("/Text", true)},
	{"annotation without tab order", ua("ISO 14289-1 7.18.3"), annotation("/Link", true, "/Tabs", nil)},
	{"tagged annotation passes", nil, annotation("/Link", true)},
	{"element lost its MCID", ua("ISO 32000-1 14.7.4.4"), editValue(elem("P"), set("/K", []any{}))},
	{"MCID used twice", ua("ISO 32000-1 14.7.4.4"), inContent("<</MCID 1>>", "<</MCID 0>>")},
	{"font not embedded", fonts, forEach(descriptors, set("/FontFile2", nil))},
	{".notdef shown", notdefs, notdef},
	{"widths differ", ua("ISO 19005-2 6.2.11.5"), forEach(cidFonts, set("/W", []any{}, "/DW", n("1")))},
	{"header comment not binary", ua("ISO 19005-2 6.1.2"), func(t *testing.T, f *pdfFile) string {
		return f.writeRaw(t, func(b []byte) []byte {
			i := bytes.IndexByte(b[1:], '%') + 2
			return slices.Concat(b[:i], []byte("abcd"), b[i+4:])
		})
	}},
	{"data after %%EOF", ua("ISO 19005-2 6.1.3"), func(t *testing.T, f *pdfFile) string {
		return f.writeRaw(t, func(b []byte) []byte { return append(bytes.Clone(b), "% efter\n"...) })
	}},
	{"no file identifier", ua("ISO 19005-2 6.1.3"), dropLastID},
	{"stream with FFilter", ua("ISO 19005-2 6.1.7.1"), func(t *testing.T, f *pdfFile) string {
		ref := f.first(t, "ICC profile", func(d map[string]any) bool { return d["/N"] != nil })
		d := f.streamDict(t, ref)
		d["/FFilter"] = "/FlateDecode"
		p := patch{}
		p.dict(ref, d)
		return f.apply(t, p)
	}},
	{"LZW", ua("ISO 19005-2 6.1.7.2"), lzwContent},
	{"integer too large", ua("ISO 19005-2 6.1.13"), editValue(catalog, set("/RemissNummer", n("3000000000")))},
	{"q nested 29 deep", ua("ISO 19005-2 6.1.13"), editContent(func(_ *testing.T, _ *pdfFile, s string) string {
		return strings.Repeat("q ", 29) + "\n" + s + "\n" + strings.Repeat("Q ", 29)
	})},
	{"output intent with an input profile", ua("ISO 19005-2 6.2.3"), iccClass},
	{"CMYK without a CMYK output intent", ua("ISO 19005-2 6.2.4.3"), editContent(func(_ *testing.T, _ *pdfFile, s string) string { return "q 0 0 0 1 k Q\n" + s })},
	{"no output intent", ua("ISO 19005-2 6.2.4.3"), editValue(catalog, set("/OutputIntents", nil))},
	{"interpolated image", ua("ISO 19005-2 6.2.8"), interpolatedImage},
	{"JavaScript", ua("ISO 19005-2 6.5.1"), editValue(catalog, set("/OpenAction", map[string]any{"/S": "/JavaScript", "/JS": "u:app.alert(1)"}))},
	{"page additional actions", ua("ISO 19005-2 6.5.2"), editValue(page, set("/AA", map[string]any{"/O": map[string]any{"/S": "/URI", "/URI": "u:https://www.regeringen.se"}}))},
	{"xpacket encoding", ua("ISO 19005-2 6.6.2.1"), editXMP(`<\?xpacket begin=`, `<?xpacket encoding="UTF-8" begin=`)},
	{"XMP not well-formed", ua("ISO 19005-2 6.6.2.1"), editXMP(`</dc:title>`, `</dc:titel>`)},
	{"author differs", ua("ISO 19005-1 6.7.3"), editValue(info, set("/Author", "u:Någon annan"))},
	{"creation date in another zone passes", nil, editValue(info, set("/CreationDate", "u:D:20240327140000+02'00'"))},
	{"creation date without zone", ua("ISO 19005-1 6.7.3"), editValue(info, set("/CreationDate", "u:D:20240327140000"))},
	{"undeclared XMP property", ua("ISO 19005-2 6.6.2.3.1"),
		editXMP(`</rdf:Description>`, `<remiss:dnr xmlns:remiss="https://remiss.example/ns/">KS-2024/76.109</remiss:dnr></rdf:Description>`)},
	{"conformance B", ua("ISO 19005-2 6.6.4"), editXMP(`<pdfaid:conformance>A</pdfaid:conformance>`, `<pdfaid:conformance>B</pdfaid:conformance>`)},
	{"identification as attributes passes", nil, editXMP(`<pdfaid:part>2</pdfaid:part>\s*<pdfaid:conformance>A</pdfaid:conformance>`, "",
		`<pdfuaid:part>1</pdfuaid:part>`, "", `(<rdf:Description) (rdf:about="" xmlns:dc=)`, `$1 pdfaid:part="2" pdfaid:conformance="A" pdfuaid:part="1" $2`)},
	{"conformance B as an attribute", ua("ISO 19005-2 6.6.4"), editXMP(`<pdfaid:conformance>A</pdfaid:conformance>`, "",
		`(<rdf:Description) (rdf:about="" xmlns:dc=)`, `$1 pdfaid:conformance="B" $2`)},
	{"no structure tree", ua("ISO 19005-2 6.7.3.3"), editValue(catalog, set("/StructTreeRoot", nil))},
	{"embedded file", ua("ISO 19005-2 6.8"), embeddedFile},
	{"form named /A drawn in tagged content passes", nil, formNamedA("0 0 10 10 re f")},
	{"artifact in a form drawn in tagged content", ua("Matterhorn 01-003"), formNamedA("/Artifact BMC 0 0 10 10 re f EMC")},
}

// reread returns a file's objects as written, for a second patch.
func reread(t *testing.T, path string) map[string]map[string]any {
	objects, _ := qpdfJSON(t, path, "--json-stream-data=none")
	return objects
}

// withoutInfoTitle removes /Title from a file's information dictionary.
func withoutInfoTitle(t *testing.T, path string) patch {
	f := &pdfFile{path: path, objects: reread(t, path)}
	d := f.value(t, f.info())
	delete(d, "/Title")
	p := patch{}
	p.value(f.info(), d)
	return p
}
