package store

import "context"

// ExecForTest runs a statement directly, for tests that check what the
// schema itself refuses.
func ExecForTest(s *Store, query string, args ...any) error {
	_, err := s.db.ExecContext(context.Background(), query, args...)
	return err
}
