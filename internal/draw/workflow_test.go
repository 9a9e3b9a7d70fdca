package draw

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGraphGoldens compares each shipped definition's DOT, Mermaid and SVG
// drawings with testdata/; run with -update after a deliberate change and
// read the diff.
func TestGraphGoldens(t *testing.T) {
	defs, err := workflow.ShippedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range defs {
		for ext, format := range map[string]string{"dot": FormatDOT, "mmd": FormatMermaid, "svg": FormatSVG} {
			drawn, _ := Definition(d, "", format)
			golden(t, filepath.Join("testdata", d.Name+"."+ext), drawn)
		}
		golden(t, filepath.Join("testdata", d.Name+".beredning.svg"), SVG(d, "beredning"))
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
		t.Fatalf("%v (run go test ./internal/draw -run TestGraphGoldens -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run with -update and review the diff", path)
	}
}

func TestSVGIsWellFormedAndHighlightsTheState(t *testing.T) {
	d := shipped(t, "kommunstyrelsen", 1)
	svg := SVG(d, "arbetsutskott")
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
	if strings.Contains(SVG(d, ""), `fill="#ffd54f"`) {
		t.Error("a state is highlighted without a case")
	}
}

// shipped is version v of the shipped definition name.
func shipped(t *testing.T, name string, v int) *workflow.Definition {
	t.Helper()
	b, err := workflow.ShippedDefinitionFile(name, v)
	if err != nil {
		t.Fatal(err)
	}
	d, err := workflow.ParseDefinition(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// FuzzDraw: whatever definition the loader and the validator accept also
// draws in every format.
func FuzzDraw(f *testing.F) {
	for _, d := range []string{"kommunstyrelsen", "namnd", "delegation"} {
		b, err := workflow.ShippedDefinitionFile(d, 1)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","version":1,"title":"X","initial":"a","states":[{"name":"a"}],"events":[{"name":"e","from":["*"],"roles":["admin"]}]}`))
	f.Add([]byte(`{"events":[{"branches":[{"when":{"a":null}}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := workflow.ParseDefinition(b)
		if err != nil {
			return
		}
		for _, format := range []string{FormatSVG, FormatDOT, FormatMermaid} {
			if _, ok := Definition(d, "", format); !ok {
				t.Fatalf("format %s refused", format)
			}
		}
	})
}
