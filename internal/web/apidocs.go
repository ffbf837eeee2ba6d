package web

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
)

// GET /api/docs is the API's reference for people: the generated
// document laid out as one HTML page, made at start, with no script and
// nothing fetched from elsewhere.
func (s *Server) registerAPIDocsRoutes() {
	// GET /api/docs shows the API reference.
	s.page(fiber.MethodGet, "/api/docs", anyone, s.handleAPIDocs)
}

type apiDocsPage struct {
	Page
	Tags []docTag
}

type docTag struct {
	Name, Description string
	Ops               []docOp
}

// docOp is one operation as the reference shows it.
type docOp struct {
	Anchor, Method, Path, Summary, Description string
	Public                                     bool
	Params                                     []docField
	Body                                       []docField
	Answer                                     string
	Statuses                                   []string
}

// docField is a parameter or a body's field: its name, where it goes, its
// type and what it takes.
type docField struct {
	Name, In, Type, Description string
	Required                    bool
	Rules                       []i18n.Message
}

func (s *Server) handleAPIDocs(c *fiber.Ctx) error {
	return s.render(c, "apidocs/reference", &apiDocsPage{Page: Page{Title: i18n.M("API reference")}, Tags: s.apiDocs})
}

// apiReference lays out the document for the reference page, by tag,
// its references resolved.
func apiReference(data []byte) ([]docTag, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	var out []docTag
	for _, tag := range doc.Tags {
		t := docTag{Name: tag.Name, Description: tag.Description}
		paths := doc.Paths.InMatchingOrder()
		sort.Strings(paths)
		for _, path := range paths {
			for _, method := range []string{"GET", "POST"} {
				op := doc.Paths.Value(path).GetOperation(method)
				if op == nil || op.Tags[0] != tag.Name {
					continue
				}
				t.Ops = append(t.Ops, docOpOf(method, path, op))
			}
		}
		out = append(out, t)
	}
	return out, nil
}

func docOpOf(method, path string, op *openapi3.Operation) docOp {
	o := docOp{Anchor: op.OperationID, Method: method, Path: "/api/v1" + path, Summary: op.Summary, Description: op.Description,
		Public: op.Security != nil && len(*op.Security) == 0}
	for _, p := range op.Parameters {
		v := p.Value
		o.Params = append(o.Params, docFieldOf(v.Name, v.In, v.Description, v.Required, v.Schema))
	}
	if op.RequestBody != nil {
		body := op.RequestBody.Value.Content.Get(fiber.MIMEApplicationJSON).Schema
		req := map[string]bool{}
		for _, r := range body.Value.Required {
			req[r] = true
		}
		for _, name := range sortedKeys(body.Value.Properties) {
			p := body.Value.Properties[name]
			o.Body = append(o.Body, docFieldOf(name, "body", p.Value.Description, req[name], p))
		}
	}
	for _, code := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(code)
		if code < "300" {
			for media, mt := range r.Value.Content {
				o.Answer = code + " " + media
				if mt.Schema != nil && mt.Schema.Ref != "" {
					o.Answer += ": " + mt.Schema.Ref[strings.LastIndex(mt.Schema.Ref, "/")+1:]
				}
			}
			continue
		}
		o.Statuses = append(o.Statuses, code)
	}
	return o
}

func docFieldOf(name, in, doc string, required bool, ref *openapi3.SchemaRef) docField {
	f := docField{Name: name, In: in, Description: doc, Required: required}
	s := ref.Value
	switch {
	case ref.Ref != "":
		f.Type = ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	case s.Type.Is("array") && s.Items != nil && s.Items.Ref != "":
		f.Type = "array of " + s.Items.Ref[strings.LastIndex(s.Items.Ref, "/")+1:]
	case s.Type.Is("array") && s.Items != nil:
		f.Type = "array of " + strings.Join(s.Items.Value.Type.Slice(), "")
	default:
		f.Type = strings.Join(s.Type.Slice(), "")
	}
	if s.Format != "" {
		f.Type += " (" + s.Format + ")"
	}
	if s.MinLength > 0 {
		f.Rules = append(f.Rules, i18n.M("at least %d characters", s.MinLength))
	}
	if s.MaxLength != nil {
		f.Rules = append(f.Rules, i18n.M("at most %d characters", *s.MaxLength))
	}
	if s.Min != nil {
		f.Rules = append(f.Rules, i18n.M("at least %s", i18n.Num(int64(*s.Min))))
	}
	if s.Max != nil {
		f.Rules = append(f.Rules, i18n.M("at most %s", i18n.Num(int64(*s.Max))))
	}
	if s.MaxItems != nil {
		f.Rules = append(f.Rules, i18n.M("at most %d items", *s.MaxItems))
	}
	if len(s.Enum) > 0 {
		var vs []string
		for _, e := range s.Enum {
			vs = append(vs, e.(string))
		}
		f.Rules = append(f.Rules, i18n.M("one of: %s", i18n.Raw(strings.Join(vs, ", "))))
	}
	if s.Pattern != "" {
		f.Rules = append(f.Rules, i18n.M("matches %s", i18n.Raw(s.Pattern)))
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
