package workflow

import (
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
