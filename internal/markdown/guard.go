package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// The guards below keep a hostile draft from costing minutes or
// gigabytes. Each changes the result only for input no letter has.

// boundedTables is goldmark's table transformer, used only where it cannot
// explode. A GFM table pads every row to its header's width, so a header
// of a thousand columns over a hundred thousand one-character lines would
// become a hundred million cells from a few hundred kilobytes (measured:
// 98 kB took 4 GB). A paragraph that could yield more cells than about
// two per byte, which no written-out table does, stays a paragraph.
type boundedTables struct {
	parser.ParagraphTransformer
}

// Transform implements parser.ParagraphTransformer.
func (t boundedTables) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	width, size := 0, 0 // width bounds the column count from above
	for i := range lines.Len() {
		line := lines.At(i)
		v := line.Value(reader.Source())
		width = max(width, bytes.Count(v, []byte("|"))+1)
		size += len(v)
	}
	if width*lines.Len() <= 2*size+256 {
		t.ParagraphTransformer.Transform(node, reader, pc)
	}
}

// maxNesting is how many quotes and list items one line may open. A
// letter needs two or three. goldmark spends time quadratic in the number
// a single line opens (a line of 64 000 ">" takes a second, a megabyte of
// them minutes), so markers past this many are escaped and print as the
// characters they are.
const maxNesting = 32

// maxIndent is the widest indentation, in columns, a line keeps. Lists
// nest by indentation too, and a staircase of ever deeper lines cost
// goldmark five seconds a megabyte; 128 columns is more than any letter
// indents, even in a code block.
const maxIndent = 128

// capNesting applies maxIndent and maxNesting to each line of src.
func capNesting(src string) string {
	var b strings.Builder
	done := 0 // src[:done] is in b or cut
	for start := 0; start < len(src); {
		end := len(src)
		if i := strings.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		line := src[start:end]
		if keep, text := indentCut(line); keep < text {
			b.WriteString(src[done : start+keep])
			done = start + text
		}
		if at := deepMarker(line); at >= 0 {
			b.WriteString(src[done : start+at])
			b.WriteByte('\\')
			done = start + at
		}
		start = end
	}
	if done == 0 {
		return src
	}
	b.WriteString(src[done:])
	return b.String()
}

// indentCut returns how many bytes of line's indentation to keep, and
// where its text starts; keep < text when the indentation is too wide.
func indentCut(line string) (keep, text int) {
	width := 0
	for text < len(line) && (line[text] == ' ' || line[text] == '\t') {
		if line[text] == '\t' {
			width += 4 - width%4
		} else {
			width++
		}
		if width <= maxIndent {
			keep = text + 1
		}
		text++
	}
	return keep, text
}

// deepMarker returns where in line the punctuation of its container
// marker number maxNesting+1 is, or -1 if it opens no more than
// maxNesting.
func deepMarker(line string) int {
	i := 0
	for depth := 0; ; depth++ {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		n := markerLen(line[i:])
		if n == 0 {
			return -1
		}
		if depth == maxNesting {
			return i + n - 1
		}
		i += n
	}
}

// markerLen returns the length of the block quote or list marker at the
// start of s, 0 for none; the marker ends in its punctuation.
func markerLen(s string) int {
	if strings.HasPrefix(s, ">") {
		return 1
	}
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	switch {
	case n == 0 && s != "" && strings.ContainsRune("-+*", rune(s[0])):
		n = 1
	case n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')'):
		n++
	default:
		return 0
	}
	if n < len(s) && !strings.ContainsRune(" \t\n", rune(s[n])) {
		return 0 // "-x" and "1.5" are text, not markers
	}
	return n
}

// inlineMarks bounds how many of each inline delimiter ([, *, _ and `)
// one paragraph — the lines between two blank lines — may use before the
// rest are escaped and print as the characters they are. goldmark looks
// ahead from each unclosed bracket for its closer and pairs emphasis
// delimiters across the whole paragraph, in time quadratic in their number
// (measured: a 1.3 MB paragraph of "a**b_c*d_" lines took almost four
// minutes, of "[a](" lines 39 s). A paragraph, list or table of a letter
// uses a few dozen.
var inlineMarks = [4]int{512, 1024, 1024, 1024}

// capInline applies inlineMarks to each paragraph of src. A mark already
// escaped (after an odd number of backslashes) is not counted.
func capInline(src string) string {
	var b strings.Builder
	done := 0
	var seen [4]int
	blank := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			if blank {
				seen = [4]int{}
			}
			blank = true
			continue
		}
		if c != ' ' && c != '\t' {
			blank = false
		}
		k := strings.IndexByte("[*_`", c)
		if k < 0 || escaped(src, i) {
			continue
		}
		if seen[k]++; seen[k] > inlineMarks[k] {
			b.WriteString(src[done:i])
			b.WriteByte('\\')
			done = i
		}
	}
	if done == 0 {
		return src
	}
	b.WriteString(src[done:])
	return b.String()
}

// escaped reports whether src[i] follows an odd number of backslashes.
func escaped(src string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
