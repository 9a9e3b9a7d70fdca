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
			f := benchFixture(b, st)
			var i atomic.Int64
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := st.RegisterCase(context.Background(), f.newCase(fmt.Sprint("remiss ", i.Add(1)), 2024)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
		})
	}
}

// BenchmarkBaselineInsert is the floor a registration is compared with: one
// single-row INSERT committed on its own, from the same parallel clients.
func BenchmarkBaselineInsert(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			st := be.Open(b)
			f := benchFixture(b, st)
			var i atomic.Int64
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					err := store.ExecForTest(st, `INSERT INTO bodies (org_id, code, name, kind, created_at) VALUES ($1, $2, 'x', 'namnd', '2024-01-29T09:00:00.000000Z')`,
						f.org.ID, fmt.Sprint("B", i.Add(1)))
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
		})
	}
}

func benchFixture(b *testing.B, st *store.Store) fixture {
	return newFixtureTB(b, st, "bench")
}
