package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/yttrande/remiss/workflow/documents"
)

// spans converts the inline content of block n into spans, with adjacent
// text of the same emphasis merged and the block's outer whitespace
// trimmed (dropping HTML can leave some at an edge).
func (c *converter) spans(n ast.Node) []documents.Span {
	r := spanRun{c: c}
	walk(n, r.enter, r.leave)
	return trim(merge(r.spans))
}

// spanRun collects the spans of one block as walk visits its inlines.
type spanRun struct {
	c            *converter
	spans        []documents.Span
	bold, italic int              // how many strong or emphasis nodes are open
	link         *strings.Builder // the text of the open link, if any
	// silent is the element whose closing tag ends a script or style
	// opened in inline HTML: what lies between is code, not text.
	silent string
	// gap is set when something was dropped since the last text, so that
	// the spaces either side of it ("a <b> b") do not print as two.
	gap bool
}

func (r *spanRun) enter(n ast.Node) bool {
	source := r.c.source
	switch n := n.(type) {
	case *ast.Text:
		r.text(n)
	case *ast.String:
		r.str(n)
	case *ast.CodeSpan:
		r.code(n)
		return false
	case *ast.Emphasis:
		if n.Level >= 2 {
			r.bold++
		} else {
			r.italic++
		}
	case *ast.Link:
		r.link = &strings.Builder{}
	case *ast.AutoLink:
		// An autolink's text is its address, printed as written.
		r.add(string(n.Label(source)))
	case *ast.Image:
		r.c.dropped.image(r.c.plain(n))
		r.gap = true
		return false
	case *ast.RawHTML:
		r.html(string(n.Segments.Value(source)))
		return false
	}
	return true
}

func (r *spanRun) leave(n ast.Node) {
	switch n := n.(type) {
	case *ast.Emphasis:
		if n.Level >= 2 {
			r.bold--
		} else {
			r.italic--
		}
	case *ast.Link:
		label := r.link.String()
		r.link = nil
		r.address(label, n.Destination)
	}
}

// address adds a link's address after its text, if it is worth printing
// and not yet printed (see printedURL).
func (r *spanRun) address(label string, dest []byte) {
	if r.c.printed[string(dest)] {
		return
	}
	r.c.printed[string(dest)] = true
	if url, ok := printedURL(r.c.text.decode(dest)); ok && !sameAddress(label, url) {
		r.add(" (" + url + ")")
	}
}

// text adds a text node, with its escapes and entities resolved unless it
// is raw, and its line break: a soft one is a space, a hard one "\n".
func (r *spanRun) text(n *ast.Text) {
	v := n.Value(r.c.source)
	if n.IsRaw() {
		r.add(string(v))
	} else {
		r.add(r.c.text.decode(v))
	}
	switch {
	case n.HardLineBreak():
		r.add("\n")
	case n.SoftLineBreak():
		r.add(" ")
	}
}

func (r *spanRun) str(n *ast.String) {
	if n.IsCode() || n.IsRaw() {
		r.add(string(n.Value))
	} else {
		r.add(r.c.text.decode(n.Value))
	}
}

// code adds a code span as plain text, exactly as written; a line break
// inside it is a space, as CommonMark says.
func (r *spanRun) code(n *ast.CodeSpan) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			v := string(t.Value(r.c.source))
			if s, ok := strings.CutSuffix(v, "\n"); ok {
				v = s + " "
			}
			r.add(v)
		}
	}
}

// html drops a piece of inline HTML, and starts or ends a silent stretch
// when it opens or closes a script or style element.
func (r *spanRun) html(raw string) {
	r.c.dropped.html(raw)
	r.gap = true
	name, closing := tagOf(raw)
	switch {
	case r.silent == "" && !closing && (name == "script" || name == "style"):
		r.silent = name
	case r.silent != "" && closing && name == r.silent:
		r.silent = ""
	}
}

// add appends text with the emphasis now open.
func (r *spanRun) add(s string) {
	if s == "" || r.silent != "" {
		return
	}
	if r.gap && s[0] == ' ' && len(r.spans) > 0 && strings.HasSuffix(r.spans[len(r.spans)-1].Text, " ") {
		s = s[1:]
	}
	r.gap = false
	if r.link != nil {
		r.link.WriteString(s)
	}
	r.spans = append(r.spans, documents.Span{Text: s, Bold: r.bold > 0, Italic: r.italic > 0})
}

// plain returns the text under n without emphasis, links or HTML: an
// image's alternative text.
func (c *converter) plain(n ast.Node) string {
	var sb strings.Builder
	walk(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Text:
			sb.WriteString(c.text.decode(n.Value(c.source)))
			if n.SoftLineBreak() || n.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(n.Value)
		case *ast.RawHTML:
			return false
		}
		return true
	}, func(ast.Node) {})
	return strings.TrimSpace(sb.String())
}

// printedURL returns the address to print after a link's text. A printed
// letter cannot be clicked, so dropping the address would lose where the
// link leads; an address a reader can type (web, e-mail) is therefore kept
// as " (address)", at the first link to it only: a letter need not repeat
// it, and one long reference definition cannot be multiplied into pages.
// Fragments, relative paths and other schemes (such as javascript:) mean
// nothing on paper and are left out.
func printedURL(dest string) (string, bool) {
	if strings.ContainsFunc(dest, notInURL) {
		return "", false // malformed: a real address has these percent-encoded
	}
	lower := strings.ToLower(dest)
	switch {
	case strings.HasPrefix(lower, "mailto:"):
		return dest[len("mailto:"):], len(dest) > len("mailto:")
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"),
		strings.HasPrefix(lower, "www."):
		return dest, true
	}
	return "", false
}

// notInURL reports the ASCII characters RFC 3986 does not allow in an
// address unencoded. Letters such as å are allowed: browsers show them.
func notInURL(r rune) bool {
	return r <= ' ' || r == 0x7f || strings.ContainsRune("\"<>\\^`{|}", r)
}

// sameAddress tells whether a link's text already is its address, as in
// [www.huddinge.se](https://www.huddinge.se), so that it is not printed twice.
func sameAddress(label, url string) bool {
	bare := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, prefix := range []string{"https://", "http://", "mailto:"} {
			s = strings.TrimPrefix(s, prefix)
		}
		return strings.TrimSuffix(s, "/")
	}
	return bare(label) == bare(url)
}

// walk visits the nodes under root in document order, calling enter on
// the way down (false skips a node's children) and leave on the way up.
// It loops instead of recursing, so that deeply nested emphasis in a
// hostile draft cannot exhaust the stack.
func walk(root ast.Node, enter func(ast.Node) bool, leave func(ast.Node)) {
	n := root.FirstChild()
	for n != nil {
		if enter(n) && n.FirstChild() != nil {
			n = n.FirstChild()
			continue
		}
		for n != root && n != nil {
			leave(n)
			if next := n.NextSibling(); next != nil {
				n = next
				break
			}
			n = n.Parent()
		}
		if n == root {
			return
		}
	}
}
