package store

import "context"

// ExecForTest runs a statement directly, for tests that check what the
// schema itself refuses.
func ExecForTest(s *Store, query string, args ...any) error {
	_, err := s.db.ExecContext(context.Background(), query, args...)
	return err
}

// QueryRowForTest scans one row of a query, for tests that look at tables
// the Store interface does not read, such as the outbox.
func QueryRowForTest(s *Store, query string, args []any, dest ...any) error {
	return s.db.QueryRowContext(context.Background(), query, args...).Scan(dest...)
}

// ExecTxForTest runs statements in one transaction, for benchmarks that
// compare the engine with a bare transaction.
func ExecTxForTest(s *Store, queries []string, args [][]any) error {
	tx, err := s.db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	for i, q := range queries {
		if _, err := tx.Exec(q, args[i]...); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}
