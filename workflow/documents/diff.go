package documents

import "strings"

// DiffOp is what a line of a diff does.
type DiffOp string

// The operations of a line diff.
const (
	DiffEqual  DiffOp = "="
	DiffDelete DiffOp = "-"
	DiffInsert DiffOp = "+"
	DiffSkip   DiffOp = "…" // unchanged lines left out; Skipped says how many
)

// DiffLine is one line of a diff, with its line numbers in the old (From)
// and the new (To) version; 0 where the line is not in that version.
type DiffLine struct {
	Op      DiffOp `json:"op"`
	Text    string `json:"text"`
	From    int    `json:"from,omitempty"`
	To      int    `json:"to,omitempty"`
	Skipped int    `json:"skipped,omitempty"`
}

// DraftDiff compares two versions of a draft line by line.
type DraftDiff struct {
	Kind     DraftKind  `json:"kind"`
	From     int        `json:"from"`
	To       int        `json:"to"`
	Inserted int        `json:"inserted"`
	Deleted  int        `json:"deleted"`
	Lines    []DiffLine `json:"lines"`
}

// maxDiffEdits bounds the work of one diff: two texts further apart than
// this are shown as the old text removed and the new one inserted.
const maxDiffEdits = 4000

// DiffLines returns the shortest edit script from a to b (Myers' O(ND)
// algorithm), with runs of more than 2×context unchanged lines collapsed.
func DiffLines(a, b string, context int) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var out []DiffLine
	for i := range pre {
		out = append(out, DiffLine{Op: DiffEqual, Text: x[i], From: i + 1, To: i + 1})
	}
	for _, l := range myers(x[pre:len(x)-suf], y[pre:len(y)-suf]) {
		if l.From > 0 {
			l.From += pre
		}
		if l.To > 0 {
			l.To += pre
		}
		out = append(out, l)
	}
	for i := range suf {
		out = append(out, DiffLine{Op: DiffEqual, Text: x[len(x)-suf+i], From: len(x) - suf + i + 1, To: len(y) - suf + i + 1})
	}
	return collapse(out, context)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// myers finds the edits between x and y. trace keeps the furthest
// reaching x of each diagonal k after each number of edits d, from which
// the path is walked back.
func myers(x, y []string) []DiffLine {
	n, m := len(x), len(y)
	limit := min(n+m, maxDiffEdits)
	off := limit + 1
	v := make([]int, 2*off+1)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = v[off+k+1]
			} else {
				i = v[off+k-1] + 1
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[off+k] = i
			if i >= n && j >= m {
				return backtrack(x, y, trace, off, d)
			}
		}
	}
	return replaceAll(x, y)
}

// backtrack walks from the end back to the start: each round d left a
// snake of equal lines after one insertion or deletion.
func backtrack(x, y []string, trace [][]int, off, d int) []DiffLine {
	var rev []DiffLine
	i, j := len(x), len(y)
	for ; d > 0; d-- {
		v, k := trace[d], i-j
		pk := k - 1
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			pk = k + 1
		}
		pi := v[off+pk]
		pj := pi - pk
		for i > pi && j > pj {
			rev = append(rev, DiffLine{Op: DiffEqual, Text: x[i-1], From: i, To: j})
			i, j = i-1, j-1
		}
		if i == pi {
			rev = append(rev, DiffLine{Op: DiffInsert, Text: y[j-1], To: j})
		} else {
			rev = append(rev, DiffLine{Op: DiffDelete, Text: x[i-1], From: i})
		}
		i, j = pi, pj
	}
	for i > 0 && j > 0 {
		rev = append(rev, DiffLine{Op: DiffEqual, Text: x[i-1], From: i, To: j})
		i, j = i-1, j-1
	}
	out := make([]DiffLine, len(rev))
	for n, l := range rev {
		out[len(rev)-1-n] = l
	}
	return out
}

// collapse leaves context unchanged lines around each change and replaces
// the rest of each unchanged run with one DiffSkip line.
func collapse(lines []DiffLine, context int) []DiffLine {
	var out []DiffLine
	for i := 0; i < len(lines); {
		if lines[i].Op != DiffEqual {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].Op == DiffEqual {
			j++
		}
		head, tail := context, context
		if i == 0 {
			head = 0
		}
		if j == len(lines) {
			tail = 0
		}
		if j-i <= head+tail+1 {
			out = append(out, lines[i:j]...)
		} else {
			out = append(out, lines[i:i+head]...)
			out = append(out, DiffLine{Op: DiffSkip, Skipped: j - i - head - tail})
			out = append(out, lines[j-tail:j]...)
		}
		i = j
	}
	return out
}

func replaceAll(x, y []string) []DiffLine {
	var out []DiffLine
	for i, l := range x {
		out = append(out, DiffLine{Op: DiffDelete, Text: l, From: i + 1})
	}
	for j, l := range y {
		out = append(out, DiffLine{Op: DiffInsert, Text: l, To: j + 1})
	}
	return out
}
