package store_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
)

// The two dialects' migrations describe one schema. TestSchemasAgree
// migrates a fresh database of each, reads back what each database itself
// says it holds, normalises both into a schema value and lists every
// difference: a column added on one side and forgotten on the other, a
// NOT NULL or a default on one side only, a missing key, foreign key,
// unique constraint or index.
//
// What is compared:
//   - tables, and each table's columns: type family, nullability, default
//     (the expression, normalised) and whether the database generates the
//     value (an identity column in PostgreSQL, the rowid alias INTEGER
//     PRIMARY KEY in SQLite);
//   - primary keys and UNIQUE constraints, by their columns in order (the
//     constraint names are generated and differ between the dialects);
//   - foreign keys, by columns, referenced table and columns, and their
//     ON UPDATE/ON DELETE actions;
//   - indexes created with CREATE INDEX, by name: table, columns in order
//     (with DESC), unique or not, partial or not. Predicates are printed
//     but not compared (PostgreSQL rewrites them: IN becomes = ANY (ARRAY…)).
//
// Not compared: CHECK constraints and triggers (each dialect writes them
// in its own language), collations, deferrability, and goose's own
// goose_db_version table.
//
// Types. SQLite tables here are STRICT, which admits only INTEGER, REAL,
// TEXT, BLOB and ANY as declared types, and the store writes instants as
// UTC text (timeLayout), dates as YYYY-MM-DD text and booleans as 0/1
// (types.go, and database/sql's bool). So a SQLite column can only be
// told apart as integer, text, bytes or real, and a PostgreSQL column's
// family is compared with the family it is stored as in SQLite
// (sqliteStorage): timestamp and date with text, boolean with integer.
// That catches a column declared with a different storage on one side
// (text against integer, bytes against text), but cannot tell a date
// from a timestamp from plain text on the SQLite side; no declaration
// there could, since STRICT forbids DATE or BOOLEAN. Because the
// comparison relies on declared types being enforced, the test also
// requires every SQLite table to be STRICT.

// schema is one database's tables and indexes, normalised.
type schema struct {
	Tables  map[string]*table
	Indexes map[string]index // by name: unique per schema in both dialects
}

type table struct {
	Columns     map[string]column
	PrimaryKey  []string   // columns in key order
	Uniques     [][]string // UNIQUE constraints, each its columns in order
	ForeignKeys []foreignKey
}

type column struct {
	Family    string // integer, text, boolean, timestamp, date, bytes, real, or "other"
	Declared  string // the type as the database reports it, for messages
	NotNull   bool
	Default   string // normalised (normaliseDefault); "" when there is none
	Generated bool   // the database assigns the value: identity, serial or rowid alias
}

type foreignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
	OnUpdate   string // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
	OnDelete   string
}

type index struct {
	Table     string
	Columns   []string // column names, "(expression)" for an expression, with " DESC" when descending
	Unique    bool
	Partial   bool
	Predicate string // for messages only
}

// allowedDifferences are differences that are intended: each entry is a
// line of diffSchemas's output and the reason it may stay. An entry that
// no longer occurs fails the test, so the list cannot go stale. It is
// empty: the differences found so far were mistakes, fixed by
// 00010_schema_agreement.
var allowedDifferences = map[string]string{}

func TestSchemasAgree(t *testing.T) {
	start := time.Now()
	pg := readPostgres(t, storetest.Postgres(t))
	sq, notStrict := readSQLite(t, storetest.SQLite(t))
	for _, name := range notStrict {
		t.Errorf("table %s: not STRICT in sqlite, so its declared types are not enforced and cannot be compared", name)
	}
	if len(pg.Tables) == 0 || len(sq.Tables) == 0 {
		t.Fatalf("read %d tables from postgres and %d from sqlite: the catalogue queries are broken", len(pg.Tables), len(sq.Tables))
	}
	var unexpected []string
	seen := map[string]bool{}
	for _, d := range diffSchemas(pg, sq) {
		if _, ok := allowedDifferences[d]; ok {
			seen[d] = true
			continue
		}
		unexpected = append(unexpected, d)
	}
	if len(unexpected) > 0 {
		t.Errorf("the postgres and sqlite schemas differ in %d ways (fix with a new migration in both dialects):\n\t%s",
			len(unexpected), strings.Join(unexpected, "\n\t"))
	}
	for d := range allowedDifferences {
		if !seen[d] {
			t.Errorf("allowedDifferences: %q no longer occurs; remove it", d)
		}
	}
	t.Logf("compared %d tables and %d indexes in %v", len(pg.Tables), len(pg.Indexes), time.Since(start).Round(time.Millisecond))
}

