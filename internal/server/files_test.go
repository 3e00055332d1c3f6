package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/store/sqlite"
)

var (
	filePDF = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	filePNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 100)...)
)

var staffOrigin = audit.Origin{Actor: "rev@example.org", IP: "127.0.0.1"}

// saveFile stores data under name, then publishes it when publish says so.
func saveFile(t testing.TB, db *sqlite.DB, name string, data []byte, publish bool) media.File {
	t.Helper()
	ctx := context.Background()
	f, ok := media.New(name, data)
	if !ok {
		t.Fatalf("media.New(%q) refused the data", name)
	}
	f, err := db.SaveMedia(ctx, f, staffOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if publish {
		p, err := db.PublishMedia(ctx, f.ID, staffOrigin)
		if err != nil {
			t.Fatal(err)
		}
		f.Published = p.Published
	}
	return f
}

// reprDigest is the RFC 9530 field value for data, computed here rather
// than from what the store recorded.
func reprDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

func do(h http.Handler, method, path string, header ...string) (*http.Response, string) {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result(), w.Body.String()
}

func TestPublishedFileHeaders(t *testing.T) {
	srv, db := newServer(t)
	pdf := saveFile(t, db, "Rapport annuel 2025.pdf", filePDF, true)
	png := saveFile(t, db, "Carte du réseau.png", filePNG, true)
	for _, tc := range []struct {
		name, path, typ, disposition, csp string
		data                              []byte
	}{
		{"PDF in French", fmt.Sprintf("/fichiers/%d/rapport-annuel-2025.pdf", pdf.ID), media.PDF,
			`inline; filename="Rapport-annuel-2025.pdf"`, "default-src 'none'", filePDF},
		{"PDF in English", fmt.Sprintf("/files/%d/rapport-annuel-2025.pdf", pdf.ID), media.PDF,
			`inline; filename="Rapport-annuel-2025.pdf"`, "default-src 'none'", filePDF},
		{"image", fmt.Sprintf("/fichiers/%d/carte-du-reseau.png", png.ID), media.PNG,
			`inline; filename="Carte-du-reseau.png"`, "sandbox", filePNG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, got := do(srv, "GET", tc.path)
			if res.StatusCode != http.StatusOK || got != string(tc.data) {
				t.Fatalf("status %d, %d bytes; want 200 and the file's %d", res.StatusCode, len(got), len(tc.data))
			}
			sum := sha256.Sum256(tc.data)
			for name, want := range map[string]string{
				"Content-Type":           tc.typ,
				"Content-Length":         fmt.Sprint(len(tc.data)),
				"ETag":                   fmt.Sprintf(`"%x"`, sum),
				"Repr-Digest":            reprDigest(tc.data),
				"Content-Disposition":    tc.disposition,
				"Cache-Control":          "public, max-age=31536000, immutable",
				"X-Content-Type-Options": "nosniff",
			} {
				if v := res.Header.Get(name); v != want {
					t.Errorf("%s = %q, want %q", name, v, want)
				}
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, tc.csp) || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want %s and frame-ancestors 'none'", csp, tc.csp)
			}
			if res.Header.Get("Last-Modified") == "" {
				t.Error("no Last-Modified")
			}

			etag := res.Header.Get("ETag")
			res, got = do(srv, "GET", tc.path, "If-None-Match", etag)
			if res.StatusCode != http.StatusNotModified || got != "" {
				t.Errorf("If-None-Match %s: status %d with %d bytes, want 304 and none", etag, res.StatusCode, len(got))
			}
			res, got = do(srv, "GET", tc.path, "If-None-Match", `"autre"`)
			if res.StatusCode != http.StatusOK || got != string(tc.data) {
				t.Errorf("If-None-Match of another version: status %d, want 200 and the file", res.StatusCode)
			}

			res, got = do(srv, "HEAD", tc.path)
			if res.StatusCode != http.StatusOK || got != "" || res.Header.Get("Content-Length") != fmt.Sprint(len(tc.data)) ||
				res.Header.Get("Content-Type") != tc.typ || res.Header.Get("Repr-Digest") != reprDigest(tc.data) {
				t.Errorf("HEAD: status %d, %d bytes, headers %v", res.StatusCode, len(got), res.Header)
			}

			// A range is part of the same representation: same digest.
			res, got = do(srv, "GET", tc.path, "Range", "bytes=0-3")
			if res.StatusCode != http.StatusPartialContent || got != string(tc.data[:4]) || res.Header.Get("Repr-Digest") != reprDigest(tc.data) {
				t.Errorf("Range: status %d, %q, Repr-Digest %q", res.StatusCode, got, res.Header.Get("Repr-Digest"))
			}
		})
	}
}

