package markdown

import (
	"bufio"
	"bytes"
	"html"

	ghtml "github.com/yuin/goldmark/renderer/html"
)

// decoder resolves the backslash escapes and the entity and numeric
// character references of Markdown text, so that "\*" is "*" and "&amp;"
// is "&".
//
// It reuses goldmark's own HTML writer rather than a second copy of those
// rules, so that the text is exactly what goldmark would show. That writer
// escapes its output for HTML; html.UnescapeString undoes that exactly,
// because after the writer has escaped, every "&" it wrote begins one of
// the four references it writes (&amp; &lt; &gt; &quot;).
type decoder struct {
	w   ghtml.Writer
	buf *bytes.Buffer
	out *bufio.Writer
}

func newDecoder() decoder {
	buf := &bytes.Buffer{}
	return decoder{w: ghtml.NewWriter(), buf: buf, out: bufio.NewWriter(buf)}
}

// decode returns the text v stands for.
func (d decoder) decode(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v) // most text has nothing to resolve
	}
	d.buf.Reset()
	d.w.Write(d.out, v)
	_ = d.out.Flush() // cannot fail: it writes to a bytes.Buffer
	return html.UnescapeString(d.buf.String())
}
