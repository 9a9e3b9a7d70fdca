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

// QueryForTest returns every row of a query, with []byte values turned
// into strings, for tests that read the database's own catalogue.
func QueryForTest(s *Store, query string, args ...any) ([][]any, error) {
	rows, err := s.db.QueryContext(context.Background(), query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// MigrateToForTest brings the schema up to a version, for tests of a
// migration on a database that already holds data.
func MigrateToForTest(s *Store, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(context.Background(), version)
	return err
}
