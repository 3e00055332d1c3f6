package media

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"portail/internal/lang"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct {
		name, typ, want string
	}{
		{"Rapport-annuel-2025.pdf", PDF, "rapport-annuel-2025.pdf"},
		{"Rapport annuel 2025.pdf", PDF, "rapport-annuel-2025.pdf"},
		{"Été à Québec.jpg", JPEG, "ete-a-quebec.jpg"},
		{"Œuvre_d'art  (version finale).png", PNG, "oeuvre-d-art-version-finale.png"},
		{"Straße.PNG", PNG, "strasse.png"},
		{"rapport.v2.final.pdf", PDF, "rapport-v2-final.pdf"},
		{"--__--.pdf", PDF, "fichier.pdf"},
		{"日本語.pdf", PDF, "fichier.pdf"},
		{"", PNG, "fichier.png"},
		{"a\r\nb\"c;d.pdf", PDF, "a-b-c-d.pdf"},
		{"photo.gif", JPEG, "photo.jpg"}, // the extension is the type's
		{strings.Repeat("ab-", 60) + ".pdf", PDF, strings.TrimSuffix(strings.Repeat("ab-", 27), "-") + ".pdf"},
	} {
		if got := Slug(tc.name, tc.typ); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

var slugShape = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.pdf|\.png|\.jpg)?$`)

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Rapport annuel 2025.pdf", "Été.jpg", "Œ", "a\r\nb", "..", "-a-", strings.Repeat("é", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := Slug(name, PDF)
		if !slugShape.MatchString(s) || len(s) > maxSlug+len(".pdf") {
			t.Fatalf("Slug(%q) = %q", name, s)
		}
		if !IsPublicPath("/fichiers/1/" + s) {
			t.Fatalf("the path of slug %q is not a public path", s)
		}
		if Slug(name, PDF) != s {
			t.Fatal("Slug is not deterministic")
		}
	})
}

func TestPublicPath(t *testing.T) {
	f := File{ID: 12, Name: "Été 2025.png", Type: PNG}
	for l, want := range map[lang.Lang]string{lang.FR: "/fichiers/12/ete-2025.png", lang.EN: "/files/12/ete-2025.png"} {
		got := f.PublicPath(l)
		if got != want {
			t.Errorf("PublicPath(%s) = %q, want %q", l, got, want)
		}
		if !IsPublicPath(got) {
			t.Errorf("IsPublicPath(%q) = false", got)
		}
		if refs := Refs("![x](" + got + ")"); !slices.Equal(refs, []int64{12}) {
			t.Errorf("Refs(%q) = %v", got, refs)
		}
	}
	for _, p := range []string{
		"/fichiers/12/", "/fichiers/0/a.png", "/fichiers/012/a.png", "/fichiers/a/b.png", "/fichiers/12/a/b.png",
		"/admin/media/12", "//evil.example/fichiers/1/a.png", "https://evil.example/fichiers/1/a.png",
		"javascript:alert(1)//fichiers/1/a.png", "/fichiers/1/a.png?x=1", "/fichiers/1/a.png#x", "/fichiers/1/.png",
		"/fichiers/1/a\".png", "/fichiers/1/a b.png", "/Fichiers/1/a.png",
	} {
		if IsPublicPath(p) {
			t.Errorf("IsPublicPath(%q) = true", p)
		}
	}
}

func TestRefs(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []int64
	}{
		{"", nil},
		{"![Carte](/fichiers/12/carte.png)", []int64{12}},
		{"[Report (PDF, 3 KB)](/files/7/report.pdf) and [rapport](/fichiers/7/rapport.pdf)", []int64{7}},
		{"<https://www.example.gouv.qc.ca/fichiers/3/a.pdf>", []int64{3}},
		{"![staff](/admin/media/5) then /admin/media/55.", []int64{5, 55}},
		{"/fichiers/9/x /files/2/y /admin/media/40", []int64{2, 9, 40}},
		// Not a file's URL: no ID, no name segment, zero.
		{"/fichiers/ /fichiers/x/a.png /fichiers/12 /files/0/a.png /admin/media/", nil},
		{"/fichiers/99999999999999999999/a.png", nil},
	} {
		if got := Refs(tc.body); !slices.Equal(got, tc.want) {
			t.Errorf("Refs(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

func FuzzRefs(f *testing.F) {
	for _, s := range []string{"![a](/fichiers/1/a.png)", "/files/2/b", "/admin/media/3", "/fichiers//", "/fichiers/9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		ids := Refs(body)
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Fatalf("Refs(%q) = %v: not sorted and unique", body, ids)
		}
		for _, id := range ids {
			n := strconv.FormatInt(id, 10)
			if id <= 0 || !strings.Contains(body, n) {
				t.Fatalf("Refs(%q) found %d, which the body does not hold", body, id)
			}
		}
		// Every public path found in a body is a reference.
		for _, id := range []int64{1, 42} {
			p := File{ID: id, Name: "x", Type: PDF}.PublicPath(lang.FR)
			if !slices.Contains(Refs(body+" "+p), id) {
				t.Fatalf("Refs misses %s after %q", p, body)
			}
		}
	})
}
