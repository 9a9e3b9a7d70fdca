package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
)

// BenchmarkDeadlineOverview reads the first page (50) of an organisation's
// open deadlines in a two-month window, with 10 000 and 100 000 cases in
// the diarium: 2 % of them open with six planned steps each, the rest
// closed with their steps done, as a municipality's archive grows.
// bench/deadlines.sh prints the growth from 10× more cases.
func BenchmarkDeadlineOverview(b *testing.B) {
	for _, be := range storetest.Backends() {
		for _, n := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/cases=%d", be.Name, n), func(b *testing.B) {
				st := be.Open(b)
				f := newFixtureTB(b, st, "bench")
				seedDeadlines(b, st, f, n)
				ctx := context.Background()
				filter := workflow.DeadlineFilter{From: workflow.Date{Year: 2024, Month: 3, Day: 1}, To: workflow.Date{Year: 2024, Month: 4, Day: 30}, Limit: 51}
				b.ResetTimer()
				for b.Loop() {
					ds, err := st.Deadlines(ctx, f.org.ID, filter)
					if err != nil || len(ds) != 51 {
						b.Fatalf("%d deadlines, %v", len(ds), err)
					}
				}
			})
		}
	}
}

// seedDeadlines inserts n cases and six deadlines each in batches.
func seedDeadlines(b *testing.B, st *store.Store, f fixture, n int) {
	b.Helper()
	const batch = 400
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		var rows []string
		var args []any
		for i := start; i < end; i++ {
			k := len(args)
			rows = append(rows, fmt.Sprintf("($%d, $%d, 2024, $%d, $%d, $%d, 'Remiss', $%d, 'kommunstyrelsen', 2, 'Fi', '2024-01-15', '2024-04-15', 'x', 'x', '2024-01-15T09:00:00.000000Z', '2024-01-15T09:00:00.000000Z')",
				k+1, k+2, k+3, k+4, k+5, k+6))
			state := "avslutad"
			if i%50 == 0 {
				state = "beredning"
			}
			dnr := fmt.Sprintf("B-2024/%d", i+1)
			args = append(args, f.org.ID, f.series.ID, i+1000, dnr, dnr, state)
		}
		must(b, store.ExecForTest(st, `INSERT INTO cases (org_id, series_id, year, number, dnr, dnr_base, title, state, workflow, workflow_version,
			sender, received, deadline, search_text, registered_by, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...))
	}
	for start := 0; start < n; start += batch / 6 {
		end := min(start+batch/6, n)
		var rows []string
		var args []any
		for i := start; i < end; i++ {
			for seq := 1; seq <= 6; seq++ {
				k := len(args)
				rows = append(rows, fmt.Sprintf("($%d, (SELECT id FROM cases WHERE org_id = $%d AND dnr = $%d), $%d, 'stopptid', 'Steg', '', $%d, 'i_tid', $%d, '2024-01-15T09:00:00.000000Z')",
					k+1, k+1, k+2, k+3, k+4, k+5))
				due := workflow.Date{Year: 2024, Month: 1, Day: 1}.AddDays((i*7 + seq*11) % 365)
				args = append(args, f.org.ID, fmt.Sprintf("B-2024/%d", i+1), seq, due.String(), i%50 != 0)
			}
		}
		must(b, store.ExecForTest(st, `INSERT INTO case_deadlines (org_id, case_id, seq, kind, title, body, due, status, done, computed_at) VALUES `+
			strings.Join(rows, ", "), args...))
	}
	must(b, store.ExecForTest(st, `ANALYZE`))
}
