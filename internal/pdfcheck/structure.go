package pdfcheck

import (
	"fmt"
	"slices"
	"strings"
)

// standardTypes are ISO 32000-1's standard structure types (14.8.4).
var standardTypes = setOf(strings.Fields(`Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
	NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote
	Note Reference BibEntry Code Link Annot Ruby Warichu RB RT RP WT WP Figure Formula Form`)...)

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// structTree is the document's structure tree, flattened.
type structTree struct {
	root    map[string]any
	roleMap map[string]string
	elems   []*elem          // depth-first, in the order of /K
	byRef   map[string]*elem // elements that are indirect objects
	objrs   map[string]*elem // annotation (or other object) reference → the element holding its OBJR
}

// elem is one structure element.
type elem struct {
	ref    string // its reference, or direct
	dict   map[string]any
	typ    string // /S
	std    string // the standard type it is or maps to; "" when none
	parent *elem
	kids   []*elem
	mcrs   []mcr
	lang   string // its /Lang or its nearest ancestor's
}

// mcr is a marked-content reference: an MCID on a page.
type mcr struct {
	page string // the page's reference; "" when unknown
	mcid int
}

// loadStructTree reads the tree from the catalog's StructTreeRoot.
func (c *checker) loadStructTree() *structTree {
	root := c.dict(c.catalog()["/StructTreeRoot"])
	if root == nil {
		return nil
	}
	t := &structTree{root: root, roleMap: map[string]string{}, byRef: map[string]*elem{}, objrs: map[string]*elem{}}
	for k, v := range c.dict(root["/RoleMap"]) {
		t.roleMap[unescapeName(strings.TrimPrefix(k, "/"))] = c.name(v)
	}
	seen := map[string]bool{}
	for _, k := range c.kids(root["/K"]) {
		c.addElem(t, k, nil, seen)
	}
	for _, e := range t.elems {
		e.std = t.standard(e.typ)
	}
	return t
}

