package pdfcheck

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
)

// Content-stream objects: pdfInt, float64, pdfName (without its slash),
// pdfString (the bytes), []any and map[string]any (keys without slashes).
type (
	pdfInt    int64
	pdfName   string
	pdfString []byte
)

// operation is one operator with its operands. An inline image is the
// operator "BI" with its dictionary as the only operand.
type operation struct {
	op   string
	args []any
}

// tokenKind is what a token is.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokObject
	tokKeyword
	tokArrayOpen
	tokArrayClose
	tokDictOpen
	tokDictClose
)

// token is one lexical token: an object (number, name, string), a keyword
// (operator, true, false, null) or a delimiter.
type token struct {
	kind tokenKind
	obj  any
	word string
}

// lexer splits PDF content (and CMap) syntax into tokens.
type lexer struct {
	data []byte
	pos  int
}

var errSyntax = errors.New("content syntax error")

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelimiter(c) }

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.data) {
		switch c := l.data[l.pos]; {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.data) && l.data[l.pos] != '\n' && l.data[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() (token, error) {
	l.skipSpace()
	if l.pos >= len(l.data) {
		return token{kind: tokEOF}, nil
	}
	switch c := l.data[l.pos]; c {
	case '/':
		l.pos++
		return token{kind: tokObject, obj: pdfName(unescapeName(string(l.regular())))}, nil
	case '(':
		s, err := l.literal()
		return token{kind: tokObject, obj: s}, err
	case '<':
		return l.angle()
	case '>':
		return l.closeDict()
	case '[', ']':
		l.pos++
		return token{kind: map[byte]tokenKind{'[': tokArrayOpen, ']': tokArrayClose}[c]}, nil
	case '{', '}', ')':
		l.pos++
		return token{kind: tokKeyword, word: string(c)}, nil
	}
	return l.word(), nil
}

// regular returns the run of regular characters at the position.
func (l *lexer) regular() []byte {
	start := l.pos
	for l.pos < len(l.data) && isRegular(l.data[l.pos]) {
		l.pos++
	}
	return l.data[start:l.pos]
}

// word returns a number or a keyword.
func (l *lexer) word() token {
	w := l.regular()
	if len(w) == 0 { // a lone delimiter we do not know: skip it
		l.pos++
		return token{kind: tokKeyword, word: "?"}
	}
	if n, ok := parseNumber(string(w)); ok {
		return token{kind: tokObject, obj: n}
	}
	return token{kind: tokKeyword, word: string(w)}
}

// parseNumber parses an integer or a real. An integer too large for int64
// becomes the largest int64, which is out of every limit anyway.
func parseNumber(s string) (any, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return pdfInt(i), true
	} else if errors.Is(err, strconv.ErrRange) {
		return pdfInt(math.MaxInt64), true
	}
	if s == "" || bytes.ContainsAny([]byte(s), "eExX") {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// angle reads "<<" or a hexadecimal string.
func (l *lexer) angle() (token, error) {
	if l.pos+1 < len(l.data) && l.data[l.pos+1] == '<' {
		l.pos += 2
		return token{kind: tokDictOpen}, nil
	}
	end := bytes.IndexByte(l.data[l.pos:], '>')
	if end < 0 {
		return token{}, errSyntax
	}
	digits := bytes.Join(bytes.FieldsFunc(l.data[l.pos+1:l.pos+end], func(r rune) bool { return isSpace(byte(r)) }), nil)
	l.pos += end + 1
	if len(digits)%2 == 1 { // a missing last digit is 0
		digits = append(digits, '0')
	}
	s, err := hex.DecodeString(string(digits))
	if err != nil {
		return token{}, errSyntax
	}
	return token{kind: tokObject, obj: pdfString(s)}, nil
}

func (l *lexer) closeDict() (token, error) {
	if l.pos+1 < len(l.data) && l.data[l.pos+1] == '>' {
		l.pos += 2
		return token{kind: tokDictClose}, nil
	}
	l.pos++
	return token{kind: tokKeyword, word: ">"}, nil
}

// literal reads a literal string with its escapes and balanced parentheses.
func (l *lexer) literal() (pdfString, error) {
	var s pdfString
	depth := 0
	for l.pos++; l.pos < len(l.data); l.pos++ {
		c := l.data[l.pos]
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				l.pos++
				return s, nil
			}
			depth--
		case '\\':
			s = l.escape(s)
			continue
		case '\r': // an end of line in a string is a LINE FEED
			if l.pos+1 < len(l.data) && l.data[l.pos+1] == '\n' {
				l.pos++
			}
			c = '\n'
		}
		s = append(s, c)
	}
	return s, errSyntax
}

// escape handles the backslash at the position and leaves the position
// on the escape's last byte.
func (l *lexer) escape(s pdfString) pdfString {
	l.pos++
	if l.pos >= len(l.data) {
		return s
	}
	c := l.data[l.pos]
	if v, ok := map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f', '(': '(', ')': ')', '\\': '\\'}[c]; ok {
		return append(s, v)
	}
	switch {
	case c >= '0' && c <= '7':
		v := 0
		for n := 0; n < 3 && l.pos < len(l.data) && l.data[l.pos] >= '0' && l.data[l.pos] <= '7'; n++ {
			v = v*8 + int(l.data[l.pos]-'0')
			l.pos++
		}
		l.pos--
		return append(s, byte(v))
	case c == '\r': // a line continuation
		if l.pos+1 < len(l.data) && l.data[l.pos+1] == '\n' {
			l.pos++
		}
		return s
	case c == '\n':
		return s
	}
	return append(s, c) // an unknown escape stands for the character itself
}

