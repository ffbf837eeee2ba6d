package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The contract tests: every request a test sends to /api/v1 through
// testApp.send, and the answer, is checked against openapi.json with
// openapi3filter. An answer whose status, headers or body the document
// does not describe fails the test that provoked it. A request the
// document refuses (a test of bad input) must be answered with one of the
// error statuses the operation documents.

var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// contractOf loads the document the app serves, once for the package: it
// is the same for every app.
func contractOf(a *testApp) (*openapi3.T, routers.Router, error) {
	contract.once.Do(func() {
		for _, media := range []string{"application/pdf", "application/xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
			openapi3filter.RegisterBodyDecoder(media, openapi3filter.FileBodyDecoder)
		}
		l := openapi3.NewLoader()
		contract.doc, contract.err = l.LoadFromData(a.srv.OpenAPI())
		if contract.err == nil {
			contract.err = contract.doc.Validate(context.Background())
		}
		if contract.err == nil {
			contract.router, contract.err = gorillamux.NewRouter(contract.doc)
		}
	})
	return contract.doc, contract.router, contract.err
}

// send runs req through the app and returns the answer with its body read;
// a request under /api/v1/ and its answer are checked against the
// document.
func (a *testApp) send(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := a.srv.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if strings.HasPrefix(req.URL.Path, "/api/v1/") {
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
		if err := checkContract(a, req, resp, body); err != nil {
			t.Errorf("contract: %s %s → %d: %v\nbody: %.600s", req.Method, req.URL, resp.StatusCode, err, body)
		}
	}
	return resp, body
}

// checkContract checks req and its answer against the document.
func checkContract(a *testApp, req *http.Request, resp *http.Response, body []byte) error {
	doc, router, err := contractOf(a)
	if err != nil {
		return fmt.Errorf("openapi.json: %w", err)
	}
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		// No operation: the answer must be an error in the Error schema.
		if resp.StatusCode < 400 || resp.StatusCode > 499 {
			return fmt.Errorf("%d to a request the document has no operation for", resp.StatusCode)
		}
		return visitJSON(doc.Components.Schemas["Error"].Value, body)
	}
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	reqErr := openapi3filter.ValidateRequest(ctx, in)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("the answer: %w", err)
	}
	if reqErr != nil && resp.StatusCode < 400 {
		return fmt.Errorf("%d to a request the document refuses: %w", resp.StatusCode, reqErr)
	}
	if resp.StatusCode >= 400 && route.Operation.Responses.Value(strconv.Itoa(resp.StatusCode)) == nil {
		return fmt.Errorf("status %d is not documented", resp.StatusCode)
	}
	return nil
}

func visitJSON(s *openapi3.Schema, body []byte) error {
	v, err := decodeJSON(body)
	if err != nil {
		return err
	}
	return s.VisitJSON(v)
}

func decodeJSON(body []byte) (any, error) {
	var v any
	err := json.Unmarshal(body, &v)
	return v, err
}

// contractTransport is an http.RoundTripper that checks each request to
// the API and its answer against the document, for clients that reach the
// app over a real connection.
type contractTransport struct {
	t testing.TB
	a *testApp
}

func (c contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(body))
	if err := checkContract(c.a, check, resp, answer); err != nil {
		c.t.Errorf("contract: %s %s → %d: %v\nbody: %.600s", req.Method, req.URL, resp.StatusCode, err, answer)
	}
	return resp, nil
}
