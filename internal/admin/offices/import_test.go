package offices_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/lang"
)

// postFile submits the import form with a file named name holding data.
func postFile(t *testing.T, s *admintest.Staff, name string, data []byte) *http.Response {
	t.Helper()
	page := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/import", s.Admin), http.StatusOK)
	for _, f := range admintest.Forms(page) {
		if f.Action != "/admin/offices/import" {
			continue
		}
		var files map[string]admintest.File
		if data != nil {
			files = map[string]admintest.File{"file": {Name: name, Type: "application/octet-stream", Data: data}}
		}
		body, ctype := f.Encode(f.Values(), files)
		r := httptest.NewRequest("POST", "/admin/offices/import", bytes.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		return admintest.Do(s.Srv, r, s.Admin)
	}
	t.Fatalf("no import form in\n%s", page)
	return nil
}

// twoOffices is a well-formed JSON offices file.
const twoOffices = `{"offices": [
  {"slug": "paris", "type": "general-delegation",
   "name": {"fr": "Délégation générale du Québec à Paris", "en": "Québec Government Office in Paris"},
   "city": {"fr": "Paris", "en": "Paris"}, "country": "FR", "region": "europe",
   "latitude": 48.8566, "longitude": 2.3522, "timezone": "Europe/Paris",
   "hours": "mon-fri 09:30-13:00 14:00-17:30",
   "closures": "2026-12-25 holiday Noël | Christmas Day",
   "covers": ["MC"],
   "services": {"businesses": {"fr": "Accompagnement des entreprises.", "en": "Support for businesses."}},
   "sample": true},
  {"slug": "tokyo", "type": "delegation", "opened": "1973-04-02",
   "name": {"fr": "Délégation du Québec à Tokyo", "en": "Québec Government Office in Tokyo"},
   "city": {"fr": "Tokyo", "en": "Tokyo"}, "country": "JP", "region": "asia-pacific",
   "latitude": 35.6762, "longitude": 139.6503, "timezone": "Asia/Tokyo",
   "hours": "mon-fri 09:00-17:30"}
]}`

// An import replaces the directory: the file's offices are added or
// changed, the others removed, with one audit entry and one change
// record, and the list says how many.
func TestImportJSON(t *testing.T) {
	s := newStaff(t)
	other := parisForm()
	other.Set("slug", "quebec")
	create(t, s, other)

	admintest.WantRedirect(t, postFile(t, s, "offices.json", []byte(twoOffices)), "/admin/offices?imported&added=2&changed=0&removed=1")
	offs, err := s.DB.Offices(context.Background())
	if err != nil || len(offs) != 2 || offs[0].Slug != "paris" || offs[1].Slug != "tokyo" {
		t.Fatalf("offices after the import: %+v, %v", offs, err)
	}
	if p := offs[0]; p.Hours.String() != "mon-fri 09:30-13:00 14:00-17:30" || len(p.Closures) != 1 || p.Closures[0].Reason[lang.EN] != "Christmas Day" ||
		len(p.Covers) != 1 || !p.Sample || p.Name[lang.EN] != "Québec Government Office in Paris" {
		t.Errorf("imported paris: %+v", p)
	}
	if n := auditCount(t, s, audit.OfficeImport); n != 1 {
		t.Errorf("%d audit entries office.import, want 1", n)
	}
	if keys := officeChanges(t, s); len(keys) != 2 || keys[1] != "*" {
		t.Errorf("office change records: %v, want [quebec *]", keys)
	}
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices?imported&added=2&changed=0&removed=1", s.Admin), http.StatusOK)
	admintest.WantContains(t, list, "Le répertoire est importé : 2 représentations ajoutées, 0 modifiées, 1 supprimées.",
		"Délégation du Québec à Tokyo")
}

// A file with problems is refused whole: every problem is listed with
// its row, slug and field, the upload form is shown again, and nothing
// is written.
func TestImportRefused(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	bad := strings.Replace(twoOffices, `"country": "JP"`, `"country": "XX"`, 1)
	bad = strings.Replace(bad, `"hours": "mon-fri 09:00-17:30"`, `"hours": "lundi 9h"`, 1)
	body := admintest.WantStatus(t, postFile(t, s, "offices.json", []byte(bad)), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Le fichier n’est pas importé", `id="file-error"`, `href="#file"`,
		"<td>2</td><td>tokyo</td><td><code>country</code></td>", "<code>hours</code>", `enctype="multipart/form-data"`)
	admintest.WantSummaryTargets(t, s, s.Admin, body)
	if o := stored(t, s, "paris"); o.Version != 1 {
		t.Fatalf("a refused import changed paris: %+v", o)
	}
	if n := auditCount(t, s, audit.OfficeImport); n != 0 {
		t.Fatalf("%d audit entries office.import after a refused file", n)
	}
}

// What the export writes, the import reads back unchanged.
func TestExportImportRoundTrip(t *testing.T) {
	s := newStaff(t)
	f := parisForm()
	f.Set("changes", "2024-06-01 delegation; 2026-01-01 general-delegation")
	f.Set("type", "bureau")
	create(t, s, f)
	data := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/export.json", s.Admin), http.StatusOK)
	admintest.WantRedirect(t, postFile(t, s, "offices.json", []byte(data)), "/admin/offices?imported&added=0&changed=0&removed=0")
	csv := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/offices/export.csv", s.Admin), http.StatusOK)
	admintest.WantRedirect(t, postFile(t, s, "offices.csv", []byte(csv)), "/admin/offices?imported&added=0&changed=0&removed=0")
	if o := stored(t, s, "paris"); o.Version != 1 {
		t.Fatalf("a round trip changed the office: %+v", o)
	}
}

// An office that the store refuses (the stand-in reader checks no
// country; the real one refuses it itself) is listed by its row, slug
// and field, and nothing is written.
func TestImportRefusedCountry(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	bad := strings.Replace(twoOffices, `"country": "JP"`, `"country": "XX"`, 1)
	body := admintest.WantStatus(t, postFile(t, s, "offices.json", []byte(bad)), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Le fichier n’est pas importé", "<td>2</td><td>tokyo</td><td><code>country</code></td>")
	if o := stored(t, s, "paris"); o.Version != 1 {
		t.Fatalf("a refused import changed paris: %+v", o)
	}
}

// A file that is neither CSV nor JSON is refused, nothing written.
func TestImportOtherFile(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	body := admintest.WantStatus(t, postFile(t, s, "offices.txt", []byte("paris\n")), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Le fichier n’est pas importé", `id="file-error"`, `enctype="multipart/form-data"`)
	if offs, _ := s.DB.Offices(context.Background()); len(offs) != 1 {
		t.Fatalf("%d offices after a refused file", len(offs))
	}
}

// No file, or one too large, gets the form with the reason.
func TestImportLimits(t *testing.T) {
	s := newStaff(t)
	body := admintest.WantStatus(t, postFile(t, s, "", nil), http.StatusUnprocessableEntity)
	admintest.WantContains(t, body, "Choisissez un fichier.", `id="file-error"`)
	large := append([]byte(`{"offices": [`), bytes.Repeat([]byte(" "), 980<<10)...)
	body = admintest.WantStatus(t, postFile(t, s, "offices.json", large), http.StatusRequestEntityTooLarge)
	admintest.WantContains(t, body, "Le fichier dépasse la taille maximale permise.", `id="file-error"`)
	if n := auditCount(t, s, audit.OfficeImport); n != 0 {
		t.Fatalf("%d audit entries office.import", n)
	}
}

// The exports are files to download, JSON and CSV.
func TestExports(t *testing.T) {
	s := newStaff(t)
	create(t, s, parisForm())
	for _, c := range []struct{ path, ctype, name string }{
		{"/admin/offices/export.json", "application/json", "offices-2026-03-02.json"},
		{"/admin/offices/export.csv", "text/csv; charset=utf-8", "offices-2026-03-02.csv"},
	} {
		res := admintest.Get(s.Srv, c.path, s.Admin)
		body := admintest.WantStatus(t, res, http.StatusOK)
		if res.Header.Get("Content-Type") != c.ctype || res.Header.Get("Content-Disposition") != "attachment; filename="+c.name {
			t.Errorf("%s: Content-Type %q, Content-Disposition %q", c.path, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		admintest.WantContains(t, body, "paris", "Délégation générale du Québec à Paris")
	}
}
