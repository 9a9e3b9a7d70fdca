package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/yttrande/remiss/workflow"
)

// SaveDefinition stores an organisation's own workflow definition.
func (s *Store) SaveDefinition(ctx context.Context, orgID int64, d *workflow.Definition) error {
	b, err := json.Marshal(d)
	if err != nil {
		return workflow.Internal(err)
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO workflow_definitions (org_id, name, version, definition, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
		orgID, d.Name, d.Version, string(b), dbTime{d.CreatedAt}, d.CreatedBy)
	return s.wrap(err, fmt.Sprintf("Arbetsflödet %s version %d finns redan.", d.Name, d.Version))
}

// Definition returns an organisation's definition at version, or its
// latest version when version is 0.
func (s *Store) Definition(ctx context.Context, orgID int64, name string, version int) (*workflow.Definition, error) {
	var raw string
	var err error
	if version == 0 {
		err = s.db.GetContext(ctx, &raw, `
			SELECT definition FROM workflow_definitions WHERE org_id = $1 AND name = $2 ORDER BY version DESC LIMIT 1`, orgID, name)
	} else {
		err = s.db.GetContext(ctx, &raw, `
			SELECT definition FROM workflow_definitions WHERE org_id = $1 AND name = $2 AND version = $3`, orgID, name, version)
	}
	if err != nil {
		return nil, s.found(err, "Arbetsflödet ”"+name+"” finns inte.")
	}
	return decodeDefinition(raw)
}

// Definitions returns the latest version of each of the organisation's
// own definitions, by name.
func (s *Store) Definitions(ctx context.Context, orgID int64) ([]*workflow.Definition, error) {
	var raws []string
	if err := s.db.SelectContext(ctx, &raws, `
		SELECT d.definition FROM workflow_definitions d
		WHERE d.org_id = $1 AND d.version = (SELECT max(v.version) FROM workflow_definitions v WHERE v.org_id = d.org_id AND v.name = d.name)
		ORDER BY d.name`, orgID); err != nil {
		return nil, s.wrap(err, "")
	}
	defs := make([]*workflow.Definition, len(raws))
	for i, raw := range raws {
		d, err := decodeDefinition(raw)
		if err != nil {
			return nil, err
		}
		defs[i] = d
	}
	return defs, nil
}

// decodeDefinition reads a stored definition as it was validated when it
// was saved; it is not validated again, so that a stricter validator in a
// later release cannot strand the cases pinned to it.
func decodeDefinition(raw string) (*workflow.Definition, error) {
	var d workflow.Definition
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return nil, workflow.Internal(fmt.Errorf("stored workflow definition: %w", err))
	}
	return &d, nil
}
