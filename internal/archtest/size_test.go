package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The limits of a package's size and of an interface's, so that each
// part of the remiss work can be read and tested alone: no package over
// maxPackageLines lines of non-test Go (the engine, workflow, under
// maxEngineLines), no interface in the domain over maxInterfaceMethods
// methods.
const (
	maxPackageLines     = 4500
	maxEngineLines      = 5000
	maxInterfaceMethods = 25
)

// TestPackagesStaySmall counts every package's lines of non-test Go.
func TestPackagesStaySmall(t *testing.T) {
	for _, p := range list(t, "./...") {
		lines := 0
		for _, f := range goFiles(t, p) {
			lines += countLines(t, f)
		}
		limit := maxPackageLines
		if p.ImportPath == module+"/workflow" {
			limit = maxEngineLines
		}
		if lines > limit {
			t.Errorf("%s has %d lines of non-test Go, more than %d: split it", strings.TrimPrefix(p.ImportPath, module+"/"), lines, limit)
		}
	}
}

// TestDomainInterfacesAreSmall counts the methods of every interface the
// engine and the domain packages declare, embedded ones included.
func TestDomainInterfacesAreSmall(t *testing.T) {
	found := 0
	for _, p := range list(t, "./workflow/...") {
		methods := map[string]int{}
		embeds := map[string][]string{}
		for _, f := range goFiles(t, p) {
			for name, it := range interfacesOf(t, f) {
				found++
				for _, m := range it.Methods.List {
					if len(m.Names) == 0 {
						embeds[name] = append(embeds[name], exprName(m.Type))
					}
					methods[name] += len(m.Names)
				}
			}
		}
		for name := range methods {
			if n := total(name, methods, embeds); n > maxInterfaceMethods {
				t.Errorf("%s.%s has %d methods, more than %d: split it by what its users need", strings.TrimPrefix(p.ImportPath, module+"/"), name, n, maxInterfaceMethods)
			}
		}
	}
	if found < 8 {
		t.Fatalf("only %d interfaces found in the domain", found)
	}
}

// total is an interface's own methods and its embedded interfaces' (those
// of the same package; another package's are counted where they live).
func total(name string, methods map[string]int, embeds map[string][]string) int {
	n := methods[name]
	for _, e := range embeds[name] {
		n += total(e, methods, embeds)
	}
	return n
}

func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// goFiles are a package's non-test Go files.
func goFiles(t *testing.T, p pkg) []string {
	t.Helper()
	entries, err := os.ReadDir(p.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			out = append(out, filepath.Join(p.Dir, n))
		}
	}
	return out
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// interfacesOf returns the interface types a file declares, by name.
func interfacesOf(t *testing.T, path string) map[string]*ast.InterfaceType {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ast.InterfaceType{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			if it, ok := ts.Type.(*ast.InterfaceType); ok {
				out[ts.Name.Name] = it
			}
		}
	}
	return out
}
