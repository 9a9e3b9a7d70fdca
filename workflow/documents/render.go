package documents

// MarkdownParser turns a draft, written in the Markdown subset drafts
// use (headings, paragraphs, bulleted and numbered lists, emphasis,
// simple tables), into layout blocks. internal/markdown implements it.
type MarkdownParser interface {
	// Blocks parses src. Anything outside the subset, such as raw HTML or
	// a script, is left out of the blocks and described in dropped, one
	// Swedish sentence each, so that the writer can be told; it is never
	// rendered.
	Blocks(src string) (blocks []Block, dropped []string)
}

// Renderer draws a Layout as a file: internal/pdf as PDF, internal/docx as
// Word. The same layout always gives the same bytes.
type Renderer interface {
	Render(l Layout) ([]byte, error)
}
