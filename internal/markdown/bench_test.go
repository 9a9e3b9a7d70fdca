package markdown_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/markdown"
)

// draft returns the test draft repeated to at least size bytes.
func draft(tb testing.TB, size int) string {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "yttrande.md"))
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Repeat(string(src)+"\n", size/len(src)+1)
}

func BenchmarkBlocks(b *testing.B) {
	in := draft(b, 20<<10)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		markdown.Parser{}.Blocks(in)
	}
}

// TestLargeDraftIsFast guards against quadratic work: a megabyte, the
// domain's cap, takes tens of milliseconds; quadratic code took minutes.
// The bound is loose so that a slow or race-instrumented run passes.
func TestLargeDraftIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("parses a megabyte")
	}
	in := draft(t, 1<<20)
	start := time.Now()
	blocks, _ := markdown.Parser{}.Blocks(in)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d kB took %v", len(in)>>10, d)
	}
	if len(blocks) < 5000 {
		t.Errorf("%d blocks from %d kB", len(blocks), len(in)>>10)
	}
}

// staircase returns size bytes of lists each nested 32 deeper than the
// last, by indentation.
func staircase(size int) string {
	var b strings.Builder
	for depth := 0; b.Len() < size; depth += 32 {
		b.WriteString(strings.Repeat(" ", 2*depth) + strings.Repeat("- ", 32) + "x\n")
	}
	return b.String()
}

// TestHostileDraftsAreBounded feeds the shapes that make goldmark slow or
// large without the guards: deep nesting on one line or by indentation,
// and a wide table header over many short lines.
func TestHostileDraftsAreBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("parses hostile megabytes")
	}
	for name, in := range map[string]string{
		"quotes on one line":  strings.Repeat(">", 1<<20),
		"lists on one line":   strings.Repeat("- + ", 1<<18),
		"numbers on one line": strings.Repeat("1. ", 1<<18),
		"wide padded table": strings.Repeat("|a", 1000) + "\n" + strings.Repeat("|-", 1000) + "\n" +
			strings.Repeat("x\n", 1<<18),
		"staircase": staircase(1 << 20),
	} {
		start := time.Now()
		markdown.Parser{}.Blocks(in)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: %d kB took %v", name, len(in)>>10, d)
		}
	}
}
