package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portail/internal/office"
	"portail/internal/store/sqlite"
)

// The directory goes out and back in, in both formats; a file with a bad
// row is refused whole, naming the row and the field, and nothing of it
// is written.
func TestOfficesImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "portail.db")
	if msg, err := runCmd("migrate", "-db", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, msg)
	}
	jsonFile := filepath.Join(dir, "offices.json")
	if msg, err := runCmd("offices", "export", "-db", db, "-out", jsonFile); err != nil {
		t.Fatalf("export: %v\n%s", err, msg)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	exported, err := office.ReadJSON(f)
	f.Close()
	if err != nil || len(exported) != len(office.Defaults()) {
		t.Fatalf("the export of a new database holds %d offices (%v), want the %d of the default network", len(exported), err, len(office.Defaults()))
	}
	if _, err := runCmd("offices", "export", "-db", db, "-out", jsonFile); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("an export over an existing file: %v", err)
	}

	// A CSV of two offices, the second with a country that is not one.
	csvFile := filepath.Join(dir, "offices.csv")
	var b strings.Builder
	if err := office.WriteCSV(&b, exported[:2]); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(b.String(), ","+exported[1].Country+",", ",XX,", 1)
	if err := os.WriteFile(csvFile, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = runCmd("offices", "import", "-db", db, csvFile)
	if err == nil || !strings.Contains(err.Error(), "row 3") || !strings.Contains(err.Error(), "country") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("a bad file: %v", err)
	}
	if n := countOffices(t, db); n != len(exported) {
		t.Fatalf("a refused import left %d offices, want %d", n, len(exported))
	}

	if err := os.WriteFile(csvFile, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := runCmd("offices", "import", "-db", db, csvFile); err != nil || !strings.Contains(msg, "imported 2 offices") {
		t.Fatalf("import: %v\n%s", err, msg)
	}
	if n := countOffices(t, db); n != 2 {
		t.Fatalf("after importing two offices the directory holds %d", n)
	}
	if msg, err := runCmd("offices", "import", "-db", db, jsonFile); err != nil {
		t.Fatalf("import back: %v\n%s", err, msg)
	}
	if n := countOffices(t, db); n != len(exported) {
		t.Fatalf("after importing the export back the directory holds %d offices", n)
	}
	for _, args := range [][]string{{"offices"}, {"offices", "import", "-db", db}, {"offices", "export", "-db", db, "-format", "xml"}, {"offices", "nope"}} {
		if _, err := runCmd(args...); err != ErrUsage {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, err := runCmd("offices", "import", "-db", db, filepath.Join(dir, "offices.txt")); err == nil {
		t.Error("importing a file that is neither CSV nor JSON succeeded")
	}
}

func countOffices(t *testing.T, path string) int {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	offs, err := db.Offices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(offs)
}