// diffSchemas lists every difference between the PostgreSQL and the
// SQLite schema, one line each, sorted.
func diffSchemas(pg, sq schema) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for _, name := range unionKeys(pg.Tables, sq.Tables) {
		p, s := pg.Tables[name], sq.Tables[name]
		switch {
		case s == nil:
			add("table %s: only in postgres", name)
			continue
		case p == nil:
			add("table %s: only in sqlite", name)
			continue
		}
		for _, col := range unionKeys(p.Columns, s.Columns) {
			pc, pok := p.Columns[col]
			sc, sok := s.Columns[col]
			where := "column " + name + "." + col
			switch {
			case !sok:
				add("%s: only in postgres", where)
				continue
			case !pok:
				add("%s: only in sqlite", where)
				continue
			}
			if sqliteStorage(pc.Family) != sc.Family {
				add("%s: type postgres %s (%s, stored as %s in sqlite), sqlite %s (%s)",
					where, pc.Declared, pc.Family, sqliteStorage(pc.Family), sc.Declared, sc.Family)
			}
			if pc.NotNull != sc.NotNull {
				add("%s: NOT NULL only in %s", where, pick(pc.NotNull, "postgres", "sqlite"))
			}
			if pc.Default != sc.Default {
				add("%s: default postgres %s, sqlite %s", where, orNone(pc.Default), orNone(sc.Default))
			}
			if pc.Generated != sc.Generated {
				add("%s: generated by the database only in %s", where, pick(pc.Generated, "postgres", "sqlite"))
			}
		}
		if !slices.Equal(p.PrimaryKey, s.PrimaryKey) {
			add("primary key of %s: postgres %s, sqlite %s", name, cols(p.PrimaryKey), cols(s.PrimaryKey))
		}
		pu, su := keyed(p.Uniques, cols), keyed(s.Uniques, cols)
		for _, k := range unionKeys(pu, su) {
			if _, ok := su[k]; !ok {
				add("unique constraint %s%s: only in postgres", name, k)
			} else if _, ok := pu[k]; !ok {
				add("unique constraint %s%s: only in sqlite", name, k)
			}
		}
		fkKey := func(f foreignKey) string { return cols(f.Columns) + " references " + f.RefTable + cols(f.RefColumns) }
		pf, sf := keyed(p.ForeignKeys, fkKey), keyed(s.ForeignKeys, fkKey)
		for _, k := range unionKeys(pf, sf) {
			a, aok := pf[k]
			b, bok := sf[k]
			where := "foreign key " + name + k
			switch {
			case !bok:
				add("%s: only in postgres", where)
			case !aok:
				add("%s: only in sqlite", where)
			default:
				if a.OnUpdate != b.OnUpdate {
					add("%s: ON UPDATE postgres %s, sqlite %s", where, a.OnUpdate, b.OnUpdate)
				}
				if a.OnDelete != b.OnDelete {
					add("%s: ON DELETE postgres %s, sqlite %s", where, a.OnDelete, b.OnDelete)
				}
			}
		}
	}
	for _, name := range unionKeys(pg.Indexes, sq.Indexes) {
		p, pok := pg.Indexes[name]
		s, sok := sq.Indexes[name]
		where := "index " + name
		switch {
		case !sok:
			add("%s on %s%s: only in postgres", where, p.Table, cols(p.Columns))
			continue
		case !pok:
			add("%s on %s%s: only in sqlite", where, s.Table, cols(s.Columns))
			continue
		}
		if p.Table != s.Table {
			add("%s: on table %s in postgres, %s in sqlite", where, p.Table, s.Table)
		}
		if !slices.Equal(p.Columns, s.Columns) {
			add("%s: columns postgres %s, sqlite %s", where, cols(p.Columns), cols(s.Columns))
		}
		if p.Unique != s.Unique {
			add("%s: UNIQUE only in %s", where, pick(p.Unique, "postgres", "sqlite"))
		}
		if p.Partial != s.Partial {
			pred := pick(p.Partial, p.Predicate, s.Predicate)
			add("%s: partial (WHERE %s) only in %s", where, pred, pick(p.Partial, "postgres", "sqlite"))
		}
	}
	slices.Sort(out)
	return out
}

// sqliteStorage is the family a PostgreSQL column of a family is stored
// as in SQLite, which has no boolean, date or timestamp storage: the store
// writes booleans as 0/1, instants as UTC text and dates as YYYY-MM-DD.
func sqliteStorage(family string) string {
	switch family {
	case "boolean":
		return "integer"
	case "timestamp", "date":
		return "text"
	}
	return family
}

