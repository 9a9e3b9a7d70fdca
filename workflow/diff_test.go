package workflow_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow/documents"
)

func TestDiffLines(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       string // one op per line, as "op text"
	}{
		{"same", "a\nb\n", "a\nb\n", "… "},
		{"insert", "a\nc", "a\nb\nc", "= a\n+ b\n= c"},
		{"delete", "a\nb\nc", "a\nc", "= a\n- b\n= c"},
		{"change", "Åtgärden är bra.\nSlut", "Åtgärden är dålig.\nSlut", "- Åtgärden är bra.\n+ Åtgärden är dålig.\n= Slut"},
		{"from empty", "", "x\ny", "+ x\n+ y"},
		{"to empty", "x", "", "- x"},
		{"interleaved", "a\nb\nc\nd", "b\nx\nd\ne", "- a\n= b\n- c\n+ x\n= d\n+ e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range documents.DiffLines(tt.a, tt.b, 100) {
				got = append(got, string(l.Op)+" "+l.Text)
			}
			if g := strings.Join(got, "\n"); g != tt.want {
				t.Errorf("diff:\n%s\nwant:\n%s", g, tt.want)
			}
		})
	}
}

func TestDiffCollapsesLongUnchangedRuns(t *testing.T) {
	var a []string
	for i := range 50 {
		a = append(a, "rad "+string(rune('A'+i%26)))
	}
	b := append([]string(nil), a...)
	b[25] = "ändrad"
	got := documents.DiffLines(strings.Join(a, "\n"), strings.Join(b, "\n"), 2)
	var ops []string
	for _, l := range got {
		ops = append(ops, string(l.Op))
	}
	if s := strings.Join(ops, ""); s != "…==-+==…" {
		t.Fatalf("ops %q", s)
	}
	if got[0].Skipped != 23 || got[len(got)-1].Skipped != 22 || got[3].From != 26 || got[4].To != 26 {
		t.Errorf("skips and numbers wrong: %+v", got)
	}
}

// TestDiffRebuildsBothTexts checks the edit script on random texts: the
// old text is its equal and deleted lines, the new one its equal and
// inserted lines, and the script is as short as the longest common
// subsequence allows.
func TestDiffRebuildsBothTexts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "b", "c", "d", "e"}
	random := func() string {
		var ls []string
		for range r.IntN(30) {
			ls = append(ls, words[r.IntN(len(words))])
		}
		return strings.Join(ls, "\n")
	}
	for range 500 {
		a, b := random(), random()
		var old, new []string
		edits := 0
		for _, l := range documents.DiffLines(a, b, 1<<30) {
			switch l.Op {
			case documents.DiffEqual:
				old, new = append(old, l.Text), append(new, l.Text)
			case documents.DiffDelete:
				old, edits = append(old, l.Text), edits+1
			case documents.DiffInsert:
				new, edits = append(new, l.Text), edits+1
			}
		}
		if strings.Join(old, "\n") != a || strings.Join(new, "\n") != b {
			t.Fatalf("diff of %q and %q does not rebuild them", a, b)
		}
		x, y := lines(a), lines(b)
		if want := len(x) + len(y) - 2*lcs(x, y); edits != want {
			t.Fatalf("%d edits for %q → %q, the shortest script has %d", edits, a, b, want)
		}
	}
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// lcs is the length of the longest common subsequence, by dynamic
// programming: the reference the shortest edit script is checked against.
func lcs(x, y []string) int {
	dp := make([][]int, len(x)+1)
	for i := range dp {
		dp[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}
