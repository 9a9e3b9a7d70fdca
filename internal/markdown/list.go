package markdown

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/yttrande/remiss/workflow/documents"
)

// list converts a bulleted or numbered list. Layout lists are one level
// deep, so nested lists are flattened: see items. A numbered list always
// prints from 1, as Layout has no start number.
func (c *converter) list(l *ast.List) []documents.Block {
	items := c.items(l, 0)
	if len(items) == 0 {
		return nil
	}
	return []documents.Block{{Role: documents.RoleList, Ordered: l.IsOrdered(), Items: items}}
}

// items flattens list l, nested depth lists deep, into items of the
// outermost list. An item's own paragraphs are joined with "\n"; the items
// of a list nested in it follow it as items of their own, prefixed with
// "– " for a bullet or "1. " for a number, and with one more "– " for each
// further level. So the hierarchy survives on paper as the reader of a
// printed letter knows it, and the renderers need only one kind of list.
func (c *converter) items(l *ast.List, depth int) [][]documents.Span {
	var out [][]documents.Span
	number := l.Start
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		own, nested := c.item(li, depth)
		if len(own) > 0 {
			out = append(out, prefixed(marker(l, depth, number), own))
		}
		out = append(out, nested...)
		number++
	}
	return out
}

// item returns the text of one list item and, after it, the items of the
// lists nested in it. Text that follows a nested list in the same item
// stays with the item's own text, which keeps the item whole.
func (c *converter) item(li ast.Node, depth int) (own []documents.Span, nested [][]documents.Span) {
	for child := li.FirstChild(); child != nil; child = child.NextSibling() {
		if sub, ok := child.(*ast.List); ok {
			nested = append(nested, c.items(sub, depth+1)...)
			continue
		}
		for _, b := range c.block(child) {
			own = joinLines(own, flatSpans(b))
		}
	}
	return merge(own), nested
}

// marker is the prefix of an item of a list nested depth deep: none at the
// top, where the renderer draws the bullet or number.
func marker(l *ast.List, depth, number int) string {
	if depth == 0 {
		return ""
	}
	m := "– "
	if l.IsOrdered() {
		m = strconv.Itoa(number) + string(l.Marker) + " "
	}
	return strings.Repeat("– ", depth-1) + m
}

// flatSpans returns a block's text as one run of spans, for a block that
// sits inside a list item where only text fits: an item per line, a table
// row per line with its non-empty cells separated by " | ".
func flatSpans(b documents.Block) []documents.Span {
	out := slices.Clone(b.Spans)
	for _, item := range b.Items {
		out = joinLines(out, item)
	}
	for _, row := range b.Rows {
		var line []documents.Span
		for _, cell := range row {
			if len(cell.Spans) == 0 {
				continue // padding, which would print as separators only
			}
			if len(line) > 0 {
				line = append(line, documents.Span{Text: " | "})
			}
			line = append(line, cell.Spans...)
		}
		out = joinLines(out, line)
	}
	return out
}

// joinLines appends the line b to the text a, as a new line. The "\n"
// takes the emphasis of the text before it, so that a bold line followed
// by a bold line merges into one span; the caller merges once at the end,
// which keeps a long item linear. a must be the caller's own slice.
func joinLines(a, b []documents.Span) []documents.Span {
	if len(a) > 0 && len(b) > 0 {
		last := a[len(a)-1]
		a = append(a, documents.Span{Text: "\n", Bold: last.Bold, Italic: last.Italic})
	}
	return append(a, b...)
}

// prefixed puts a plain prefix before spans.
func prefixed(prefix string, spans []documents.Span) []documents.Span {
	if prefix == "" {
		return spans
	}
	return merge(append([]documents.Span{{Text: prefix}}, spans...))
}