// postgresFamily maps a PostgreSQL type, as format_type or pg_type.typname
// writes it, to its family. A type the schema has no business using
// (numeric, json, arrays, …) is "other", which matches nothing in SQLite.
func postgresFamily(typ string) string {
	t := strings.ToLower(strings.TrimSpace(typ))
	if i, j := strings.IndexByte(t, '('), strings.IndexByte(t, ')'); i >= 0 && j > i { // varchar(20), timestamp(3) with time zone
		t = strings.Join(strings.Fields(t[:i]+" "+t[j+1:]), " ")
	}
	switch t {
	case "smallint", "integer", "bigint", "int", "int2", "int4", "int8",
		"smallserial", "serial", "bigserial", "serial2", "serial4", "serial8":
		return "integer"
	case "text", "varchar", "character varying", "char", "character", "bpchar":
		return "text"
	case "boolean", "bool":
		return "boolean"
	case "timestamp with time zone", "timestamp without time zone", "timestamptz", "timestamp":
		return "timestamp"
	case "date":
		return "date"
	case "bytea":
		return "bytes"
	case "real", "double precision", "float4", "float8":
		return "real"
	}
	return "other"
}

// sqliteFamily maps a SQLite declared type to its family by SQLite's own
// affinity rules (https://sqlite.org/datatype3.html, 3.1), which is how
// SQLite itself reads the declaration. NUMERIC affinity and ANY are
// "other".
func sqliteFamily(declared string) string {
	t := strings.ToUpper(strings.TrimSpace(declared))
	switch {
	case strings.Contains(t, "INT"):
		return "integer"
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return "text"
	case t == "", strings.Contains(t, "BLOB"):
		return "bytes"
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return "real"
	}
	return "other"
}

// castRE matches a PostgreSQL cast at the end of a default expression:
// ”::text, '-1'::integer, 'x'::character varying(20), '{}'::text[].
var castRE = regexp.MustCompile(`^(.*)::([a-z][a-z0-9_ ]*)(\([0-9, ]*\))?(\[\])?$`)

// normaliseDefault writes a default expression, as pg_get_expr or SQLite's
// table_info gives it, in one form: outer parentheses and PostgreSQL's
// casts go, booleans become 0/1 (as SQLite stores them) and a quoted
// number cast to a number becomes the number. Anything else is compared
// as written.
func normaliseDefault(expr string) string {
	s := strings.TrimSpace(expr)
	for {
		if m := castRE.FindStringSubmatch(s); m != nil && strings.Count(m[1], "'")%2 == 0 {
			s = strings.TrimSpace(m[1])
			if postgresFamily(m[2]) == "integer" || postgresFamily(m[2]) == "real" || m[2] == "numeric" {
				if u, ok := strings.CutPrefix(s, "'"); ok {
					if u, ok := strings.CutSuffix(u, "'"); ok {
						if _, err := strconv.ParseFloat(u, 64); err == nil {
							s = u
						}
					}
				}
			}
			continue
		}
		if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && wrapsAll(s) {
			s = strings.TrimSpace(s[1 : len(s)-1])
			continue
		}
		break
	}
	switch strings.ToLower(s) {
	case "true":
		return "1"
	case "false":
		return "0"
	}
	return s
}

