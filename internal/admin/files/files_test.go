package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portail/internal/admin/admintest"
	"portail/internal/audit"
	"portail/internal/auth"
)

// upload posts data as the "file" field of a multipart form.
func upload(t *testing.T, h *admintest.Harness, c *http.Cookie, name string, data []byte) *http.Response {
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
	return admintest.Do(h.Srv, r, c)
}

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	png  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)
	jpeg = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 200)...)
	svg  = []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)
	html = []byte(`<!DOCTYPE html><html><script>alert(1)</script></html>`)
)

func TestMediaUpload(t *testing.T) {
	h := admintest.NewHarness(t) // MaxUpload is 64 KiB there
	ctx := context.Background()
	admintest.NewUser(t, h.DB, "ed@example.org", auth.Editor)
	c := admintest.Login(t, h.Srv, "ed@example.org", admintest.Password)

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
				t.Fatalf("upload: %d %s", res.StatusCode, admintest.ReadBody(t, res))
			}
			list := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/media?uploaded", c), http.StatusOK)
			sum := sha256.Sum256(tc.data)
			admintest.WantContains(t, list, "Le fichier a été téléversé.", hex.EncodeToString(sum[:]))
			m := regexp.MustCompile(`href="/admin/media/(\d+)"`).FindStringSubmatch(list)
			if m == nil {
				t.Fatal("no link to the file")
			}
			res = admintest.Get(h.Srv, "/admin/media/"+m[1], c)
			got := admintest.ReadBody(t, res)
			if got != string(tc.data) || res.Header.Get("Content-Type") != tc.typ || res.Header.Get("Content-Disposition") != tc.disposition ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("served %d bytes with %v", len(got), res.Header)
			}
		})
	}
	es, _ := h.DB.AuditLog(ctx, audit.Filter{Action: audit.MediaUpload})
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
			body := admintest.WantStatus(t, upload(t, h, c, tc.file, tc.data), tc.status)
			admintest.WantContains(t, body, tc.msg, `id="file-error"`, `aria-invalid="true"`)
		})
	}
	if fs, _ := h.DB.ListMedia(ctx); len(fs) != 3 {
		t.Fatalf("refused uploads stored: %d files", len(fs))
	}

	// Access officers read files but do not upload them.
	admintest.NewUser(t, h.DB, "ai@example.org", auth.AccessOfficer)
	ai := admintest.Login(t, h.Srv, "ai@example.org", admintest.Password)
	body := admintest.WantStatus(t, admintest.Get(h.Srv, "/admin/media", ai), http.StatusOK)
	if strings.Contains(body, `enctype="multipart/form-data"`) {
		t.Error("the upload form is shown to a role that may not upload")
	}
	admintest.WantStatus(t, upload(t, h, ai, "a.pdf", pdf), http.StatusForbidden)
}

// fileID returns the ID of the newest file named name.
func fileID(t *testing.T, h *admintest.Harness, name string) int64 {
	t.Helper()
	fs, err := h.DB.ListMedia(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Name == name {
			return f.ID
		}
	}
	t.Fatalf("no file named %s in %+v", name, fs)
	return 0
}

func mediaStep(id int64, step string) string { return fmt.Sprintf("/admin/media/%d/%s", id, step) }

