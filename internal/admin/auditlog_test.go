package admin_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/i18n"
	"portail/internal/lang"
)

// auditActions returns the value of every constant of type Action that
// package audit declares, read from its source so that a new action
// cannot be forgotten.
func auditActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../audit/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
			return true
		})
	}
	if len(out) < 10 {
		t.Fatalf("found only %d audit actions in ../audit: the parser checked nothing", len(out))
	}
	return out
}

// Every audited action has a name in each staff language.
func TestEveryAuditActionHasAName(t *testing.T) {
	cats := i18n.MustLoad()
	for _, a := range auditActions(t) {
		for _, l := range lang.All {
			if !cats[l].Has("audit.action." + a) {
				t.Errorf("%s catalog lacks audit.action.%s", l, a)
			}
		}
	}
}

// The audit page names events and reasons in the staff language, in
// Montréal time to the minute, not as codes and UTC nanoseconds.
func TestAuditPageInFrench(t *testing.T) {
	s := admintest.NewStaff(t)
	f := s.EditorForm(t, "mission")
	f.Set("fr.title", "Mission (revue)")
	f.Set("action", "submit")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", f, s.Admin), "/admin/pages/mission?submitted")
	rv := s.Newest(t, "mission", lang.FR)
	admintest.WantRedirect(t, admintest.Post(s.Srv, admintest.RevPath(rv.ID, "publish"), url.Values{"reason": {"Urgence"}}, s.Admin), admintest.RevPath(rv.ID, "")+"?published")

	body := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/audit?action=page.publish", s.Admin), http.StatusOK)
	admintest.WantContains(t, body, "<td>Page publiée</td>", "motif : Urgence", ">"+i18n.DateTime(s.Clock.T)+"</time>")
	for _, raw := range []string{">page.publish<", "reason:", ".000000000"} {
		if strings.Contains(body, raw) {
			t.Errorf("the French audit page shows %q", raw)
		}
	}
}