// wrapsAll reports whether the parenthesis that opens s closes at its end,
// so (a) + (b) keeps its parentheses and ((a) + (b)) loses the outer pair.
func wrapsAll(s string) bool {
	depth, quoted := 0, false
	for i, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
		case quoted:
		case r == '(':
			depth++
		case r == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// postgresAction names the action of a pg_constraint confupdtype or
// confdeltype code as SQLite's foreign_key_list does.
func postgresAction(code string) string {
	switch code {
	case "a":
		return "NO ACTION"
	case "r":
		return "RESTRICT"
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	}
	return "unknown " + strconv.Quote(code)
}

// isRowidAlias reports whether a SQLite column is an alias of the rowid:
// the only primary key column, declared exactly INTEGER, in a table with a
// rowid. SQLite assigns it when it is NULL on insert, like an identity.
func isRowidAlias(declared string, pkColumns int, inPK, withoutRowid bool) bool {
	return inPK && pkColumns == 1 && !withoutRowid && strings.EqualFold(strings.TrimSpace(declared), "INTEGER")
}

// sqliteNotNull reports whether SQLite refuses NULL in a column. Beyond a
// declared NOT NULL, primary key columns of STRICT and WITHOUT ROWID
// tables refuse NULL (https://sqlite.org/stricttables.html), and a rowid
// alias can never be NULL, though table_info says notnull=0 for all of
// them. (A primary key column of an ordinary rowid table does accept NULL,
// a known SQLite quirk, so there it counts as nullable.)
func sqliteNotNull(declaredNotNull, inPK, rowidAlias, strict, withoutRowid bool) bool {
	return declaredNotNull || rowidAlias || (inPK && (strict || withoutRowid))
}

// readPostgres reads the current schema from pg_catalog.
func readPostgres(t *testing.T, st *store.Store) schema {
	t.Helper()
	sc := schema{Tables: map[string]*table{}, Indexes: map[string]index{}}
	for _, r := range query(t, st, `
		SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL), a.attnotnull,
			a.attidentity::text, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'goose_db_version'
		ORDER BY 1, a.attnum`) {
		tb := sc.table(str(r[0]))
		def := str(r[5])
		generated := str(r[4]) != "" || strings.HasPrefix(def, "nextval(")
		if generated {
			def = ""
		}
		tb.Columns[str(r[1])] = column{Family: postgresFamily(str(r[2])), Declared: str(r[2]),
			NotNull: boolean(r[3]), Default: normaliseDefault(def), Generated: generated}
	}
	// The columns of a constraint's conkey/confkey, in key order.
	const keyCols = `(SELECT string_agg(a.attname, ',' ORDER BY k.ord)
		FROM unnest(%s) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
	for _, r := range query(t, st, `
		SELECT con.contype::text, cl.relname::text, `+fmt.Sprintf(keyCols, "con.conkey", "con.conrelid")+`,
			coalesce(rc.relname::text, ''), coalesce(`+fmt.Sprintf(keyCols, "con.confkey", "con.confrelid")+`, ''),
			con.confupdtype::text, con.confdeltype::text
		FROM pg_constraint con
		JOIN pg_class cl ON cl.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		LEFT JOIN pg_class rc ON rc.oid = con.confrelid
		WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f') AND cl.relname <> 'goose_db_version'
		ORDER BY 2, 1, 3`) {
		tb, columns := sc.table(str(r[1])), split(str(r[2]))
		switch str(r[0]) {
		case "p":
			tb.PrimaryKey = columns
		case "u":
			tb.Uniques = append(tb.Uniques, columns)
		case "f":
			tb.ForeignKeys = append(tb.ForeignKeys, foreignKey{Columns: columns, RefTable: str(r[3]), RefColumns: split(str(r[4])),
				OnUpdate: postgresAction(str(r[5])), OnDelete: postgresAction(str(r[6]))})
		}
	}
	// Indexes other than those behind a primary key, unique or exclusion
	// constraint (pg_constraint.conindid of a foreign key names the
	// referenced table's index, so those are not excluded).
	for _, r := range query(t, st, `
		SELECT i.relname::text, tb.relname::text, x.indisunique, x.indpred IS NOT NULL,
			coalesce(pg_get_expr(x.indpred, x.indrelid, true), ''),
			(SELECT string_agg(CASE WHEN x.indkey[k - 1] = 0 THEN '(expression)' ELSE
					(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1]) END
				|| CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, ',' ORDER BY k)
			FROM generate_series(1, x.indnkeyatts) AS k)
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class tb ON tb.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = tb.relnamespace
		WHERE n.nspname = current_schema() AND tb.relname <> 'goose_db_version'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`) {
		sc.Indexes[str(r[0])] = index{Table: str(r[1]), Unique: boolean(r[2]), Partial: boolean(r[3]), Predicate: str(r[4]), Columns: split(str(r[5]))}
	}
	return sc
}

// readSQLite reads the main schema from sqlite_master and the pragmas, and
// returns the tables that are not STRICT.
func readSQLite(t *testing.T, st *store.Store) (schema, []string) {
	t.Helper()
	sc := schema{Tables: map[string]*table{}, Indexes: map[string]index{}}
	var notStrict []string
	type implicitFK struct { // a foreign key that names no parent columns
		table string
		fk    int
	}
	var implicit []implicitFK
	for _, tr := range query(t, st, `
		SELECT name, strict, wr FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND substr(name, 1, 7) <> 'sqlite_' AND name <> 'goose_db_version'
		ORDER BY name`) {
		name, strict, withoutRowid := str(tr[0]), boolean(tr[1]), boolean(tr[2])
		if !strict {
			notStrict = append(notStrict, name)
		}
		tb := sc.table(name)
		cols := query(t, st, `SELECT name, type, "notnull", coalesce(dflt_value, ''), pk FROM pragma_table_info($1) ORDER BY cid`, name)
		pk := map[int64]string{}
		for _, c := range cols {
			if n := integer(c[4]); n > 0 {
				pk[n] = str(c[0])
			}
		}
		for i := int64(1); i <= int64(len(pk)); i++ {
			tb.PrimaryKey = append(tb.PrimaryKey, pk[i])
		}
		for _, c := range cols {
			inPK := integer(c[4]) > 0
			alias := isRowidAlias(str(c[1]), len(pk), inPK, withoutRowid)
			tb.Columns[str(c[0])] = column{Family: sqliteFamily(str(c[1])), Declared: str(c[1]),
				NotNull: sqliteNotNull(boolean(c[2]), inPK, alias, strict, withoutRowid),
				Default: normaliseDefault(str(c[3])), Generated: alias}
		}
		for _, ir := range query(t, st, `SELECT name, "unique", origin, partial FROM pragma_index_list($1)`, name) {
			iname, origin := str(ir[0]), str(ir[2])
			var columns []string
			for _, c := range query(t, st, `SELECT name, "desc" FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno`, iname) {
				col := str(c[0])
				if c[0] == nil {
					col = "(expression)"
				}
				if boolean(c[1]) {
					col += " DESC"
				}
				columns = append(columns, col)
			}
			switch origin {
			case "pk": // read from table_info above
			case "u":
				tb.Uniques = append(tb.Uniques, columns)
			default:
				var predicate string
				if boolean(ir[3]) {
					sql := str(query(t, st, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1`, iname)[0][0])
					if i := strings.LastIndex(strings.ToUpper(sql), " WHERE "); i >= 0 {
						predicate = strings.TrimSpace(sql[i+len(" WHERE "):])
					}
				}
				sc.Indexes[iname] = index{Table: name, Columns: columns, Unique: boolean(ir[1]), Partial: boolean(ir[3]), Predicate: predicate}
			}
		}
		byID := map[int64]int{}
		for _, f := range query(t, st, `
			SELECT id, "table", "from", coalesce("to", ''), on_update, on_delete
			FROM pragma_foreign_key_list($1) ORDER BY id, seq`, name) {
			i, ok := byID[integer(f[0])]
			if !ok {
				i = len(tb.ForeignKeys)
				byID[integer(f[0])] = i
				tb.ForeignKeys = append(tb.ForeignKeys, foreignKey{RefTable: str(f[1]), OnUpdate: str(f[4]), OnDelete: str(f[5])})
			}
			fk := &tb.ForeignKeys[i]
			fk.Columns = append(fk.Columns, str(f[2]))
			if str(f[3]) == "" {
				if len(fk.Columns) == 1 {
					implicit = append(implicit, implicitFK{name, i})
				}
				continue
			}
			fk.RefColumns = append(fk.RefColumns, str(f[3]))
		}
	}
	// REFERENCES parent without columns means the parent's primary key.
	for _, p := range implicit {
		fk := &sc.Tables[p.table].ForeignKeys[p.fk]
		if parent := sc.Tables[fk.RefTable]; parent != nil {
			fk.RefColumns = parent.PrimaryKey
		}
	}
	return sc, notStrict
}

