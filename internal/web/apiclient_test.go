package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"wholesale/internal/users"
	"wholesale/internal/web/apiclient"
)

// The committed client is what oapi-codegen (the go.mod tool) generates
// from the document the app serves: a change of the API that is not
// regenerated fails here. APICLIENT_UPDATE=1 writes it anew.
func TestGeneratedClientIsCurrent(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(spec, a.srv.OpenAPI(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-generate", "types,client", "-package", "apiclient", spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, stderr.String())
	}
	file := filepath.Join("apiclient", "client.gen.go")
	if os.Getenv("APICLIENT_UPDATE") == "1" {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("internal/web/apiclient/client.gen.go is not what oapi-codegen generates from openapi.json: run APICLIENT_UPDATE=1 bin/withpg go test ./internal/web -run TestGeneratedClientIsCurrent")
	}
}

// A developer's generated client creates, places, amends, confirms and
// cancels an order against the running server, every request and answer
// checked against the document on the way.
func TestGeneratedClientRunsAnOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.srv.App.Listener(ln)
	t.Cleanup(func() { a.srv.App.Shutdown() })
	clientAs := func(role users.Role) *apiclient.ClientWithResponses {
		token := a.apiClient(t, role).bearer
		c, err := apiclient.NewClientWithResponses("http://"+ln.Addr().String()+"/api/v1",
			apiclient.WithHTTPClient(&http.Client{Transport: contractTransport{t, a}}),
			apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
				req.Header.Set("Authorization", "Bearer "+token)
				return nil
			}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	am, buyer := clientAs(users.RoleAccountManager), clientAs(users.RoleCustomer)
	key := apiclient.IdempotencyKey("gen-create-1")
	created, err := am.CreateOrderWithResponse(ctx, &apiclient.CreateOrderParams{IdempotencyKey: &key}, apiclient.CreateOrderJSONRequestBody{
		CompanyId: a.companyID(t, "Bakkerij Jansen B.V."), PoReference: "GEN-1",
		Lines: []apiclient.OrderLineInput{{Sku: ptr("KR-F3090"), Quantity: ptr(2)}, {Sku: ptr("KR-XS5300"), Quantity: ptr(3)}}})
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create: %v %s", err, body(created))
	}
	o := created.JSON201
	if o.Status != "draft" || o.PoReference != "GEN-1" || o.Lines == nil || len(*o.Lines) != 2 {
		t.Fatalf("created: %s", created.Body)
	}
	placed, err := am.PlaceOrderWithResponse(ctx, o.Id, nil)
	if err != nil || placed.JSON200 == nil || placed.JSON200.Status != "awaiting_confirmation" {
		t.Fatalf("place: %v %s", err, body(placed))
	}
	line := (*placed.JSON200.Lines)[0]
	amended, err := am.AmendOrderWithResponse(ctx, o.Id, nil, apiclient.AmendOrderJSONRequestBody{
		Lines: &[]apiclient.OrderLineInput{{Id: &line.Id, Quantity: ptr(5)}}, Note: ptr("five, by phone")})
	if err != nil || amended.JSON200 == nil || (*amended.JSON200.Lines)[0].Quantity != 5 {
		t.Fatalf("amend: %v %s", err, body(amended))
	}
	confirmed, err := buyer.ConfirmOrderWithResponse(ctx, o.Id, nil, apiclient.ConfirmOrderJSONRequestBody{Revision: &amended.JSON200.Revision})
	if err != nil || confirmed.JSON200 == nil || confirmed.JSON200.Status != "released" {
		t.Fatalf("confirm: %v %s", err, body(confirmed))
	}
	cancelled, err := am.CancelOrderWithResponse(ctx, o.Id, nil, apiclient.CancelOrderJSONRequestBody{Reason: "The customer ordered twice."})
	if err != nil || cancelled.JSON200 == nil || cancelled.JSON200.Status != "cancelled" {
		t.Fatalf("cancel: %v %s", err, body(cancelled))
	}
	// An error comes back in the shared Error schema, with its field messages.
	bad, err := am.CancelOrderWithResponse(ctx, o.Id, nil, apiclient.CancelOrderJSONRequestBody{Reason: "again"})
	if err != nil || bad.JSON409 == nil || bad.JSON409.Error.Kind != "conflict" || bad.JSON409.Error.Message == "" {
		t.Fatalf("cancelling twice: %v %s", err, body(bad))
	}
	got, err := buyer.GetOrderWithResponse(ctx, o.Id)
	if err != nil || got.JSON200 == nil || got.JSON200.Status != "cancelled" || got.JSON200.Note != nil {
		t.Fatalf("the customer's view: %v %s", err, body(got))
	}
}

func ptr[T any](v T) *T { return &v }

// body is the status and body of a generated client's answer, for a
// failure message.
func body(r any) string {
	v := reflect.ValueOf(r)
	if !v.IsValid() || v.IsNil() {
		return "(no answer)"
	}
	resp := v.Elem().FieldByName("HTTPResponse").Interface().(*http.Response)
	return fmt.Sprintf("%d %s", resp.StatusCode, v.Elem().FieldByName("Body").Bytes())
}
