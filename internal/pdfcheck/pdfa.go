package pdfcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// ISO 19005-2 6.1.13's implementation limits.
const (
	maxInt     = 2147483647
	minInt     = -2147483648
	maxString  = 32767
	maxName    = 127
	maxNesting = 28
)

var fileHeader = regexp.MustCompile(`^%PDF-1\.[0-7](?:\r\n|\r|\n)%`)

// checkHeader: %PDF-1.n, an end of line, and a comment of at least four
// bytes above 127 that marks the file as binary.
func (c *checker) checkHeader() {
	m := fileHeader.FindIndex(c.raw)
	if m == nil {
		c.fail("ISO 19005-2 6.1.2", "the file does not start with %%PDF-1.n (n from 0 to 7), an end of line and a comment: %q", describe(string(c.raw[:min(len(c.raw), 16)])))
		return
	}
	comment := c.raw[m[1]:min(m[1]+4, len(c.raw))]
	if len(comment) < 4 || slices.ContainsFunc(comment, func(b byte) bool { return b <= 127 }) {
		c.fail("ISO 19005-2 6.1.2", "the comment after the header starts with %q, not four bytes above 127", comment)
	}
}

// checkTrailer: the last trailer has /ID and no /Encrypt, and nothing but
// an end of line follows the last %%EOF.
func (c *checker) checkTrailer() {
	id := c.array(c.trailer["/ID"])
	_, ok1 := c.text(firstOrNil(id, 0))
	_, ok2 := c.text(firstOrNil(id, 1))
	if len(id) != 2 || !ok1 || !ok2 {
		c.fail("ISO 19005-2 6.1.3", "the last trailer has no /ID of two strings")
	}
	if c.trailer["/Encrypt"] != nil {
		c.fail("ISO 19005-2 6.1.3", "the trailer has /Encrypt")
	}
	i := bytes.LastIndex(c.raw, []byte("%%EOF"))
	if i < 0 {
		c.fail("ISO 19005-2 6.1.3", "the file has no %%%%EOF")
		return
	}
	if rest := string(c.raw[i+5:]); rest != "" && rest != "\n" && rest != "\r" && rest != "\r\n" {
		c.fail("ISO 19005-2 6.1.3", "%d bytes follow the last %%%%EOF", len(rest))
	}
}

func firstOrNil(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}

// allowedFilters are ISO 32000-1's standard filters less LZWDecode.
var allowedFilters = setOf("ASCIIHexDecode", "ASCII85Decode", "FlateDecode", "RunLengthDecode",
	"CCITTFaxDecode", "JBIG2Decode", "DCTDecode", "JPXDecode")

// checkStreams: no external stream data, no LZW, no unknown filters, no
// Crypt filter but Identity, in the stream dictionaries as written.
func (c *checker) checkStreams() {
	for _, ref := range c.order {
		s, ok := c.objects[ref].(*stream)
		if !ok {
			continue
		}
		for _, key := range []string{"/F", "/FFilter", "/FDecodeParms"} {
			if s.raw[key] != nil {
				c.fail("ISO 19005-2 6.1.7.1", "stream %s has %s", ref, key)
			}
		}
		if bad := c.badFilters(s.raw); len(bad) > 0 {
			c.fail("ISO 19005-2 6.1.7.2", "stream %s uses the filters %s", ref, strings.Join(bad, ", "))
		}
	}
}

func (c *checker) badFilters(dict map[string]any) []string {
	filters := c.kids(dict["/Filter"])
	params := c.kids(dict["/DecodeParms"])
	var bad []string
	for i, f := range filters {
		name := c.name(f)
		crypt := name == "Crypt" && c.name(c.dict(firstOrNil(params, i))["/Name"]) == "Identity"
		if !allowedFilters[name] && !crypt {
			bad = append(bad, name)
		}
	}
	return bad
}

// checkLimits: integers, strings and names within ISO 19005-2 6.1.13's
// limits in every object and content stream, q/Q nested at most 28 deep.
func (c *checker) checkLimits() {
	for _, ref := range c.order {
		var problems []string
		walk(c.objects[ref], func(v any) {
			for _, p := range c.limitProblems(v) {
				if !slices.Contains(problems, p) {
					problems = append(problems, p)
				}
			}
		})
		if len(problems) > 0 {
			c.fail("ISO 19005-2 6.1.13", "object %s exceeds the implementation limits: %s", ref, list(problems))
		}
	}
	for _, p := range c.pages {
		if len(p.limits) > 0 {
			c.fail("ISO 19005-2 6.1.13", "%s's content exceeds the implementation limits: %s", p.where(), list(p.limits))
		}
		if p.maxNesting > maxNesting {
			c.fail("ISO 19005-2 6.1.13", "%s nests q/Q %d deep, more than %d", p.where(), p.maxNesting, maxNesting)
		}
	}
}

// limitProblems judges one value of qpdf's JSON (and a dictionary's keys).
func (c *checker) limitProblems(v any) []string {
	var problems []string
	switch v := v.(type) {
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			if i, err := strconv.ParseInt(string(v), 10, 64); err != nil || i > maxInt || i < minInt {
				problems = append(problems, "integer "+string(v))
			}
		}
	case string:
		if n := stringLength(v); n > maxString {
			problems = append(problems, fmt.Sprintf("string of %d bytes", n))
		}
		if n := c.name(v); len(n) > maxName {
			problems = append(problems, fmt.Sprintf("name of %d bytes", len(n)))
		}
	case map[string]any:
		for k := range v {
			if n := unescapeName(strings.TrimPrefix(k, "/")); len(n) > maxName {
				problems = append(problems, fmt.Sprintf("name of %d bytes", len(n)))
			}
		}
	}
	return problems
}

// stringLength returns the length in bytes of a string in qpdf's JSON: a
// text string counts as PDFDocEncoding when it can be, else UTF-16.
func stringLength(s string) int {
	if h, ok := strings.CutPrefix(s, "b:"); ok {
		return len(h) / 2
	}
	t, ok := strings.CutPrefix(s, "u:")
	if !ok {
		return 0
	}
	runes := []rune(t)
	if !slices.ContainsFunc(runes, func(r rune) bool { return r > 0xff }) {
		return len(runes)
	}
	return 2 + 2*len(utf16.Encode(runes))
}