func (s schema) table(name string) *table {
	tb := s.Tables[name]
	if tb == nil {
		tb = &table{Columns: map[string]column{}}
		s.Tables[name] = tb
	}
	return tb
}

func query(t *testing.T, st *store.Store, q string, args ...any) [][]any {
	t.Helper()
	rows, err := store.QueryForTest(st, q, args...)
	if err != nil {
		t.Fatalf("%s: read the catalogue: %v\n%s", st.Dialect(), err, q)
	}
	return rows
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func integer(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func boolean(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case string:
		return x == "t" || x == "true" || x == "1"
	}
	return false
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func cols(c []string) string { return "(" + strings.Join(c, ", ") + ")" }

func pick[T any](cond bool, yes, no T) T {
	if cond {
		return yes
	}
	return no
}

func orNone(s string) string { return pick(s == "", "none", s) }

func keyed[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		m[key(it)] = it
	}
	return m
}

func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// TestSQLiteSchemaAgreementKeepsData: 00010_schema_agreement rebuilds
// cases and organization_logos in the embedded database with foreign keys
// off. On a database that holds cases with handlingar and history, a
// handläggare and a logo, every row survives unchanged and every reference
// still holds, foreign keys are on again afterwards, and the new
// constraints refuse a handläggare of another organisation and a logo
// without an organisation.
func TestSQLiteSchemaAgreementKeepsData(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, storetest.SQLiteURL(t), nil)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	must(t, store.MigrateToForTest(st, 9))
	f, other := newFixture(t, st, "lund"), newFixture(t, st, "malmo")
	c := caseAtV9(t, st, f, "KS-2024/1", 1)
	caseAtV9(t, st, other, "KS-2024/2", 2)
	must(t, store.ExecForTest(st, `UPDATE cases SET handlaggare_id = $1 WHERE id = $2`, f.user.ID, c))
	must(t, st.SetLogo(ctx, f.org.ID, workflow.Logo{MediaType: "image/png", Content: []byte{0x89, 'P', 'N', 'G', 0}, UpdatedBy: "admin", UpdatedAt: t0}))

	snapshot := func() map[string][][]any {
		out := map[string][][]any{}
		for _, r := range query(t, st, `SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' AND name <> 'goose_db_version' ORDER BY name`) {
			out[str(r[0])] = query(t, st, `SELECT * FROM "`+str(r[0])+`" ORDER BY rowid`)
		}
		return out
	}
	before := snapshot()
	if len(before["cases"]) != 2 || len(before["documents"]) != 2 || len(before["case_history"]) != 2 || len(before["organization_logos"]) != 1 {
		t.Fatalf("the fixture holds %d cases, %d documents, %d history entries and %d logos; want 2, 2, 2, 1",
			len(before["cases"]), len(before["documents"]), len(before["case_history"]), len(before["organization_logos"]))
	}
	must(t, store.MigrateToForTest(st, 10))
	after := snapshot()
	for _, name := range unionKeys(before, after) {
		if !reflect.DeepEqual(before[name], after[name]) {
			t.Errorf("table %s changed in the migration:\nbefore %v\nafter  %v", name, before[name], after[name])
		}
	}
	if v := query(t, st, `SELECT * FROM pragma_foreign_key_check`); len(v) != 0 {
		t.Errorf("references broken by the migration: %v", v)
	}
	var on int
	if err := store.QueryRowForTest(st, `PRAGMA foreign_keys`, nil, &on); err != nil || on != 1 {
		t.Errorf("PRAGMA foreign_keys = %d (%v) after migrating, want 1", on, err)
	}
	if err := store.ExecForTest(st, `UPDATE cases SET handlaggare_id = $1 WHERE id = $2`, other.user.ID, c); err == nil {
		t.Error("a handläggare of another organisation was accepted")
	}
	if err := store.ExecForTest(st, `INSERT INTO organization_logos (org_id, media_type, content, updated_by, updated_at) VALUES (NULL, 'image/png', x'00', 'a', 'b')`); err == nil {
		t.Error("a logo without an organisation was accepted")
	}
}

