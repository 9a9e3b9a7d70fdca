package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/yttrande/remiss/workflow/documents"
)

// converter turns one parsed draft into layout blocks.
type converter struct {
	source  []byte
	text    decoder
	dropped dropLog
	printed map[string]bool // the link addresses already printed
}

func newConverter(source []byte) *converter {
	return &converter{source: source, text: newDecoder(), printed: map[string]bool{}}
}

// blocks converts the block children of parent, in order.
func (c *converter) blocks(parent ast.Node) []documents.Block {
	var out []documents.Block
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		out = append(out, c.block(n)...)
	}
	return out
}

// block converts one block node into none, one or several blocks.
func (c *converter) block(n ast.Node) []documents.Block {
	switch n := n.(type) {
	case *ast.Heading:
		// Three levels are all a letter needs; deeper ones print as the third.
		return c.textBlock(documents.Block{Role: documents.RoleHeading, Level: min(n.Level, 3)}, n)
	case *ast.Paragraph, *ast.TextBlock:
		return c.textBlock(documents.Block{Role: documents.RoleParagraph}, n)
	case *ast.List:
		return c.list(n)
	case *east.Table:
		return c.table(n)
	case *ast.Blockquote:
		return quoted(c.blocks(n))
	case *ast.ThematicBreak:
		return []documents.Block{{Role: documents.RoleSpacer}}
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		return c.code(n)
	case *ast.HTMLBlock:
		c.dropped.html(c.htmlBlockText(n))
		return nil
	case *ast.LinkReferenceDefinition:
		return nil // its links carry its address; it prints nothing itself
	}
	// A kind the subset does not know (none is enabled today): keep its
	// text rather than lose the writer's words.
	if first := n.FirstChild(); first != nil && first.Type() == ast.TypeInline {
		return c.textBlock(documents.Block{Role: documents.RoleParagraph}, n)
	}
	return c.blocks(n)
}

// textBlock fills b with the spans of n's inline content, or gives nothing
// when n has no text (a lone "#", a paragraph of nothing but HTML).
func (c *converter) textBlock(b documents.Block, n ast.Node) []documents.Block {
	b.Spans = c.spans(n)
	if len(b.Spans) == 0 {
		return nil
	}
	return []documents.Block{b}
}

// table converts a GFM table; its header row repeats on each page.
func (c *converter) table(t *east.Table) []documents.Block {
	b := documents.Block{Role: documents.RoleTable}
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		if _, ok := row.(*east.TableHeader); ok {
			b.HeaderRows++
		}
		var cells []documents.TableCell
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, documents.TableCell{Spans: c.spans(cell)})
		}
		b.Rows = append(b.Rows, cells)
	}
	return []documents.Block{b}
}

// code keeps a code block's text literally, as one paragraph: drafts use
// code blocks for text that must keep its lines, such as an address.
func (c *converter) code(n ast.Node) []documents.Block {
	var sb strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		line := lines.At(i)
		sb.Write(line.Value(c.source))
	}
	s := strings.TrimRight(sb.String(), "\n")
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []documents.Block{documents.ParagraphBlock(s)}
}

// htmlBlockText returns the raw text of an HTML block, to name it in a
// message.
func (c *converter) htmlBlockText(n *ast.HTMLBlock) string {
	lines := n.Lines()
	if lines.Len() > 0 {
		first := lines.At(0)
		return string(first.Value(c.source))
	}
	if n.HasClosure() {
		closure := n.ClosureLine
		return string(closure.Value(c.source))
	}
	return ""
}

// quoted sets a quotation in italics. A letter quotes the remiss or a law
// to answer it, and on paper the reader must still see which words are
// the municipality's own; Layout has no quote role, and italics is the
// convention for quotations in Swedish official prose.
func quoted(blocks []documents.Block) []documents.Block {
	for i := range blocks {
		b := &blocks[i]
		b.Spans = italic(b.Spans)
		for j := range b.Items {
			b.Items[j] = italic(b.Items[j])
		}
		for _, row := range b.Rows {
			for k := range row {
				row[k].Spans = italic(row[k].Spans)
			}
		}
	}
	return blocks
}

func italic(spans []documents.Span) []documents.Span {
	for i := range spans {
		spans[i].Italic = true
	}
	return merge(spans)
}
