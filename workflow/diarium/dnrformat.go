package diarium

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow"
)

// DnrFormat is a parsed diarienummer format such as "KS-{YYYY}/{N}.{CLASS}".
// The language has four placeholders: {YYYY} (the year), {N} (the running
// number), {N:k} (the number zero-padded to k digits) and {CLASS} (the
// classification code, left out together with its separator when a case
// has none). Everything else is literal text.
type DnrFormat struct {
	parts []formatPart
}

type partKind int

const (
	partLiteral partKind = iota
	partYear
	partNumber
	partClass
)

type formatPart struct {
	kind  partKind
	text  string // literal text
	width int    // zero-padding of a number; 0 = none
}

// maxFormatLength bounds a format so that numbers stay readable on paper.
const maxFormatLength = 64

// ParseDnrFormat parses s. Its errors are Swedish sentences that can be
// shown next to the format field.
func ParseDnrFormat(s string) (DnrFormat, error) {
	if s == "" {
		return DnrFormat{}, workflow.Sentencef("Ange ett format, t.ex. ”KS-{YYYY}/{N}.{CLASS}”.")
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, workflow.IsControl) {
		return DnrFormat{}, workflow.Sentencef("Formatet innehåller otillåtna tecken.")
	}
	if n := utf8.RuneCountInString(s); n > maxFormatLength {
		return DnrFormat{}, workflow.Sentencef("Formatet är för långt (%d tecken, högst %d).", n, maxFormatLength)
	}
	parts, err := scanFormat(s)
	if err != nil {
		return DnrFormat{}, err
	}
	f := DnrFormat{parts: parts}
	return f, f.check()
}

// scanFormat splits s into literals and placeholders.
func scanFormat(s string) ([]formatPart, error) {
	var parts []formatPart
	for s != "" {
		open := strings.IndexAny(s, "{}")
		if open < 0 {
			return append(parts, formatPart{kind: partLiteral, text: s}), nil
		}
		if open > 0 {
			parts = append(parts, formatPart{kind: partLiteral, text: s[:open]})
		}
		if s[open] == '}' {
			return nil, workflow.Sentencef("Formatet har en ”}” utan motsvarande ”{”.")
		}
		end := strings.IndexAny(s[open+1:], "{}")
		if end < 0 || s[open+1+end] != '}' {
			return nil, workflow.Sentencef("Formatet har en ”{” som inte avslutas med ”}”.")
		}
		p, err := parsePlaceholder(s[open+1 : open+1+end])
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
		s = s[open+2+end:]
	}
	return parts, nil
}

func parsePlaceholder(name string) (formatPart, error) {
	switch {
	case name == "YYYY":
		return formatPart{kind: partYear}, nil
	case name == "N":
		return formatPart{kind: partNumber}, nil
	case name == "CLASS":
		return formatPart{kind: partClass}, nil
	case strings.HasPrefix(name, "N:"):
		w, err := strconv.Atoi(name[2:])
		if err != nil || w < 1 || w > 9 || name[2:] != strconv.Itoa(w) {
			return formatPart{}, workflow.Sentencef("”{%s}”: antalet siffror ska vara 1–9, t.ex. ”{N:5}”.", name)
		}
		return formatPart{kind: partNumber, width: w}, nil
	}
	return formatPart{}, workflow.Sentencef("Okänd platshållare ”{%s}”. Möjliga är {YYYY}, {N}, {N:5} och {CLASS}.", name)
}

// check enforces the rules that keep every rendered number unambiguous.
func (f DnrFormat) check() error {
	count := map[partKind]int{}
	for i, p := range f.parts {
		count[p.kind]++
		if i > 0 && p.kind != partLiteral && f.parts[i-1].kind != partLiteral {
			return workflow.Sentencef("Två platshållare står direkt efter varandra; skilj dem åt med ett tecken, t.ex. ”/” eller ”-”.")
		}
	}
	switch {
	case count[partNumber] != 1:
		return workflow.Sentencef("Formatet måste innehålla löpnumret exakt en gång: {N} eller {N:5}.")
	case count[partYear] > 1:
		return workflow.Sentencef("{YYYY} får stå högst en gång.")
	case count[partClass] > 1:
		return workflow.Sentencef("{CLASS} får stå högst en gång.")
	}
	return nil
}

// HasYear reports whether the format shows the year, which a series that
// restarts every year needs so that its numbers never repeat.
func (f DnrFormat) HasYear() bool {
	for _, p := range f.parts {
		if p.kind == partYear {
			return true
		}
	}
	return false
}

// String returns the format in its source form.
func (f DnrFormat) String() string {
	var b strings.Builder
	for _, p := range f.parts {
		switch p.kind {
		case partLiteral:
			b.WriteString(p.text)
		case partYear:
			b.WriteString("{YYYY}")
		case partClass:
			b.WriteString("{CLASS}")
		case partNumber:
			if p.width > 0 {
				fmt.Fprintf(&b, "{N:%d}", p.width)
			} else {
				b.WriteString("{N}")
			}
		}
	}
	return b.String()
}

// Render writes the diarienummer for year, running number n and
// classification class ("" for none).
func (f DnrFormat) Render(year int, n int64, class string) string {
	skip := -1
	if class == "" {
		skip = f.classSeparator()
	}
	var b strings.Builder
	for i, p := range f.parts {
		if i == skip {
			continue
		}
		switch p.kind {
		case partLiteral:
			b.WriteString(p.text)
		case partYear:
			fmt.Fprintf(&b, "%04d", year)
		case partNumber:
			fmt.Fprintf(&b, "%0*d", p.width, n)
		case partClass:
			b.WriteString(class)
		}
	}
	return b.String()
}

// classSeparator returns the index of the literal that goes with {CLASS}:
// the one before it when {CLASS} is the last placeholder (".109" in
// "KS-{YYYY}/{N}.{CLASS}"), else the one after it. The class part itself
// renders as nothing, so only the separator needs skipping. -1 when the
// format has no {CLASS}.
func (f DnrFormat) classSeparator() int {
	at, last := -1, -1
	for i, p := range f.parts {
		if p.kind == partClass {
			at = i
		}
		if p.kind != partLiteral {
			last = i
		}
	}
	switch {
	case at < 0:
		return -1
	case at == last && at > 0:
		return at - 1
	case at+1 < len(f.parts):
		return at + 1
	}
	return -1
}

// MarshalText writes the format's source form.
func (f DnrFormat) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText parses a format's source form.
func (f *DnrFormat) UnmarshalText(b []byte) error {
	parsed, err := ParseDnrFormat(string(b))
	if err != nil {
		return err
	}
	*f = parsed
	return nil
}
