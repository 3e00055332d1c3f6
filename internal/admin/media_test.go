package admin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

// upload posts data as the "file" field of a multipart form.
func upload(t *testing.T, h *harness, c *http.Cookie, name string, data []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	r := httptest.NewRequest("POST", "/admin/media", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return admintest.Do(h.srv, r, c)
}

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	png  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)
	jpeg = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 200)...)
	svg  = []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)
	html = []byte(`<!DOCTYPE html><html><script>alert(1)</script></html>`)
)

func TestMediaUpload(t *testing.T) {
	h := newHarness(t) // MaxUpload is 64 KiB there
	ctx := context.Background()
	admintest.NewUser(t, h.db, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.srv, "ed@example.org", admintest.Password)

	for _, tc := range []struct {
		name, file, typ, disposition string
		data                         []byte
	}{
		{"pdf", "Rapport annuel.pdf", "application/pdf", `attachment; filename=Rapport-annuel.pdf`, pdf},
		{"png", "carte.PNG", "image/png", "inline; filename=carte.png", png},
		{"jpeg with a wrong extension", "photo.gif", "image/jpeg", "inline; filename=photo.jpg", jpeg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := upload(t, h, c, tc.file, tc.data)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("upload: %d %s", res.StatusCode, readBody(t, res))
			}
			list := wantStatus(t, admintest.Get(h.srv, "/admin/media?uploaded", c), http.StatusOK)
			sum := sha256.Sum256(tc.data)
			wantContains(t, list, "Le fichier a été téléversé.", hex.EncodeToString(sum[:]))
			m := regexp.MustCompile(`href="/admin/media/(\d+)"`).FindStringSubmatch(list)
			if m == nil {
				t.Fatal("no link to the file")
			}
			res = admintest.Get(h.srv, "/admin/media/"+m[1], c)
			got := readBody(t, res)
			if got != string(tc.data) || res.Header.Get("Content-Type") != tc.typ || res.Header.Get("Content-Disposition") != tc.disposition ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("served %d bytes with %v", len(got), res.Header)
			}
		})
	}
	es, _ := h.db.AuditLog(ctx, audit.Filter{Action: audit.MediaUpload})
	if len(es) != 3 || es[0].Actor != "ed@example.org" || es[0].IP == "" {
		t.Fatalf("upload entries: %+v", es)
	}

	for _, tc := range []struct {
		name   string
		file   string
		data   []byte
		status int
		msg    string
	}{
		{"svg", "logo.svg", svg, http.StatusUnprocessableEntity, "Les images SVG sont refusées."},
		{"html named pdf", "rapport.pdf", html, http.StatusUnprocessableEntity, "ni un PDF, ni une image PNG ou JPEG"},
		{"empty", "vide.pdf", nil, http.StatusUnprocessableEntity, "Choisissez un fichier."},
		{"oversize", "gros.pdf", append(append([]byte{}, pdf...), make([]byte, 65<<10)...), http.StatusRequestEntityTooLarge, "Le fichier dépasse la taille maximale permise."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := wantStatus(t, upload(t, h, c, tc.file, tc.data), tc.status)
			wantContains(t, body, tc.msg, `id="file-error"`, `aria-invalid="true"`)
		})
	}
	if fs, _ := h.db.ListMedia(ctx); len(fs) != 3 {
		t.Fatalf("refused uploads stored: %d files", len(fs))
	}

	// Access officers read files but do not upload them.
	admintest.NewUser(t, h.db, "ai@example.org", auth.AccessOfficer)
	ai := admintest.Login(t, h.srv, "ai@example.org", admintest.Password)
	body := wantStatus(t, admintest.Get(h.srv, "/admin/media", ai), http.StatusOK)
	if strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Error("the upload form is shown to a role that may not upload")
	}
	wantStatus(t, upload(t, h, ai, "a.pdf", pdf), http.StatusForbidden)
}
