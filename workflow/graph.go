package workflow

import "slices"

// Edge is one arrow of a definition's graph: Event takes From to To.
type Edge struct {
	From, To, Event string
}

// Graph returns the definition's arrows in definition order, and the
// events that may fire in every open state without changing it (which
// a drawing would otherwise show as a loop on every state).
func (d *Definition) Graph() (edges []Edge, everywhere []string) {
	for _, e := range d.Events {
		anywhere := slices.Contains(e.From, AnyOpenState)
		keeps := false
		for _, from := range d.sources(e.From) {
			for _, to := range d.targets(e, from) {
				if anywhere && to == from {
					keeps = true
					continue
				}
				if ed := (Edge{from, to, e.Name}); !slices.Contains(edges, ed) {
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
