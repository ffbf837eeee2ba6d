package invoicing

import "encoding/json"

// jsonOf is v as JSON text for a jsonb parameter.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("invoicing: " + err.Error()) // only for values of this package's own types
	}
	return string(b)
}