// TestSQLiteSchemaAgreementRefusesForeignHandlaggare: a database that
// already holds a handläggare of another organisation is not migrated, the
// error says why, and it is left as it was.
func TestSQLiteSchemaAgreementRefusesForeignHandlaggare(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, storetest.SQLiteURL(t), nil)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	must(t, store.MigrateToForTest(st, 9))
	f, other := newFixture(t, st, "lund"), newFixture(t, st, "malmo")
	c := caseAtV9(t, st, f, "KS-2024/1", 1)
	must(t, store.ExecForTest(st, `UPDATE cases SET handlaggare_id = $1 WHERE id = $2`, other.user.ID, c))
	err = store.MigrateToForTest(st, 10)
	if err == nil || !strings.Contains(err.Error(), "cases_handlaggare_not_a_user_of_the_case_organisation") {
		t.Fatalf("migrating a database with a handläggare of another organisation: %v, want the check's error", err)
	}
	if current, _, err := st.SchemaVersions(ctx); err != nil || current != 9 {
		t.Errorf("schema version %d (%v) after the refused migration, want 9", current, err)
	}
	if rows := query(t, st, `SELECT count(*) FROM cases`); str(rows[0][0]) != "1" {
		t.Errorf("%v cases after the refused migration, want 1", rows[0][0])
	}
}

