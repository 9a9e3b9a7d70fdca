package pdfcheck

import "unicode/utf16"

// cmap is a ToUnicode CMap: its code space and its bfchar and bfrange
// mappings.
type cmap struct {
	spaces []codeRange
	chars  map[charCode]string
	ranges []bfRange
}

// codeRange is a range of codes of one length.
type codeRange struct{ lo, hi charCode }

// bfRange maps lo…hi either to consecutive values from dst (whose last
// UTF-16 unit is incremented) or, in the array form, to values[i].
type bfRange struct {
	codeRange
	dst    []uint16
	values []string
}

// parseCMap reads the mappings of a CMap; what it cannot read it skips,
// so that a damaged CMap maps less rather than failing the whole check.
func parseCMap(data []byte) *cmap {
	m := &cmap{chars: map[charCode]string{}}
	p := newParser(data)
	var operands []any
	for {
		t, err := p.next()
		if err != nil || t.kind == tokEOF {
			return m
		}
		if t.kind != tokKeyword {
			v, _ := p.object(t)
			operands = append(operands, v)
			continue
		}
		switch t.word {
		case "endcodespacerange":
			m.codeSpace(operands)
		case "endbfchar":
			m.bfchar(operands)
		case "endbfrange":
			m.bfrange(operands)
		}
		operands = operands[:0]
	}
}

// code turns a CMap string into a code.
func code(v any) (charCode, bool) {
	s, ok := v.(pdfString)
	if !ok || len(s) == 0 || len(s) > 4 {
		return charCode{}, false
	}
	return charCode{code: be(s), n: len(s)}, true
}

func (m *cmap) codeSpace(ops []any) {
	for i := 0; i+1 < len(ops); i += 2 {
		lo, ok1 := code(ops[i])
		hi, ok2 := code(ops[i+1])
		if ok1 && ok2 && lo.n == hi.n {
			m.spaces = append(m.spaces, codeRange{lo, hi})
		}
	}
}

func (m *cmap) bfchar(ops []any) {
	for i := 0; i+1 < len(ops); i += 2 {
		src, ok := code(ops[i])
		dst, isString := ops[i+1].(pdfString)
		if ok && isString {
			m.chars[src] = string(utf16.Decode(units(dst)))
		}
	}
}

func (m *cmap) bfrange(ops []any) {
	for i := 0; i+2 < len(ops); i += 3 {
		lo, ok1 := code(ops[i])
		hi, ok2 := code(ops[i+1])
		if !ok1 || !ok2 || lo.n != hi.n || hi.code < lo.code {
			continue
		}
		r := bfRange{codeRange: codeRange{lo, hi}}
		switch dst := ops[i+2].(type) {
		case pdfString:
			r.dst = units(dst)
		case []any:
			for _, v := range dst {
				s, _ := v.(pdfString)
				r.values = append(r.values, string(utf16.Decode(units(s))))
			}
		default:
			continue
		}
		m.ranges = append(m.ranges, r)
	}
}

// units reads UTF-16BE code units.
func units(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return u
}

// lookup returns a code's Unicode text.
func (m *cmap) lookup(c charCode) (string, bool) {
	if s, ok := m.chars[c]; ok {
		return s, true
	}
	for _, r := range m.ranges {
		if c.n != r.lo.n || c.code < r.lo.code || c.code > r.hi.code {
			continue
		}
		off := int(c.code - r.lo.code)
		if r.values != nil {
			if off < len(r.values) {
				return r.values[off], true
			}
			return "", false
		}
		if len(r.dst) == 0 {
			return "", false
		}
		u := append([]uint16(nil), r.dst...)
		u[len(u)-1] += uint16(off)
		return string(utf16.Decode(u)), true
	}
	return "", false
}

// codeLength returns the length of the code at the start of s by the code
// space (two bytes when none matches).
func (m *cmap) codeLength(s []byte) int {
	for n := 1; n <= 4 && n <= len(s); n++ {
		c := charCode{code: be(s[:n]), n: n}
		for _, r := range m.spaces {
			if r.lo.n == n && c.code >= r.lo.code && c.code <= r.hi.code {
				return n
			}
		}
	}
	return 2
}
