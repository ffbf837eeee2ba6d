package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/stock"
)

// handleOpenAPI answers the document buildOpenAPI made at start.
func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openAPI)
}

// OpenAPI returns the OpenAPI document of the JSON API, as GET
// /api/v1/openapi.json answers it.
func (s *Server) OpenAPI() []byte { return s.openAPI }

// buildOpenAPI makes the OpenAPI 3.0 document of the API's routes: each
// route's apiOps entry gives its words, its query and the Go types it
// decodes and answers, whose schemas are generated from those types with
// the bounds of inputRules. It fails when a route has no entry.
func (s *Server) buildOpenAPI() (*openapi3.T, error) {
	g := newSchemaGen()
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "wholesale API", Version: "1", Description: apiIntro,
			License: &openapi3.License{Name: "Proprietary: for the wholesaler's customers and staff", URL: "https://wholesale.example.nl/terms"}},
		Servers:  openapi3.Servers{{URL: "/api/v1", Description: "This server."}},
		Security: openapi3.SecurityRequirements{{"bearer": {}}},
		Paths:    openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:         openapi3.Schemas{},
			Responses:       openapi3.ResponseBodies{},
			SecuritySchemes: openapi3.SecuritySchemes{"bearer": {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer", Description: "An API token made on the profile page: Authorization: Bearer <token>."}}},
			Parameters:      openapi3.ParametersMap{"IdempotencyKey": {Value: idempotencyParam()}},
			Headers: openapi3.Headers{
				"IdempotentReplayed": {Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: "true when this is the first answer to the key, replayed.", Schema: openapi3.NewStringSchema().WithEnum("true").NewRef()}}},
				"RetryAfter":         {Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: "Seconds to wait before trying again.", Schema: openapi3.NewIntegerSchema().WithMin(1).NewRef()}}},
			},
		},
	}
	errRef, err := g.schema(apiError{}, false)
	if err != nil {
		return nil, err
	}
	for status, r := range errorResponses(errRef) {
		doc.Components.Responses[status] = &openapi3.ResponseRef{Value: r}
	}
	tags := map[string]bool{}
	for _, r := range s.routes {
		if !strings.HasPrefix(r.path, "/api/v1/") {
			continue
		}
		key := r.method + " " + r.path
		op, ok := apiOps[key]
		if !ok {
			return nil, fmt.Errorf("openapi: %s has no entry in apiOps", key)
		}
		o, err := g.operation(r, op)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", key, err)
		}
		tags[op.Tag] = true
		doc.AddOperation(openAPIPath(strings.TrimPrefix(r.path, "/api/v1")), r.method, o)
	}
	for _, t := range apiTags {
		if tags[t.Name] {
			doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t.Name, Description: t.Description})
		}
	}
	if err := g.finish(doc.Components.Schemas); err != nil {
		return nil, err
	}
	e := doc.Components.Schemas["Error"].Value.Properties["error"].Value
	for _, k := range []apperr.Kind{apperr.Internal, apperr.NotFound, apperr.Invalid, apperr.Conflict, apperr.Forbidden,
		apperr.Unauthenticated, apperr.TooManyRequests, apperr.Unavailable} {
		e.Properties["kind"].Value.Enum = append(e.Properties["kind"].Value.Enum, k.String())
	}
	e.Required = []string{"kind", "message", "request_id"}
	e.Properties["fields"].Value.Description = "The message at each field that is wrong, by the field's name (line_<n> for the n-th line, from 0)."
	e.Properties["request_id"].Value.Description = "The request's id in our logs: quote it when you ask us."
	return doc, nil
}

// apiIntro opens the document.
const apiIntro = "The JSON API of the wholesaler's ordering system. Authenticate with a bearer token made on your profile page. " +
	"Request bodies are JSON (Content-Type: application/json) of the fields described, and nothing else. " +
	"Every error answers the Error object: its kind, a message in the language of Accept-Language (Dutch or English), " +
	"the message at each field that is wrong, and the request id to quote to us. Lists are newest first, one page at a time: " +
	"next_before, when present, is the before of the next page."

