package draw

import (
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// TestPlanSVG draws the Huddinge remiss's plan (an intern remiss, the
// stopptid, KSAU, KS, justering, expediering) with a late step: well-formed
// SVG with a description in words, a dot per step in its status's colour,
// and the lines for today and the reply date; compared with a golden file.
func TestPlanSVG(t *testing.T) {
	d := func(s string) workflow.Date { v, _ := workflow.ParseDate(s); return v }
	p := planning.Plan{Dnr: "KS-2024/76.109", Today: d("2024-03-12"), ReplyBy: d("2024-04-15"), Steps: []planning.PlanStep{
		{Kind: planning.StepNamndSvar, Title: "Socialnämndens svar", Date: d("2024-03-11"), Status: workflow.PlanKlar},
		{Kind: planning.StepNamndSvar, Title: "Grundskolenämndens svar", Date: d("2024-03-11"), Status: workflow.PlanSen},
		{Kind: planning.StepStopptid, Title: "Tjänsteutlåtandet klart (stopptid)", Date: d("2024-03-13"), Status: workflow.PlanRisk},
		{Kind: planning.StepArbetsutskott, Title: "Kommunstyrelsens arbetsutskott", Date: d("2024-03-27"), Status: workflow.PlanITid},
		{Kind: planning.StepStyrelse, Title: "Kommunstyrelsen", Date: d("2024-04-08"), Status: workflow.PlanITid},
		{Kind: planning.StepJustering, Title: "Justering", Date: d("2024-04-10"), Status: workflow.PlanITid},
		{Kind: planning.StepExpediering, Title: "Svaret skickas", Date: d("2024-04-15"), Status: workflow.PlanITid},
	}}
	svg := PlanSVG(p)
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
	for _, want := range []string{`<desc id="plan-desc">I dag 2024-03-12, svar senast 2024-04-15. Socialnämndens svar 2024-03-11 (klart).`,
		`fill="#8a1116"><title>Grundskolenämndens svar 2024-03-11: försenat</title>`, "I dag 2024-03-12", "Svar senast 2024-04-15", ">mars<", ">april<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the picture lacks %q", want)
		}
	}
	if strings.Count(svg, "<circle") != len(p.Steps) {
		t.Errorf("%d dots for %d steps", strings.Count(svg, "<circle"), len(p.Steps))
	}
	golden(t, filepath.Join("testdata", "plan.svg"), svg)
}
