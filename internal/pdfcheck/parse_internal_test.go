package pdfcheck

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestOperations: the tokenizer's objects, as the operations they are
// operands of.
func TestOperations(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    []operation
	}{
		{`(a\(b\)c) Tj`, []operation{{"Tj", []any{pdfString("a(b)c")}}}},
		{`(a(b)c\)) Tj`, []operation{{"Tj", []any{pdfString("a(b)c)")}}}},
		{`(\101\12\n\\x\
y) Tj`, []operation{{"Tj", []any{pdfString("A\n\n\\xy")}}}},
		{"(a\r\nb) Tj", []operation{{"Tj", []any{pdfString("a\nb")}}}},
		{`<48 65 6c6C 6F> Tj <414> Tj`, []operation{{"Tj", []any{pdfString("Hello")}}, {"Tj", []any{pdfString("A@")}}}},
		{"% a comment (not a string\n/F#201 -3.5 .5 Tf", []operation{{"Tf", []any{pdfName("F 1"), -3.5, 0.5}}}},
		{`[(a) -120 <0062>] TJ`, []operation{{"TJ", []any{[]any{pdfString("a"), pdfInt(-120), pdfString("\x00b")}}}}},
		{`/P <</MCID 3 /Lang (sv) /On true>> BDC EMC`, []operation{
			{"BDC", []any{pdfName("P"), map[string]any{"MCID": pdfInt(3), "Lang": pdfString("sv"), "On": true}}}, {"EMC", nil}}},
		{"q BI /W 2 /H 1 /CS /G /BPC 8 ID \x80EI\x45 EI Q", []operation{
			{"q", nil}, {"BI", []any{map[string]any{"W": pdfInt(2), "H": pdfInt(1), "CS": pdfName("G"), "BPC": pdfInt(8)}}}, {"Q", nil}}},
		{"99999999999999999999 0 Td", []operation{{"Td", []any{pdfInt(1<<63 - 1), pdfInt(0)}}}},
	} {
		p := newParser([]byte(tc.content))
		var got []operation
		for {
			o, ok, err := p.operation()
			if err != nil {
				t.Fatalf("%q: %v", tc.content, err)
			}
			if !ok {
				break
			}
			got = append(got, o)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %#v\nwant %#v", tc.content, got, tc.want)
		}
	}
}

// TestSyntaxErrors: content that cannot be read is an error.
func TestSyntaxErrors(t *testing.T) {
	for _, content := range []string{"(open Tj", "[1 2 TJ", "<< /A 1 BDC", "<4G> Tj", "BI /W 1 ID no end"} {
		p := newParser([]byte(content))
		var err error
		for ok := true; ok && err == nil; {
			_, ok, err = p.operation()
		}
		if err == nil {
			t.Errorf("%q parsed without an error", content)
		}
	}
}

// TestCMap: bfchar, both forms of bfrange, and the code space.
func TestCMap(t *testing.T) {
	m := parseCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
2 beginbfchar <41> <0042> <8001> <D83DDE00> endbfchar
2 beginbfrange <61> <63> <0041> <9000> <9002> [<0066> <00660069> <FEFF>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`))
	for _, tc := range []struct {
		code charCode
		want string
		ok   bool
	}{
		{charCode{0x41, 1}, "B", true},
		{charCode{0x8001, 2}, "😀", true},
		{charCode{0x62, 1}, "B", true},
		{charCode{0x63, 1}, "C", true},
		{charCode{0x9001, 2}, "fi", true},
		{charCode{0x9002, 2}, "\ufeff", true},
		{charCode{0x64, 1}, "", false},
		{charCode{0x0041, 2}, "", false}, // the same value, another length
	} {
		if got, ok := m.lookup(tc.code); got != tc.want || ok != tc.ok {
			t.Errorf("lookup(%v) = %q, %v; want %q, %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
	f := &font{subtype: "Type0", toUnicode: m}
	want := []charCode{{0x41, 1}, {0x8001, 2}, {0x62, 1}}
	if got := f.split(pdfString("\x41\x80\x01\x62")); !reflect.DeepEqual(got, want) {
		t.Errorf("split by the code space = %v, want %v", got, want)
	}
}

// TestDates: PDF and XMP dates, with and without zones, as instants.
func TestDates(t *testing.T) {
	noon := time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		pdf, xmp string
		same     bool
	}{
		{"D:20240327120000+00'00'", "2024-03-27T12:00:00Z", true},
		{"D:20240327140000+02'00'", "2024-03-27T12:00:00+00:00", true},
		{"D:20240327140000+02'00", "2024-03-27T14:00+02:00", true},
		{"D:20240327120000Z", "2024-03-27T12:00:00.000Z", true},
		{"D:20240327120000", "2024-03-27T12:00:00", true},
		{"D:20240327", "2024-03-27", true},
		{"D:20240327070000-05'00'", "2024-03-27T12:00:00Z", true},
		{"D:20240327140000", "2024-03-27T14:00:00+02:00", false},
		{"D:2024032712", "2024-03-27T12:00:01Z", false},
		{"20240327120000", "2024-03-27T12:00:00Z", false},
	} {
		if got := sameValue(tc.pdf, tc.xmp, true); got != tc.same {
			t.Errorf("%s and %s the same instant: %v, want %v", tc.pdf, tc.xmp, got, tc.same)
		}
	}
	if got, _ := parsePDFDate("D:20240327120000Z00'00'"); !got.Equal(noon) {
		t.Errorf("D:20240327120000Z00'00' = %v, want %v", got, noon)
	}
}

// sfnt builds a TrueType file of the given tables.
func sfnt(tables map[string][]byte) []byte {
	tags := []string{"head", "hhea", "hmtx", "maxp"}
	b := make([]byte, 12+16*len(tags))
	binary.BigEndian.PutUint16(b[4:], uint16(len(tags)))
	for i, tag := range tags {
		rec := b[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[8:], uint32(len(b)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(tables[tag])))
		b = append(b, tables[tag]...)
	}
	return b
}

// TestTrueType: glyph count and advances from maxp, hhea, hmtx and head.
func TestTrueType(t *testing.T) {
	head, maxp, hhea := make([]byte, 54), make([]byte, 6), make([]byte, 36)
	binary.BigEndian.PutUint16(head[18:], 2048)
	binary.BigEndian.PutUint16(maxp[4:], 4)
	binary.BigEndian.PutUint16(hhea[34:], 2)
	hmtx := []byte{0x04, 0x00, 0, 0, 0x02, 0x00, 0, 0} // 1024 and 512; glyphs 2 and 3 repeat 512
	font, err := parseTrueType(sfnt(map[string][]byte{"head": head, "maxp": maxp, "hhea": hhea, "hmtx": hmtx}))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(font.numGlyphs, font.width(0), font.width(1), font.width(3)); got != "4 500 250 250" {
		t.Errorf("glyphs and widths = %s, want 4 500 250 250", got)
	}
	if _, err := parseTrueType(sfnt(map[string][]byte{"head": head, "maxp": maxp})); err == nil {
		t.Error("a font without hhea and hmtx parsed")
	}
}
