// Package draw draws for people: a workflow definition as SVG (laid out
// here, accessible), Graphviz DOT and Mermaid, and a case's plan as a
// timeline picture. It is the presentation side of the domain's models.
package draw

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow"
)

// The formats a definition is drawn in.
const (
	FormatSVG     = "svg"
	FormatDOT     = "dot"
	FormatMermaid = "mermaid"
)

// Definition draws d in format ("" is SVG) with current (if not "")
// highlighted; false for a format it does not know.
func Definition(d *workflow.Definition, current, format string) (string, bool) {
	switch format {
	case FormatSVG, "":
		return SVG(d, current), true
	case FormatDOT:
		return DOT(d, current), true
	case FormatMermaid:
		return Mermaid(d, current), true
	}
	return "", false
}

// DOT draws the definition for Graphviz, with current (if not "")
// highlighted.
func DOT(d *workflow.Definition, current string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %q {\n", d.Name)
	fmt.Fprintf(&b, "  label=%q;\n  labelloc=t;\n  rankdir=TB;\n", fmt.Sprintf("%s (%s v%d)", d.Title, d.Name, d.Version))
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Liberation Sans\"];\n  edge [fontname=\"Liberation Sans\", fontsize=10];\n")
	fmt.Fprintf(&b, "  start [shape=point];\n  start -> %q;\n", d.Initial)
	for _, s := range d.States {
		attrs := fmt.Sprintf("label=%q", s.Title)
		if s.Terminal {
			attrs += ", peripheries=2"
		}
		if s.Name == current {
			attrs += ", style=\"rounded,filled,bold\", fillcolor=\"#ffd54f\""
		}
		fmt.Fprintf(&b, "  %q [%s];\n", s.Name, attrs)
	}
	edges, everywhere := d.Graph()
	for _, e := range edges {
		fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", e.From, e.To, e.Event)
	}
	if len(everywhere) > 0 {
		fmt.Fprintf(&b, "  everywhere [shape=note, label=%q];\n", "I alla öppna tillstånd:\\n"+strings.Join(everywhere, "\\n"))
	}
	b.WriteString("}\n")
	return b.String()
}

// Mermaid draws the definition as a Mermaid state diagram, with current
// (if not "") highlighted.
func Mermaid(d *workflow.Definition, current string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s (%s v%d)\n---\nstateDiagram-v2\n", d.Title, d.Name, d.Version)
	for _, s := range d.States {
		fmt.Fprintf(&b, "  state %q as %s\n", s.Title, mermaidID(s.Name))
	}
	fmt.Fprintf(&b, "  [*] --> %s\n", mermaidID(d.Initial))
	edges, everywhere := d.Graph()
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s --> %s : %s\n", mermaidID(e.From), mermaidID(e.To), e.Event)
	}
	for _, s := range d.States {
		if s.Terminal {
			fmt.Fprintf(&b, "  %s --> [*]\n", mermaidID(s.Name))
		}
	}
	if len(everywhere) > 0 {
		fmt.Fprintf(&b, "  note left of %s\n    I alla öppna tillstånd: %s\n  end note\n", mermaidID(d.Initial), strings.Join(everywhere, ", "))
	}
	if current != "" {
		fmt.Fprintf(&b, "  classDef current fill:#ffd54f,stroke:#333,stroke-width:3px\n  class %s current\n", mermaidID(current))
	}
	return b.String()
}

// mermaidID makes a state name safe as a Mermaid identifier.
func mermaidID(name string) string {
	return strings.NewReplacer("-", "_").Replace(name)
}

// SVG drawing of a definition, laid out in Go: states in rows by their
// distance from the initial state, arrows between neighbouring rows drawn
// straight, and arrows that skip rows or go back routed in lanes to the
// right (forward) and left (back) of the states, so that no arrow crosses
// a state box.

const (
	svgNodeW   = 190
	svgNodeH   = 46
	svgRowGap  = 46
	svgColGap  = 40
	svgLaneGap = 16
	svgMargin  = 24
	svgTitleH  = 40
)

type svgLayout struct {
	ports    map[string]int // lane arrows already attached to a side of a state ("name/r", "name/l")
	rows     [][]string
	row, col map[string]int
	width    int
	left     int // x of the leftmost state column
	rowWidth int
}

func layoutOf(d *workflow.Definition, edges []workflow.Edge) *svgLayout {
	dist := layers(d, edges)
	l := &svgLayout{row: map[string]int{}, col: map[string]int{}, ports: map[string]int{}}
	for _, s := range d.States { // definition order within a row
		r, ok := dist[s.Name]
		if !ok {
			r = len(d.States) // unreachable: a last row (the validator refuses these)
		}
		for len(l.rows) <= r {
			l.rows = append(l.rows, nil)
		}
		l.row[s.Name], l.col[s.Name] = r, len(l.rows[r])
		l.rows[r] = append(l.rows[r], s.Name)
	}
	l.rows = slices.DeleteFunc(l.rows, func(r []string) bool { return r == nil })
	for i, r := range l.rows {
		for _, s := range r {
			l.row[s] = i
		}
	}
	widest := 0
	for _, r := range l.rows {
		widest = max(widest, len(r))
	}
	l.rowWidth = widest*svgNodeW + (widest-1)*svgColGap
	return l
}

