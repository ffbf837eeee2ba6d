// Package arch_test checks the layout rules of ../shared/STYLE.md that the
// compiler does not: which packages may import which, and that use cases
// get their transactions from postgres.Run.
package arch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sources parses the non-test Go files under internal/ and cmd/, by
// package folder; each file's name is its ast.File's Name.Name.
func sources(t *testing.T) map[string][]*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string][]*ast.File{}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{filepath.Join(repo, "internal"), filepath.Join(repo, "cmd")} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			f.Name = ast.NewIdent(filepath.Base(p))
			rel, err := filepath.Rel(repo, filepath.Dir(p))
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out["internal/orders"]) == 0 || len(out["internal/web"]) == 0 {
		t.Fatalf("found no sources: %v", out)
	}
	return out
}

func imports(f *ast.File) []string {
	var out []string
	for _, i := range f.Imports {
		p, _ := strconv.Unquote(i.Path.Value)
		out = append(out, p)
	}
	return out
}

// Area packages know nothing of HTTP, and the web layer runs no SQL of its
// own: it calls the use cases, which hold the transactions. Its one error
// handler (errors.go) may use postgres to tell an unreachable database,
// met anywhere, from other errors; nothing else in web may.
func TestWhoImportsWhat(t *testing.T) {
	areas := []string{"apperr", "audit", "calendar", "catalog", "credit", "customers", "idempotency", "mail", "money", "orders", "settings", "shipping", "stock", "users", "validate", "xlsx", "receivables"}
	for pkg, files := range sources(t) {
		for _, f := range files {
			for _, imp := range imports(f) {
				for _, area := range areas {
					if pkg == "internal/"+area && (strings.HasPrefix(imp, "github.com/gofiber/") || imp == "net/http" || imp == "wholesale/internal/web") {
						t.Errorf("%s imports %s: area packages know nothing of HTTP", pkg, imp)
					}
				}
				if pkg == "internal/web" && imp == "wholesale/internal/postgres" && f.Name.Name != "errors.go" {
					t.Errorf("internal/web/%s imports internal/postgres: handlers call use cases, which own their transactions", f.Name.Name)
				}
			}
		}
	}
}

// Every use case gets its transaction from postgres.Run, with the retry
// mode written at the call; nobody begins one another way, and no
// transaction travels in a context.
func TestTransactionsComeFromPostgresRun(t *testing.T) {
	for pkg, files := range sources(t) {
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch name := sel.Sel.Name; {
				case (name == "RunInTx" || name == "BeginTx" || name == "Begin") && pkg != "internal/postgres":
					t.Errorf("%s/%s calls %s: use postgres.Run", pkg, f.Name.Name, name)
				case name == "WithValue" && pkg == "internal/postgres":
					t.Errorf("internal/postgres puts a value in a context: pass the transaction explicitly")
				case name == "Run" && isIdent(sel.X, "postgres") && len(call.Args) == 4:
					if mode, ok := call.Args[2].(*ast.SelectorExpr); !ok || !isIdent(mode.X, "postgres") || (mode.Sel.Name != "Once" && mode.Sel.Name != "Retrying") {
						t.Errorf("%s calls postgres.Run without postgres.Once or postgres.Retrying written at the call", pkg)
					}
				}
				return true
			})
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