func TestMediaPublishWithdrawDelete(t *testing.T) {
	s := admintest.NewStaff(t)
	ctx := context.Background()
	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "Carte du réseau.png", png), "/admin/media")
	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "Rapport annuel.pdf", pdf), "/admin/media")
	img, doc := fileID(t, s.Harness, "Carte-du-reseau.png"), fileID(t, s.Harness, "Rapport-annuel.pdf")
	public := fmt.Sprintf("/fichiers/%d/carte-du-reseau.png", img)

	// Editors upload; publishing is a reviewer's decision.
	list := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media", s.Editor), http.StatusOK)
	if strings.Contains(list, "/publish\"") || strings.Contains(list, "/delete\"") {
		t.Error("the list offers an editor to publish or delete")
	}
	for _, step := range []string{"publish", "withdraw", "delete"} {
		admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(img, step), nil, s.Editor), http.StatusForbidden)
	}

	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media", s.Reviewer), http.StatusOK)
	sum := sha256.Sum256(png)
	admintest.WantContains(t, list,
		fmt.Sprintf(`<img class="thumb" src="/admin/media/%d" alt="Carte-du-reseau.png"`, img),
		hex.EncodeToString(sum[:]), "216\u00a0o", "Non publié",
		fmt.Sprintf(`action="/admin/media/%d/publish"`, img), fmt.Sprintf(`action="/admin/media/%d/delete"`, doc))
	if strings.Contains(list, fmt.Sprintf(`src="/admin/media/%d"`, doc)) {
		t.Error("a PDF has an image thumbnail")
	}
	admintest.WantStatus(t, admintest.Get(s.Srv, public), http.StatusNotFound)

	// Publish: both public URLs answer, the list shows them, the log has it.
	admintest.WantRedirect(t, admintest.Post(s.Srv, mediaStep(img, "publish"), nil, s.Reviewer), "/admin/media?published")
	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media?published", s.Reviewer), http.StatusOK)
	admintest.WantContains(t, list, "Le fichier est publié", `href="`+public+`"`, fmt.Sprintf(`href="/files/%d/carte-du-reseau.png"`, img),
		fmt.Sprintf(`action="/admin/media/%d/withdraw"`, img))
	if got := admintest.ReadBody(t, admintest.Get(s.Srv, public)); got != string(png) {
		t.Fatalf("public URL after publishing: %d bytes", len(got))
	}
	es, _ := s.DB.AuditLog(ctx, audit.Filter{Action: audit.MediaPublish, Target: fmt.Sprint(img)})
	if len(es) != 1 || es[0].Actor != "reviewer@example.org" || es[0].IP == "" {
		t.Fatalf("publish entries %+v", es)
	}
	body := admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(img, "publish"), nil, s.Reviewer), http.StatusConflict)
	admintest.WantContains(t, body, "Ce fichier est déjà publié.", `role="alert"`)

	// Withdraw: the public gets 404, staff keep the file.
	// Withdrawing asks first, on a page of its own; the file stays public.
	ask := admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(img, "withdraw"), nil, s.Admin), http.StatusOK)
	admintest.WantContains(t, ask, `id="confirm"`, "Retirer « Carte-du-reseau.png » du site public ?", `name="confirm" value="1"`)
	admintest.WantStatus(t, admintest.Get(s.Srv, public), http.StatusOK)
	admintest.WantRedirect(t, admintest.Post(s.Srv, mediaStep(img, "withdraw"), confirm, s.Admin), "/admin/media?withdrawn")
	admintest.WantStatus(t, admintest.Get(s.Srv, public), http.StatusNotFound)
	if got := admintest.ReadBody(t, admintest.Get(s.Srv, fmt.Sprintf("/admin/media/%d", img), s.Editor)); got != string(png) {
		t.Fatal("staff lost a withdrawn file")
	}
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media?withdrawn", s.Admin), http.StatusOK), "ne peuvent pas être rappelées")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(img, "withdraw"), confirm, s.Admin), http.StatusConflict),
		"Ce fichier n&#39;est pas publié.")
	if es, _ := s.DB.AuditLog(ctx, audit.Filter{Action: audit.MediaWithdraw, Target: fmt.Sprint(img)}); len(es) != 1 || es[0].Actor != "admin@example.org" {
		t.Fatalf("withdraw entries %+v", es)
	}

	// A file that a page uses is not deleted, and the refusal names the page.
	form := s.EditorForm(t, "mission")
	form.Set("fr.body", form.Get("fr.body")+fmt.Sprintf("\n\n![Carte du réseau](/fichiers/%d/carte-du-reseau.png)\n", img))
	form.Set("action", "save")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", form, s.Editor), "/admin/pages/mission?saved")
	list = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media", s.Reviewer), http.StatusOK)
	if strings.Contains(list, fmt.Sprintf(`action="/admin/media/%d/delete"`, img)) {
		t.Error("delete is offered for a file a page uses")
	}
	admintest.WantContains(t, list, "Supprimable quand aucune page ne l&#39;utilise.", `href="/admin/pages/mission" lang="fr">Mission et vision</a>`)
	body = admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(img, "delete"), confirm, s.Reviewer), http.StatusConflict)
	admintest.WantContains(t, body, "Le fichier « Carte-du-reseau.png » n&#39;est pas supprimé : ces pages l&#39;utilisent.",
		`<li><a href="/admin/pages/mission" lang="fr">Mission et vision</a> (Français)</li>`)
	if _, err := s.DB.MediaFile(ctx, img); err != nil {
		t.Fatalf("a refused delete lost the file: %v", err)
	}

	// An unused one is deleted, and the log keeps what it was.
	admintest.WantRedirect(t, admintest.Post(s.Srv, mediaStep(doc, "delete"), confirm, s.Reviewer), "/admin/media?deleted")
	admintest.WantContains(t, admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/media?deleted", s.Reviewer), http.StatusOK), "Le fichier est supprimé.")
	if _, err := s.DB.MediaFile(ctx, doc); err == nil {
		t.Fatal("the deleted file is still there")
	}
	es, _ = s.DB.AuditLog(ctx, audit.Filter{Action: audit.MediaDelete})
	if len(es) != 1 || es[0].Target != fmt.Sprint(doc) || !strings.Contains(es[0].Detail, "Rapport-annuel.pdf") {
		t.Fatalf("delete entries %+v", es)
	}

	// Unknown files and IDs that are not IDs.
	for _, p := range []string{mediaStep(doc, "delete"), mediaStep(4242, "publish"), mediaStep(4242, "withdraw"), "/admin/media/abc/publish", "/admin/media/-1/delete"} {
		admintest.WantStatus(t, admintest.Post(s.Srv, p, nil, s.Admin), http.StatusNotFound)
	}
}