// errorStatuses are the shared error answers, by status.
var errorStatuses = map[int]string{
	fiber.StatusBadRequest:            "The request cannot be read: a query parameter holds control characters or bytes that are not UTF-8.",
	fiber.StatusUnauthorized:          "No valid bearer token was sent.",
	fiber.StatusForbidden:             "The token's user may not do this, or not to this record.",
	fiber.StatusNotFound:              "The record does not exist, or the token's user may not see it.",
	fiber.StatusConflict:              "The record's state does not allow this now, or a request with this Idempotency-Key is still running.",
	fiber.StatusRequestEntityTooLarge: "The body is too large.",
	fiber.StatusUnsupportedMediaType:  "The body was not sent as application/json.",
	fiber.StatusUnprocessableEntity:   "The body or a query parameter is not valid: fields holds the message at each field.",
	fiber.StatusServiceUnavailable:    "The database cannot be reached just now: try again after Retry-After seconds.",
}

// errorResponses are the components' error answers, named by status.
func errorResponses(errRef *openapi3.SchemaRef) map[string]*openapi3.Response {
	out := map[string]*openapi3.Response{}
	for status, d := range errorStatuses {
		kind, msg := fiberError(status)
		switch status {
		case fiber.StatusUnauthorized:
			kind, msg = apperr.Unauthenticated, i18n.M("Please log in.")
		case fiber.StatusForbidden:
			kind, msg = apperr.Forbidden, i18n.M("Your role (%s) may not open this page.", "Warehouse")
		case fiber.StatusNotFound:
			msg = i18n.M("Order not found.")
		case fiber.StatusConflict:
			kind, msg = apperr.Conflict, i18n.Raw("This order is cancelled and cannot be changed.")
		}
		ex := apiError{}
		ex.Error.Kind, ex.Error.Message, ex.Error.RequestID = kind.String(), i18n.For(i18n.EN).Text(msg), "3f2b8c1e9a7d4f60"
		if status == fiber.StatusUnprocessableEntity {
			ex.Error.Message = "Please correct the fields marked."
			ex.Error.Fields = map[string]string{"po_reference": "Enter the customer's PO reference.", "line_0": "The quantity must be at least 1."}
		}
		r := openapi3.NewResponse().WithDescription(d).WithContent(openapi3.Content{
			fiber.MIMEApplicationJSON: &openapi3.MediaType{Schema: errRef, Example: ex}})
		if status == fiber.StatusServiceUnavailable {
			r.Headers = openapi3.Headers{fiber.HeaderRetryAfter: {Ref: "#/components/headers/RetryAfter"}}
		}
		out[responseName(status)] = r
	}
	return out
}

// responseName names the shared answer of status: NotFound for 404.
func responseName(status int) string {
	return strings.ReplaceAll(http.StatusText(status), " ", "")
}

func idempotencyParam() *openapi3.Parameter {
	p := openapi3.NewHeaderParameter(idempotency.Field).WithDescription(apiKeyDoc)
	p.Schema = openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(idempotency.MaxLen).WithPattern(`^[!-~]+$`).NewRef()
	p.Example = "po-4711-create"
	return p
}

