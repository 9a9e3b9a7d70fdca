package documents

import "time"

// Layout is the logical model of one rendered document: a protokollsutdrag,
// an anslagsbevis, a kallelse, a yttrande. The domain builds it from its
// data; internal/pdf and internal/docx draw it. Blocks are in reading
// order and carry their role (heading, paragraph, list, table …) rather
// than their look, so that a renderer can both style and tag them.
type Layout struct {
	Meta       LayoutMeta `json:"meta"`
	Letterhead Letterhead `json:"letterhead"`
	// Fields is the header grid printed under the letterhead on the first
	// page, as label/value pairs in reading order (Sammanträdesdatum,
	// Paragraf, Diarienummer …). Empty means no grid.
	Fields []LayoutField `json:"fields,omitempty"`
	// Addressee is the recipient's name and address lines, printed after
	// the header grid (e.g. "Finansdepartementet", "103 33 Stockholm").
	Addressee []string `json:"addressee,omitempty"`
	Blocks    []Block  `json:"blocks"`
	// Footer is a short line of page furniture printed on every page
	// (e.g. "Justerandes signatur"); the page number "1 (3)" is always
	// printed.
	Footer string `json:"footer,omitempty"`
	// Justify sets paragraphs flush on both sides (without hyphenation)
	// instead of ragged right.
	Justify bool `json:"justify,omitempty"`
}

// LayoutMeta is the document's metadata, written into the PDF's document
// information and XMP and the DOCX's core properties.
type LayoutMeta struct {
	Title    string   `json:"title"`
	Author   string   `json:"author"` // the organisation, e.g. "Huddinge kommun"
	Subject  string   `json:"subject,omitempty"`
	Keywords []string `json:"keywords,omitempty"` // e.g. both diarienummer
	Lang     string   `json:"lang,omitempty"`     // BCP 47, "sv-SE" when empty
	// Created is the document's date of creation. It is part of the
	// input, not read from the clock, so that the same input always gives
	// the same bytes.
	Created time.Time `json:"created"`
}

// Letterhead is the page furniture identifying the organisation, drawn at
// the top of the first page.
type Letterhead struct {
	Name    string   `json:"name"`               // organisation, e.g. "Huddinge kommun"
	Unit    string   `json:"unit,omitempty"`     // the body or office, e.g. "Kommunstyrelsens arbetsutskott"
	Lines   []string `json:"lines,omitempty"`    // address lines, organisation number …
	Logo    []byte   `json:"logo,omitempty"`     // PNG or JPEG; nil for none
	LogoAlt string   `json:"logo_alt,omitempty"` // alternative text; the organisation's name when empty
}

// LayoutField is one label/value pair of a header grid.
type LayoutField struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// BlockRole is what a block is, independent of how it looks.
type BlockRole string

// The block roles. A heading's level is in Block.Level (1–3).
const (
	RoleTitle     BlockRole = "title"     // the document's heading, once
	RoleHeading   BlockRole = "heading"   // a section heading, Level 1–3
	RoleParagraph BlockRole = "paragraph" // running text
	RoleList      BlockRole = "list"      // Items, each a run of spans
	RoleTable     BlockRole = "table"     // Rows, the first HeaderRows repeat on each page
	RoleSignature BlockRole = "signature" // Signers: a line to sign on, the name and title below
	RoleSpacer    BlockRole = "spacer"    // vertical space, e.g. before signatures
)

// Block is one block of a Layout.
type Block struct {
	Role       BlockRole     `json:"role"`
	Level      int           `json:"level,omitempty"`   // headings: 1–3
	Spans      []Span        `json:"spans,omitempty"`   // title, heading, paragraph
	Ordered    bool          `json:"ordered,omitempty"` // lists: numbered instead of bulleted
	Items      [][]Span      `json:"items,omitempty"`
	Rows       [][]TableCell `json:"rows,omitempty"`
	HeaderRows int           `json:"header_rows,omitempty"`
	Widths     []float64     `json:"widths,omitempty"` // tables: relative column widths; equal when empty
	Signers    []Signer      `json:"signers,omitempty"`
	// KeepWithNext keeps this block on the same page as the next one
	// (headings always are).
	KeepWithNext bool `json:"keep_with_next,omitempty"`
}

// Span is a run of text with one emphasis.
type Span struct {
	Text   string `json:"text"`
	Bold   bool   `json:"bold,omitempty"`
	Italic bool   `json:"italic,omitempty"`
}

// TableCell is one cell of a table.
type TableCell struct {
	Spans []Span `json:"spans"`
}

// Signer is one person who signs.
type Signer struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"` // e.g. "Ordförande", "Justerare", "Sekreterare"
	Unit  string `json:"unit,omitempty"`  // e.g. "Arbets- och etableringsenheten"; optional
}

// Text returns a span of plain text, for building layouts tersely.
func Text(s string) []Span { return []Span{{Text: s}} }

// ParagraphBlock returns a paragraph block of plain text.
func ParagraphBlock(s string) Block { return Block{Role: RoleParagraph, Spans: Text(s)} }

// HeadingBlock returns a heading block of the given level.
func HeadingBlock(level int, s string) Block {
	return Block{Role: RoleHeading, Level: level, Spans: Text(s)}
}

// PlainText returns the text of spans without emphasis.
func PlainText(spans []Span) string {
	n := 0
	for _, s := range spans {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range spans {
		b = append(b, s.Text...)
	}
	return string(b)
}

func Keywords(dnr string, rest ...string) []string {
	if dnr == "" {
		return rest
	}
	return append([]string{dnr}, rest...)
}
