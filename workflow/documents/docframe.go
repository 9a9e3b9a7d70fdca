package documents

import (
	"regexp"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// DocumentData is what a document template can show. Every text except
// Text is escaped for Markdown before the template sees it, so that a
// title with a * or a # is printed as written; Text is the draft itself,
// in Markdown.
type DocumentData struct {
	Organisation string        // "Huddinge kommun"
	Body         string        // the deciding body, or the nämnd the report is from
	Dnr          string        // the case's diarienummer
	Title        string        // the case's title, the report's name
	Date         string        // the document's date, in the organisation's style
	Remiss       RemissData    // what the ministry's letter says
	Decision     *DecisionData // the decision; nil before it is taken
	Text         string        // the draft, Markdown
	Reason       string        // why the municipality declines, for yttrande-avstar
	Handlaggare  string        // the handläggare's name
	Handlingar   []string      // the handlingar of the case, for "Handlingar i ärendet"
	Signers      []Signer      // who signs
	OnBehalf     bool          // the secretary signs "enligt uppdrag"
}

// RemissData is the remiss part of DocumentData.
type RemissData struct {
	Sender    string // the ministry, "Finansdepartementet"
	SenderDnr string // the ministry's dnr, "Fi2023/04321"
	Reference string // "SOU 2023:94"
	Received  string
	Deadline  string
	ReplyTo   string
}

// DecisionData is the decision part of DocumentData.
type DecisionData struct {
	Body      string // "Kommunstyrelsen"
	Date      string // the meeting's date, in the organisation's style
	Paragraph string // "§ 45"
	Outcome   string // "antaget" or "avstar"
}

// mdPunct is the ASCII punctuation that Markdown gives a meaning and lets
// be escaped with a backslash.
const mdPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// mdEscape escapes s so that Markdown prints it as written.
func mdEscape(s string) string {
	if !strings.ContainsAny(s, mdPunct) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(mdPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdUnescape undoes mdEscape, for the frame's lines that are not Markdown.
func mdUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(mdPunct, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escaped returns d with every text escaped for Markdown but the draft.
func (d DocumentData) escaped() DocumentData {
	e := mdEscape
	out := d
	out.Organisation, out.Body, out.Dnr, out.Title, out.Date = e(d.Organisation), e(d.Body), e(d.Dnr), e(d.Title), e(d.Date)
	out.Reason, out.Handlaggare = e(d.Reason), e(d.Handlaggare)
	r := d.Remiss
	out.Remiss = RemissData{e(r.Sender), e(r.SenderDnr), e(r.Reference), e(r.Received), e(r.Deadline), e(r.ReplyTo)}
	if d.Decision != nil {
		out.Decision = &DecisionData{e(d.Decision.Body), e(d.Decision.Date), e(d.Decision.Paragraph), e(d.Decision.Outcome)}
	}
	out.Handlingar = make([]string, len(d.Handlingar))
	for i, h := range d.Handlingar {
		out.Handlingar[i] = e(h)
	}
	out.Signers = make([]Signer, len(d.Signers))
	for i, s := range d.Signers {
		out.Signers[i] = Signer{e(s.Name), e(s.Title), e(s.Unit)}
	}
	return out
}

// frame is a template's output read as a document: the parts of the
// frame in ::: sections, and the blocks of the Markdown between them.
type frame struct {
	fields    []LayoutField
	addressee []string
	footer    string
	blocks    []Block
	dropped   []string
}

var (
	directiveStart = regexp.MustCompile(`^:::\s*([a-z]+)\s*$`)
	directiveEnd   = regexp.MustCompile(`^:::\s*$`)
)

// directives are the sections a template may write around its Markdown.
var directives = map[string]func(f *frame, lines []string){
	"fields":     (*frame).addFields,
	"addressee":  func(f *frame, lines []string) { f.addressee = append(f.addressee, lines...) },
	"title":      func(f *frame, lines []string) { f.addBlock(RoleTitle, lines) },
	"signatures": (*frame).addSigners,
	"footer":     func(f *frame, lines []string) { f.footer = strings.Join(lines, " ") },
}

// readFrame splits a template's output into its sections and parses the
// Markdown between them.
func readFrame(out string, md MarkdownParser) (frame, error) {
	var f frame
	var text []string
	flush := func() {
		if len(text) > 0 {
			bs, dropped := md.Blocks(strings.Join(text, "\n"))
			f.blocks, f.dropped, text = append(f.blocks, bs...), append(f.dropped, dropped...), nil
		}
	}
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		m := directiveStart.FindStringSubmatch(lines[i])
		if m == nil {
			text = append(text, lines[i])
			continue
		}
		add, ok := directives[m[1]]
		if !ok {
			return f, workflow.Errorf(workflow.CodeInvalid, "Mallen har avsnittet ”::: %s” på rad %d av resultatet, som inte finns. Avsnitten som finns är: fields, addressee, title, signatures, footer.", m[1], i+1)
		}
		end := i + 1
		for end < len(lines) && !directiveEnd.MatchString(lines[end]) {
			end++
		}
		if end == len(lines) {
			return f, workflow.Errorf(workflow.CodeInvalid, "Avsnittet ”::: %s” på rad %d av resultatet avslutas aldrig med ”:::”.", m[1], i+1)
		}
		flush()
		add(&f, plainLines(lines[i+1:end]))
		i = end
	}
	flush()
	return f, nil
}

// plainLines unescapes and trims a section's lines and leaves out the
// empty ones.
func plainLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(mdUnescape(l)); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// addFields reads "Label: value" lines; a line without a label is a
// value on its own, such as "TJÄNSTESKRIVELSE".
func (f *frame) addFields(lines []string) {
	for _, l := range lines {
		label, value, ok := strings.Cut(l, ": ")
		if !ok {
			label, value = "", l
		}
		f.fields = append(f.fields, LayoutField{Label: strings.TrimSpace(label), Value: strings.TrimSpace(value)})
	}
}

func (f *frame) addBlock(role BlockRole, lines []string) {
	if len(lines) > 0 {
		f.blocks = append(f.blocks, Block{Role: role, Spans: Text(strings.Join(lines, " "))})
	}
}

// addSigners reads "Name | Title | Unit" lines; a signer without a name
// is left out.
func (f *frame) addSigners(lines []string) {
	var ss []Signer
	for _, l := range lines {
		parts := strings.Split(l, "|")
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		s := Signer{Name: strings.TrimSpace(parts[0]), Title: strings.TrimSpace(parts[1]), Unit: strings.TrimSpace(parts[2])}
		if s.Name != "" {
			ss = append(ss, s)
		}
	}
	if len(ss) > 0 {
		f.blocks = append(f.blocks, Block{Role: RoleSignature, Signers: ss})
	}
}
