package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/docx"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow/documents"
)

func testWordRenderer(t testing.TB) documents.Renderer {
	t.Helper()
	r, err := docx.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type draftJSON struct {
	Version int      `json:"version"`
	Text    string   `json:"text"`
	Author  string   `json:"author"`
	Dropped []string `json:"dropped"`
}

// TestDraftsOverTheAPI: save, conflict, read, list, diff, comment and
// resolve, each answer checked against the OpenAPI document.
func TestDraftsOverTheAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, a *api) {
		o := a.bootstrap("huddinge")
		c := a.register(o, registration())
		base := "/api/v1/organizations/huddinge/cases/" + strconv.FormatInt(c.ID, 10) + "/drafts/yttrande"
		var d draftJSON
		a.call("PUT", base, o.handlaggare, map[string]any{"text": "Kommunen tillstyrker.\n\n<script>x()</script>", "base_version": 0}, 200, &d)
		if d.Version != 1 || len(d.Dropped) == 0 {
			t.Errorf("first save: %+v", d)
		}
		p := wantProblem(t, a.do("PUT", base, o.handlaggare, map[string]any{"text": "Annan text.", "base_version": 0}, ""), 409)
		if !strings.Contains(p.Detail, "version 1 sparades av Test handlaggare") {
			t.Errorf("conflict: %q", p.Detail)
		}
		a.call("PUT", base, o.handlaggare, map[string]any{"text": "Kommunen avstyrker.\n\nMed motivering.", "base_version": 1, "note": "Efter AU"}, 200, &d)
		wantProblem(t, a.do("PUT", base, o.lasare, map[string]any{"text": "x", "base_version": 2}, ""), 403)
		p = wantProblem(t, a.do("PUT", base, o.handlaggare, map[string]any{"text": strings.Repeat("å", 6<<20), "base_version": 2}, ""), 413)
		if !strings.Contains(p.Detail, "Utkastet är för stort") {
			t.Errorf("10 MB draft: %q", p.Detail)
		}
		a.call("GET", base+"?version=1", o.lasare, nil, 200, &d)
		if d.Version != 1 || !strings.HasPrefix(d.Text, "Kommunen tillstyrker.") {
			t.Errorf("version 1: %+v", d)
		}
		var vs struct{ Items []draftJSON }
		a.call("GET", base+"/versions", o.lasare, nil, 200, &vs)
		if len(vs.Items) != 2 || vs.Items[1].Text != "" {
			t.Errorf("versions: %+v", vs)
		}
		var diff struct {
			Inserted, Deleted int
			Lines             []struct{ Op, Text string }
		}
		a.call("GET", base+"/diff?from=1&to=2&context=0", o.lasare, nil, 200, &diff)
		if diff.Inserted != 2 || diff.Deleted != 2 || len(diff.Lines) != 5 {
			t.Errorf("diff: %+v", diff)
		}
		wantProblem(t, a.do("GET", base+"/diff?from=1&to=9", o.lasare, nil, ""), 404)
		wantProblem(t, a.do("GET", "/api/v1/organizations/huddinge/cases/"+strconv.FormatInt(c.ID, 10)+"/drafts/protokoll", o.lasare, nil, ""), 404)
		var cm struct{ ID int64 }
		a.call("POST", base+"/comments", o.ordforande, map[string]any{"version": 2, "quote": "Med motivering", "text": "Utveckla motiveringen."}, 201, &cm)
		wantProblem(t, a.do("POST", base+"/comments", o.ordforande, map[string]any{"version": 2, "quote": "finns inte", "text": "x"}, ""), 422)
		a.call("POST", base+"/comments/"+strconv.FormatInt(cm.ID, 10)+"/resolve", o.handlaggare, nil, 200, nil)
		wantProblem(t, a.do("POST", base+"/comments/"+strconv.FormatInt(cm.ID, 10)+"/resolve", o.handlaggare, nil, ""), 409)
		var cs struct{ Items []struct{ Version int } }
		a.call("GET", base+"/comments", o.lasare, nil, 200, &cs)
		if len(cs.Items) != 1 || cs.Items[0].Version != 2 {
			t.Errorf("comments: %+v", cs)
		}
	})
}