// operation is the OpenAPI operation of route r.
func (g *schemaGen) operation(r routeInfo, op apiOp) (*openapi3.Operation, error) {
	o := &openapi3.Operation{OperationID: op.ID, Summary: op.Summary, Description: op.Doc, Tags: []string{op.Tag}, Responses: openapi3.NewResponses()}
	o.Responses.Delete("default")
	if r.rule.public {
		o.Security = &openapi3.SecurityRequirements{}
	} else {
		roles := make([]string, len(r.rule.roles))
		for i, role := range r.rule.roles {
			roles[i] = string(role)
		}
		o.Extensions = map[string]any{"x-roles": roles}
		o.Description = strings.TrimSpace(o.Description + "\n\nRoles: " + strings.Join(roles, ", ") + ".")
	}
	for _, seg := range strings.Split(r.path, "/") {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			p := openapi3.NewPathParameter(name)
			p.Schema, p.Description = op.pathSchema(name)
			o.AddParameter(p)
		}
	}
	for _, q := range op.Query {
		p := openapi3.NewQueryParameter(q.Name).WithDescription(q.Doc).WithSchema(q.Schema)
		o.AddParameter(p)
	}
	post := r.method == fiber.MethodPost
	if post {
		o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/IdempotencyKey"})
	}
	if op.Body != nil {
		ref, err := g.schema(op.Body, true)
		if err != nil {
			return nil, err
		}
		rb := openapi3.NewRequestBody().WithRequired(!op.BodyOptional).WithDescription(op.BodyDoc)
		mt := &openapi3.MediaType{Schema: ref}
		if op.Example != nil {
			mt.Example = op.Example
		}
		rb.Content = openapi3.Content{fiber.MIMEApplicationJSON: mt}
		o.RequestBody = &openapi3.RequestBodyRef{Value: rb}
	}
	ok := openapi3.NewResponse().WithDescription(op.AnswerDoc)
	if op.Media != "" {
		ok.Content = openapi3.Content{op.Media: &openapi3.MediaType{Schema: openapi3.NewStringSchema().WithFormat("binary").NewRef()}}
	} else {
		ref, err := g.schema(op.Answer, false)
		if err != nil {
			return nil, err
		}
		ok.Content = openapi3.NewContentWithJSONSchemaRef(ref)
	}
	status := fiber.StatusOK
	if post {
		ok.Headers = openapi3.Headers{"Idempotent-Replayed": {Ref: "#/components/headers/IdempotentReplayed"}}
	}
	if op.Created {
		status = fiber.StatusCreated
		ok.Headers[fiber.HeaderLocation] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: "The address of what was made.", Schema: openapi3.NewStringSchema().NewRef()}}}
	}
	o.AddResponse(status, ok)
	for _, st := range op.statuses(r, post) {
		o.Responses.Set(strconv.Itoa(st), &openapi3.ResponseRef{Ref: "#/components/responses/" + responseName(st)})
	}
	return o, nil
}

// statuses are the error statuses the operation answers.
func (op apiOp) statuses(r routeInfo, post bool) []int {
	out := []int{fiber.StatusBadRequest, fiber.StatusServiceUnavailable}
	if !r.rule.public {
		out = append(out, fiber.StatusUnauthorized, fiber.StatusForbidden)
	}
	names := strings.Contains(r.path, ":") || post
	for _, q := range op.Query {
		names = names || q.Schema.Format == "int64" && q.Name != "before" && q.Name != "user"
	}
	if names {
		out = append(out, fiber.StatusNotFound)
	}
	if post {
		out = append(out, fiber.StatusConflict, fiber.StatusRequestEntityTooLarge, fiber.StatusUnsupportedMediaType)
	}
	if post || len(op.Query) > 0 {
		out = append(out, fiber.StatusUnprocessableEntity)
	}
	sort.Ints(out)
	return out
}

// pathSchema is the schema and the words of a path parameter.
func (op apiOp) pathSchema(name string) (*openapi3.SchemaRef, string) {
	if name == "number" {
		return openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(40).NewRef(),
			"The document's number (e.g. 2026-000123); staff may name a draft invoice by its ref, draft-<id>."
	}
	return openapi3.NewInt64Schema().WithMin(1).NewRef(), "The record's id."
}

// openAPIPath turns /orders/:id into /orders/{id}.
func openAPIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

// schemaGen generates the schemas of Go types into components, keeping
// apart the types that are read (requests) and those that are written
// (answers): an answer's fields without omitempty are required.
type schemaGen struct {
	gen     *openapi3gen.Generator
	schemas openapi3.Schemas
	names   map[string]reflect.Type
	inputs  map[string]bool
	outputs map[string]bool
	touched map[string]bool
	// custom are the schemas of structs that encode themselves as
	// another type, which openapi3gen leaves out of the components.
	custom map[string]*openapi3.Schema
}

func newSchemaGen() *schemaGen {
	g := &schemaGen{schemas: openapi3.Schemas{}, names: map[string]reflect.Type{}, inputs: map[string]bool{}, outputs: map[string]bool{}, touched: map[string]bool{}, custom: map[string]*openapi3.Schema{}}
	g.gen = openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true, ExportTopLevelSchema: true}),
		openapi3gen.CreateTypeNameGenerator(g.typeName),
		openapi3gen.UseAllExportedFields(),
		openapi3gen.SchemaCustomizer(g.customize))
	return g
}