func TestPostgresFamily(t *testing.T) {
	for typ, want := range map[string]string{
		"bigint": "integer", "integer": "integer", "int4": "integer", "int8": "integer", "smallint": "integer", "bigserial": "integer",
		"text": "text", "character varying": "text", "varchar(20)": "text", "bpchar": "text",
		"boolean": "boolean", "bool": "boolean",
		"timestamp with time zone": "timestamp", "timestamptz": "timestamp", "timestamp(3) without time zone": "timestamp", "timestamp": "timestamp",
		"date": "date", "bytea": "bytes", "double precision": "real", "real": "real",
		"numeric": "other", "jsonb": "other", "text[]": "other", "uuid": "other",
	} {
		if got := postgresFamily(typ); got != want {
			t.Errorf("postgresFamily(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestSQLiteFamily(t *testing.T) {
	for typ, want := range map[string]string{
		"INTEGER": "integer", "INT": "integer", "bigint": "integer", "TEXT": "text", "VARCHAR(20)": "text", "CLOB": "text",
		"BLOB": "bytes", "": "bytes", "REAL": "real", "DOUBLE": "real", "FLOAT": "real",
		"ANY": "other", "NUMERIC": "other", "DATE": "other", "BOOLEAN": "other", "TIMESTAMP": "other",
	} {
		if got := sqliteFamily(typ); got != want {
			t.Errorf("sqliteFamily(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestSQLiteStorage(t *testing.T) {
	for family, want := range map[string]string{
		"integer": "integer", "text": "text", "boolean": "integer", "timestamp": "text", "date": "text",
		"bytes": "bytes", "real": "real", "other": "other",
	} {
		if got := sqliteStorage(family); got != want {
			t.Errorf("sqliteStorage(%q) = %q, want %q", family, got, want)
		}
	}
}

func TestNormaliseDefault(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"''::text", "''"},     // postgres
		{"''", "''"},           // sqlite
		{"'[]'::text", "'[]'"}, // postgres
		{"'pending'::character varying", "'pending'"},
		{"'a::b'::text", "'a::b'"},    // a cast inside the literal stays
		{"'it''s'::text", "'it''s'"},  // a doubled quote
		{"'{}'::text[]", "'{}'"},      //
		{"false", "0"}, {"true", "1"}, // postgres booleans
		{"FALSE", "0"}, {"0", "0"}, // sqlite
		{"2", "2"}, {"(2)", "2"}, // DEFAULT (2) in sqlite
		{"'-1'::integer", "-1"},      // postgres writes negative numbers quoted
		{"-1", "-1"},                 //
		{"'1'::text", "'1'"},         // text stays text
		{"(1) + (2)", "(1) + (2)"},   // not one pair of parentheses
		{"((1) + (2))", "(1) + (2)"}, //
		{"now()", "now()"},           // anything else as written
		{"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
	} {
		if got := normaliseDefault(c.in); got != c.want {
			t.Errorf("normaliseDefault(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPostgresAction(t *testing.T) {
	for code, want := range map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT", " ": `unknown " "`} {
		if got := postgresAction(code); got != want {
			t.Errorf("postgresAction(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestSQLiteKeys(t *testing.T) {
	for _, c := range []struct {
		declared      string
		pkColumns     int
		inPK, noRow   bool
		alias         bool
		notNull       bool // with declared NOT NULL false
		strictNotNull bool // the same column in a STRICT table
	}{
		{"INTEGER", 1, true, false, true, true, true},     // id INTEGER PRIMARY KEY
		{"integer", 1, true, false, true, true, true},     //
		{"INT", 1, true, false, false, false, true},       // INT is not an alias
		{"INTEGER", 2, true, false, false, false, true},   // part of a composite key
		{"INTEGER", 1, true, true, false, true, true},     // WITHOUT ROWID
		{"TEXT", 1, true, false, false, false, true},      // token TEXT PRIMARY KEY
		{"INTEGER", 1, false, false, false, false, false}, // not in the key
	} {
		alias := isRowidAlias(c.declared, c.pkColumns, c.inPK, c.noRow)
		if alias != c.alias {
			t.Errorf("isRowidAlias(%q, %d, %v, %v) = %v, want %v", c.declared, c.pkColumns, c.inPK, c.noRow, alias, c.alias)
		}
		if got := sqliteNotNull(false, c.inPK, alias, false, c.noRow); got != c.notNull {
			t.Errorf("%+v: sqliteNotNull, not strict = %v, want %v", c, got, c.notNull)
		}
		if got := sqliteNotNull(false, c.inPK, alias, true, c.noRow); got != c.strictNotNull {
			t.Errorf("%+v: sqliteNotNull, strict = %v, want %v", c, got, c.strictNotNull)
		}
		if !sqliteNotNull(true, c.inPK, alias, false, c.noRow) {
			t.Errorf("%+v: a declared NOT NULL was lost", c)
		}
	}
}

// TestDiffSchemas: each kind of difference is found, on hand-made schemas.
func TestDiffSchemas(t *testing.T) {
	base := func(dialect string) schema {
		id := column{Family: "integer", Declared: "bigint", NotNull: true, Generated: true}
		created := column{Family: "timestamp", Declared: "timestamp with time zone", NotNull: true}
		flag := column{Family: "boolean", Declared: "boolean", NotNull: true, Default: "0"}
		if dialect == "sqlite" {
			id.Declared = "INTEGER"
			created.Family, created.Declared = "text", "TEXT"
			flag.Family, flag.Declared = "integer", "INTEGER"
		}
		text := column{Family: "text", Declared: pick(dialect == "sqlite", "TEXT", "text"), NotNull: true}
		return schema{
			Tables: map[string]*table{
				"cases": {
					Columns:     map[string]column{"id": id, "org_id": id, "title": text, "created_at": created, "custom": flag},
					PrimaryKey:  []string{"id"},
					Uniques:     [][]string{{"org_id", "id"}},
					ForeignKeys: []foreignKey{{Columns: []string{"org_id"}, RefTable: "orgs", RefColumns: []string{"id"}, OnUpdate: "NO ACTION", OnDelete: "NO ACTION"}},
				},
				"orgs": {Columns: map[string]column{"id": id}, PrimaryKey: []string{"id"}},
			},
			Indexes: map[string]index{"cases_title": {Table: "cases", Columns: []string{"org_id", "title"}}},
		}
	}
	if d := diffSchemas(base("postgres"), base("sqlite")); len(d) != 0 {
		t.Fatalf("equal schemas differ: %q", d)
	}
	for _, c := range []struct {
		name   string
		change func(pg, sq schema)
		want   []string
	}{
		{"a column only in postgres", func(pg, sq schema) {
			pg.Tables["cases"].Columns["head_hash"] = column{Family: "text", Declared: "text"}
		}, []string{"column cases.head_hash: only in postgres"}},
		{"a table only in sqlite", func(pg, sq schema) {
			sq.Tables["extra"] = &table{Columns: map[string]column{}}
		}, []string{"table extra: only in sqlite"}},
		{"NOT NULL on one side", func(pg, sq schema) {
			c := sq.Tables["cases"].Columns["title"]
			c.NotNull = false
			sq.Tables["cases"].Columns["title"] = c
		}, []string{"column cases.title: NOT NULL only in postgres"}},
		{"a timestamp stored as an integer", func(pg, sq schema) {
			sq.Tables["cases"].Columns["created_at"] = column{Family: "integer", Declared: "INTEGER", NotNull: true}
		}, []string{"column cases.created_at: type postgres timestamp with time zone (timestamp, stored as text in sqlite), sqlite INTEGER (integer)"}},
		{"a default on one side", func(pg, sq schema) {
			c := pg.Tables["cases"].Columns["title"]
			c.Default = "''"
			pg.Tables["cases"].Columns["title"] = c
		}, []string{"column cases.title: default postgres '', sqlite none"}},
		{"an identity on one side", func(pg, sq schema) {
			c := pg.Tables["cases"].Columns["org_id"]
			c.Generated = false
			pg.Tables["cases"].Columns["org_id"] = c
		}, []string{"column cases.org_id: generated by the database only in sqlite"}},
		{"another primary key", func(pg, sq schema) {
			sq.Tables["cases"].PrimaryKey = []string{"org_id", "id"}
		}, []string{"primary key of cases: postgres (id), sqlite (org_id, id)"}},
		{"a unique constraint in another order", func(pg, sq schema) {
			sq.Tables["cases"].Uniques = [][]string{{"id", "org_id"}}
		}, []string{"unique constraint cases(id, org_id): only in sqlite", "unique constraint cases(org_id, id): only in postgres"}},
		{"a foreign key only in postgres, another action", func(pg, sq schema) {
			pg.Tables["cases"].ForeignKeys[0].OnDelete = "CASCADE"
			pg.Tables["orgs"].ForeignKeys = []foreignKey{{Columns: []string{"id"}, RefTable: "cases", RefColumns: []string{"id"}, OnUpdate: "NO ACTION", OnDelete: "NO ACTION"}}
		}, []string{
			"foreign key cases(org_id) references orgs(id): ON DELETE postgres CASCADE, sqlite NO ACTION",
			"foreign key orgs(id) references cases(id): only in postgres",
		}},
		{"an index missing, another changed", func(pg, sq schema) {
			pg.Indexes["cases_created"] = index{Table: "cases", Columns: []string{"created_at"}}
			sq.Indexes["cases_title"] = index{Table: "cases", Columns: []string{"title DESC"}, Unique: true, Partial: true, Predicate: "title <> ''"}
		}, []string{
			"index cases_created on cases(created_at): only in postgres",
			"index cases_title: UNIQUE only in sqlite",
			"index cases_title: columns postgres (org_id, title), sqlite (title DESC)",
			"index cases_title: partial (WHERE title <> '') only in sqlite",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pg, sq := base("postgres"), base("sqlite")
			c.change(pg, sq)
			want := slices.Sorted(slices.Values(c.want))
			if got := diffSchemas(pg, sq); !slices.Equal(got, want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// caseAtV9 registers a case with its letter and its first history row in
// an embedded database at schema version 9, as the store of that version
// wrote them, and returns its id.
func caseAtV9(t *testing.T, st *store.Store, f fixture, dnr string, n int64) int64 {
	t.Helper()
	must(t, store.ExecForTest(st, `
		INSERT INTO cases (org_id, series_id, year, number, dnr, dnr_base, classification, title, state, version,
			workflow, workflow_version, sender, sender_dnr, reference, received, deadline, reply_to, url,
			warnings, search_text, registered_by, registered_by_id, doc_count, created_at, updated_at, workflow_custom, cc, contact)
		VALUES ($1, $2, 2024, $3, $4, $4, '', 'Remiss', 'registrerad', 1, 'kommunstyrelsen', 1, 'Finansdepartementet', 'Fi2023/04321',
			'SOU 2023:94', '2024-01-15', '2024-04-15', '', '', '[]', 'remiss', 'Rut', $5, 1, '2024-01-29T09:00:00Z', '2024-01-29T09:00:00Z', 0, '[]', '')`,
		f.org.ID, f.series.ID, n, dnr, f.user.ID))
	rows := query(t, st, `SELECT id FROM cases WHERE dnr = $1`, dnr)
	id, ok := rows[0][0].(int64)
	if !ok {
		t.Fatalf("case id %T", rows[0][0])
	}
	must(t, store.ExecForTest(st, `INSERT INTO documents (org_id, case_id, number, title, direction, doc_date, registered_by, registered_at)
		VALUES ($1, $2, 1, 'Remiss', 'inkommande', '2024-01-15', 'Rut', '2024-01-29T09:00:00Z')`, f.org.ID, id))
	must(t, store.ExecForTest(st, `INSERT INTO case_history (org_id, case_id, seq, event, from_state, to_state, actor, at, data, prev_hash, hash)
		VALUES ($1, $2, 1, 'registrera', '', 'registrerad', 'Rut', '2024-01-29T09:00:00Z', '{}', $3, 'h1')`, f.org.ID, id, workflow.GenesisHash))
	return id
}
