package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/yttrande/remiss/workflow"
)

type orgRow struct {
	ID         int64          `db:"id"`
	Slug       string         `db:"slug"`
	Name       string         `db:"name"`
	AnslagDays int            `db:"anslag_days"`
	Planning   sql.NullString `db:"planning"`
	Documents  sql.NullString `db:"documents"`
	LogoType   sql.NullString `db:"logo_media_type"`
	CreatedAt  dbTime         `db:"created_at"`
}

// org reads the row; planning rules and document settings that were
// never set, or that cannot be read, are the defaults.
func (r orgRow) org() workflow.Organization {
	o := workflow.Organization{ID: r.ID, Slug: r.Slug, Name: r.Name, AnslagDays: r.AnslagDays, CreatedAt: r.CreatedAt.Time,
		Planning: workflow.DefaultPlanningRules()}
	if r.Planning.Valid {
		// Read onto the defaults, so that rules stored before a field
		// existed (such as reminders) get that field's default.
		p := workflow.DefaultPlanningRules()
		if json.Unmarshal([]byte(r.Planning.String), &p) == nil {
			o.Planning = p
		}
	}
	o.Documents = workflow.DefaultDocumentSettings()
	if r.Documents.Valid {
		d := workflow.DefaultDocumentSettings()
		if json.Unmarshal([]byte(r.Documents.String), &d) == nil {
			o.Documents = d
		}
	}
	o.Documents.HasLogo, o.Documents.LogoMediaType = r.LogoType.Valid, r.LogoType.String
	return o
}

// CreateOrganization inserts org; a taken slug is a conflict.
func (s *Store) CreateOrganization(ctx context.Context, org workflow.Organization) (workflow.Organization, error) {
	org.AnslagDays, org.Planning, org.Documents = 2, workflow.DefaultPlanningRules(), workflow.DefaultDocumentSettings()
	err := s.db.GetContext(ctx, &org.ID, `
		INSERT INTO organizations (slug, name, anslag_days, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		org.Slug, org.Name, org.AnslagDays, dbTime{org.CreatedAt})
	return org, s.wrap(err, "Det finns redan en organisation med kortformen ”"+org.Slug+"”.")
}

// Organizations lists every organisation by id.
func (s *Store) Organizations(ctx context.Context) ([]workflow.Organization, error) {
	var rows []orgRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+orgColumns+` FROM organizations ORDER BY id`); err != nil {
		return nil, s.wrap(err, "")
	}
	out := make([]workflow.Organization, len(rows))
	for i, r := range rows {
		out[i] = r.org()
	}
	return out, nil
}

// orgColumns are the columns orgRow reads.
const orgColumns = `id, slug, name, anslag_days, planning, documents, created_at,
	(SELECT l.media_type FROM organization_logos l WHERE l.org_id = organizations.id) AS logo_media_type`

// OrganizationBySlug finds an organisation.
func (s *Store) OrganizationBySlug(ctx context.Context, slug string) (workflow.Organization, error) {
	var r orgRow
	err := s.db.GetContext(ctx, &r, `SELECT `+orgColumns+` FROM organizations WHERE slug = $1`, slug)
	return r.org(), s.wrap(err, "")
}

// UpdateOrganization stores an organisation's name and settings.
func (s *Store) UpdateOrganization(ctx context.Context, org workflow.Organization) (workflow.Organization, error) {
	planning, err := json.Marshal(org.Planning)
	if err != nil {
		return org, err
	}
	docs := org.Documents
	docs.HasLogo, docs.LogoMediaType = false, "" // derived from the logo's row
	documents, err := json.Marshal(docs)
	if err != nil {
		return org, err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE organizations SET name = $1, anslag_days = $2, planning = $3, documents = $4 WHERE id = $5`,
		org.Name, org.AnslagDays, string(planning), string(documents), org.ID)
	return org, s.wrap(err, "")
}

type userRow struct {
	ID        int64  `db:"id"`
	OrgID     int64  `db:"org_id"`
	Email     string `db:"email"`
	Name      string `db:"name"`
	CreatedAt dbTime `db:"created_at"`
	Roles     string `db:"roles"` // comma-separated, when the query reads them (rolesColumn)
}

func (r userRow) user() workflow.User {
	u := workflow.User{ID: r.ID, OrgID: r.OrgID, Email: r.Email, Name: r.Name, CreatedAt: r.CreatedAt.Time}
	if r.Roles != "" {
		for _, role := range strings.Split(r.Roles, ",") {
			u.Roles = append(u.Roles, workflow.Role(role))
		}
	}
	return u
}

// rolesColumn reads the roles of the user aliased u as one column, roles,
// in order, so that a user is read with its roles in one statement.
func (s *Store) rolesColumn() string {
	if s.dialect == Postgres {
		return `(SELECT coalesce(string_agg(r.role, ',' ORDER BY r.role), '') FROM user_roles r
			WHERE r.org_id = u.org_id AND r.user_id = u.id) AS roles`
	}
	return `(SELECT coalesce(group_concat(role, ','), '') FROM (SELECT r.role FROM user_roles r
			WHERE r.org_id = u.org_id AND r.user_id = u.id ORDER BY r.role)) AS roles`
}

// CreateUser inserts u with its roles; a taken e-mail is a conflict.
func (s *Store) CreateUser(ctx context.Context, u workflow.User) (workflow.User, error) {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &u.ID, `
			INSERT INTO users (org_id, email, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			u.OrgID, u.Email, u.Name, dbTime{u.CreatedAt})
		if err != nil {
			return s.wrap(err, "Det finns redan en användare med adressen "+u.Email+".")
		}
		return s.insertRoles(ctx, tx, u.OrgID, u.ID, u.Roles)
	})
	return u, err
}

// insertRoles gives a user roles.
func (s *Store) insertRoles(ctx context.Context, tx *sqlx.Tx, orgID, userID int64, roles []workflow.Role) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (org_id, user_id, role) VALUES ($1, $2, $3)`, orgID, userID, string(r)); err != nil {
			return s.wrap(err, "")
		}
	}
	return nil
}

// UserByEmail finds a user of the organisation by e-mail address.
func (s *Store) UserByEmail(ctx context.Context, orgID int64, email string) (workflow.User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, `
		SELECT u.id, u.org_id, u.email, u.name, u.created_at, `+s.rolesColumn()+` FROM users u WHERE u.org_id = $1 AND u.email = $2`, orgID, email)
	if err != nil {
		return workflow.User{}, s.wrap(err, "")
	}
	return r.user(), nil
}

// Users lists the organisation's users by name.
func (s *Store) Users(ctx context.Context, orgID int64) ([]workflow.User, error) {
	var rows []userRow
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT id, org_id, email, name, created_at FROM users WHERE org_id = $1 ORDER BY name, id`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	roles, err := s.rolesOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	users := make([]workflow.User, len(rows))
	for i, r := range rows {
		users[i] = r.user()
		users[i].Roles = roles[r.ID]
	}
	return users, nil
}

// rolesOf returns the roles of every user of the organisation.
func (s *Store) rolesOf(ctx context.Context, orgID int64) (map[int64][]workflow.Role, error) {
	var rows []struct {
		UserID int64  `db:"user_id"`
		Role   string `db:"role"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT user_id, role FROM user_roles WHERE org_id = $1`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	roles := map[int64][]workflow.Role{}
	for _, r := range rows {
		roles[r.UserID] = append(roles[r.UserID], workflow.Role(r.Role))
	}
	for _, rs := range roles {
		slices.Sort(rs)
	}
	return roles, nil
}
