package workflow

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// shippedFS holds the definitions the product ships, one file per name and
// version. A released file is never changed: a new version is a new file,
// so that cases pinned to the old one keep their route.
//
//go:embed definitions/*.json
var shippedFS embed.FS

type defKey struct {
	name    string
	version int
}

// loadShipped parses and validates every shipped definition.
func loadShipped() (map[defKey]*Definition, error) {
	defs := map[defKey]*Definition{}
	err := fs.WalkDir(shippedFS, "definitions", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := shippedFS.ReadFile(path)
		if err != nil {
			return err
		}
		def, err := ParseDefinition(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		key := defKey{def.Name, def.Version}
		if defs[key] != nil {
			return fmt.Errorf("%s: %s is shipped twice", path, def.labelOf())
		}
		defs[key] = def
		return nil
	})
	return defs, err
}

// ShippedDefinitions returns the latest version of each shipped
// definition, by name.
func ShippedDefinitions() ([]*Definition, error) {
	defs, err := loadShipped()
	if err != nil {
		return nil, err
	}
	return latestOf(defs), nil
}

// ShippedDefinitionFile returns the JSON of version v of the shipped
// definition name, as it is embedded.
func ShippedDefinitionFile(name string, v int) ([]byte, error) {
	return shippedFS.ReadFile(fmt.Sprintf("definitions/%s.v%d.json", name, v))
}

func latestOf(defs map[defKey]*Definition) []*Definition {
	latest := map[string]*Definition{}
	for k, d := range defs {
		if cur := latest[k.name]; cur == nil || cur.Version < d.Version {
			latest[k.name] = d
		}
	}
	out := make([]*Definition, 0, len(latest))
	for _, d := range latest {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *Definition) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// definition returns the definition a case of organisation orgID pinned:
// a shipped one, or the organisation's own.
func (s *Service) definition(ctx context.Context, orgID int64, ref WorkflowRef) (*Definition, error) {
	if !ref.Custom {
		if d, ok := s.shipped[defKey{ref.Name, ref.Version}]; ok {
			return d, nil
		}
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” version %d finns inte.", ref.Name, ref.Version)
	}
	d, err := s.store.Definition(ctx, orgID, ref.Name, ref.Version)
	if ErrorCode(err) == CodeNotFound {
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” version %d finns inte.", ref.Name, ref.Version)
	}
	return d, err
}

// latestDefinition returns the newest version of name that organisation
// orgID can start a case with: its own, or the shipped one when that is
// newer.
func (s *Service) latestDefinition(ctx context.Context, orgID int64, name string) (*Definition, error) {
	var best *Definition
	for k, d := range s.shipped {
		if k.name == name && (best == nil || d.Version > best.Version) {
			best = d
		}
	}
	custom, err := s.store.Definition(ctx, orgID, name, 0)
	switch {
	case err == nil && (best == nil || custom.Version >= best.Version): // on a tie the organisation's own wins
		best = custom
	case err != nil && ErrorCode(err) != CodeNotFound:
		return nil, err
	}
	if best == nil {
		return nil, Errorf(CodeNotFound, "Arbetsflödet ”%s” finns inte.", name)
	}
	return best, nil
}

// definitions lists what organisation orgID can start cases with: the
// latest version of every name, its own and shipped.
func (s *Service) definitions(ctx context.Context, orgID int64) ([]*Definition, error) {
	all := map[defKey]*Definition{}
	for k, d := range s.shipped {
		all[k] = d
	}
	custom, err := s.store.Definitions(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, d := range custom {
		all[defKey{d.Name, d.Version}] = d
	}
	return latestOf(all), nil
}
