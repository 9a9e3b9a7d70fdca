// Package migrations holds the database schema as forward-only, numbered
// .sql files, one folder per dialect, embedded in the binary. Each file
// runs in its own transaction; a file that has been released is never
// edited again, only followed by a new one.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
