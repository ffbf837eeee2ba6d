package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/BurntSushi/toml"
)

// The catalog tests read the code and the templates of the repository:
// every text people read must come from the catalogs.

// repoRoot is the folder of go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// use is where a message ID is used.
type use struct {
	id    string
	where string
}

// messageCalls are the functions whose argument at the index is a message
// ID: i18n.M("…"), apperr.Conflictf("…", …), fe.Addf(field, "…"), tr(c,
// "…"), l.Sprintf("…").
var messageCalls = map[string]map[string]int{
	"i18n":   {"M": 0, "N": 1},
	"apperr": {"New": 1, "NotFoundf": 0, "Conflictf": 0, "Forbiddenf": 0, "Unauthenticatedf": 0, "Invalidf": 0, "Unavailablef": 1},
	"":       {"Addf": 1, "tr": 1, "Sprintf": 0},
}

// goUses reads the message IDs of the Go code (tests excluded) and the
// calls whose ID is not a string literal.
func goUses(t *testing.T, root string) (uses []use, bad []string) {
	t.Helper()
	fset := token.NewFileSet()
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			pkg := f.Name.Name
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				idx, ok := messageArg(call, pkg)
				if !ok || idx >= len(call.Args) {
					return true
				}
				pos := fset.Position(call.Pos())
				where := fmt.Sprintf("%s:%d", strings.TrimPrefix(pos.Filename, root+"/"), pos.Line)
				lit, ok := call.Args[idx].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if pkg != "i18n" && pkg != "apperr" {
						bad = append(bad, where+": the message ID is not a string literal")
					}
					return true
				}
				id, err := strconv.Unquote(lit.Value)
				if err != nil {
					bad = append(bad, where+": "+err.Error())
					return true
				}
				uses = append(uses, use{id, where})
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return uses, bad
}

// messageArg says whether call takes a message ID, and at which argument.
func messageArg(call *ast.CallExpr, pkg string) (int, bool) {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		x, _ := fn.X.(*ast.Ident)
		if x != nil {
			if m, ok := messageCalls[x.Name]; ok {
				i, ok := m[fn.Sel.Name]
				return i, ok
			}
			if x.Name == "fmt" {
				return 0, false
			}
		}
		i, ok := messageCalls[""][fn.Sel.Name]
		return i, ok
	case *ast.Ident:
		if pkg == "i18n" && (fn.Name == "M" || fn.Name == "N") {
			return messageCalls["i18n"][fn.Name], true
		}
		if fn.Name == "tr" {
			return 1, true
		}
	}
	return 0, false
}

// templateUses reads the IDs of {{t "…"}} and {{tn n "…"}} in the
// templates, and the literal text people would read outside them.
func templateUses(t *testing.T, root string) (uses []use, bad []string) {
	t.Helper()
	dir := filepath.Join(root, "templates")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, root+"/")
		trees, err := parseTemplate(name, string(b))
		if err != nil {
			return err
		}
		for _, tree := range trees {
			walk(tree.Root, func(cmd *parse.CommandNode) {
				id, ok, literal := templateID(cmd)
				switch {
				case !ok:
				case !literal:
					bad = append(bad, fmt.Sprintf("%s:%d: the message ID of t is not a string literal", name, lineOf(string(b), int(cmd.Pos))))
				default:
					uses = append(uses, use{id, fmt.Sprintf("%s:%d", name, lineOf(string(b), int(cmd.Pos)))})
				}
			})
		}
		for _, text := range literalText(string(b)) {
			bad = append(bad, fmt.Sprintf("%s: literal text outside the catalog: %q", name, text))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses, bad
}

func parseTemplate(name, text string) (map[string]*parse.Tree, error) {
	tr := parse.New(name)
	tr.Mode = parse.SkipFuncCheck | parse.ParseComments
	trees := map[string]*parse.Tree{}
	_, err := tr.Parse(text, "{{", "}}", trees)
	return trees, err
}

func lineOf(text string, pos int) int { return strings.Count(text[:min(pos, len(text))], "\n") + 1 }

// walk calls f for every command of the tree under n.
func walk(n parse.Node, f func(*parse.CommandNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, f)
		}
	case *parse.ActionNode:
		walk(n.Pipe, f)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, f)
		}
	case *parse.CommandNode:
		f(n)
		for _, a := range n.Args {
			walk(a, f)
		}
	case *parse.IfNode:
		walk(n.Pipe, f)
		walk(n.List, f)
		walk(n.ElseList, f)
	case *parse.RangeNode:
		walk(n.Pipe, f)
		walk(n.List, f)
		walk(n.ElseList, f)
	case *parse.WithNode:
		walk(n.Pipe, f)
		walk(n.List, f)
		walk(n.ElseList, f)
	case *parse.TemplateNode:
		walk(n.Pipe, f)
	}
}