// kids returns a /K value as a list.
func (c *checker) kids(v any) []any {
	if a, ok := c.resolve(v).([]any); ok {
		return a
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// addElem adds a structure element and its descendants.
func (c *checker) addElem(t *structTree, v any, parent *elem, seen map[string]bool) {
	ref, d := refOf(v), c.dict(v)
	if seen[ref] || d == nil {
		return
	}
	if ref != direct {
		seen[ref] = true
	}
	e := &elem{ref: ref, dict: d, typ: c.name(d["/S"]), parent: parent, lang: c.langOf(d, parent)}
	if parent != nil {
		parent.kids = append(parent.kids, e)
	}
	t.elems = append(t.elems, e)
	if ref != direct {
		t.byRef[ref] = e
	}
	for _, k := range c.kids(d["/K"]) {
		c.addKid(t, e, k, seen)
	}
}

// addKid adds one item of an element's /K: an MCID, a marked-content
// reference, an object reference, or an element. An MCID's page is the
// reference's /Pg, else the element's own (ISO 32000-1, 14.7.4.2).
func (c *checker) addKid(t *structTree, e *elem, k any, seen map[string]bool) {
	pg := pageRef(e.dict["/Pg"])
	if mcid, ok := c.integer(k); ok {
		e.mcrs = append(e.mcrs, mcr{page: pg, mcid: mcid})
		return
	}
	d := c.dict(k)
	switch c.name(d["/Type"]) {
	case "MCR":
		if d["/Stm"] != nil { // content of a form XObject: not followed
			return
		}
		if d["/Pg"] != nil {
			pg = pageRef(d["/Pg"])
		}
		mcid, _ := c.integer(d["/MCID"])
		e.mcrs = append(e.mcrs, mcr{page: pg, mcid: mcid})
	case "OBJR":
		if obj := refOf(d["/Obj"]); obj != direct {
			t.objrs[obj] = e
		}
	default:
		if d != nil {
			c.addElem(t, k, e, seen)
		}
	}
}

// pageRef returns a /Pg entry's page reference; "" when it is not one.
func pageRef(v any) string {
	if ref := refOf(v); ref != direct {
		return ref
	}
	return ""
}

// langOf returns an element's language, inherited when it has none.
func (c *checker) langOf(d map[string]any, parent *elem) string {
	if lang, ok := c.text(d["/Lang"]); ok && lang != "" {
		return lang
	}
	if parent != nil {
		return parent.lang
	}
	return ""
}

// standard returns the standard type a type is or is role-mapped to.
func (t *structTree) standard(typ string) string {
	seen := map[string]bool{}
	for cur := typ; !seen[cur]; cur = t.roleMap[cur] {
		if standardTypes[cur] {
			return cur
		}
		seen[cur] = true
		if _, ok := t.roleMap[cur]; !ok {
			return ""
		}
	}
	return ""
}

// roleProblem says what is wrong with a type's role mapping, if anything.
func (t *structTree) roleProblem(typ string) (id, problem string) {
	if standardTypes[typ] {
		if to, ok := t.roleMap[typ]; ok && to != typ {
			return "Matterhorn 02-004", fmt.Sprintf("the standard type /%s is role-mapped (to /%s)", typ, to)
		}
		return "", ""
	}
	seen := map[string]bool{}
	for cur := typ; ; {
		seen[cur] = true
		next, ok := t.roleMap[cur]
		switch {
		case !ok:
			return "Matterhorn 02-001", fmt.Sprintf("/%s is neither a standard type nor role-mapped to one", typ)
		case standardTypes[next]:
			return "", ""
		case seen[next]:
			return "Matterhorn 02-003", fmt.Sprintf("the role mapping of /%s is circular", typ)
		}
		cur = next
	}
}

// checkRoles reports each structure type used whose role mapping is wrong,
// once, under the PDF/UA condition and ISO 19005-2 6.7.3.4.
func (c *checker) checkRoles() {
	if c.tree == nil {
		return
	}
	done := map[string]bool{}
	for _, e := range c.tree.elems {
		if done[e.typ] {
			continue
		}
		done[e.typ] = true
		if id, problem := c.tree.roleProblem(e.typ); id != "" {
			c.fail(id, "%s (first used by %s)", problem, e.ref)
			c.fail("ISO 19005-2 6.7.3.4", "%s (first used by %s)", problem, e.ref)
		}
	}
}

// where names an element for messages.
func (e *elem) where() string { return fmt.Sprintf("<%s> %s", e.typ, e.ref) }

// checkKids checks the tree against two rules by standard type: children
// lists the types an element may contain, parents the types an element
// may be inside.
func (c *checker) checkKids(id string, children, parents map[string][]string) {
	if c.tree == nil {
		return
	}
	for _, e := range c.tree.elems {
		for _, k := range e.kids {
			if allowed, ok := children[e.std]; ok && !slices.Contains(allowed, k.std) {
				c.fail(id, "%s contains %s; <%s> may contain only %s", e.where(), k.where(), e.std, strings.Join(allowed, ", "))
			}
		}
		if want, ok := parents[e.std]; ok && (e.parent == nil || !slices.Contains(want, e.parent.std)) {
			c.fail(id, "%s is not inside %s", e.where(), strings.Join(want, " or "))
		}
	}
}

// checkTables: ISO 32000-1 table 337's table structure.
func (c *checker) checkTables() {
	rows := []string{"TR"}
	c.checkKids("Matterhorn 09-004",
		map[string][]string{"Table": {"TR", "THead", "TBody", "TFoot", "Caption"}, "THead": rows, "TBody": rows, "TFoot": rows, "TR": {"TH", "TD"}},
		map[string][]string{"TH": rows, "TD": rows, "TR": {"Table", "THead", "TBody", "TFoot"}, "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}})
}

// checkLists: ISO 32000-1's list structure.
func (c *checker) checkLists() {
	c.checkKids("Matterhorn 09-005",
		map[string][]string{"L": {"LI", "L", "Caption"}, "LI": {"Lbl", "LBody"}},
		map[string][]string{"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}})
}
