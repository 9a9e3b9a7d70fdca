package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/calendar"
	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
)

// BenchmarkRegisterCase measures registrations per second into one series
// from parallel clients: number allocation, the case, its letter and its
// history row in one transaction. bench/registrations.sh prints it as a
// ratio of BenchmarkBaselineInsert on the same database in the same run.
func BenchmarkRegisterCase(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			st := be.Open(b)
			f := newFixtureTB(b, st, "bench")
			inParallel(b, "registrations/s", func(i int64) error {
				_, err := st.RegisterCase(context.Background(), f.newCase(fmt.Sprint("remiss ", i), 2024))
				return err
			})
		})
	}
}

// BenchmarkBaselineInsert is the floor a registration is compared with: one
// single-row INSERT committed on its own, from the same parallel clients.
func BenchmarkBaselineInsert(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			st := be.Open(b)
			f := newFixtureTB(b, st, "bench")
			inParallel(b, "inserts/s", func(i int64) error {
				return store.ExecForTest(st, `INSERT INTO bodies (org_id, code, name, kind, created_at) VALUES ($1, $2, 'x', 'namnd', '2024-01-29T09:00:00.000000Z')`,
					f.org.ID, fmt.Sprint("B", i))
			})
		})
	}
}

// inParallel runs op b.N times from 4 goroutines per core, numbering the
// calls, and reports the rate as unit.
func inParallel(b *testing.B, unit string, op func(i int64) error) {
	var i atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(i.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkTransition measures persisted transitions per second through the
// engine (Service.Fire: load, authorise, validate, one transaction with the
// compare-and-swap, the sealed history row and an outbox row) at 1 and 16
// concurrent clients, each on its own case. BenchmarkTransitionBaseline is
// the bare transaction doing the same UPDATE and INSERT;
// bench/transitions.sh prints the ratio.
func BenchmarkTransition(b *testing.B) {
	benchClients(b, func(b *testing.B, st *store.Store, clients int) {
		svc, actor, cases := benchEngine(b, st, clients)
		runClients(b, clients, "transitions/s", func(client, _ int) error {
			c := &cases[client]
			next, err := svc.Fire(context.Background(), actor, "bench", c.ID, workflow.FireRequest{
				Event: "tilldela", Version: c.Version, Data: json.RawMessage(`{"handlaggare":"reg@bench.example"}`)}, "")
			*c = next
			return err
		})
	})
}

func BenchmarkTransitionBaseline(b *testing.B) {
	benchClients(b, func(b *testing.B, st *store.Store, clients int) {
		_, _, cases := benchEngine(b, st, clients)
		seq := make([]int64, clients)
		for i := range seq {
			seq[i] = 1
		}
		runClients(b, clients, "transactions/s", func(client, _ int) error {
			seq[client]++
			return store.ExecTxForTest(st,
				[]string{`UPDATE cases SET version = version + 1, updated_at = $1 WHERE org_id = $2 AND id = $3`,
					`INSERT INTO case_history (org_id, case_id, seq, event, from_state, to_state, actor, at, data, prev_hash, hash)
					 VALUES ($1, $2, $3, 'tilldela', 'tilldelad', 'tilldelad', 'bench', $4, '{}', 'p', 'h')`},
				[][]any{{"2024-01-29T09:00:00.000000Z", cases[client].OrgID, cases[client].ID},
					{cases[client].OrgID, cases[client].ID, seq[client], "2024-01-29T09:00:00.000000Z"}})
		})
	})
}

func benchClients(b *testing.B, run func(b *testing.B, st *store.Store, clients int)) {
	for _, be := range storetest.Backends() {
		for _, clients := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/clients=%d", be.Name, clients), func(b *testing.B) {
				run(b, be.Open(b), clients)
			})
		}
	}
}

// benchEngine makes a service and one assigned case per client.
func benchEngine(b *testing.B, st *store.Store, clients int) (*app.App, workflow.Actor, []workflow.Case) {
	f := newFixtureTB(b, st, "bench")
	must(b, store.ExecForTest(st, `INSERT INTO user_roles (org_id, user_id, role) VALUES ($1, $2, 'handlaggare')`, f.org.ID, f.user.ID))
	svc, err := app.New(app.Config{Store: st, Calendar: calendar.NewSwedish(), Secrets: auth.NewSecret})
	must(b, err)
	actor := f.user.Actor()
	cases := make([]workflow.Case, clients)
	for i := range cases {
		c, err := st.RegisterCase(context.Background(), f.newCase(fmt.Sprint("bench ", i), 2024))
		must(b, err)
		cases[i] = c
	}
	return svc, actor, cases
}

// runClients runs b.N operations spread over clients goroutines and
// reports the rate as unit.
func runClients(b *testing.B, clients int, unit string, op func(client, i int) error) {
	var wg sync.WaitGroup
	b.ResetTimer()
	for c := range clients {
		wg.Go(func() {
			for i := c; i < b.N; i += clients {
				if err := op(c, i); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}