// parser reads objects and operations from a lexer.
type parser struct {
	lexer
	seen func(any) // called with every object read, for the implementation limits
}

func newParser(data []byte) *parser { return &parser{lexer: lexer{data: data}} }

// object reads the object that starts with t.
func (p *parser) object(t token) (any, error) {
	switch t.kind {
	case tokObject:
		p.see(t.obj)
		return t.obj, nil
	case tokArrayOpen:
		return p.array()
	case tokDictOpen:
		return p.dictionary(tokDictClose)
	case tokKeyword:
		return keywordObject(t.word), nil
	}
	return nil, errSyntax
}

func (p *parser) see(v any) {
	if p.seen != nil {
		p.seen(v)
	}
}

// keywordObject turns true, false and null into objects; other keywords
// inside arrays and dictionaries stay keywords.
func keywordObject(w string) any {
	switch w {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	return operation{op: w}
}

func (p *parser) array() ([]any, error) {
	var a []any
	for {
		t, err := p.next()
		if err != nil || t.kind == tokEOF {
			return a, errSyntax
		}
		if t.kind == tokArrayClose {
			return a, nil
		}
		v, err := p.object(t)
		if err != nil {
			return a, err
		}
		a = append(a, v)
	}
}

// dictionary reads key/value pairs up to the token end (">>", or the
// keyword ID of an inline image, given as tokKeyword).
func (p *parser) dictionary(end tokenKind) (map[string]any, error) {
	m := map[string]any{}
	for {
		t, err := p.next()
		if err != nil || t.kind == tokEOF {
			return m, errSyntax
		}
		if t.kind == end && (end != tokKeyword || t.word == "ID") {
			return m, nil
		}
		key, ok := t.obj.(pdfName)
		if !ok {
			return m, errSyntax
		}
		p.see(key)
		if t, err = p.next(); err != nil {
			return m, err
		}
		if m[string(key)], err = p.object(t); err != nil {
			return m, err
		}
	}
}

// operation reads the next operation; ok is false at the end.
func (p *parser) operation() (o operation, ok bool, err error) {
	for {
		t, err := p.next()
		if err != nil || t.kind == tokEOF {
			return o, false, err
		}
		if t.kind != tokKeyword || t.word == "true" || t.word == "false" || t.word == "null" {
			v, err := p.object(t)
			if err != nil {
				return o, false, err
			}
			o.args = append(o.args, v)
			continue
		}
		o.op = t.word
		if o.op == "BI" {
			return p.inlineImage()
		}
		return o, true, nil
	}
}

// inlineImage reads an inline image's dictionary and skips its data up to
// an EI between white space. (Binary data that happens to contain such an
// EI would end it early; the length is not known without decoding.)
func (p *parser) inlineImage() (operation, bool, error) {
	dict, err := p.dictionary(tokKeyword)
	if err != nil {
		return operation{}, false, err
	}
	p.pos++ // the single white-space character after ID
	for i := p.pos; i+2 <= len(p.data); i++ {
		if p.data[i] == 'E' && p.data[i+1] == 'I' && (i == 0 || isSpace(p.data[i-1])) &&
			(i+2 == len(p.data) || isSpace(p.data[i+2])) {
			p.pos = i + 2
			return operation{op: "BI", args: []any{dict}}, true, nil
		}
	}
	return operation{}, false, errSyntax
}
