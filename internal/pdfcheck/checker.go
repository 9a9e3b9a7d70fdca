package pdfcheck

import (
	"fmt"
	"strings"
)

// checker holds the file and what the checks share: the pages with what
// their content streams showed, the fonts used, the structure tree and
// the XMP packet.
type checker struct {
	*doc
	report
	pages  []*page
	byRef  map[string]*page
	fonts  map[string]*font
	device map[string]string // device colour family ("RGB", "CMYK", "Gray") → where first used
	tree   *structTree       // nil when the catalog has no StructTreeRoot
	xmp    *xmpPacket        // nil when there is no metadata stream
}

// page is one page and what its content showed.
type page struct {
	number    int // from 1
	ref       string
	dict      map[string]any
	resources map[string]any
	mcids     map[int]int // MCID → how many sequences use it
	// Counts of the marked-content faults, and the first painting operator
	// outside marked content.
	unmarked, artifactInTagged, taggedInArtifact int
	firstUnmarked                                string
	maxNesting                                   int      // of q/Q
	limits                                       []string // implementation limits exceeded in content
	interpolated                                 bool     // an inline image with /I true
}

// newChecker reads the pages' content, the structure tree and the XMP. A
// content stream it cannot parse is an error: its pages cannot be judged.
func newChecker(d *doc) (*checker, error) {
	c := &checker{doc: d, byRef: map[string]*page{}, fonts: map[string]*font{}, device: map[string]string{}}
	c.collectPages(d.catalog()["/Pages"], nil, map[string]bool{})
	for _, p := range c.pages {
		if err := c.scanPage(p); err != nil {
			return nil, fmt.Errorf("pdfcheck: the content of %s: %w", p.where(), err)
		}
	}
	c.tree = c.loadStructTree()
	c.xmp = c.loadXMP()
	return c, nil
}

// collectPages walks the page tree in order; resources are inherited.
func (c *checker) collectPages(node any, resources map[string]any, seen map[string]bool) {
	ref := refOf(node)
	if seen[ref] {
		return
	}
	if ref != direct {
		seen[ref] = true
	}
	dict := c.dict(node)
	if r := c.dict(dict["/Resources"]); r != nil {
		resources = r
	}
	if kids, ok := c.resolve(dict["/Kids"]).([]any); ok && c.name(dict["/Type"]) != "Page" {
		for _, kid := range kids {
			c.collectPages(kid, resources, seen)
		}
		return
	}
	if dict == nil {
		return
	}
	p := &page{number: len(c.pages) + 1, ref: ref, dict: dict, resources: resources, mcids: map[int]int{}}
	c.pages = append(c.pages, p)
	c.byRef[ref] = p
}

// contents returns a page's content streams joined, as PDF reads them.
func (c *checker) contents(p *page) []byte {
	var b []byte
	v := p.dict["/Contents"]
	parts := c.array(v)
	if parts == nil {
		parts = []any{v}
	}
	for _, part := range parts {
		if s := c.stream(part); s != nil {
			b = append(append(b, s.data...), '\n')
		}
	}
	return b
}

// where names a page for messages.
func (p *page) where() string { return fmt.Sprintf("page %d (%s)", p.number, p.ref) }

// list joins up to five items for a message, with a count of the rest.
func list(items []string) string {
	if len(items) <= 5 {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:5], ", "), len(items)-5)
}
