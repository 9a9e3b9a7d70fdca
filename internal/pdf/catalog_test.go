package pdf

import (
	"testing"

	"github.com/yttrande/remiss/workflow/documents"
)

// BenchmarkFinish is the cost of the incremental update (pdfcpu reading
// gofpdf's output back and appending the catalog and XMP) on a document
// of three pages; compare it with BenchmarkRender3Pages, which includes it.
func BenchmarkFinish(b *testing.B) {
	l := documents.Layout{Meta: documents.LayoutMeta{Title: "Yttrande"}, Letterhead: documents.Letterhead{Name: "Huddinge kommun"}}
	for range 50 {
		l.Blocks = append(l.Blocks, documents.ParagraphBlock("Kommunstyrelsens förvaltning anser att de förslag som lämnas i betänkandet är bra men att tillämpningen av försökslagstiftningen noggrant måste utvärderas."))
	}
	r, _ := NewRenderer()
	raw, tags, err := r.draw(l)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := finish(raw, tags, l.Meta); err != nil {
			b.Fatal(err)
		}
	}
}
