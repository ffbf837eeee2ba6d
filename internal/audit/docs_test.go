package audit

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A Docs decodes each document of a chain of diffs once and finds the
// changes DiffWith finds: the documents it keeps are only read.
func TestDocsDecodesEachDocumentOnce(t *testing.T) {
	chain := []json.RawMessage{
		json.RawMessage(`{"note": "a", "lines": [{"sku": "A", "quantity": 1}], "summary": [{"id": "line %d (%s) %d → %d", "args": [{"t": "i", "v": 1}, {"t": "s", "v": "A"}, {"t": "i", "v": 1}, {"t": "i", "v": 2}]}]}`),
		json.RawMessage(`{"note": "b", "lines": [{"sku": "A", "quantity": 2}], "total_incl_cents": 1210}`),
		json.RawMessage(`{"note": "b", "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}], "total_incl_cents": 2420}`),
		json.RawMessage(`{"note": "c", "lines": [{"sku": "A", "quantity": 3}]}`),
	}
	var docs Docs
	for i := 1; i < len(chain); i++ {
		want, err := DiffWith(chain[i-1], chain[i], nil)
		if err != nil || len(want) == 0 {
			t.Fatalf("step %d: %v, %v", i, want, err)
		}
		for round := 0; round < 2; round++ { // the second time from what it kept
			got, err := docs.DiffWith(chain[i-1], chain[i], nil)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d, round %d: %+v, %v\nwant %+v", i, round, got, err, want)
			}
		}
	}
	if len(docs.decoded) != len(chain) {
		t.Fatalf("%d documents kept, want %d", len(docs.decoded), len(chain))
	}
	if _, err := docs.DiffWith(chain[0], json.RawMessage(`{"note": `), nil); err == nil {
		t.Fatal("a document that is not JSON diffed")
	}
}
