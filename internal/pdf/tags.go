package pdf

import "fmt"

// The structure tree is recorded while the document is drawn: every
// block becomes an element (H1, P, L, LI, LBody, Table, TR, TH, TD,
// Figure) whose content is wrapped in a marked-content sequence with an
// MCID, and page furniture (the letterhead, the footer, a table header
// drawn again on a new page) in /Artifact sequences. finish then writes
// the tree, the parent tree and each page's /StructParents.

// structElem is one element of the structure tree.
type structElem struct {
	typ    string
	parent int // the index of the parent element; -1: the Document
	alt    string
	kids   []structKid
}

// structKid is a child of an element in reading order: another element,
// or a marked-content sequence on a page.
type structKid struct {
	elem       int // ≥ 0: the child element
	page, mcid int // for marked content (elem < 0), the page counted from 1
}

// tagger is the structure recorded so far.
type tagger struct {
	elems   []structElem
	top     []int   // the Document's children
	pageMCs [][]int // per page (from 0), the element of each MCID
	open    int     // the element whose marked content is open, -1 for none
	// off draws without tags: only to measure what tagging costs.
	off bool
}

// elem adds an element under parent (-1: the Document) and returns it.
func (d *doc) elem(typ string, parent int) int {
	t := &d.tags
	t.elems = append(t.elems, structElem{typ: typ, parent: parent})
	i := len(t.elems) - 1
	if parent < 0 {
		t.top = append(t.top, i)
	} else {
		t.elems[parent].kids = append(t.elems[parent].kids, structKid{elem: i})
	}
	return i
}

// mark draws draw as content of element e. A page break inside it closes
// the sequence on the old page and opens a new one on the new page (see
// pageEnds and pageStarts), so every sequence stays on one page.
func (d *doc) mark(e int, draw func()) {
	if d.tags.off {
		draw()
		return
	}
	outer := d.tags.open
	if outer >= 0 {
		d.endMarked() // marked content does not nest: the inner element gets its own sequence
	}
	d.beginMarked(e)
	draw()
	d.endMarked()
	if outer >= 0 {
		d.beginMarked(outer)
	}
}

// beginMarked opens a sequence of e's content on the current page.
func (d *doc) beginMarked(e int) {
	t := &d.tags
	page := d.f.PageNo()
	for len(t.pageMCs) < page {
		t.pageMCs = append(t.pageMCs, nil)
	}
	mcid := len(t.pageMCs[page-1])
	t.pageMCs[page-1] = append(t.pageMCs[page-1], e)
	t.elems[e].kids = append(t.elems[e].kids, structKid{elem: -1, page: page, mcid: mcid})
	d.f.RawWriteStr(fmt.Sprintf("/%s <</MCID %d>> BDC\n", t.elems[e].typ, mcid))
	t.open = e
}

// markOn opens a sequence of e's content that runs, across page breaks,
// until endMarked.
func (d *doc) markOn(e int) {
	if !d.tags.off {
		d.beginMarked(e)
	}
}

func (d *doc) endMarked() {
	if d.tags.open >= 0 {
		d.f.RawWriteStr("EMC\n")
		d.tags.open = -1
	}
}

// artifact draws draw as page furniture, outside the structure tree.
func (d *doc) artifact(draw func()) {
	if d.tags.off {
		draw()
		return
	}
	outer := d.tags.open
	d.endMarked()
	d.f.RawWriteStr("/Artifact BMC\n")
	draw()
	d.f.RawWriteStr("EMC\n")
	if outer >= 0 {
		d.beginMarked(outer)
	}
}

// pageEnds is gofpdf's footer: the open sequence ends with the page, and
// the footer is an artifact. pageStarts is its header: the sequence goes
// on, with a new MCID, on the new page.
func (d *doc) pageEnds() {
	if d.tags.off {
		d.footer()
		return
	}
	d.resume = d.tags.open
	d.endMarked()
	d.f.RawWriteStr("/Artifact BMC\n")
	d.footer()
	d.f.RawWriteStr("EMC\n")
}

func (d *doc) pageStarts() {
	if d.resume >= 0 {
		d.beginMarked(d.resume)
		d.resume = -1
	}
}
