package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// edge is one arrow of a definition's graph: event takes from to to.
type edge struct {
	from, to, event string
}

// graph returns the definition's arrows in definition order, and the
// events that may fire in every open state without changing it (which
// would otherwise draw a loop on every state), shown in a note instead.
func (d *Definition) graph() (edges []edge, everywhere []string) {
	for _, e := range d.Events {
		anywhere := slices.Contains(e.From, AnyOpenState)
		keeps := false
		for _, from := range d.sources(e.From) {
			for _, to := range d.targets(e, from) {
				if anywhere && to == from {
					keeps = true
					continue
				}
				if ed := (edge{from, to, e.Name}); !slices.Contains(edges, ed) {
					edges = append(edges, ed)
				}
			}
		}
		if keeps {
			everywhere = append(everywhere, e.Name)
		}
	}
	return edges, everywhere
}

// DOT renders the definition for Graphviz, with current (if not "")
// highlighted.
func (d *Definition) DOT(current string) string {
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
	edges, everywhere := d.graph()
	for _, e := range edges {
		fmt.Fprintf(&b, "  %q -> %q [label=%q];\n", e.from, e.to, e.event)
	}
	if len(everywhere) > 0 {
		fmt.Fprintf(&b, "  everywhere [shape=note, label=%q];\n", "I alla öppna tillstånd:\\n"+strings.Join(everywhere, "\\n"))
	}
	b.WriteString("}\n")
	return b.String()
}

// Mermaid renders the definition as a Mermaid state diagram, with current
// (if not "") highlighted.
func (d *Definition) Mermaid(current string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s (%s v%d)\n---\nstateDiagram-v2\n", d.Title, d.Name, d.Version)
	for _, s := range d.States {
		fmt.Fprintf(&b, "  state %q as %s\n", s.Title, mermaidID(s.Name))
	}
	fmt.Fprintf(&b, "  [*] --> %s\n", mermaidID(d.Initial))
	edges, everywhere := d.graph()
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s --> %s : %s\n", mermaidID(e.from), mermaidID(e.to), e.event)
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
