package markdown_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/yttrande/remiss/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenYttrande parses a realistic draft of a yttrande and compares
// its blocks, as JSON, with testdata/yttrande.golden.json. Run with
// -update to rewrite the golden file after an intended change.
func TestGoldenYttrande(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "yttrande.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, dropped := markdown.Parser{}.Blocks(string(src))
	if dropped != nil {
		t.Errorf("dropped %q from a draft with nothing to drop", dropped)
	}
	got, err := json.MarshalIndent(blocks, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "yttrande.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("blocks differ from %s (run with -update to accept):\n%s", golden, got)
	}
}
