package markdown

import (
	"strings"

	"github.com/yttrande/remiss/workflow/documents"
)

// merge joins adjacent spans of the same emphasis and drops empty ones,
// so that layouts and their goldens stay small. It copies each run once,
// so a paragraph of many lines stays linear.
func merge(spans []documents.Span) []documents.Span {
	var out []documents.Span
	for i := 0; i < len(spans); {
		if spans[i].Text == "" {
			i++
			continue
		}
		j, n := i+1, len(spans[i].Text)
		for ; j < len(spans) && (spans[j].Text == "" || sameEmphasis(spans[i], spans[j])); j++ {
			n += len(spans[j].Text)
		}
		out = append(out, joined(spans[i:j], n))
		i = j
	}
	return out
}

// joined returns the run of spans of one emphasis, n bytes of text, as
// one span.
func joined(run []documents.Span, n int) documents.Span {
	if len(run) == 1 {
		return run[0]
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, s := range run {
		sb.WriteString(s.Text)
	}
	return documents.Span{Text: sb.String(), Bold: run[0].Bold, Italic: run[0].Italic}
}

func sameEmphasis(a, b documents.Span) bool {
	return a.Bold == b.Bold && a.Italic == b.Italic
}

// trim removes the whitespace at the edges of a run of merged spans, and
// the spans it empties.
func trim(spans []documents.Span) []documents.Span {
	for len(spans) > 0 {
		spans[0].Text = strings.TrimLeft(spans[0].Text, blank)
		if spans[0].Text != "" {
			break
		}
		spans = spans[1:]
	}
	for len(spans) > 0 {
		last := &spans[len(spans)-1]
		last.Text = strings.TrimRight(last.Text, blank)
		if last.Text != "" {
			break
		}
		spans = spans[:len(spans)-1]
	}
	if len(spans) == 0 {
		return nil
	}
	return spans
}

// blank is the whitespace trim removes; other spaces, such as a no-break
// space, are the author's.
const blank = " \t\n"
