package privacy

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// minScrubChars is the shortest value replaced in free text: shorter ones
// ("Al") would hit unrelated words. Such values are still erased from the
// fields that hold them alone.
const minScrubChars = 3

// scrubRows are the rows of a table the free-text pass may change:
// issued invoices and their lines stay exactly as issued (GDPR art.
// 17(3)(b)); the users table is changed for the erased person alone
// (eraseAccount), never for a namesake.
var scrubRows = map[string]string{
	"invoices":      "state <> 'issued'",
	"invoice_lines": "NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = invoice_id AND i.state = 'issued')",
	"users":         "false",
}

// column is a text or JSON column of a table.
type column struct {
	Table string `bun:"table_name"`
	Name  string `bun:"column_name"`
	Type  string `bun:"data_type"`
}

// TextColumns returns every text and JSON column of every table of the
// schema, so that a new table is covered without a change here.
func TextColumns(ctx context.Context, db bun.IDB) ([]column, error) {
	var cols []column
	err := db.NewRaw(`SELECT c.table_name, c.column_name, c.data_type
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'json', 'jsonb')
		ORDER BY c.table_name, c.ordinal_position`).Scan(ctx, &cols)
	return cols, err
}

// pattern is the PostgreSQL regular expression that finds any of values as
// a whole word (not inside a longer word), or "" when none is long enough.
// Each value is also looked for as JSON writes it inside a string.
func pattern(values []string) string {
	var alts []string
	seen := map[string]bool{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) < minScrubChars {
			continue
		}
		forms := []string{v}
		if b, err := json.Marshal(v); err == nil {
			forms = append(forms, string(b[1:len(b)-1]))
		}
		for _, f := range forms {
			if k := strings.ToLower(f); !seen[k] {
				seen[k] = true
				alts = append(alts, regexp.QuoteMeta(f))
			}
		}
	}
	if len(alts) == 0 {
		return ""
	}
	return `(?<![[:alnum:]_])(?:` + strings.Join(alts, "|") + `)(?![[:alnum:]_])`
}

// scrub replaces the values (found as whole words, in any case) by label
// in every text and JSON column of every table, but for the rows of
// scrubRows, and returns how many rows it changed per table. Run it in the
// erasure's transaction, after redaction of the audit trail is allowed.
func scrub(ctx context.Context, tx bun.IDB, values []string, label string) (map[string]int64, error) {
	pat := pattern(values)
	if pat == "" {
		return nil, nil
	}
	cols, err := TextColumns(ctx, tx)
	if err != nil {
		return nil, err
	}
	byTable := map[string][]column{}
	var tables []string
	for _, c := range cols {
		if byTable[c.Table] == nil {
			tables = append(tables, c.Table)
		}
		byTable[c.Table] = append(byTable[c.Table], c)
	}
	out := map[string]int64{}
	for _, t := range tables {
		var sets, hits []string
		for _, c := range byTable[t] {
			col := ident(c.Name)
			switch c.Type {
			case "json", "jsonb":
				sets = append(sets, col+" = regexp_replace("+col+"::text, ?0, ?1, 'gi')::"+c.Type)
				hits = append(hits, col+"::text ~* ?0")
			default:
				sets = append(sets, col+" = regexp_replace("+col+", ?0, ?1, 'gi')")
				hits = append(hits, col+" ~* ?0")
			}
		}
		where := "(" + strings.Join(hits, " OR ") + ")"
		if extra, ok := scrubRows[t]; ok {
			where = "(" + extra + ") AND " + where
		}
		res, err := tx.NewRaw("UPDATE "+ident(t)+" SET "+strings.Join(sets, ", ")+" WHERE "+where, pat, label).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("privacy: erase from %s: %w", t, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			out[t] = n
		}
	}
	return out, nil
}

// ident quotes a table or column name for SQL.
func ident(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
