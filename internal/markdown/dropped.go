package markdown

import (
	"strings"
	"unicode/utf8"
)

// maxDropped is how many messages a draft gets at most: enough to find
// every kind of problem, few enough to read.
const maxDropped = 10

// dropLog collects the messages about what a draft lost, each once.
type dropLog struct {
	messages []string
	seen     map[string]bool
}

func (d *dropLog) add(msg string) {
	if d.seen[msg] || len(d.messages) > maxDropped {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[msg] = true
	d.messages = append(d.messages, msg)
}

// list returns the messages; past maxDropped, the last one says that
// there is more.
func (d *dropLog) list() []string {
	if len(d.messages) <= maxDropped {
		return d.messages
	}
	return append(d.messages[:maxDropped-1], "Fler delar av texten tas inte med i dokumentet.")
}

// html records that a piece of raw HTML was left out, named by its tag
// and never quoted whole: the message must not carry the markup itself.
func (d *dropLog) html(raw string) {
	d.add("HTML-kod tas inte med i dokumentet: " + htmlLabel(raw))
}

// image records that an image was left out, named by its alternative
// text; nothing of its address is kept.
func (d *dropLog) image(alt string) {
	if alt == "" {
		d.add("Bilder tas inte med i dokumentet.")
		return
	}
	d.add("Bilder tas inte med i dokumentet: ”" + shorten(alt, 40) + "”")
}

// htmlLabel names a piece of raw HTML for the writer: a tag by its
// element, so that <b> and </b> give one message, and other markup by its
// kind.
func htmlLabel(raw string) string {
	raw = strings.TrimLeft(raw, " \t\n")
	switch {
	case strings.HasPrefix(raw, "<!--"):
		return "<!-- -->"
	case strings.HasPrefix(raw, "<?"):
		return "<? ?>"
	case strings.HasPrefix(raw, "<![CDATA["):
		return "<![CDATA[ ]]>"
	case strings.HasPrefix(raw, "<!"):
		return "<!" + strings.ToUpper(name(raw[2:])) + ">"
	}
	if n, _ := tagOf(raw); n != "" {
		return "<" + n + ">"
	}
	return "HTML"
}

// tagOf returns the element name of an HTML tag, in lower case, and
// whether the tag closes the element.
func tagOf(raw string) (element string, closing bool) {
	rest, ok := strings.CutPrefix(raw, "<")
	if !ok {
		return "", false
	}
	rest, closing = strings.CutPrefix(rest, "/")
	return strings.ToLower(name(rest)), closing
}

// name returns the name at the start of s: letters, digits and hyphens,
// at most 20 of them, so that a message stays short.
func name(s string) string {
	end := 0
	for end < len(s) && end < 20 && isNameByte(s[end]) {
		end++
	}
	return s[:end]
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// shorten cuts s to at most n runes, marking a cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
