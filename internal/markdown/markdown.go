// Package markdown turns the drafts that secretaries write, the text of a
// yttrande or a tjänsteutlåtande, into the layout blocks of package
// workflow. It is the only importer of goldmark.
//
// Drafts use a subset of Markdown: headings, paragraphs, emphasis, links,
// bulleted and numbered lists, GFM tables, quotes, thematic breaks and
// code. Raw HTML and images are never rendered: they are left out of the
// blocks and reported, one Swedish message each, so that the writer can be
// told.
package markdown

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/yttrande/remiss/workflow/documents"
)

// Parser parses drafts into layout blocks. The zero value is ready to use
// and safe for concurrent use.
type Parser struct{}

var _ documents.MarkdownParser = Parser{}

// Blocks implements workflow.MarkdownParser: it parses src and returns its
// blocks in reading order, and a message for each distinct thing it left
// out. Empty input gives no blocks and no messages.
func (Parser) Blocks(src string) (blocks []documents.Block, dropped []string) {
	source := []byte(capInline(capNesting(normalize(src))))
	doc := newParser().Parse(text.NewReader(source))
	c := newConverter(source)
	return c.blocks(doc), c.dropped.list()
}

// newParser builds goldmark's parser for the subset: CommonMark and GFM
// tables, the latter behind boundedTables. It is built per call rather
// than kept in a package variable so that the package holds no state;
// building one costs microseconds.
//
// The typographer extension stays off on purpose: it would turn the
// author's quotes and dashes into other characters, and a Swedish text
// already carries the exact ” and – it wants. Strikethrough, task lists,
// footnotes and linkify stay off because a printed letter has no use for
// them; their markup stays literal text.
func newParser() parser.Parser {
	p := goldmark.DefaultParser()
	p.AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(boundedTables{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
	return p
}

// normalize prepares src for goldmark. Browsers submit a textarea with
// CRLF line endings, which would otherwise leave carriage returns in code
// and hard breaks; invalid UTF-8 and NUL bytes become U+FFFD, as
// CommonMark asks for NUL, so that every span is valid UTF-8.
func normalize(src string) string {
	if strings.ContainsRune(src, '\r') {
		src = strings.ReplaceAll(src, "\r\n", "\n")
		src = strings.ReplaceAll(src, "\r", "\n")
	}
	if strings.ContainsRune(src, 0) {
		src = strings.ReplaceAll(src, "\x00", "\uFFFD")
	}
	return strings.ToValidUTF8(src, "\uFFFD")
}
