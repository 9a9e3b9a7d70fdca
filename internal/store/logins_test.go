package store_test

import (
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store"
)

// TestSessions: a session is found until it expires, replaced by a
// commit of the same token, gone after delete; expired ones are swept.
// On both databases.
func TestSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx, now := t.Context(), time.Now()
		if err := st.CommitSession(ctx, "live", []byte("a"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.CommitSession(ctx, "live", []byte("b"), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := st.CommitSession(ctx, "old", []byte("c"), now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if b, found, err := st.FindSession(ctx, "live"); err != nil || !found || string(b) != "b" {
			t.Errorf("the live session: %q %v %v", b, found, err)
		}
		if _, found, err := st.FindSession(ctx, "old"); err != nil || found {
			t.Errorf("an expired session was found (%v)", err)
		}
		if err := st.DeleteExpiredSessions(ctx, now); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteSession(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := st.FindSession(ctx, "live"); found {
			t.Error("a deleted session was found")
		}
		var n int
		if err := store.QueryRowForTest(st, `SELECT count(*) FROM sessions`, nil, &n); err != nil || n != 0 {
			t.Errorf("%d sessions left (%v), want none: the expired one was not swept", n, err)
		}
	})
}