// schema generates the schema of v's type, a request body when input.
func (g *schemaGen) schema(v any, input bool) (*openapi3.SchemaRef, error) {
	g.touched = map[string]bool{}
	ref, err := g.gen.NewSchemaRefForValue(v, g.schemas)
	if err != nil {
		return nil, err
	}
	mark := g.outputs
	if input {
		mark = g.inputs
	}
	for n := range g.touched {
		mark[n] = true
	}
	return ref, nil
}

// typeName names a component after its Go type: the area's noun before
// the name where the name does not say it ("orders.Input" → OrderInput),
// the web package's api prefix dropped ("apiComplaint" → Complaint).
func (g *schemaGen) typeName(t reflect.Type) string {
	name := t.Name()
	if name == "" {
		return "" // an anonymous struct: inline
	}
	pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
	if pkg == "web" {
		name = strings.TrimPrefix(name, "api")
	} else if noun := areaNouns[pkg]; noun != "" && !strings.HasPrefix(name, noun) {
		name = noun + name
	}
	name = strings.ToUpper(name[:1]) + name[1:]
	if prev, ok := g.names[name]; ok && prev != t {
		panic(fmt.Sprintf("openapi: %s and %s are both named %s", prev, t, name))
	}
	g.names[name] = t
	g.touched[name] = true
	return name
}

var areaNouns = map[string]string{"orders": "Order", "payments": "Payment", "returns": "Return", "complaints": "Complaint",
	"invoicing": "Invoice", "users": "User", "audit": "Audit", "shipping": "Shipment", "stock": "Stock", "catalog": "Product", "customers": "Customer"}

// customize gives the types that encode themselves their schema.
func (g *schemaGen) customize(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	switch t {
	case reflect.TypeFor[i18n.Message]():
		*s = *openapi3.NewStringSchema()
		g.custom[g.typeName(t)] = s
	case reflect.TypeFor[stock.Reference]():
		*s = *openapi3.NewStringSchema()
		s.Description = "What a back order is for, in English: the customer's order and its PO reference."
		g.custom[g.typeName(t)] = s
	case reflect.TypeFor[time.Time](), reflect.TypeFor[json.RawMessage]():
		// openapi3gen knows these: a date-time, and any JSON value
	default:
		if _, ok := t.MethodByName("MarshalJSON"); ok {
			return fmt.Errorf("openapi: %s encodes itself: give it a schema in customizeSchema", t)
		}
	}
	return nil
}

// finish copies the components, applies inputRules to the request types
// and makes an answer's fields required where they are always sent.
func (g *schemaGen) finish(out openapi3.Schemas) error {
	for name := range g.inputs {
		if g.outputs[name] {
			return fmt.Errorf("openapi: %s is both read and answered: give one of them its own type", name)
		}
	}
	for name, s := range g.custom {
		if g.schemas[name] == nil {
			g.schemas[name] = s.NewRef()
		}
	}
	for name, ref := range g.schemas {
		if g.outputs[name] && g.custom[name] == nil {
			ref.Value.Required = alwaysSent(g.names[name])
			for _, p := range ref.Value.Required {
				// encoding/json writes a nil slice as null
				if s := ref.Value.Properties[p]; s != nil && s.Value != nil && s.Value.Type.Is("array") {
					s.Value.Nullable = true
				}
			}
		}
		if g.inputs[name] {
			ref.Value.AdditionalProperties = openapi3.AdditionalProperties{Has: new(bool)}
		}
		out[name] = ref
	}
	inputs := map[string]reflect.Type{}
	for name := range g.inputs {
		inputs[name] = g.names[name]
	}
	return applyInputRules(out, inputs)
}

// alwaysSent are the JSON names of t's fields encoding/json always writes.
func alwaysSent(t reflect.Type) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Tag.Get("json") == "" {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// marshalOpenAPI encodes the document as the API answers it.
func marshalOpenAPI(doc *openapi3.T) ([]byte, error) { return json.MarshalIndent(doc, "", "  ") }
