package workflow

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGraphGoldens compares each shipped definition's DOT, Mermaid and SVG
// drawings with testdata/; run with -update after a deliberate change and
// read the diff.
func TestGraphGoldens(t *testing.T) {
	defs, err := ShippedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		for ext, render := range map[string]func(string) string{"dot": d.DOT, "mmd": d.Mermaid, "svg": d.SVG} {
			golden(t, filepath.Join("testdata", d.Name+"."+ext), render(""))
		}
		golden(t, filepath.Join("testdata", d.Name+".beredning.svg"), d.SVG("beredning"))
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./workflow -run TestGraphGoldens -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run with -update and review the diff", path)
	}
}

func TestSVGIsWellFormedAndHighlightsTheState(t *testing.T) {
	defs, _ := loadShipped()
	d := defs[defKey{"kommunstyrelsen", 1}]
	svg := d.SVG("arbetsutskott")
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed XML: %v", err)
			}
			break
		}
	}
	for _, want := range []string{`role="img"`, "<title id=\"wf-title\">", "Ärendet är nu i tillståndet Arbetsutskottet", `<g id="state-arbetsutskott"><rect x=`, `fill="#ffd54f"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Count(svg, `fill="#ffd54f"`) != 1 {
		t.Error("more than one state is highlighted")
	}
	if strings.Contains(d.SVG(""), `fill="#ffd54f"`) {
		t.Error("a state is highlighted without a case")
	}
}
