package orgunits_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/lang"
	"portail/internal/orgchart"
)

// postFile submits the import form with a file named name holding data.
func postFile(t *testing.T, s *admintest.Staff, name string, data []byte) *http.Response {
	t.Helper()
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/import", s.Admin), http.StatusOK)
	for _, f := range admintest.Forms(page) {
		if f.Action != "/admin/org-units/import" {
			continue
		}
		var files map[string]admintest.File
		if data != nil {
			files = map[string]admintest.File{"file": {Name: name, Type: "application/octet-stream", Data: data}}
		}
		body, ctype := f.Encode(f.Values(), files)
		r := httptest.NewRequest("POST", "/admin/org-units/import", bytes.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		return admintest.Do(s.Srv, r, s.Admin)
	}
	t.Fatalf("no import form in\n%s", page)
	return nil
}

// chartFile writes the stored chart, changed by edit, as a file.
func chartFile(t *testing.T, s *admintest.Staff, f orgchart.Format, edit func([]orgchart.Unit) []orgchart.Unit) []byte {
	t.Helper()
	units, err := s.DB.OrgUnits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		units = edit(units)
	}
	write := orgchart.WriteJSON
	if f == orgchart.CSV {
		write = orgchart.WriteCSV
	}
	var b bytes.Buffer
	if err := write(&b, units); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// lineOf returns the line of data that starts with prefix.
func lineOf(t *testing.T, data []byte, prefix string) int {
	t.Helper()
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("no line starts with %q", prefix)
	return 0
}

// An import replaces the chart: the file's units are added or changed,
// the others removed, with one audit entry and one change record, and
// the list says how many.
func TestImportJSON(t *testing.T) {
	s := newStaff(t)
	data := chartFile(t, s, orgchart.JSON, func(units []orgchart.Unit) []orgchart.Unit {
		var out []orgchart.Unit
		for _, u := range units {
			switch u.ID {
			case "bureau-reforme-reseau":
				continue
			case "direction-europe":
				u.Periods[0].Name = map[lang.Lang]string{lang.FR: "Direction de l’Europe et de l’Eurasie", lang.EN: "Europe and Eurasia Directorate"}
			}
			out = append(out, u)
		}
		arctic := out[0]
		arctic.ID, arctic.Sample = "direction-arctique", false
		arctic.Periods = []orgchart.Period{{From: orgchart.Date{Year: 2026, Month: 4, Day: 1}, Parent: "secteur-affaires-bilaterales",
			Kind: orgchart.Directorate, Name: map[lang.Lang]string{lang.FR: "Direction de l’Arctique", lang.EN: ""},
			Head: orgchart.Head{Title: map[lang.Lang]string{lang.FR: "", lang.EN: ""}}}}
		return append(out, arctic)
	})
	admintest.WantRedirect(t, postFile(t, s, "organigramme.json", data), "/admin/org-units?imported&added=1&changed=1&removed=1")
	units, err := s.DB.OrgUnits(context.Background())
	if err != nil || len(units) != 21 {
		t.Fatalf("%d units after the import, %v", len(units), err)
	}
	if u := stored(t, s, "direction-europe"); u.Version != 2 || u.Periods[0].Name[lang.EN] != "Europe and Eurasia Directorate" {
		t.Errorf("imported direction-europe: %+v", u)
	}
	if _, err := s.DB.OrgUnit(context.Background(), "bureau-reforme-reseau"); err == nil {
		t.Error("the unit missing from the file is still there")
	}
	if n := auditCount(t, s, audit.OrgUnitImport); n != 1 {
		t.Errorf("%d audit entries orgunit.import, want 1", n)
	}
	if keys := unitChanges(t, s); len(keys) != 1 || keys[0] != "*" {
		t.Errorf("change records: %v, want [*]", keys)
	}
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units?imported&added=1&changed=1&removed=1", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "L’organigramme est importé : 1 unités ajoutées, 1 modifiées, 1 supprimées.",
		"Direction de l’Europe et de l’Eurasie", "Direction de l’Arctique")
	admintest.WantContains(t, s.Public(t, "/en/department/organization-chart"), "Europe and Eurasia Directorate")
}

