package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

type historyRow struct {
	Seq      int64         `db:"seq"`
	Event    string        `db:"event"`
	From     string        `db:"from_state"`
	To       string        `db:"to_state"`
	Actor    string        `db:"actor"`
	ActorID  sql.NullInt64 `db:"actor_id"`
	At       dbTime        `db:"at"`
	Data     string        `db:"data"`
	PrevHash string        `db:"prev_hash"`
	Hash     string        `db:"hash"`
}

// insertHistory appends a sealed entry to a case's history inside tx.
func (s *Store) insertHistory(ctx context.Context, tx *sqlx.Tx, orgID, caseID int64, e workflow.HistoryEntry) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_history (org_id, case_id, seq, event, from_state, to_state, actor, actor_id, at, data, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		orgID, caseID, e.Seq, e.Event, e.From, e.To, e.Actor, nullID(e.ActorID), dbTime{e.At}, string(e.Data), e.PrevHash, e.Hash)
	return s.wrap(err, "")
}

// History returns a case's history, oldest first.
func (s *Store) History(ctx context.Context, orgID, caseID int64) ([]workflow.HistoryEntry, error) {
	var rows []historyRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT seq, event, from_state, to_state, actor, actor_id, at, data, prev_hash, hash
		FROM case_history WHERE org_id = $1 AND case_id = $2 ORDER BY seq`, orgID, caseID); err != nil {
		return nil, s.wrap(err, "")
	}
	if len(rows) == 0 { // every case has its registration: none means no case
		if err := s.caseExists(ctx, s.db, orgID, caseID); err != nil {
			return nil, err
		}
	}
	entries := make([]workflow.HistoryEntry, len(rows))
	for i, r := range rows {
		entries[i] = workflow.HistoryEntry{
			Seq: r.Seq, Event: r.Event, From: r.From, To: r.To, Actor: r.Actor, ActorID: r.ActorID.Int64,
			At: r.At.Time, Data: json.RawMessage(r.Data), PrevHash: r.PrevHash, Hash: r.Hash,
		}
	}
	return entries, nil
}
