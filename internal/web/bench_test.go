package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store/storetest"
)

// BenchmarkOverview renders the overview of an organisation with 1 000
// open cases, each with its plan, through the whole stack (session,
// queries, sorting, template) and reports the page's size. Its baseline,
// measured in the same run, is the JSON API listing the same 1 000
// cases, five pages of 200; bench/overview.sh prints the ratio.
func BenchmarkOverview(b *testing.B) {
	a := newAPI(b, storetest.SQLite(b))
	o := a.bootstrap("huddinge")
	a.withPasswords(b, o)
	reg := registration()
	for i := range 1000 {
		remiss := reg["remiss"].(map[string]any)
		remiss["deadline"] = fmt.Sprintf("2024-%02d-%02d", 3+i%9, 1+i%28)
		remiss["sender_dnr"] = fmt.Sprintf("Fi2023/%05d", i)
		a.register(o, reg)
	}
	v := a.visitor(b)
	v.login("huddinge", "registrator")
	b.Run("html", func(b *testing.B) {
		var size int
		for b.Loop() {
			status, html := v.get("/o/huddinge/")
			if status != 200 || strings.Count(html, "<tr>") != 1001 {
				b.Fatalf("overview: %d, %d rows", status, strings.Count(html, "<tr>")-1)
			}
			size = len(html)
		}
		b.ReportMetric(float64(size), "html-bytes")
	})
	b.Run("json_api", func(b *testing.B) {
		for b.Loop() {
			cursor := ""
			for range 5 {
				var page struct {
					Items      []caseJSON
					NextCursor string `json:"next_cursor"`
				}
				a.call("GET", "/api/v1/organizations/huddinge/cases?limit=200&cursor="+url.QueryEscape(cursor), o.lasare, nil, 200, &page)
				cursor = page.NextCursor
			}
		}
	})
}
