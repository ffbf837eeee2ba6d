package scale

import (
	"context"
	"fmt"
)

// foreignKeys checks every foreign key of the database at once, set-based:
// each child row's key is in its parent table. A load with the triggers
// off (trusted) checks them here instead of row by row. Returns an error
// naming the keys broken.
func (s *seeder) foreignKeys(ctx context.Context) error {
	start := s.p.now()
	var keys []struct {
		Name   string `bun:"name"`
		Child  string `bun:"child"`
		Col    string `bun:"col"`
		Parent string `bun:"parent"`
		Ref    string `bun:"ref"`
	}
	if err := s.db.NewRaw(`SELECT c.conname AS name, c.conrelid::regclass::text AS child, a.attname AS col,
		c.confrelid::regclass::text AS parent, r.attname AS ref
		FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
		WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace
		ORDER BY 1`).Scan(ctx, &keys); err != nil {
		return err
	}
	broken := make([]string, len(keys))
	fns := make([]func() error, len(keys))
	sem := make(chan struct{}, s.o.Workers)
	for i, k := range keys {
		fns[i] = func() error {
			sem <- struct{}{}
			defer func() { <-sem }()
			var n int64
			err := s.bulk.NewRaw(fmt.Sprintf(`SELECT count(*) FROM %s c WHERE c.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = c.%s)`,
				k.Child, k.Col, k.Parent, k.Ref, k.Col)).Scan(ctx, &n)
			if n > 0 {
				broken[i] = fmt.Sprintf("%s (%d rows)", k.Name, n)
			}
			return err
		}
	}
	if err := parallel(fns...); err != nil {
		return err
	}
	var bad []string
	for _, b := range broken {
		if b != "" {
			bad = append(bad, b)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("scale: foreign keys broken: %v", bad)
	}
	s.p.done("foreign keys, set-based", int64(len(keys)), start)
	return nil
}
