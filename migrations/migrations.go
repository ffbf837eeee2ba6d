// Package migrations holds the SQL migrations, embedded in the binary and run
// by bun's migrator in file-name order. Names are NNNN_name.tx.up.sql (and
// .tx.down.sql): each migration runs in one transaction.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
