package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portail/internal/orgchart"
	"portail/internal/store/sqlite"
)

// The chart goes out and back in, in both formats; a file with an
// unknown parent or a cycle is refused whole, naming the lines and the
// fields, and nothing of it is written.
func TestOrgImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "portail.db")
	if msg, err := runCmd("migrate", "-db", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, msg)
	}
	jsonFile := filepath.Join(dir, "org.json")
	if msg, err := runCmd("org", "export", "-db", db, "-out", jsonFile); err != nil {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	exported, err := orgchart.ReadJSON(f)
	f.Close()
	if err != nil || len(exported) != len(orgchart.Defaults()) {
		t.Fatalf("the export of a new database holds %d units (%v), want the %d of the default chart", len(exported), err, len(orgchart.Defaults()))
	}
	if _, err := runCmd("org", "export", "-db", db, "-out", jsonFile); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("an export over an existing file: %v", err)
	}

	// The top and the deputy minister, then the same with the deputy
	// minister under a unit that does not exist, and the top under the
	// deputy minister: line 2 is the top's row, line 3 the deputy
	// minister's.
	var two []orgchart.Unit
	for _, u := range exported {
		if u.ID == "cabinet-ministre" || u.ID == "sous-ministre" {
			two = append(two, u)
		}
	}
	var b strings.Builder
	if err := orgchart.WriteCSV(&b, two); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	lines := strings.SplitAfter(good, "\n")
	if !strings.HasPrefix(lines[1], "cabinet-ministre,,") || !strings.HasPrefix(lines[2], "sous-ministre,cabinet-ministre,") {
		t.Fatalf("unexpected rows:\n%s", good)
	}
	csvFile := filepath.Join(dir, "org.csv")
	for _, c := range []struct {
		name, from, to string
		want           []string
	}{
		{"unknown parent", "sous-ministre,cabinet-ministre,", "sous-ministre,cabinet-inconnu,",
			[]string{`line 3 (unit "sous-ministre"), field parent_id: unknown unit "cabinet-inconnu"`}},
		{"cycle", "cabinet-ministre,,", "cabinet-ministre,sous-ministre,",
			[]string{"line 2", "field parent_id", "puts the unit under itself"}},
	} {
		if err := os.WriteFile(csvFile, []byte(strings.Replace(good, c.from, c.to, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = runCmd("org", "import", "-db", db, csvFile)
		if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v, want %q", c.name, err, w)
			}
		}
		if n := countUnits(t, db); n != len(exported) {
			t.Fatalf("%s: a refused import left %d units, want %d", c.name, n, len(exported))
		}
	}

	if err := os.WriteFile(csvFile, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := runCmd("org", "import", "-db", db, csvFile); err != nil || !strings.Contains(msg, "imported 2 units") {
		t.Fatalf("import: %v\n%s", err, msg)
	}
	if n := countUnits(t, db); n != 2 {
		t.Fatalf("after importing two units the chart holds %d", n)
	}
	if msg, err := runCmd("org", "import", "-db", db, jsonFile); err != nil {
		t.Fatalf("import back: %v\n%s", err, msg)
	}
	if n := countUnits(t, db); n != len(exported) {
		t.Fatalf("after importing the export back the chart holds %d units", n)
	}
	out, err := runCmd("org", "export", "-db", db, "-format", "csv")
	if err != nil || !strings.HasPrefix(out, "id,parent_id,") || !strings.Contains(out, "direction-protocole,secteur-coordination-protocole,") {
		t.Fatalf("export to standard output: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"org"}, {"org", "import", "-db", db}, {"org", "export", "-db", db, "-format", "xml"}, {"org", "nope"}} {
		if _, err := runCmd(args...); err != ErrUsage {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, err := runCmd("org", "import", "-db", db, filepath.Join(dir, "org.txt")); err == nil {
		t.Error("importing a file that is neither CSV nor JSON succeeded")
	}
	if msg, _ := runCmd("help"); !strings.Contains(msg, "portail org for details") {
		t.Errorf("the usage does not name the org command:\n%s", msg)
	}
}

func countUnits(t *testing.T, path string) int {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	units, err := db.OrgUnits(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(units)
}
