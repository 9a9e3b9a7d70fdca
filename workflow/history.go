package workflow

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// HistoryEntry is one row of a case's append-only history. Each row's Hash
// covers the previous row's hash and this row's content, so editing,
// removing or reordering any row breaks every hash after it.
type HistoryEntry struct {
	Seq      int64           `json:"seq"`
	Event    string          `json:"event"`
	From     string          `json:"from"`
	To       string          `json:"to"`
	Actor    string          `json:"actor"`
	ActorID  int64           `json:"-"`
	At       time.Time       `json:"at"`
	Data     json.RawMessage `json:"data"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// GenesisHash is the PrevHash of a case's first history row.
var GenesisHash = hex.EncodeToString(make([]byte, sha256.Size))

// Seal sets PrevHash and Hash of e, which follows prev in the history of the
// case numbered dnr.
func (e *HistoryEntry) Seal(dnr, prev string) {
	e.PrevHash = prev
	e.Hash = e.digest(dnr)
}

// digest hashes the entry's canonical form: every field on its own line,
// prefixed by the previous hash. Times are UTC with microseconds, the
// precision every store keeps, so that a row reads back to the same hash.
func (e *HistoryEntry) digest(dnr string) string {
	var b bytes.Buffer
	for _, s := range []string{
		"remiss-history-v1", e.PrevHash, dnr, strconv.FormatInt(e.Seq, 10), e.Event, e.From, e.To,
		e.Actor, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), string(e.Data),
	} {
		b.WriteString(strconv.Quote(s))
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// VerifyHistory checks a case's whole chain and says where it first breaks.
func VerifyHistory(dnr string, entries []HistoryEntry) error {
	prev := GenesisHash
	for i, e := range entries {
		if e.Seq != int64(i+1) {
			return fmt.Errorf("%s: row %d has sequence number %d", dnr, i+1, e.Seq)
		}
		if e.PrevHash != prev {
			return fmt.Errorf("%s: row %d does not follow row %d (prev_hash %s, want %s)", dnr, e.Seq, e.Seq-1, e.PrevHash, prev)
		}
		if got := e.digest(dnr); got != e.Hash {
			return fmt.Errorf("%s: row %d was changed after it was written (hash %s, content hashes to %s)", dnr, e.Seq, e.Hash, got)
		}
		prev = e.Hash
	}
	return nil
}

// Now returns the current time as the stores keep it: UTC, whole microseconds.
func Now(c Clock) time.Time {
	return c.Now().UTC().Truncate(time.Microsecond)
}
