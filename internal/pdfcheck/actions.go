package pdfcheck

import "fmt"

// allowedActions are the action types ISO 19005-2 6.5.1 permits, as
// veraPDF's profile lists them (a list of those allowed rather than of
// those forbidden, so that unknown types fail too).
var allowedActions = setOf("GoTo", "GoToR", "GoToE", "Thread", "URI", "Named", "SubmitForm")

// allowedNamed are the named actions it permits.
var allowedNamed = setOf("NextPage", "PrevPage", "FirstPage", "LastPage")

// checkActions: no forbidden actions anywhere, no JavaScript name tree,
// no additional actions in the catalog or a page.
func (c *checker) checkActions() {
	seen := map[string]bool{}
	for _, ref := range c.order {
		walk(c.objects[ref], func(v any) {
			for _, a := range c.actionsIn(v) {
				c.checkAction(ref, a, seen)
			}
		})
	}
	if c.dict(c.catalog()["/Names"])["/JavaScript"] != nil {
		c.fail("ISO 19005-2 6.5.1", "the catalog's /Names has a /JavaScript name tree")
	}
	if len(c.dict(c.catalog()["/AA"])) > 0 {
		c.fail("ISO 19005-2 6.5.2", "the catalog has additional actions (/AA)")
	}
	for _, p := range c.pages {
		if len(c.dict(p.dict["/AA"])) > 0 {
			c.fail("ISO 19005-2 6.5.2", "%s has additional actions (/AA)", p.where())
		}
	}
}

// actionsIn returns the actions a dictionary holds: /A (unless it is a
// structure element, whose /A is attributes), /OpenAction, /AA's entries,
// and itself when its /Type is /Action.
func (c *checker) actionsIn(v any) []any {
	d, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var actions []any
	if _, isElem := d["/S"]; !isElem && d["/A"] != nil {
		actions = append(actions, d["/A"])
	}
	if d["/OpenAction"] != nil {
		actions = append(actions, d["/OpenAction"])
	}
	for _, a := range c.dict(d["/AA"]) {
		actions = append(actions, a)
	}
	if c.name(d["/Type"]) == "Action" {
		actions = append(actions, d)
	}
	return actions
}

// checkAction checks an action and the ones its /Next chains to. What is
// not a dictionary with /S is no action: /OpenAction may be a destination,
// and /A in a Type3 font's /CharProcs is the glyph A.
func (c *checker) checkAction(owner string, v any, seen map[string]bool) {
	a, ok := c.resolve(v).(map[string]any)
	key := refOf(v)
	if key == direct {
		key = fmt.Sprintf("%p", a)
	}
	if !ok || c.name(a["/S"]) == "" || seen[key] {
		return
	}
	seen[key] = true
	switch s := c.name(a["/S"]); {
	case !allowedActions[s]:
		c.fail("ISO 19005-2 6.5.1", "object %s holds a /%s action", owner, s)
	case s == "Named" && !allowedNamed[c.name(a["/N"])]:
		c.fail("ISO 19005-2 6.5.1", "object %s holds the named action /%s", owner, c.name(a["/N"]))
	}
	for _, next := range c.kids(a["/Next"]) {
		c.checkAction(owner, next, seen)
	}
}

// checkEmbeddedFiles: no embedded files, in the EmbeddedFiles name tree or
// elsewhere: we cannot check that they are PDF/A themselves.
func (c *checker) checkEmbeddedFiles() {
	for _, ref := range c.order {
		walk(c.objects[ref], func(v any) {
			if d, ok := v.(map[string]any); ok && d["/EF"] != nil {
				c.fail("ISO 19005-2 6.8", "object %s has a file specification with an embedded file (/EF)", ref)
			}
		})
	}
}
