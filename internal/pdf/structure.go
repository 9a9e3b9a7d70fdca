package pdf

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// writeStructure adds the structure tree recorded while drawing to the
// update: a StructElem per element under one Document element, the
// parent tree that maps each page's MCIDs back to their elements, each
// page's /StructParents and /Tabs /S, and the catalog's StructTreeRoot
// and MarkInfo.
func writeStructure(ctx *model.Context, t tagger) error {
	if err := ctx.EnsurePageCount(); err != nil {
		return err
	}
	pages := make([]*types.IndirectRef, ctx.PageCount)
	for i := range pages {
		dict, ref, _, err := ctx.PageDict(i+1, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i+1, err)
		}
		dict.Insert("StructParents", types.Integer(i))
		dict.Insert("Tabs", types.Name("S")) // tab order follows the structure
		ctx.Write.IncrementWithObjNr(ref.ObjectNumber.Value())
		pages[i] = ref
	}
	root, rootRef, err := newObject(ctx, types.Dict{"Type": types.Name("StructTreeRoot")})
	if err != nil {
		return err
	}
	document, docRef, err := newObject(ctx, types.Dict{"Type": types.Name("StructElem"), "S": types.Name("Document"), "P": *rootRef})
	if err != nil {
		return err
	}
	dicts, refs := make([]types.Dict, len(t.elems)), make([]*types.IndirectRef, len(t.elems))
	for i, e := range t.elems {
		if dicts[i], refs[i], err = newObject(ctx, types.Dict{"Type": types.Name("StructElem"), "S": types.Name(e.typ)}); err != nil {
			return err
		}
	}
	for i, e := range t.elems {
		parent := *docRef
		if e.parent >= 0 {
			parent = *refs[e.parent]
		}
		dicts[i].Insert("P", parent)
		if e.alt != "" {
			dicts[i].Insert("Alt", types.StringLiteral(e.alt))
		}
		if e.typ == "TH" { // header rows head their columns (Matterhorn 15-003)
			dicts[i].Insert("A", types.Dict{"O": types.Name("Table"), "Scope": types.Name("Column")})
		}
		kids := types.Array{}
		for _, k := range e.kids {
			if k.elem >= 0 {
				kids = append(kids, *refs[k.elem])
				continue
			}
			kids = append(kids, types.Dict{"Type": types.Name("MCR"), "Pg": *pages[k.page-1], "MCID": types.Integer(k.mcid)})
		}
		dicts[i].Insert("K", kids)
	}
	top := types.Array{}
	for _, i := range t.top {
		top = append(top, *refs[i])
	}
	document.Insert("K", top)
	nums := types.Array{}
	for page := range pages {
		elems := types.Array{}
		if page < len(t.pageMCs) {
			for _, e := range t.pageMCs[page] {
				elems = append(elems, *refs[e])
			}
		}
		nums = append(nums, types.Integer(page), elems)
	}
	root.Insert("K", *docRef)
	root.Insert("ParentTree", types.Dict{"Nums": nums})
	root.Insert("ParentTreeNextKey", types.Integer(len(pages)))
	ctx.RootDict.Insert("StructTreeRoot", *rootRef)
	ctx.RootDict.Insert("MarkInfo", types.Dict{"Marked": types.Boolean(true)})
	return nil
}

// newObject adds d to the update as a new object and returns it, to be
// filled in further, with its reference.
func newObject(ctx *model.Context, d types.Dict) (types.Dict, *types.IndirectRef, error) {
	ref, err := ctx.IndRefForNewObject(d)
	if err != nil {
		return nil, nil, err
	}
	ctx.Write.IncrementWithObjNr(ref.ObjectNumber.Value())
	return d, ref, nil
}

// countOutlines mends gofpdf's bookmarks: it writes /Count 0 on every
// item, which an item with children may not have (ISO 32000-1, 12.3.3).
// Each such item gets the number of its descendants, shown open.
func countOutlines(ctx *model.Context) error {
	ref, ok := ctx.RootDict["Outlines"].(types.IndirectRef)
	if !ok {
		return nil
	}
	outlines, err := ctx.DereferenceDict(ref)
	if err != nil || outlines == nil {
		return err
	}
	_, err = countChildren(ctx, outlines)
	return err
}

// countChildren sets /Count on each item under parent that has children,
// and returns how many items are under parent in all.
func countChildren(ctx *model.Context, parent types.Dict) (int, error) {
	total := 0
	next, ok := parent["First"].(types.IndirectRef)
	for seen := 0; ok && seen < 100000; seen++ {
		item, err := ctx.DereferenceDict(next)
		if err != nil {
			return 0, err
		}
		n, err := countChildren(ctx, item)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			item.Update("Count", types.Integer(n))
			ctx.Write.IncrementWithObjNr(next.ObjectNumber.Value())
		}
		total += 1 + n
		next, ok = item["Next"].(types.IndirectRef)
	}
	return total, nil
}