// TestRenderedDocumentsOverTheAPI: the yttrande as PDF and Word under the
// name the ministry asks for, its layout as JSON, the missiv, and clear
// errors for what cannot be rendered.
func TestRenderedDocumentsOverTheAPI(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	c := a.register(o, registration())
	cases := "/api/v1/organizations/huddinge/cases/" + strconv.FormatInt(c.ID, 10)
	p := wantProblem(t, a.do("GET", cases+"/yttrande.pdf", o.lasare, nil, ""), 422)
	if !strings.Contains(p.Detail, "inget utkast till yttrande") {
		t.Errorf("no draft: %q", p.Detail)
	}
	a.call("PUT", cases+"/drafts/yttrande", o.handlaggare, map[string]any{"text": "# Synpunkter\n\nKommunen tillstyrker förslagen i **alla** delar.", "base_version": 0}, 200, nil)
	for format, mediaType := range map[string]string{"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} {
		resp := a.do("GET", cases+"/yttrande."+format, o.lasare, nil, "")
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != mediaType {
			t.Fatalf("yttrande.%s: %d %s", format, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "Huddinge kommun - Yttrande SOU 2023-94."+format) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if format == "docx" {
			if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
				t.Errorf("the Word file is no zip: %v", err)
			}
		} else if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("not a PDF")
		}
	}
	var l struct {
		FileName string `json:"file_name"`
		Layout   struct {
			Blocks []struct {
				Role  string `json:"role"`
				Spans []struct {
					Text string `json:"text"`
				} `json:"spans"`
			}
		}
	}
	a.call("GET", cases+"/render/yttrande.json", o.lasare, nil, 200, &l)
	if l.FileName != "Huddinge kommun - Yttrande SOU 2023-94" || len(l.Layout.Blocks) < 3 || l.Layout.Blocks[0].Role != "title" {
		t.Errorf("layout: %+v", l)
	}
	wantProblem(t, a.do("GET", cases+"/render/protokoll.pdf", o.lasare, nil, ""), 404)
	wantProblem(t, a.do("GET", cases+"/render/yttrande.odt", o.lasare, nil, ""), 404)
	resp := a.do("GET", cases+"/missiv", o.lasare, nil, "")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "er beteckning Fi2023/04321") {
		t.Errorf("missiv %d: %s", resp.StatusCode, b)
	}
	wantProblem(t, a.do("POST", cases+"/yttrande/register", o.sekreterare, nil, ""), 422) // not decided yet
	var x struct {
		Ready    bool
		Problems []string
		Messages []struct {
			Subject string
			To      []string
		}
	}
	var body struct{ Email string }
	a.call("PATCH", "/api/v1/organizations/huddinge/bodies/SN", o.admin, map[string]any{"email": "Socialnamnden@Huddinge.example"}, 200, &body)
	if body.Email != "socialnamnden@huddinge.example" {
		t.Errorf("body email %q", body.Email)
	}
	wantProblem(t, a.do("PATCH", "/api/v1/organizations/huddinge/bodies/SN", o.admin, map[string]any{"email": "inte en adress"}, ""), 422)
	wantProblem(t, a.do("PATCH", "/api/v1/organizations/huddinge/bodies/SN", o.sekreterare, map[string]any{"name": "x"}, ""), 403)
	a.call("PATCH", cases+"/recipients", o.registrator, map[string]any{"version": c.Version, "cc": []string{"fi.ka@regeringskansliet.se"}, "contact": "Anna Andersson"}, 200, nil)
	wantProblem(t, a.do("PATCH", cases+"/recipients", o.registrator, map[string]any{"version": c.Version, "contact": "x"}, ""), 409)
	a.call("GET", cases+"/expediering", o.lasare, nil, 200, &x)
	if x.Ready || len(x.Problems) != 2 || len(x.Messages) != 1 || x.Messages[0].Subject != "Fi2023/04321 Huddinge kommun" ||
		len(x.Messages[0].To) != 1 || x.Messages[0].To[0] != "fi.remissvar@regeringskansliet.se" {
		t.Errorf("expedition preview: %+v", x)
	}
}

// TestTemplatesAndLogoOverTheAPI: an organisation's own template is
// checked before it is stored, and a logo must be an image.
func TestTemplatesAndLogoOverTheAPI(t *testing.T) {
	a := newAPI(t, storetest.SQLite(t))
	o := a.bootstrap("huddinge")
	base := "/api/v1/organizations/huddinge"
	var ts struct{ Items []struct{ Kind string } }
	a.call("GET", base+"/templates", o.lasare, nil, 200, &ts)
	if len(ts.Items) != len(documents.TemplateKinds) {
		t.Errorf("templates: %+v", ts)
	}
	p := wantProblem(t, a.do("PUT", base+"/templates/yttrande", o.admin, map[string]string{"source": "{{.Rubrik}}"}, ""), 422)
	if !strings.Contains(p.Detail, "”Rubrik”") {
		t.Errorf("unknown field: %q", p.Detail)
	}
	wantProblem(t, a.do("PUT", base+"/templates/yttrande", o.handlaggare, map[string]string{"source": "{{.Text}}"}, ""), 403)
	var tpl struct {
		Custom bool
		Source string
	}
	a.call("PUT", base+"/templates/yttrande", o.admin, map[string]string{"source": "{{.Text}}"}, 200, &tpl)
	if !tpl.Custom {
		t.Errorf("put: %+v", tpl)
	}
	a.call("DELETE", base+"/templates/yttrande", o.admin, nil, 200, &tpl)
	if tpl.Custom || !strings.Contains(tpl.Source, "::: title") {
		t.Errorf("delete: %+v", tpl)
	}
	wantProblem(t, a.do("PUT", base+"/logo", o.admin, []byte("GIF89a inte riktigt"), "image/gif"), 415)
	wantProblem(t, a.do("GET", base+"/logo", o.lasare, nil, ""), 404)
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	var st struct {
		HasLogo bool `json:"has_logo"`
	}
	a.call("PUT", base+"/logo", o.admin, b.Bytes(), 200, &st)
	resp := a.do("GET", base+"/logo", o.lasare, nil, "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !st.HasLogo {
		t.Errorf("logo: %d %s %+v", resp.StatusCode, resp.Header.Get("Content-Type"), st)
	}
	var org struct {
		Documents json.RawMessage
	}
	a.call("PATCH", base, o.admin, map[string]any{"documents": map[string]any{"date_style": "iso", "org_number": "212000-0142"}}, 200, &org)
	if !strings.Contains(string(org.Documents), `"date_style":"iso"`) || !strings.Contains(string(org.Documents), `"has_logo":true`) {
		t.Errorf("documents: %s", org.Documents)
	}
	a.call("DELETE", base+"/logo", o.admin, nil, 200, nil)
}