// templateID reads the ID of a t or tn command: ok when cmd is one,
// literal when its ID is a string literal.
func templateID(cmd *parse.CommandNode) (id string, ok, literal bool) {
	if len(cmd.Args) == 0 {
		return "", false, false
	}
	fn, isIdent := cmd.Args[0].(*parse.IdentifierNode)
	if !isIdent || (fn.Ident != "t" && fn.Ident != "tn") {
		return "", false, false
	}
	i := 1
	if fn.Ident == "tn" {
		i = 2
	}
	if i >= len(cmd.Args) {
		return "", true, false
	}
	s, isString := cmd.Args[i].(*parse.StringNode)
	if !isString {
		return "", true, false
	}
	return s.Text, true, true
}

var (
	actionRE    = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	blockRE     = regexp.MustCompile(`(?is)<!--.*?-->|<(script|style)\b.*?</(script|style)>`)
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
	readAttrRE  = regexp.MustCompile(`(?is)\b(placeholder|title|aria-label|alt|label)\s*=\s*"([^"]*)"`)
	letterRE    = regexp.MustCompile(`\pL`)
	allowedText = map[string]bool{"wholesale": true}
)

// literalText returns the texts of a template people would read that are
// not printed by an action: text between tags, and the attributes that
// are read (placeholder, title, aria-label, alt, label). Text without
// letters (punctuation, "€", "·") is fine.
func literalText(src string) []string {
	src = actionRE.ReplaceAllString(src, "\x00")
	src = blockRE.ReplaceAllString(src, " ")
	var out []string
	for _, tag := range tagRE.FindAllString(src, -1) {
		for _, m := range readAttrRE.FindAllStringSubmatch(tag, -1) {
			if v := strings.TrimSpace(strings.ReplaceAll(m[2], "\x00", " ")); letterRE.MatchString(v) && !allowedText[v] {
				out = append(out, m[1]+"="+v)
			}
		}
	}
	for _, text := range strings.Split(tagRE.ReplaceAllString(src, "\x00"), "\x00") {
		text = strings.Join(strings.Fields(html.UnescapeString(text)), " ")
		if letterRE.MatchString(text) && !allowedText[text] {
			out = append(out, text)
		}
	}
	return out
}

// catalog is one language's texts by ID, with their file.
type catalog map[string]entry

type entry struct {
	texts []string // the text, or the plural forms
	file  string
}

func readCatalog(t *testing.T, root, lang string) catalog {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "internal/i18n/catalog/*."+lang+".toml"))
	if err != nil {
		t.Fatal(err)
	}
	out := catalog{}
	for _, f := range files {
		var m map[string]any
		if _, err := toml.DecodeFile(f, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for id, v := range m {
			var texts []string
			switch v := v.(type) {
			case string:
				texts = []string{v}
			case map[string]any:
				for _, form := range []string{"zero", "one", "two", "few", "many", "other"} {
					if s, ok := v[form].(string); ok {
						texts = append(texts, s)
					}
				}
			}
			if prev, dup := out[id]; dup {
				t.Errorf("%s: %q is in %s as well", filepath.Base(f), id, prev.file)
			}
			out[id] = entry{texts, filepath.Base(f)}
		}
	}
	return out
}

// verbRE finds the verbs of a fmt format, with their explicit index.
var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])`)

// verbs lists the verbs of a format by the argument they print:
// "1:s 2:d".
func verbs(format string) string {
	var out []string
	n := 0
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[3] == "%" {
			continue
		}
		if m[1] != "" {
			n, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
		} else {
			n++
		}
		out = append(out, fmt.Sprintf("%d:%s", n, m[3]))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestEveryTextHasItsDutchAndEveryDutchTextIsUsed(t *testing.T) {
	root := repoRoot(t)
	goIDs, badGo := goUses(t, root)
	tmplIDs, badTmpl := templateUses(t, root)
	for _, b := range append(badGo, badTmpl...) {
		t.Error(b)
	}
	nl := readCatalog(t, root, "nl")
	en := readCatalog(t, root, "en")
	used := map[string]bool{}
	missing := map[string][]string{}
	for _, u := range append(goIDs, tmplIDs...) {
		if strings.HasPrefix(u.id, rawMark) {
			continue
		}
		used[u.id] = true
		if _, ok := nl[u.id]; !ok {
			missing[u.id] = append(missing[u.id], u.where)
		}
	}
	ids := make([]string, 0, len(missing))
	for id := range missing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Errorf("no Dutch text for %q (%s)", id, strings.Join(missing[id], ", "))
	}
	for _, c := range []catalog{nl, en} {
		for id, e := range c {
			if !used[id] {
				t.Errorf("%s: %q is not used by the code or the templates", e.file, id)
			}
			for _, text := range e.texts {
				if verbs(text) != verbs(id) {
					t.Errorf("%s: %q has the verbs %q, its ID %q has %q", e.file, text, verbs(text), id, verbs(id))
				}
			}
		}
	}
}

func TestTheCatalogsLoad(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

func TestLiteralTextIsFound(t *testing.T) {
	got := literalText(`<h1>{{t "Orders"}}</h1><p class="x">{{.N}} · €</p><a href="/x" title="Open it">{{t "x"}}</a> Total <input placeholder="{{.P}}">`)
	if want := []string{"title=Open it", "Total"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("literal text %q, want %q", got, want)
	}
}