// The refusal is in the account's language.
func TestMediaRefusalInEnglish(t *testing.T) {
	s := admintest.NewStaff(t)
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/lang", url.Values{"lang": {"en"}, "back": {"/admin/media"}}, s.Reviewer), "/admin/media")
	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "carte.png", png), "/admin/media")
	id := fileID(t, s.Harness, "carte.png")
	form := s.EditorForm(t, "mission")
	form.Set("en.body", form.Get("en.body")+fmt.Sprintf("\n\n[Map](/admin/media/%d)\n", id))
	form.Set("action", "save")
	admintest.WantRedirect(t, admintest.Post(s.Srv, "/admin/pages/mission", form, s.Editor), "/admin/pages/mission?saved")
	body := admintest.WantStatus(t, admintest.Post(s.Srv, mediaStep(id, "delete"), confirm, s.Reviewer), http.StatusConflict)
	admintest.WantContains(t, body, "The file “carte.png” was not deleted: these pages use it.", "(English)")
}

// The editor lists the published files with the Markdown to paste, in
// each column's language, and what is pasted shows the file.
func TestEditorOffersPublishedFiles(t *testing.T) {
	s := admintest.NewStaff(t)
	body := admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission", s.Editor), http.StatusOK)
	admintest.WantContains(t, body, `<details class="file-snippets">`, "Aucun fichier n&#39;est publié.")

	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "Carte du réseau.png", png), "/admin/media")
	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "Rapport annuel.pdf", pdf), "/admin/media")
	admintest.WantRedirect(t, upload(t, s.Harness, s.Editor, "Brouillon.pdf", append([]byte("%PDF-1.4 brouillon"), pdf...)), "/admin/media")
	img, doc, draft := fileID(t, s.Harness, "Carte-du-reseau.png"), fileID(t, s.Harness, "Rapport-annuel.pdf"), fileID(t, s.Harness, "Brouillon.pdf")
	for _, id := range []int64{img, doc} {
		admintest.WantRedirect(t, admintest.Post(s.Srv, mediaStep(id, "publish"), nil, s.Reviewer), "/admin/media?published")
	}

	body = admintest.WantStatus(t, admintest.Get(s.Srv, "/admin/pages/mission", s.Editor), http.StatusOK)
	for _, want := range []string{
		fmt.Sprintf(`<input id="file-fr-%d" type="text" readonly value="![description](/fichiers/%d/carte-du-reseau.png)" lang="fr">`, img, img),
		fmt.Sprintf(`<input id="file-en-%d" type="text" readonly value="![description](/files/%d/carte-du-reseau.png)" lang="en">`, img, img),
		fmt.Sprintf("value=\"[Rapport-annuel.pdf (PDF, 77\u00a0octets)](/fichiers/%d/rapport-annuel.pdf)\"", doc),
		fmt.Sprintf("value=\"[Rapport-annuel.pdf (PDF, 77\u00a0bytes)](/files/%d/rapport-annuel.pdf)\"", doc),
		fmt.Sprintf(`<label for="file-fr-%d">Markdown pour Carte-du-reseau.png</label>`, img),
	} {
		admintest.WantContains(t, body, want)
	}
	if strings.Contains(body, fmt.Sprintf("/%d/brouillon.pdf", draft)) {
		t.Error("the editor offers a file that is not published")
	}

	// Pasted into the French body with a description, the image shows in
	// the preview, and the link to the document is a link.
	form := s.EditorForm(t, "mission")
	form.Set("fr.body", fmt.Sprintf("![Carte du réseau](/fichiers/%d/carte-du-reseau.png)\n\n[Rapport-annuel.pdf (PDF, 77\u00a0octets)](/fichiers/%d/rapport-annuel.pdf)\n", img, doc))
	preview := admintest.WantStatus(t, admintest.Post(s.Srv, "/admin/pages/mission/preview/fr", form, s.Editor), http.StatusOK)
	admintest.WantContains(t, preview,
		fmt.Sprintf(`<img src="/fichiers/%d/carte-du-reseau.png" alt="Carte du réseau">`, img),
		fmt.Sprintf(`<a href="/fichiers/%d/rapport-annuel.pdf">Rapport-annuel.pdf (PDF, 77`, doc))
}

// confirm is the confirmation that withdrawing and deleting ask for.
var confirm = url.Values{"confirm": {"1"}}
