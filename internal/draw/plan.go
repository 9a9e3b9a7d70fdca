package draw

import (
	"fmt"
	"strings"
	"time"

	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/planning"
)

// Layout of the plan's picture: a row per step, its label on the left
// and its day on a time axis from the first day shown to the last.
const (
	planLabelW = 300
	planAxisW  = 420
	planRowH   = 26
	planTop    = 48
)

// planColours are the statuses' colours, the same as the overview's
// badges, each with a contrast of at least 4.5:1 on white.
var planColours = map[workflow.PlanStatus]string{
	workflow.PlanKlar: "#4a4a4a", workflow.PlanITid: "#145c2c", workflow.PlanRisk: "#8a5a00", workflow.PlanSen: "#8a1116", workflow.PlanOmojlig: "#8a1116",
}

var planStatusTitles = map[workflow.PlanStatus]string{
	workflow.PlanKlar: "klart", workflow.PlanITid: "i tid", workflow.PlanRisk: "risk", workflow.PlanSen: "försenat", workflow.PlanOmojlig: "går inte att planera",
}

// SVG draws the plan as a timeline from today (or its first step) to the
// reply date: a row per step, a dot on its day in its status's colour,
// and lines for today and the reply date. The steps are also written
// out as text, so that the picture reads without seeing it.
func PlanSVG(p planning.Plan) string {
	from, to := planSpan(p)
	days := max(1, daysBetween(from, to))
	x := func(d workflow.Date) int { return planLabelW + daysBetween(from, d)*planAxisW/days }
	height := planTop + planRowH*len(p.Steps) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="plan-title plan-desc" font-family="Liberation Sans, Arial, sans-serif">`+"\n",
		planLabelW+planAxisW+40, height, planLabelW+planAxisW+40, height)
	fmt.Fprintf(&b, "<title id=\"plan-title\">Planen för %s</title>\n<desc id=\"plan-desc\">%s</desc>\n", xmlEscape(p.Dnr), xmlEscape(describePlan(p)))
	months(&b, from, to, x, height)
	marker(&b, "I dag", p.Today, x(p.Today), height, "#16324f", "4 3", "start")
	marker(&b, "Svar senast", p.ReplyBy, x(p.ReplyBy), height, "#8a1116", "", "end")
	for i, s := range p.Steps {
		y := planTop + planRowH*i + planRowH/2
		colour := planColours[s.Status]
		fmt.Fprintf(&b, `<text x="8" y="%d" font-size="12" fill="#1b1b1b">%s</text>`+"\n", y+4, xmlEscape(truncate(s.Title, 44)))
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#c8c8c8"/>`+"\n", planLabelW, y, planLabelW+planAxisW, y)
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="6" fill="%s"><title>%s %s: %s</title></circle>`+"\n", x(s.Date), y, colour,
			xmlEscape(s.Title), s.Date, planStatusTitles[s.Status])
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="%s">%s</text>`+"\n", x(s.Date)+10, y+4, colour, s.Date)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// span is the first and last day shown: today or the first step, to the
// reply date or the last step.
func planSpan(p planning.Plan) (workflow.Date, workflow.Date) {
	from, to := p.Today, p.ReplyBy
	if to.IsZero() || to.Before(from) {
		to = from
	}
	for _, s := range p.Steps {
		if s.Date.Before(from) {
			from = s.Date
		}
		if s.Date.After(to) {
			to = s.Date
		}
	}
	return from, to.AddDays(7)
}

// months draws the axis's month ticks.
func months(b *strings.Builder, from, to workflow.Date, x func(workflow.Date) int, height int) {
	last := -100
	for m := (workflow.Date{Year: from.Year, Month: from.Month, Day: 1}); !m.After(to); m = nextMonth(m) {
		at := m
		if at.Before(from) {
			at = from // the month the picture starts in, named at its start
		}
		if x(at)-last < 60 {
			continue // too close to the last name to be read
		}
		last = x(at)
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#e0e0e0"/><text x="%d" y="%d" font-size="11" fill="#4a4a4a">%s</text>`+"\n",
			x(at), planTop-6, x(at), height-20, x(at)+2, planTop-30, workflow.MonthName(time.Month(m.Month)))
	}
}

// marker draws a vertical line for a day, with its label.
func marker(b *strings.Builder, label string, d workflow.Date, x, height int, colour, dash, anchor string) {
	if d.IsZero() {
		return
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="%s"/><text x="%d" y="%d" font-size="11" fill="%s" text-anchor="%s">%s %s</text>`+"\n",
		x, planTop-14, x, height-16, colour, dash, x, height-4, colour, anchor, label, d)
}

// describe says the plan in words, for the picture's description.
func describePlan(p planning.Plan) string {
	parts := []string{fmt.Sprintf("I dag %s, svar senast %s.", p.Today, p.ReplyBy)}
	for _, s := range p.Steps {
		parts = append(parts, fmt.Sprintf("%s %s (%s).", s.Title, s.Date, planStatusTitles[s.Status]))
	}
	return strings.Join(parts, " ")
}

// nextMonth is the first day of the month after d's.
func nextMonth(d workflow.Date) workflow.Date {
	if d.Month == 12 {
		return workflow.Date{Year: d.Year + 1, Month: 1, Day: 1}
	}
	return workflow.Date{Year: d.Year, Month: d.Month + 1, Day: 1}
}

func daysBetween(a, b workflow.Date) int {
	return int(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
