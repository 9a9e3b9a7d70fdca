package pdfcheck

import (
	"fmt"
	"strconv"
	"strings"
)

// checkMarkedContent: on each page, no artifact inside tagged content, no
// tagged content inside an artifact, and no painting outside both.
func (c *checker) checkMarkedContent() {
	for _, p := range c.pages {
		if p.artifactInTagged > 0 {
			c.fail("Matterhorn 01-003", "%s: artifacts opened inside tagged content: %d", p.where(), p.artifactInTagged)
		}
		if p.taggedInArtifact > 0 {
			c.fail("Matterhorn 01-004", "%s: tagged sequences (with an MCID) opened inside an artifact: %d", p.where(), p.taggedInArtifact)
		}
		if p.unmarked > 0 {
			c.fail("Matterhorn 01-005", "%s: painting operators neither in tagged content nor in an artifact: %d, the first %s",
				p.where(), p.unmarked, p.firstUnmarked)
		}
	}
}

// checkMarkInfo: /MarkInfo says the file is tagged and not suspect.
func (c *checker) checkMarkInfo() {
	mi := c.dict(c.catalog()["/MarkInfo"])
	if isTrue(c, mi["/Suspects"]) {
		c.fail("Matterhorn 01-007", "the catalog's /MarkInfo has /Suspects true")
	}
	if !isTrue(c, mi["/Marked"]) {
		c.fail("ISO 19005-2 6.7.2.2", "the catalog has no /MarkInfo with /Marked true")
	}
}

// checkViewerPreferences: the viewer shows the title, not the file name.
func (c *checker) checkViewerPreferences() {
	vp := c.dict(c.catalog()["/ViewerPreferences"])
	show, ok := c.boolean(vp["/DisplayDocTitle"])
	switch {
	case !ok:
		c.fail("Matterhorn 07-001", "the catalog's /ViewerPreferences has no /DisplayDocTitle")
	case !show:
		c.fail("Matterhorn 07-002", "the catalog's /ViewerPreferences has /DisplayDocTitle false")
	}
}

// checkLanguage: the catalog's /Lang, or else every element with content
// has a /Lang of its own or an ancestor's.
func (c *checker) checkLanguage() {
	if lang, _ := c.text(c.catalog()["/Lang"]); lang != "" {
		return
	}
	if c.tree == nil {
		c.fail("Matterhorn 11-001", "the catalog has no /Lang and there is no structure tree to give one")
		return
	}
	var without []string
	for _, e := range c.tree.elems {
		if len(e.mcrs) > 0 && e.lang == "" {
			without = append(without, e.where())
		}
	}
	if len(without) > 0 {
		c.fail("Matterhorn 11-001", "the catalog has no /Lang, nor have these elements with content: %s", list(without))
	}
}

// checkFigures: every Figure has alternative or replacement text.
func (c *checker) checkFigures() {
	if c.tree == nil {
		return
	}
	for _, e := range c.tree.elems {
		alt, _ := c.text(e.dict["/Alt"])
		actual, _ := c.text(e.dict["/ActualText"])
		if e.std == "Figure" && strings.TrimSpace(alt+actual) == "" {
			c.fail("Matterhorn 13-004", "%s has neither /Alt nor /ActualText", e.where())
		}
	}
}

// checkHeadings: numbered headings start at H1 and go down one level at a
// time, in the tree's depth-first order.
func (c *checker) checkHeadings() {
	if c.tree == nil {
		return
	}
	prev := 0
	for _, e := range c.tree.elems {
		level := headingLevel(e.std)
		switch {
		case level == 0:
			continue
		case prev == 0 && level != 1:
			c.fail("Matterhorn 14-002", "the first numbered heading is %s, not H1", e.where())
		case prev > 0 && level > prev+1:
			c.fail("Matterhorn 14-003", "%s follows an H%d: a level is skipped", e.where(), prev)
		}
		prev = level
	}
}

// headingLevel returns n for Hn (1–6), else 0.
func headingLevel(std string) int {
	if len(std) == 2 && std[0] == 'H' {
		if n, err := strconv.Atoi(std[1:]); err == nil && n >= 1 && n <= 6 {
			return n
		}
	}
	return 0
}

// checkHeaderScope: in a table without a Headers/ID scheme, every TH has a
// /Scope in its Table attributes.
func (c *checker) checkHeaderScope() {
	if c.tree == nil {
		return
	}
	for _, table := range c.tree.elems {
		if table.std != "Table" {
			continue
		}
		cells := tableCells(table)
		if c.usesHeaders(cells) {
			continue
		}
		var missing []string
		for _, cell := range cells {
			if cell.std == "TH" && c.tableAttribute(cell, "/Scope") == nil {
				missing = append(missing, cell.where())
			}
		}
		if len(missing) > 0 {
			c.fail("Matterhorn 15-003", "%s has header cells without /Scope and no Headers scheme: %s", table.where(), list(missing))
		}
	}
}

// tableCells returns a table's TH and TD elements, not those of tables
// inside it.
func tableCells(table *elem) []*elem {
	var cells []*elem
	var visit func(*elem)
	visit = func(e *elem) {
		for _, k := range e.kids {
			switch k.std {
			case "Table":
			case "TH", "TD":
				cells = append(cells, k)
			default:
				visit(k)
			}
		}
	}
	visit(table)
	return cells
}

func (c *checker) usesHeaders(cells []*elem) bool {
	for _, cell := range cells {
		if c.tableAttribute(cell, "/Headers") != nil {
			return true
		}
	}
	return false
}

// tableAttribute returns an attribute of the Table owner from /A, which is
// a dictionary or an array of dictionaries (and revision numbers).
func (c *checker) tableAttribute(e *elem, key string) any {
	attrs := c.kids(e.dict["/A"])
	for _, a := range attrs {
		if d := c.dict(a); c.name(d["/O"]) == "Table" && d[key] != nil {
			return d[key]
		}
	}
	return nil
}

// checkStructTreeRoot: the logical structure is there.
func (c *checker) checkStructTreeRoot() {
	if c.tree == nil {
		c.fail("ISO 19005-2 6.7.3.3", "the catalog has no /StructTreeRoot")
	}
}

// describe shortens a value for a message.
func describe(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
