package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedDir is the team's folder beside the repository (design notes and
// the public documents the fixtures come from), spelt in two pieces so
// that this file does not name it.
const sharedDir = "sha" + "red"

// TestTestsReadNothingOutsideTheRepository: a user's clone has nothing
// beside it, so no test may name the shared folder, nor a relative path
// that climbs out of the repository to something that exists there (the
// fixtures tests need are copied into their package's testdata). Every
// string literal of every _test.go file is looked at, resolved against
// the file's own directory.
func TestTestsReadNothingOutsideTheRepository(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		for _, bad := range escapes(t, root, path) {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s names %q, outside the repository: copy what it needs into testdata/", rel, bad)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d test files found under %s", files, root)
	}
}

// escapes returns the string literals of a test file that name the
// shared folder or an existing place outside root.
func escapes(t *testing.T, root, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err == nil && leavesRoot(root, filepath.Dir(path), s, exists) {
			bad = append(bad, s)
		}
		return true
	})
	return bad
}

// leavesRoot reports whether s, read as a path relative to dir, names
// the shared folder or a place outside root that exists. A path that
// climbs out to nothing is a test's input (a file name to clean, say),
// not a file it reads.
func leavesRoot(root, dir, s string, exists func(string) bool) bool {
	if strings.Contains(s, "../"+sharedDir) || strings.Contains(s, `..\`+sharedDir) {
		return true
	}
	if !strings.HasPrefix(s, "..") || strings.ContainsAny(s, "\n") {
		return false
	}
	target := filepath.Join(dir, s)
	rel, err := filepath.Rel(root, target)
	outside := err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
	return outside && exists(target)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestLeavesRoot(t *testing.T) {
	root := "/repo"
	everything := func(string) bool { return true }
	nothing := func(string) bool { return false }
	for _, c := range []struct {
		dir, s string
		exists func(string) bool
		want   bool
	}{
		{"/repo/workflow", "testdata/x.txt", everything, false},
		{"/repo/internal/pdf", "../../templates", everything, false},
		{"/repo/internal/pdf", filepath.Join("..", "..", "..", sharedDir, "fixtures", "002.txt"), nothing, true},
		{"/repo/workflow", "../" + sharedDir + "/x", nothing, true},
		{"/repo/workflow", "../../x", everything, true},
		{"/repo/workflow", "../../etc/passwd", nothing, false},
		{"/repo/workflow", "..", everything, false},
		{"/repo", "..", everything, true},
		{"/repo/workflow", "a..b", everything, false},
	} {
		if got := leavesRoot(root, c.dir, c.s, c.exists); got != c.want {
			t.Errorf("leavesRoot(%q, %q) = %v, want %v", c.dir, c.s, got, c.want)
		}
	}
}
