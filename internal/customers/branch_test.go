package customers_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/customers"
)

// TestBranchNumberIsOptionalCheckedAndCarriedToTheCustomer applies with a
// branch number (vestigingsnummer): a wrong one is refused at its field,
// none is fine, and a good one, cleaned, goes from the application to the
// customer made from it.
func TestBranchNumberIsOptionalCheckedAndCarriedToTheCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for in, want := range map[string]string{"12345678": "exactly 12 digits", "000000000000": "never all zeros", "0000 1234 567x": "exactly 12 digits"} {
		bad := validInput()
		bad.BranchNumber = in
		if fe := bad.Validate(); !strings.Contains(fe["branch_number"].String(), want) {
			t.Errorf("%q: %v, want %q", in, fe, want)
		}
	}
	none := validInput()
	none.BranchNumber = "  "
	if fe := none.Validate(); len(fe) != 0 || none.BranchNumber != "" {
		t.Errorf("no branch number: %v %q", fe, none.BranchNumber)
	}
	in := validInput()
	in.BranchNumber = "0000 1234 5678"
	a := e.apply(in)
	if a.BranchNumber != "000012345678" {
		t.Fatalf("application's branch number %q", a.BranchNumber)
	}
	e.passAll(a)
	co, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e))
	if err != nil {
		t.Fatal(err)
	}
	got, err := customers.ByID(ctx, e.db, co.ID)
	if err != nil || got.BranchNumber != "000012345678" {
		t.Fatalf("customer's branch number %q (%v)", got.BranchNumber, err)
	}
}