// A file with problems is refused whole: every problem is listed with
// its line, unit and field, in the staff language with the reader's
// detail, the upload form is shown again, and nothing is written. Here,
// an unknown parent, and a sector placed under one of its own
// directorates.
func TestImportRefused(t *testing.T) {
	s := newStaff(t)
	data := chartFile(t, s, orgchart.CSV, nil)
	europe, bilateral, us := lineOf(t, data, "direction-europe,"), lineOf(t, data, "secteur-affaires-bilaterales,"), lineOf(t, data, "direction-etats-unis,")
	bad := strings.Replace(string(data), "direction-europe,secteur-affaires-bilaterales,", "direction-europe,direction-inconnue,", 1)
	bad = strings.Replace(bad, "secteur-affaires-bilaterales,sous-ministre,", "secteur-affaires-bilaterales,direction-etats-unis,", 1)
	body := admintest.WantStatus(t, postFile(t, s, "organigramme.csv", []byte(bad)), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Le fichier n’est pas importé", `id="file-error"`, `href="#file"`, `enctype="multipart/form-data"`,
		"Problèmes du fichier (2)",
		"<td>"+strconv.Itoa(europe)+"</td><td>direction-europe</td><td><code>parent_id</code></td>",
		"L’unité supérieure indiquée n’existe pas.", `unknown unit &#34;direction-inconnue&#34;`,
		"Cette unité supérieure placerait l’unité sous elle-même",
		`&#34;direction-etats-unis&#34; → &#34;secteur-affaires-bilaterales&#34;`)
	// The cycle is the row of one of its two units.
	if !strings.Contains(body, "<td>"+strconv.Itoa(bilateral)+"</td><td>secteur-affaires-bilaterales</td><td><code>parent_id</code></td>") &&
		!strings.Contains(body, "<td>"+strconv.Itoa(us)+"</td><td>direction-etats-unis</td><td><code>parent_id</code></td>") {
		t.Errorf("the cycle is listed on neither line %d nor line %d", bilateral, us)
	}
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	if n := auditCount(t, s, audit.OrgUnitImport); n != 0 {
		t.Fatalf("%d audit entries orgunit.import after a refused file", n)
	}
	if keys := unitChanges(t, s); len(keys) != 0 {
		t.Fatalf("change records after a refused file: %v", keys)
	}
	if u := stored(t, s, "direction-europe"); u.Version != 1 || u.Periods[0].Parent != "secteur-affaires-bilaterales" {
		t.Fatalf("a refused import changed direction-europe: %+v", u)
	}
}

// The same in a JSON file: the line is where the period's object starts.
func TestImportRefusedJSON(t *testing.T) {
	s := newStaff(t)
	data := chartFile(t, s, orgchart.JSON, func(units []orgchart.Unit) []orgchart.Unit {
		for i := range units {
			if units[i].ID == "direction-europe" {
				units[i].Periods[0].Parent = "direction-inconnue"
			}
		}
		return units
	})
	// The period's object starts two lines above its parent: "{", then
	// valid_from.
	line := 0
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, `"direction-inconnue"`) {
			line = i + 1 - 2
		}
	}
	body := admintest.WantStatus(t, postFile(t, s, "organigramme.json", data), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "<td>"+strconv.Itoa(line)+"</td><td>direction-europe</td><td><code>periods.0.parent_id</code></td>",
		"L’unité supérieure indiquée n’existe pas.")
	if n := auditCount(t, s, audit.OrgUnitImport); n != 0 {
		t.Fatalf("%d audit entries orgunit.import after a refused file", n)
	}
}

// What the export writes, the import reads back unchanged, in both
// formats.
func TestExportImportRoundTrip(t *testing.T) {
	s := newStaff(t)
	page := unitPage(t, s, "direction-europe")
	admintest.WantRedirect(t, operate(t, s, s.Admin, page, "direction-europe", "rename",
		map[string]string{"rename.on": "2026-06-01", "rename.name.fr": "Direction de l’Europe et de l’Eurasie"}), "/admin/org-units/direction-europe?saved")
	for _, format := range []string{"json", "csv"} {
		data := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/org-units/export."+format, s.Admin), http.StatusOK)
		admintest.WantRedirect(t, postFile(t, s, "organigramme."+format, []byte(data)), "/admin/org-units?imported&added=0&changed=0&removed=0")
	}
	if u := stored(t, s, "direction-europe"); u.Version != 2 || len(u.Periods) != 2 {
		t.Fatalf("a round trip changed the unit: %+v", u)
	}
}

// A file that is neither CSV nor JSON, no file, or one too large, gets
// the form with the reason, and nothing is written.
func TestImportLimits(t *testing.T) {
	s := newStaff(t)
	body := admintest.WantStatus(t, postFile(t, s, "organigramme.txt", []byte("cabinet-ministre\n")), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Le fichier n’est pas importé", "Choisissez un fichier CSV ou JSON.", `id="file-error"`)
	body = admintest.WantStatus(t, postFile(t, s, "", nil), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Choisissez un fichier.", `id="file-error"`)
	large := append([]byte(`{"units": [`), bytes.Repeat([]byte(" "), 980<<10)...)
	body = admintest.WantStatus(t, postFile(t, s, "organigramme.json", large), http.StatusRequestEntityTooLarge)
	admintest.WantContains(t, body, "Le fichier dépasse la taille maximale permise.", `id="file-error"`)
	if n := auditCount(t, s, audit.OrgUnitImport); n != 0 {
		t.Fatalf("%d audit entries orgunit.import", n)
	}
}

// The exports are files to download, JSON and CSV, for administrators.
func TestExports(t *testing.T) {
	s := newStaff(t)
	for _, c := range []struct{ path, ctype, name string }{
		{"/admin/org-units/export.json", "application/json", "org-units-2026-03-02.json"},
		{"/admin/org-units/export.csv", "text/csv; charset=utf-8", "org-units-2026-03-02.csv"},
	} {
		res := admintest.Get(s.Srv, c.path, s.Admin)
		body := admintest.WantStatus(t, res, http.StatusOK)
		if res.Header.Get("Content-Type") != c.ctype || res.Header.Get("Content-Disposition") != "attachment; filename="+c.name {
			t.Errorf("%s: Content-Type %q, Content-Disposition %q", c.path, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		admintest.WantContains(t, body, "direction-protocole", "Direction du protocole")
		for _, who := range []*http.Cookie{s.Editor, s.Reviewer} {
			admintest.WantStatus(t, admintest.Get(s.Srv, c.path, who), http.StatusForbidden)
		}
	}
}
