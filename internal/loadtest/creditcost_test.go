package loadtest

import "testing"

// readPlan counts the rows the scans of the summed tables read, loops
// included, and names those read whole.
func TestReadPlan(t *testing.T) {
	plan := `[{"Plan": {"Node Type": "Index Scan", "Relation Name": "companies", "Actual Rows": 1, "Actual Loops": 1,
		"Shared Hit Blocks": 12, "Shared Read Blocks": 3, "Plans": [
		{"Node Type": "Aggregate", "Actual Rows": 1, "Actual Loops": 1, "Plans": [
			{"Node Type": "Index Scan", "Relation Name": "orders", "Actual Rows": 4, "Actual Loops": 2, "Rows Removed by Filter": 1}]},
		{"Node Type": "Aggregate", "Actual Rows": 1, "Actual Loops": 1, "Plans": [
			{"Node Type": "Seq Scan", "Relation Name": "invoices", "Actual Rows": 2, "Actual Loops": 1, "Rows Removed by Filter": 40}]},
		{"Node Type": "Bitmap Heap Scan", "Relation Name": "payments", "Actual Rows": 0, "Actual Loops": 1, "Rows Removed by Index Recheck": 3,
			"Plans": [{"Node Type": "Bitmap Index Scan", "Index Name": "payments_unallocated_idx", "Actual Rows": 3, "Actual Loops": 1}]}]},
		"Execution Time": 0.2}]`
	s, err := readPlan([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	if s.Buffers != 15 || s.RowsRead != (4+1)*2+(2+40)+3 || len(s.SeqScans) != 1 || s.SeqScans[0] != "invoices" {
		t.Fatalf("readPlan = %+v", s)
	}
	if _, err := readPlan([]byte(`not json`)); err == nil {
		t.Fatal("readPlan read nonsense")
	}
}
