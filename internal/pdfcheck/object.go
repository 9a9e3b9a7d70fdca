package pdfcheck

import (
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// isRef reports whether a qpdf JSON string is an indirect reference
// ("12 0 R"): names start with "/", strings with "u:" or "b:".
func isRef(s string) bool {
	f := strings.Split(s, " ")
	return len(f) == 3 && f[2] == "R" && digits(f[0]) && digits(f[1])
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// compareRefs orders references by object number.
func compareRefs(a, b string) int {
	x, _ := strconv.Atoi(strings.Fields(a)[0])
	y, _ := strconv.Atoi(strings.Fields(b)[0])
	return x - y
}

// resolve follows a reference (and a chain of them) to its object.
func (d *doc) resolve(v any) any {
	for range 32 {
		s, ok := v.(string)
		if !ok || !isRef(s) {
			return v
		}
		v = d.objects[s]
	}
	return nil
}

// dict returns v as a dictionary (a stream's for a stream), or nil.
func (d *doc) dict(v any) map[string]any {
	switch v := d.resolve(v).(type) {
	case map[string]any:
		return v
	case *stream:
		return v.dict
	}
	return nil
}

// array returns v as an array; a single non-array value gives nil.
func (d *doc) array(v any) []any {
	a, _ := d.resolve(v).([]any)
	return a
}

// stream returns v as a stream, or nil.
func (d *doc) stream(v any) *stream {
	s, _ := d.resolve(v).(*stream)
	return s
}

// name returns v as a name without its slash, or "".
func (d *doc) name(v any) string {
	s, _ := d.resolve(v).(string)
	s = strings.TrimPrefix(s, "n:")
	if !strings.HasPrefix(s, "/") {
		return ""
	}
	return unescapeName(s[1:])
}

// unescapeName expands #xx escapes, which qpdf keeps for some bytes.
func unescapeName(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if x, err := hex.DecodeString(s[i+1 : i+3]); err == nil {
				b.WriteByte(x[0])
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// text returns a string object as text: qpdf gives text strings as "u:"
// (decoded from PDFDocEncoding or UTF-16) and others as "b:" hex.
func (d *doc) text(v any) (string, bool) {
	s, _ := d.resolve(v).(string)
	if t, ok := strings.CutPrefix(s, "u:"); ok {
		return t, true
	}
	if h, ok := strings.CutPrefix(s, "b:"); ok {
		b, err := hex.DecodeString(h)
		return decodeTextString(b), err == nil
	}
	return "", false
}

// decodeTextString decodes UTF-16BE with its byte order mark, and takes
// other bytes as Latin-1, which PDFDocEncoding nearly is.
func decodeTextString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// number returns v as a float.
func (d *doc) number(v any) (float64, bool) {
	n, ok := d.resolve(v).(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// integer returns v as an integer; a real is not one.
func (d *doc) integer(v any) (int, bool) {
	n, ok := d.resolve(v).(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil
}

// boolean returns v as a boolean.
func (d *doc) boolean(v any) (value, ok bool) {
	value, ok = d.resolve(v).(bool)
	return value, ok
}

// catalog returns the document catalog.
func (d *doc) catalog() map[string]any { return d.dict(d.trailer["/Root"]) }

// direct is what refOf names an object that is not a reference.
const direct = "a direct object"

// refOf names an object for messages: its reference, or direct.
func refOf(v any) string {
	if s, ok := v.(string); ok && isRef(s) {
		return s
	}
	return direct
}

// walk calls visit for v and every value directly inside it (not through
// references: every indirect object is walked on its own).
func walk(v any, visit func(any)) {
	visit(v)
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			walk(v[k], visit)
		}
	case []any:
		for _, x := range v {
			walk(x, visit)
		}
	case *stream:
		walk(v.raw, visit)
	}
}
