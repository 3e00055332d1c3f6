// Package archtest checks the import rules of STYLE.md: domain packages know
// nothing of SQL, HTTP or templates, and the leaf vocabulary imports nothing
// of ours.
package archtest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// domain packages hold types and rules only.
var domain = []string{"lang", "apperr", "content", "auth", "bizday", "orgchart", "office", "policy", "commitment", "access", "audit", "change", "media"}

var forbidden = []string{"database/sql", "net/http", "html/template", "portail/internal/store", "portail/internal/web"}

type pkg struct {
	ImportPath string
	Deps       []string
}

func list(t *testing.T) map[string]pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "portail/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

func TestDomainPackagesStayPure(t *testing.T) {
	pkgs := list(t)
	checked := 0
	for _, name := range domain {
		p, ok := pkgs["portail/internal/"+name]
		if !ok {
			continue // not built yet
		}
		checked++
		for _, dep := range p.Deps {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s depends on %s", p.ImportPath, dep)
				}
			}
		}
	}
	if checked < 3 {
		t.Fatalf("only %d domain packages found; is the module path right?", checked)
	}
}
