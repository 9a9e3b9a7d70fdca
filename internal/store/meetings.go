package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

// AddMember inserts a member of a body; a name already in the body is a
// conflict.
func (s *Store) AddMember(ctx context.Context, orgID, bodyID int64, m workflow.Member) (workflow.Member, error) {
	err := s.db.GetContext(ctx, &m.ID, `
		INSERT INTO body_members (org_id, body_id, name, role, party, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		orgID, bodyID, m.Name, string(m.Role), m.Party, dbTime{m.CreatedAt})
	return m, s.wrap(err, m.Name+" är redan ledamot eller ersättare i instansen.")
}

// Members lists a body's members, by role and then name.
func (s *Store) Members(ctx context.Context, orgID, bodyID int64) ([]workflow.Member, error) {
	var rows []struct {
		ID        int64  `db:"id"`
		Name      string `db:"name"`
		Role      string `db:"role"`
		Party     string `db:"party"`
		CreatedAt dbTime `db:"created_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT id, name, role, party, created_at FROM body_members WHERE org_id = $1 AND body_id = $2
		ORDER BY CASE role WHEN 'ordforande' THEN 1 WHEN 'vice_ordforande' THEN 2 WHEN 'ledamot' THEN 3 ELSE 4 END, name`, orgID, bodyID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Member, len(rows))
	for i, r := range rows {
		out[i] = workflow.Member{ID: r.ID, Name: r.Name, Role: workflow.MemberRole(r.Role), Party: r.Party, CreatedAt: r.CreatedAt.Time}
	}
	return out, nil
}

type meetingRow struct {
	ID              int64          `db:"id"`
	OrgID           int64          `db:"org_id"`
	BodyID          int64          `db:"body_id"`
	Body            string         `db:"code"`
	BodyName        string         `db:"name"`
	BodyKind        string         `db:"kind"`
	Date            dbDate         `db:"date"`
	Time            string         `db:"time"`
	Location        string         `db:"location"`
	Status          string         `db:"status"`
	Version         int64          `db:"version"`
	JusteradOn      dbDate         `db:"justerad_on"`
	Ordforande      sql.NullString `db:"ordforande"`
	Justerare       sql.NullString `db:"justerare"`
	AnslagOn        dbDate         `db:"anslag_on"`
	AppealEndsOn    dbDate         `db:"appeal_ends_on"`
	Forvaringsplats sql.NullString `db:"forvaringsplats"`
	CreatedAt       dbTime         `db:"created_at"`
	UpdatedAt       dbTime         `db:"updated_at"`
}

const meetingColumns = `m.id, m.org_id, m.body_id, b.code, b.name, b.kind, m.date, m.time, m.location, m.status, m.version,
	m.justerad_on, m.ordforande, m.justerare, m.anslag_on, m.appeal_ends_on, m.forvaringsplats, m.created_at, m.updated_at
	FROM meetings m JOIN bodies b ON b.org_id = m.org_id AND b.id = m.body_id`

func (r meetingRow) meeting() workflow.Meeting {
	m := workflow.Meeting{ID: r.ID, OrgID: r.OrgID, BodyID: r.BodyID, Body: r.Body, BodyName: r.BodyName, BodyKind: workflow.BodyKind(r.BodyKind),
		Date: r.Date.Date, Time: r.Time, Location: r.Location, Status: workflow.MeetingStatus(r.Status), Version: r.Version,
		CreatedAt: r.CreatedAt.Time, UpdatedAt: r.UpdatedAt.Time}
	if !r.JusteradOn.IsZero() {
		j := &workflow.MeetingJustering{Date: r.JusteradOn.Date, Ordforande: r.Ordforande.String, AnslagOn: r.AnslagOn.Date,
			AppealEndsOn: r.AppealEndsOn.Date, Forvaringsplats: r.Forvaringsplats.String}
		_ = json.Unmarshal([]byte(r.Justerare.String), &j.Justerare)
		m.Justering = j
	}
	return m
}

// CreateMeetings inserts meetings with their first log row in one
// transaction.
func (s *Store) CreateMeetings(ctx context.Context, ms []workflow.Meeting, log workflow.MeetingLogEntry) ([]workflow.Meeting, error) {
	out := make([]workflow.Meeting, 0, len(ms))
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, m := range ms {
			err := tx.GetContext(ctx, &m.ID, `
				INSERT INTO meetings (org_id, body_id, date, time, location, status, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`,
				m.OrgID, m.BodyID, dbDate{m.Date}, m.Time, m.Location, string(m.Status), dbTime{m.CreatedAt})
			if err != nil {
				return s.wrap(err, "Det finns redan ett sammanträde med "+m.Body+" "+m.Date.String()+" "+m.Time+".")
			}
			if err := s.appendMeetingLog(ctx, tx, m.OrgID, m.ID, log); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// appendMeetingLog adds a row to a meeting's log inside tx.
func (s *Store) appendMeetingLog(ctx context.Context, tx *sqlx.Tx, orgID, meetingID int64, e workflow.MeetingLogEntry) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return workflow.Internal(err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO meeting_history (org_id, meeting_id, seq, action, actor, actor_id, at, data)
		VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM meeting_history WHERE meeting_id = $2), $3, $4, $5, $6, $7)`,
		orgID, meetingID, e.Action, e.Actor, nullID(e.ActorID), dbTime{e.At}, string(data))
	return s.wrap(err, "")
}

// Meeting returns one meeting of the organisation.
func (s *Store) Meeting(ctx context.Context, orgID, id int64) (workflow.Meeting, error) {
	var r meetingRow
	err := s.db.GetContext(ctx, &r, `SELECT `+meetingColumns+` WHERE m.org_id = $1 AND m.id = $2`, orgID, id)
	if err != nil {
		return workflow.Meeting{}, s.found(err, "Sammanträdet finns inte.")
	}
	return r.meeting(), nil
}

// Meetings lists a body's meetings, or with bodyID 0 those of every body
// of the organisation, by date and time.
func (s *Store) Meetings(ctx context.Context, orgID, bodyID int64, f workflow.MeetingFilter) ([]workflow.Meeting, error) {
	var rows []meetingRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+meetingColumns+`
		WHERE m.org_id = $1 AND ($2 = 0 OR m.body_id = $2) AND ($3 OR m.status = 'planerat')
			AND ($4 OR m.date >= $5) AND ($6 OR m.date <= $7)
		ORDER BY m.date, m.time, m.id`,
		orgID, bodyID, f.Cancelled, f.From.IsZero(), dbDate{f.From}, f.To.IsZero(), dbDate{f.To}); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Meeting, len(rows))
	for i, r := range rows {
		out[i] = r.meeting()
	}
	return out, nil
}

