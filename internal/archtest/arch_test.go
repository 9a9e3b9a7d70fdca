// Package archtest checks the dependency rules of docs/architecture.md
// with `go list`, so that they hold as the code grows.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/yttrande/remiss"

type pkg struct {
	ImportPath   string
	Dir          string
	Standard     bool
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func list(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestDomainImportsOnlyTheStandardLibrary: the engine and the domain
// packages (workflow and workflow/...) must not reach for a database, HTTP
// or any outside library, directly or through another package; they may
// import each other (Go refuses a cycle).
func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	domain := list(t, "./workflow/...")
	if len(domain) < 6 {
		t.Fatalf("only %d domain packages found", len(domain))
	}
	for _, p := range list(t, "-deps", "./workflow/...") {
		if !p.Standard && !strings.HasPrefix(p.ImportPath, module+"/workflow") {
			t.Errorf("the domain depends on %s", p.ImportPath)
		}
		for _, banned := range []string{"net/http", "database/sql", "html/template"} {
			if p.ImportPath == banned {
				t.Errorf("the domain depends on %s", banned)
			}
		}
	}
}

// TestEachOutsideLibraryHasOneImporter: every outside module is imported
// (by code or tests) from exactly one package of ours.
func TestEachOutsideLibraryHasOneImporter(t *testing.T) {
	importers := map[string]map[string]bool{}
	for _, p := range list(t, "./...") {
		for _, imp := range append(append(p.Imports, p.TestImports...), p.XTestImports...) {
			if strings.HasPrefix(imp, module) || !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // ours, or the standard library
			}
			mod := moduleOf(imp)
			if importers[mod] == nil {
				importers[mod] = map[string]bool{}
			}
			importers[mod][p.ImportPath] = true
		}
	}
	for mod, by := range importers {
		if len(by) != 1 {
			var names []string
			for n := range by {
				names = append(names, n)
			}
			sort.Strings(names)
			t.Errorf("%s is imported by %d packages: %v", mod, len(by), names)
		}
	}
}

// TestNothingImportsMain: cmd/remiss only wires; no package depends on it,
// and the web layer reaches the store only through the domain.
func TestNothingImportsMainOrStoreFromWeb(t *testing.T) {
	for _, p := range list(t, "./...") {
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/cmd/") {
				t.Errorf("%s imports %s", p.ImportPath, imp)
			}
			if p.ImportPath == module+"/internal/web" && imp == module+"/internal/store" {
				t.Errorf("internal/web imports internal/store; go through workflow.Store")
			}
		}
	}
}

// moduleOf maps an import path to its module, for the hosts we use.
func moduleOf(imp string) string {
	parts := strings.Split(imp, "/")
	n := 3 // github.com/owner/repo, golang.org/x/crypto
	if parts[0] == "modernc.org" {
		n = 2 // modernc.org/sqlite
	}
	if len(parts) > n && strings.HasPrefix(parts[n], "v") && len(parts[n]) <= 3 {
		n++ // major version suffix
	}
	if n > len(parts) {
		n = len(parts)
	}
	return strings.Join(parts[:n], "/")
}