func TestFileURLsRedirectToTheCanonicalName(t *testing.T) {
	srv, db := newServer(t)
	f := saveFile(t, db, "Été 2025.pdf", filePDF, true)
	id := fmt.Sprint(f.ID)
	for _, tc := range []struct{ path, want string }{
		{"/fichiers/" + id + "/ancien-nom.pdf", "/fichiers/" + id + "/ete-2025.pdf"},
		{"/fichiers/" + id + "/Ete-2025.pdf", "/fichiers/" + id + "/ete-2025.pdf"},
		{"/fichiers/" + id + "/%C3%A9t%C3%A9.pdf", "/fichiers/" + id + "/ete-2025.pdf"},
		{"/files/" + id + "/old-name.pdf", "/files/" + id + "/ete-2025.pdf"},
		{"/fichiers/0" + id + "/ete-2025.pdf", "/fichiers/" + id + "/ete-2025.pdf"},
	} {
		res, _ := do(srv, "GET", tc.path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.want {
			t.Errorf("GET %s: %d to %q, want 301 to %s", tc.path, res.StatusCode, res.Header.Get("Location"), tc.want)
		}
	}
	if res, _ := do(srv, "GET", f.PublicPath(lang.EN)); res.StatusCode != http.StatusOK {
		t.Errorf("the canonical URL %s: %d", f.PublicPath(lang.EN), res.StatusCode)
	}
}

func TestUnpublishedFilesAreStaffOnly(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()
	never := saveFile(t, db, "brouillon.pdf", filePDF, false)
	withdrawn := saveFile(t, db, "retire.png", filePNG, true)
	public := withdrawn.PublicPath(lang.FR)
	if res, _ := do(srv, "GET", public); res.StatusCode != http.StatusOK {
		t.Fatalf("published file: %d", res.StatusCode)
	}
	if err := db.WithdrawMedia(ctx, withdrawn.ID, staffOrigin); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		never.PublicPath(lang.FR), never.PublicPath(lang.EN),
		public, withdrawn.PublicPath(lang.EN),
		"/fichiers/" + fmt.Sprint(withdrawn.ID) + "/autre-nom.png", // no redirect reveals the name
		"/fichiers/424242/inconnu.pdf", "/files/0/x.pdf", "/files/-1/x.pdf", "/fichiers/x/x.pdf",
		"/fichiers/99999999999999999999999/x.pdf",
	} {
		for _, method := range []string{"GET", "HEAD"} {
			res, body := do(srv, method, path)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", method, path, res.StatusCode)
				continue
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s %s: the 404 has Cache-Control %q: it would outlive a publication", method, path, cc)
			}
			if method == "GET" && (!strings.Contains(body, "Page introuvable") || !strings.Contains(body, "Page not found")) {
				t.Errorf("GET %s: not the bilingual 404 page", path)
			}
			if strings.Contains(body, "PDF-1.7") || strings.Contains(body, "IHDR") {
				t.Errorf("%s %s: the 404 carries the file", method, path)
			}
		}
	}
	// Staff still have both.
	admintest.NewUser(t, db, "lecteur@example.org", auth.AccessOfficer)
	c := admintest.Login(t, srv, "lecteur@example.org", admintest.Password)
	for _, f := range []media.File{never, withdrawn} {
		res := admintest.Get(srv, fmt.Sprintf("/admin/media/%d", f.ID), c)
		if got := body(t, res); res.StatusCode != http.StatusOK || !bytes.Equal([]byte(got), f.Data) {
			t.Errorf("staff URL of %s: %d", f.Name, res.StatusCode)
		}
	}
}

// A name that did not come through media.SafeName (another client of the
// store, an older rule) still makes a safe header.
func TestFileNameInContentDisposition(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()
	for _, tc := range []struct{ name, want string }{
		{"Été 2025.pdf", `inline; filename="ete-2025.pdf"; filename*=UTF-8''%C3%89t%C3%A9%202025.pdf`},
		{`rapport "final".pdf`, `inline; filename="rapport-final.pdf"; filename*=UTF-8''rapport%20%22final%22.pdf`},
		// Control characters go; what is left is plain ASCII.
		{"a\r\nSet-Cookie: x=1\r\n.pdf", `inline; filename="aSet-Cookie: x=1.pdf"`},
		{"\x00\x7f\u200e.pdf", `inline; filename=".pdf"`},
	} {
		f, _ := media.New("x.pdf", append(bytes.Clone(filePDF), tc.name...))
		f.Name = tc.name
		f, err := db.SaveMedia(ctx, f, staffOrigin)
		if err != nil {
			t.Fatalf("SaveMedia(%q): %v", tc.name, err)
		}
		if _, err := db.PublishMedia(ctx, f.ID, staffOrigin); err != nil {
			t.Fatal(err)
		}
		res, _ := do(srv, "GET", f.PublicPath(lang.FR))
		if got := res.Header.Get("Content-Disposition"); res.StatusCode != http.StatusOK || got != tc.want {
			t.Errorf("%q: %d, Content-Disposition %q, want %q", tc.name, res.StatusCode, got, tc.want)
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%q: the name set a header", tc.name)
		}
	}
}
