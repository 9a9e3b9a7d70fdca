package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	rpdf "github.com/yttrande/remiss/internal/pdf"
	"github.com/yttrande/remiss/internal/pdfcheck"
	"github.com/yttrande/remiss/internal/web"
	"github.com/yttrande/remiss/workflow"
)

// testRenderer is the real PDF renderer: the documents the API serves are
// checked with poppler's tools.
func testRenderer(t testing.TB) web.Renderer {
	t.Helper()
	r, err := rpdf.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fixtureTitle is the title of the paragraph in fixture 001.
const fixtureTitle = "Förändring genom försöksverksamhet i den kommunala sektorn (SOU 2023:94) – svar på remiss från finansdepartementet"

// fixtureDecision is the KSAU decision of 27 March 2024 § 15 in fixture
// 001, as the secretary records it.
func fixtureDecision(ksau, ks int64) string {
	d := map[string]any{
		"outcome": "forslag", "meeting": ksau, "ks_meeting": ks, "paragraph": 15,
		"beslutsformulering": "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen att besluta i enlighet med förvaltningens förslag till beslut.",
		"forslag":            "Bilaga 1 till kommunstyrelsens förvaltnings tjänsteutlåtande, daterat den 14 februari 2024, överlämnas till finansdepartementet som Huddinge kommuns yttrande över remissen ”Förändring genom försöksverksamhet i den kommunala sektorn” (SOU 2023:94).",
		"forslagsstallare":   "Förvaltningen",
		"sammanfattning":     "Huddinge kommun har fått betänkandet ”Förändring genom försöksverksamhet i den kommunala sektorn” (SOU 2023:94) på remiss från finansdepartementet.\n\nKommunstyrelsens förvaltning menar att försöksverksamhet är bra då den testar nya arbetssätt.",
		"skickas_till":       []string{"Finansdepartementet"},
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// checkProtokollsutdrag fetches the extract of KSAU 27 March 2024 § 15
// and checks with pdftotext that every heading and field of the original
// (fixture 001) is there, in the original's order.
func checkProtokollsutdrag(t *testing.T, a *api, o org, meeting int64) {
	t.Helper()
	resp := a.do("GET", fmt.Sprintf("/api/v1/organizations/huddinge/meetings/%d/paragraphs/15/protokollsutdrag.pdf", meeting), o.lasare, nil, "")
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("protokollsutdrag: %d %s", resp.StatusCode, body)
	}
	if _, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); !strings.HasPrefix(params["filename"], "Huddinge kommun - Protokollsutdrag") {
		t.Errorf("file name %q lacks the municipality", params["filename"])
	}
	path := filepath.Join(t.TempDir(), "utdrag.pdf")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	last := -1
	for _, want := range []string{
		"Kommunstyrelsens arbetsutskott", "Sammanträdesdatum 27 mars 2024", "Paragraf § 15", "Diarienummer KS-2024/76.109",
		fixtureTitle, "Kommunstyrelsens arbetsutskotts beslut", "Kommunstyrelsens arbetsutskott föreslår kommunstyrelsen",
		"Förvaltningens förslag till beslut", "Kommunstyrelsens beslut", "Bilaga 1 till kommunstyrelsens förvaltnings tjänsteutlåtande",
		"Sammanfattning", "Huddinge kommun har fått betänkandet", "Beslutet ska skickas till", "Finansdepartementet", "Utdragsbestyrkande",
	} {
		i := strings.Index(text[last+1:], want)
		if i < 0 {
			t.Fatalf("%q missing or out of order after position %d in:\n%s", want, last, text)
		}
		last += 1 + i
	}
	if err := exec.Command("qpdf", "--check", path).Run(); err != nil {
		t.Errorf("qpdf --check: %v", err)
	}
}

// checkEveryPDF fetches every kind of PDF remiss makes of the replayed
// case and its meetings — the yttrande, the registered (decided)
// yttrande, the short yttrande when declining, the tjänsteutlåtande, the
// tjänsteskrivelse, the kallelse, the anslagsbevis and the
// protokollsutdrag — and checks that each is tagged with a structure
// tree (poppler) and meets the PDF/UA and PDF/A conditions pdfcheck
// tests.
func checkEveryPDF(t *testing.T, a *api, o org, caseURL string, meetings map[string]int64) {
	t.Helper()
	if testing.Short() {
		t.Log("every PDF's conformance: slow, skipped under -short")
		return
	}
	var docs struct{ Items []workflow.Document }
	a.call("GET", caseURL+"/documents", o.lasare, nil, 200, &docs)
	i := slices.IndexFunc(docs.Items, func(d workflow.Document) bool { return d.Source == workflow.SourceDecidedYttrande })
	if i < 0 {
		t.Fatalf("no decided yttrande registered: %+v", docs.Items)
	}
	meeting := fmt.Sprintf("/api/v1/organizations/huddinge/meetings/%d", meetings["KSAU 2024-03-27"])
	for _, name := range []string{"Ordförande A", "Justerare B"} {
		a.call("POST", "/api/v1/organizations/huddinge/bodies/KSAU/members", o.sekreterare, map[string]string{"name": name, "role": "ledamot"}, 201, nil)
	}
	var m struct{ Version int }
	a.call("GET", meeting, o.lasare, nil, 200, &m)
	a.call("POST", meeting+"/justering", o.sekreterare, map[string]any{"version": m.Version, "date": "2024-03-29", "ordforande": "Ordförande A", "justerare": []string{"Justerare B"}}, 200, nil)
	for name, path := range map[string]string{
		"yttrande":             caseURL + "/yttrande.pdf",
		"registrerat yttrande": fmt.Sprintf("%s/documents/%d/content", caseURL, docs.Items[i].Number),
		"yttrande-avstar":      caseURL + "/render/yttrande-avstar.pdf",
		"tjansteutlatande":     caseURL + "/render/tjansteutlatande.pdf",
		"tjansteskrivelse":     caseURL + "/render/tjansteskrivelse.pdf",
		"kallelse":             meeting + "/kallelse.pdf",
		"anslagsbevis":         meeting + "/anslagsbevis.pdf",
		"protokollsutdrag":     meeting + "/paragraphs/15/protokollsutdrag.pdf",
	} {
		resp := a.do("GET", path, o.lasare, nil, "")
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
			continue
		}
		file := filepath.Join(t.TempDir(), name+".pdf")
		if err := os.WriteFile(file, body, 0o600); err != nil {
			t.Fatal(err)
		}
		if info, _ := exec.Command("pdfinfo", file).Output(); !strings.Contains(string(info), "Tagged:          yes") {
			t.Errorf("%s is not tagged:\n%s", name, info)
		}
		if tree, _ := exec.Command("pdfinfo", "-struct-text", file).Output(); !strings.Contains(string(tree), "Document") || !strings.Contains(string(tree), "H1") {
			t.Errorf("%s has no structure tree with a first heading:\n%s", name, tree)
		}
		failures, err := pdfcheck.Check(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range failures {
			t.Errorf("%s: %s", name, f)
		}
	}
}

// translucentLogo is a PNG logo whose edge fades out, which gofpdf draws
// with a soft mask.
func translucentLogo(t *testing.T) []byte {
	b, err := os.ReadFile("../pdf/testdata/translucent-logo.png")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