func (l *svgLayout) x(state string) int {
	r := l.rows[l.row[state]]
	w := len(r)*svgNodeW + (len(r)-1)*svgColGap
	return l.left + (l.rowWidth-w)/2 + l.col[state]*(svgNodeW+svgColGap)
}

func (l *svgLayout) y(state string) int {
	return svgMargin + svgTitleH + l.row[state]*(svgNodeH+svgRowGap)
}

// SVG renders the definition as an accessible SVG image, with current (if
// not "") highlighted.
func SVG(d *workflow.Definition, current string) string {
	edges, everywhere := d.Graph()
	l := layoutOf(d, edges)
	var straight, right, left, loops []workflow.Edge
	for _, e := range edges {
		dr := l.row[e.To] - l.row[e.From]
		switch {
		case e.From == e.To:
			loops = append(loops, e)
		case dr == 1 || dr == 0:
			straight = append(straight, e)
		case dr > 1:
			right = append(right, e)
		default:
			left = append(left, e)
		}
	}
	// Short arrows take the lanes nearest the states, so that lanes cross
	// as little as possible.
	span := func(e workflow.Edge) int { return abs(l.row[e.To] - l.row[e.From]) }
	slices.SortStableFunc(right, func(a, b workflow.Edge) int { return span(a) - span(b) })
	slices.SortStableFunc(left, func(a, b workflow.Edge) int { return span(a) - span(b) })
	l.left = svgMargin + (len(left)+1)*svgLaneGap
	loopRoom := 0
	if len(loops) > 0 {
		loopRoom = 130 // the loops and their labels sit between the states and the right lanes
	}
	l.width = l.left + l.rowWidth + loopRoom + (len(right)+1)*svgLaneGap + svgMargin
	title := fmt.Sprintf("%s (%s v%d)", d.Title, d.Name, d.Version)
	l.width = max(l.width, svgMargin*2+9*utf8.RuneCountInString(title)) // 16px bold runs about 9px a character
	height := svgMargin*2 + svgTitleH + len(l.rows)*(svgNodeH+svgRowGap) + 20*len(everywhere)

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="wf-title wf-desc" font-family="Liberation Sans, Arial, sans-serif">`+"\n",
		l.width, height, l.width, height)
	fmt.Fprintf(&b, "<title id=\"wf-title\">%s</title>\n<desc id=\"wf-desc\">%s</desc>\n", xmlEscape(title), xmlEscape(describe(d, current)))
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#37474f"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="16" font-weight="bold" fill="#212121">%s</text>`+"\n", svgMargin, svgMargin+16, xmlEscape(title))
	for _, e := range straight {
		l.straightEdge(&b, e)
	}
	for i, e := range right {
		l.laneEdge(&b, e, l.left+l.rowWidth+loopRoom+svgLaneGap*(i+1), true)
	}
	for i, e := range left {
		l.laneEdge(&b, e, l.left-svgLaneGap*(i+1), false)
	}
	for _, e := range loops {
		l.loopEdge(&b, e)
	}
	for _, s := range d.States {
		l.node(&b, s, s.Name == current)
	}
	for i, name := range everywhere {
		if i == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#37474f">I alla öppna tillstånd:</text>`+"\n", svgMargin, height-svgMargin-20*len(everywhere))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#37474f">• %s</text>`+"\n", svgMargin+12, height-svgMargin-20*(len(everywhere)-i-1), xmlEscape(name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// describe is the image's text alternative: the states in order and, if
// given, which one the case is in.
func describe(d *workflow.Definition, current string) string {
	var titles []string
	for _, s := range d.States {
		titles = append(titles, s.Title)
	}
	desc := "Arbetsflödets tillstånd: " + strings.Join(titles, ", ") + "."
	if current != "" {
		desc += " Ärendet är nu i tillståndet " + d.StateTitle(current) + "."
	}
	return desc
}

func (l *svgLayout) node(b *strings.Builder, s workflow.State, current bool) {
	x, y := l.x(s.Name), l.y(s.Name)
	fill, stroke, width := "#ffffff", "#455a64", 1.5
	if current {
		fill, stroke, width = "#ffd54f", "#212121", 3
	}
	fmt.Fprintf(b, `<g id="state-%s"><rect x="%d" y="%d" width="%d" height="%d" rx="10" fill="%s" stroke="%s" stroke-width="%.1f"/>`,
		s.Name, x, y, svgNodeW, svgNodeH, fill, stroke, width)
	if s.Terminal {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="7" fill="none" stroke="%s"/>`, x+4, y+4, svgNodeW-8, svgNodeH-8, stroke)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="14" fill="#212121">%s</text>`, x+svgNodeW/2, y+21, xmlEscape(s.Title))
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="10" fill="#546e7a">%s</text></g>`+"\n", x+svgNodeW/2, y+36, xmlEscape(s.Name))
}

func (l *svgLayout) straightEdge(b *strings.Builder, e workflow.Edge) {
	x1, y1 := l.x(e.From)+svgNodeW/2, l.y(e.From)+svgNodeH
	x2, y2 := l.x(e.To)+svgNodeW/2, l.y(e.To)
	if l.row[e.From] == l.row[e.To] { // same row: side to side
		y1, y2 = l.y(e.From)+svgNodeH/2, l.y(e.To)+svgNodeH/2
		x1, x2 = l.x(e.From)+svgNodeW, l.x(e.To)
		if x2 < x1 {
			x1, x2 = l.x(e.From), l.x(e.To)+svgNodeW
		}
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#37474f" stroke-width="1.5" marker-end="url(#arrow)"/>`, x1, y1, x2, y2)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="11" fill="#37474f" `+labelHalo+`>%s</text>`+"\n", (x1+x2)/2+6, (y1+y2)/2+4, xmlEscape(e.Event))
}

// laneEdge routes an arrow out of the side of its state, along a vertical
// lane at x, and into the side of its target.
func (l *svgLayout) laneEdge(b *strings.Builder, e workflow.Edge, lane int, rightSide bool) {
	y1, y2 := l.y(e.From)+l.port(e.From, rightSide), l.y(e.To)+l.port(e.To, rightSide)
	x1, x2 := l.x(e.From)+svgNodeW, l.x(e.To)+svgNodeW
	if !rightSide {
		x1, x2 = l.x(e.From), l.x(e.To)
	}
	fmt.Fprintf(b, `<polyline points="%d,%d %d,%d %d,%d %d,%d" fill="none" stroke="#37474f" stroke-width="1.5" marker-end="url(#arrow)"/>`,
		x1, y1, lane, y1, lane, y2, x2, y2)
	// The label runs along the lane, so that labels of neighbouring lanes
	// never overlap.
	fmt.Fprintf(b, `<text transform="translate(%d,%d) rotate(-90)" text-anchor="middle" font-size="10" fill="#37474f" `+labelHalo+`>%s</text>`+"\n",
		lane-3, (y1+y2)/2, xmlEscape(e.Event))
}

// labelHalo keeps a label readable where it crosses a line.
const labelHalo = `paint-order="stroke" stroke="#ffffff" stroke-width="3"`

// port returns the height on a state's side for its next lane arrow, so
// that arrows leaving or entering the same side do not overlap.
func (l *svgLayout) port(state string, right bool) int {
	key := state + "/l"
	if right {
		key = state + "/r"
	}
	n := l.ports[key]
	l.ports[key]++
	return 10 + (n*8)%(svgNodeH-16)
}

func (l *svgLayout) loopEdge(b *strings.Builder, e workflow.Edge) {
	x, y := l.x(e.From)+svgNodeW, l.y(e.From)
	fmt.Fprintf(b, `<path d="M%d,%d C%d,%d %d,%d %d,%d" fill="none" stroke="#37474f" stroke-width="1.5" marker-end="url(#arrow)"/>`,
		x, y+12, x+36, y-6, x+36, y+svgNodeH+6, x, y+svgNodeH-12)
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="11" fill="#37474f">%s</text>`+"\n", x+38, y+svgNodeH/2+4, xmlEscape(e.Event))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

// layers assigns each state a row: the longest path to it from the initial
// state once the edges that go back (återremiss, say) are set aside, so
// that the usual route reads top to bottom and shortcuts skip rows.
func layers(d *workflow.Definition, edges []workflow.Edge) map[string]int {
	back := map[workflow.Edge]bool{}
	state := map[string]int{} // 0 unvisited, 1 on the DFS stack, 2 done
	var visit func(s string)
	visit = func(s string) {
		state[s] = 1
		for _, e := range edges {
			if e.From != s || e.To == s {
				continue
			}
			switch state[e.To] {
			case 0:
				visit(e.To)
			case 1:
				back[e] = true
			}
		}
		state[s] = 2
	}
	visit(d.Initial)
	dist := map[string]int{d.Initial: 0}
	// Relax until stable; without its back edges the graph is acyclic, so
	// this ends within one round per state.
	for round, changed := 0, true; changed && round <= len(d.States); round++ {
		changed = false
		for _, e := range edges {
			if from, ok := dist[e.From]; ok && !back[e] && e.From != e.To && dist[e.To] < from+1 {
				dist[e.To] = from + 1
				changed = true
			}
		}
	}
	return dist
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
