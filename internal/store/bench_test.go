package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
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