// UpdateMeeting stores a moved or cancelled meeting by compare-and-swap on
// its version, with its log row.
func (s *Store) UpdateMeeting(ctx context.Context, m workflow.Meeting, expected int64, log workflow.MeetingLogEntry) (workflow.Meeting, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE meetings SET date = $1, time = $2, location = $3, status = $4, version = version + 1, updated_at = $5
			WHERE org_id = $6 AND id = $7 AND version = $8`,
			dbDate{m.Date}, m.Time, m.Location, string(m.Status), dbTime{m.UpdatedAt}, m.OrgID, m.ID, expected)
		if err != nil {
			return s.wrap(err, "Det finns redan ett sammanträde med "+m.Body+" "+m.Date.String()+" "+m.Time+".")
		}
		if err := swapped(res, "Sammanträdet har ändrats sedan det lästes."); err != nil {
			return err
		}
		return s.appendMeetingLog(ctx, tx, m.OrgID, m.ID, log)
	})
	if err != nil {
		return workflow.Meeting{}, err
	}
	return s.Meeting(ctx, m.OrgID, m.ID)
}

// swapped turns a compare-and-swap that matched no row into a conflict.
func swapped(res sql.Result, message string) error {
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return workflow.Errorf(workflow.CodeConflict, "%s", message)
	}
	return nil
}

// MeetingLog returns a meeting's log, oldest first.
func (s *Store) MeetingLog(ctx context.Context, orgID, meetingID int64) ([]workflow.MeetingLogEntry, error) {
	var rows []struct {
		Seq     int64         `db:"seq"`
		Action  string        `db:"action"`
		Actor   string        `db:"actor"`
		ActorID sql.NullInt64 `db:"actor_id"`
		At      dbTime        `db:"at"`
		Data    string        `db:"data"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT seq, action, actor, actor_id, at, data FROM meeting_history WHERE org_id = $1 AND meeting_id = $2 ORDER BY seq`,
		orgID, meetingID); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.MeetingLogEntry, len(rows))
	for i, r := range rows {
		out[i] = workflow.MeetingLogEntry{Seq: r.Seq, Action: r.Action, Actor: r.Actor, ActorID: r.ActorID.Int64, At: r.At.Time}
		_ = json.Unmarshal([]byte(r.Data), &out[i].Data)
	}
	return out, nil
}

// JusteraMeeting records a meeting's justering, marks its paragraphs
// justerade and applies the cases' transitions, in one transaction.
func (s *Store) JusteraMeeting(ctx context.Context, m workflow.Meeting, expected int64, log workflow.MeetingLogEntry, trs []workflow.Transition) (workflow.Meeting, error) {
	j := m.Justering
	justerare, err := json.Marshal(j.Justerare)
	if err != nil {
		return workflow.Meeting{}, workflow.Internal(err)
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE meetings SET justerad_on = $1, ordforande = $2, justerare = $3, anslag_on = $4, appeal_ends_on = $5,
				forvaringsplats = $6, version = version + 1, updated_at = $7
			WHERE org_id = $8 AND id = $9 AND version = $10 AND justerad_on IS NULL`,
			dbDate{j.Date}, j.Ordforande, string(justerare), dbDate{j.AnslagOn}, dbDate{j.AppealEndsOn}, j.Forvaringsplats,
			dbTime{m.UpdatedAt}, m.OrgID, m.ID, expected)
		if err != nil {
			return s.wrap(err, "")
		}
		if err := swapped(res, "Sammanträdet har ändrats sedan det lästes."); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE paragraphs SET justerad_on = $1, anslag_on = $2, appeal_ends_on = $3
			WHERE org_id = $4 AND meeting_id = $5 AND justerad_on IS NULL`,
			dbDate{j.Date}, dbDate{j.AnslagOn}, dbDate{j.AppealEndsOn}, m.OrgID, m.ID); err != nil {
			return s.wrap(err, "")
		}
		for _, t := range trs {
			if err := s.applyTransition(ctx, tx, t); err != nil {
				return err
			}
		}
		return s.appendMeetingLog(ctx, tx, m.OrgID, m.ID, log)
	})
	if err != nil {
		return workflow.Meeting{}, err
	}
	return s.Meeting(ctx, m.OrgID, m.ID)
}
