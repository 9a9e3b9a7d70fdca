package pdfcheck

import (
	"fmt"
	"slices"
)

// checkParentTree: every MCID on a page appears once, and the parent tree
// maps it (at the page's /StructParents) to the element whose /K holds it;
// every marked-content reference in the tree names an MCID on its page.
func (c *checker) checkParentTree() {
	if c.tree == nil {
		return // ISO 19005-2 6.7.3.3 reports the missing tree
	}
	parents := c.numberTree(c.tree.root["/ParentTree"], map[string]bool{})
	for _, p := range c.pages {
		c.checkPageMCIDs(p, parents)
	}
	for _, e := range c.tree.elems {
		for _, m := range e.mcrs {
			if p := c.byRef[m.page]; p == nil || p.mcids[m.mcid] == 0 {
				c.fail("ISO 32000-1 14.7.4.4", "%s refers to MCID %d on %s, which has no such marked content", e.where(), m.mcid, pageName(p, m.page))
			}
		}
	}
}

func pageName(p *page, ref string) string {
	if p == nil {
		return fmt.Sprintf("%q (not a page)", ref)
	}
	return p.where()
}

// checkPageMCIDs checks one page's MCIDs against the parent tree.
func (c *checker) checkPageMCIDs(p *page, parents map[int]any) {
	if len(p.mcids) == 0 {
		return
	}
	key, ok := c.integer(p.dict["/StructParents"])
	if !ok {
		c.fail("ISO 32000-1 14.7.4.4", "%s has marked content with MCIDs but no /StructParents", p.where())
		return
	}
	entry := c.array(parents[key])
	for _, mcid := range sortedKeys(p.mcids) {
		if p.mcids[mcid] > 1 {
			c.fail("ISO 32000-1 14.7.4.4", "%s uses MCID %d %d times", p.where(), mcid, p.mcids[mcid])
		}
		var parent any
		if mcid >= 0 && mcid < len(entry) {
			parent = entry[mcid]
		}
		e := c.tree.byRef[refOf(parent)]
		if e == nil || !slices.Contains(e.mcrs, mcr{page: p.ref, mcid: mcid}) {
			c.fail("ISO 32000-1 14.7.4.4", "%s: the parent tree (key %d) maps MCID %d to %s, not to an element whose /K holds it",
				p.where(), key, mcid, describe(parent))
		}
	}
}

// numberTree reads a number tree's /Nums, through /Kids.
func (c *checker) numberTree(v any, seen map[string]bool) map[int]any {
	m := map[int]any{}
	if ref := refOf(v); ref != direct {
		if seen[ref] {
			return m
		}
		seen[ref] = true
	}
	node := c.dict(v)
	nums := c.array(node["/Nums"])
	for i := 0; i+1 < len(nums); i += 2 {
		if k, ok := c.integer(nums[i]); ok {
			m[k] = nums[i+1]
		}
	}
	for _, kid := range c.array(node["/Kids"]) {
		for k, v := range c.numberTree(kid, seen) {
			m[k] = v
		}
	}
	return m
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkAnnotations: every annotation but a Popup is in the structure tree
// through an object reference, in an Annot element unless it is a Link or
// a Widget; a page with annotations has /Tabs /S.
func (c *checker) checkAnnotations() {
	for _, p := range c.pages {
		annots := c.array(p.dict["/Annots"])
		var untagged, misplaced []string
		for _, a := range annots {
			subtype := c.name(c.dict(a)["/Subtype"])
			switch holder := c.objrHolder(a); {
			case subtype == "Popup":
			case holder == nil:
				untagged = append(untagged, "/"+subtype+" "+refOf(a))
			case subtype != "Link" && subtype != "Widget" && holder.std != "Annot":
				misplaced = append(misplaced, fmt.Sprintf("/%s %s in %s", subtype, refOf(a), holder.where()))
			}
		}
		if len(untagged) > 0 {
			c.fail("ISO 14289-1 7.18.1", "%s: annotations no OBJR in the structure tree refers to: %s", p.where(), list(untagged))
		}
		if len(misplaced) > 0 {
			c.fail("ISO 14289-1 7.18.1", "%s: annotations not in an Annot element: %s", p.where(), list(misplaced))
		}
		if len(annots) > 0 && c.name(p.dict["/Tabs"]) != "S" {
			c.fail("ISO 14289-1 7.18.3", "%s has annotations but no /Tabs /S", p.where())
		}
	}
}

// objrHolder returns the element whose OBJR refers to an object.
func (c *checker) objrHolder(v any) *elem {
	if c.tree == nil || refOf(v) == direct {
		return nil
	}
	return c.tree.objrs[refOf(v)]
}
