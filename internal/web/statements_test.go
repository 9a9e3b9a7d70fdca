package web_test

import (
	"fmt"
	"net/url"
	"testing"
)

// TestStatementsPerRequest holds the work of the busiest pages to a count
// of SQL statements, on both databases, with the store's own counter
// (every statement the driver sends): showing a case, and firing an event
// from its form and showing the case again.
func TestStatementsPerRequest(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		a.withPasswords(t, o)
		c := a.register(o, registration())
		casePath := fmt.Sprintf("/o/huddinge/arenden/%d", c.ID)
		v := a.visitor(t)
		v.login("huddinge", "registrator")
		_, form := v.get(casePath + "/handelser/tilldela")
		m := versionField.FindStringSubmatch(form)
		if m == nil {
			t.Fatalf("the tilldela form:\n%s", form)
		}

		before := a.store.Statements()
		if status, _ := v.get(casePath); status != 200 {
			t.Fatalf("the case page: %d", status)
		}
		page := a.store.Statements() - before
		before = a.store.Statements()
		if status, _ := v.post(casePath+"/handelser/tilldela", url.Values{"version": {m[1]}, "handlaggare": {"handlaggare@huddinge.example"}}); status != 200 {
			t.Fatalf("tilldela from the form: %d", status)
		}
		fired := a.store.Statements() - before
		t.Logf("the case page: %d statements; tilldela from the form and the case again: %d", page, fired)
		if page > 10 {
			t.Errorf("the case page took %d statements, want at most 10", page)
		}
		if fired > 15 {
			t.Errorf("tilldela from the form and the case page after it took %d statements, want at most 15", fired)
		}
	})
}
