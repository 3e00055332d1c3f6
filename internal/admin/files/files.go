// Package files is the staff side's file library: uploads (PDF, PNG,
// JPEG, checked for their real type and size), their thumbnails, and
// publishing, withdrawing and deleting files, which the public site then
// serves at /fichiers/{id}/{name} and /files/{id}/{name}.
package files

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/auth"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/media"
)

// Area is the files area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the files area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

type mediaData struct {
	admin.Page
	Files                 []mediaRow
	CanUpload, CanPublish bool
	MaxMiB                int64
	// Refused is the message of a refused step, and UsedBy the pages
	// that kept a file from being deleted.
	Refused string
	UsedBy  []mediaUse
	// Confirm asks to confirm a withdrawal or a deletion before it is done.
	Confirm *mediaConfirm
}

// mediaConfirm is the question asked before a step that cannot be
// taken back from this page: what it does, and the form that does it.
type mediaConfirm struct {
	Action, Title, Help, Button string
}

// confirmed reports whether the step on file id was confirmed; if not, it
// shows the file list asking to confirm it (step: "withdraw", "delete").
func (a *Area) confirmed(w http.ResponseWriter, r *http.Request, id int64, step string) bool {
	if r.PostFormValue("confirm") != "" {
		return true
	}
	f, err := a.Store.MediaFile(r.Context(), id)
	if err != nil {
		a.Fail(w, r, err)
		return false
	}
	d := &mediaData{Page: a.Page(r, "admin.media.title")}
	d.Confirm = &mediaConfirm{
		Action: "/admin/media/" + strconv.FormatInt(id, 10) + "/" + step,
		Title:  d.T("admin.media.confirm."+step, f.Name),
		Help:   d.T("admin.media.confirm." + step + ".help"),
		Button: d.T("admin.media.confirm." + step + ".button"),
	}
	a.renderMedia(w, r, http.StatusOK, d)
	return false
}

// mediaRow is one file of the list.
type mediaRow struct {
	media.File
	Size   string
	Public []string // its public paths, French then English, while published
	Uses   []mediaUse
}

// mediaUse is a page that uses a file, linked to its editor.
type mediaUse struct {
	Title, URL string
	Lang       lang.Lang
}

func usesOf(us []media.Use) []mediaUse {
	out := make([]mediaUse, 0, len(us))
	for _, u := range us {
		out = append(out, mediaUse{Title: u.Title, URL: "/admin/pages/" + url.PathEscape(u.PageKey), Lang: u.Lang})
	}
	return out
}

// FileField is the upload input.
func (d *mediaData) FileField() admin.Field {
	f := d.Field("file", "admin.media.file", "file", "")
	f.Hint = d.T("admin.media.hint", d.MaxMiB)
	return f
}

// renderMedia draws the file list with d's notice or refusal.
func (a *Area) renderMedia(w http.ResponseWriter, r *http.Request, status int, d *mediaData) {
	ctx := r.Context()
	files, err := a.Store.ListMedia(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	uses, err := a.Store.MediaUses(ctx)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	cat := a.Engine.Catalog(d.Lang)
	for _, f := range files {
		row := mediaRow{File: f, Size: cat.Size(f.Size), Uses: usesOf(uses[f.ID])}
		if f.IsPublished() {
			for _, l := range lang.All {
				row.Public = append(row.Public, f.PublicPath(l))
			}
		}
		d.Files = append(d.Files, row)
	}
	d.CanUpload = d.User.Can(auth.UploadMedia)
	d.CanPublish = d.User.Can(auth.PublishMedia)
	d.MaxMiB = a.MaxUpload >> 20
	a.Render(w, r, status, "admin-media", d)
}

func (a *Area) mediaList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := &mediaData{Page: a.Page(r, "admin.media.title")}
		q := r.URL.Query()
		if q.Has("uploaded") {
			d.Notice = d.T("admin.media.done")
		}
		for _, n := range []string{"published", "withdrawn", "deleted"} {
			if q.Has(n) {
				d.Notice = d.T("admin.media.done." + n)
			}
		}
		a.renderMedia(w, r, http.StatusOK, d)
	})
}

// readUpload returns the name and content of the form's "file" part,
// reading at most a.MaxUpload bytes of it.
func (a *Area) readUpload(r *http.Request) (name string, data []byte, problem string, status int) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, "form.file.required", http.StatusUnprocessableEntity
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, "form.file.too_large", http.StatusRequestEntityTooLarge
		}
		if err != nil {
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, a.MaxUpload+1))
		switch {
		case errors.As(err, &mbe), err == nil && int64(len(data)) > a.MaxUpload:
			return "", nil, "form.file.too_large", http.StatusRequestEntityTooLarge
		case err != nil:
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		case len(data) == 0:
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		}
		return part.FileName(), data, "", 0
	}
}

func (a *Area) upload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Room for the multipart envelope around the file.
		r.Body = http.MaxBytesReader(w, r.Body, a.MaxUpload+64<<10)
		name, data, problem, status := a.readUpload(r)
		if problem == "" && !content.ValidText(name) {
			problem, status = "form.text.invalid", http.StatusUnprocessableEntity
		}
		var f media.File
		if problem == "" {
			var ok bool
			f, ok = media.New(name, data)
			// Two opinions on the type: our magic numbers and the
			// standard library's sniffer must agree.
			if !ok || http.DetectContentType(data) != f.Type {
				problem, status = "form.file.type", http.StatusUnprocessableEntity
			}
		}
		if problem != "" {
			d := &mediaData{Page: a.Page(r, "admin.media.title")}
			d.Problems = map[string]string{"file": problem}
			if status == http.StatusRequestEntityTooLarge {
				w.Header().Set("Connection", "close")
			}
			a.renderMedia(w, r, status, d)
			return
		}
		if _, err := a.Store.SaveMedia(r.Context(), f, admin.OriginOf(r)); err != nil {
			if p := apperr.ProblemsOf(err); p != nil {
				d := &mediaData{Page: a.Page(r, "admin.media.title")}
				d.Problems = p
				a.renderMedia(w, r, http.StatusUnprocessableEntity, d)
				return
			}
			a.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/media?uploaded", http.StatusSeeOther)
	})
}

// mediaFile serves a stored file with its recorded type. PDFs are offered
// as downloads; images show inline. The sandbox CSP keeps any content
// from running as this site.
func (a *Area) mediaFile() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			a.Fail(w, r, apperr.New(apperr.NotFound, "admin: media %q", r.PathValue("id")))
			return
		}
		f, err := a.Store.MediaFile(r.Context(), id)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		disp := "inline"
		if f.Type == media.PDF {
			disp = "attachment"
		}
		h := w.Header()
		h.Set("Content-Type", f.Type)
		h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.Name}))
		h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
		h.Set("ETag", `"`+f.SHA256+`"`)
		if r.Method == http.MethodHead {
			return
		}
		w.Write(f.Data)
	})
}

// mediaID reads the {id} of a file route, answering 404 when it is not one.
func (a *Area) mediaID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.Errors.NotFound(w, r)
		return 0, false
	}
	return id, true
}

// refuseMedia shows the file list with a refused step's message, 409.
func (a *Area) refuseMedia(w http.ResponseWriter, r *http.Request, key string, args []any, used []media.Use) {
	d := &mediaData{Page: a.Page(r, "admin.media.title"), UsedBy: usesOf(used)}
	d.Refused = d.T(key, args...)
	a.renderMedia(w, r, http.StatusConflict, d)
}

// mediaPublish puts a file on the public site.
func (a *Area) mediaPublish() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := a.mediaID(w, r)
		if !ok {
			return
		}
		_, err := a.Store.PublishMedia(r.Context(), id, admin.OriginOf(r))
		switch {
		case errors.Is(err, apperr.Conflict):
			a.refuseMedia(w, r, "admin.media.refused.published", nil, nil)
		case err != nil:
			a.Fail(w, r, err)
		default:
			http.Redirect(w, r, "/admin/media?published", http.StatusSeeOther)
		}
	})
}

// mediaWithdraw takes a file off the public site.
func (a *Area) mediaWithdraw() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := a.mediaID(w, r)
		if !ok {
			return
		}
		if !a.confirmed(w, r, id, "withdraw") {
			return
		}
		err := a.Store.WithdrawMedia(r.Context(), id, admin.OriginOf(r))
		switch {
		case errors.Is(err, apperr.Conflict):
			a.refuseMedia(w, r, "admin.media.refused.not_published", nil, nil)
		case err != nil:
			a.Fail(w, r, err)
		default:
			http.Redirect(w, r, "/admin/media?withdrawn", http.StatusSeeOther)
		}
	})
}

// mediaDelete deletes a file that no page uses; otherwise it names the
// pages that do.
func (a *Area) mediaDelete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := a.mediaID(w, r)
		if !ok {
			return
		}
		if !a.confirmed(w, r, id, "delete") {
			return
		}
		ctx := r.Context()
		uses, err := a.Store.DeleteMedia(ctx, id, admin.OriginOf(r))
		switch {
		case errors.Is(err, apperr.Conflict):
			name := "#" + strconv.FormatInt(id, 10)
			if f, err := a.Store.MediaFile(ctx, id); err == nil {
				name = f.Name
			}
			a.refuseMedia(w, r, "admin.media.refused.used", []any{name}, uses)
		case err != nil:
			a.Fail(w, r, err)
		default:
			http.Redirect(w, r, "/admin/media?deleted", http.StatusSeeOther)
		}
	})
}

// Routes are the files area's rows of the staff route table.
func (a *Area) Routes() []admin.Route {
	return []admin.Route{
		{Pattern: "GET /admin/media", Perm: auth.ReadMedia, Handler: a.mediaList(), Nav: "admin.nav.media"},
		{Pattern: "POST " + admin.UploadPath, Perm: auth.UploadMedia, Handler: a.upload()},
		{Pattern: "GET /admin/media/{id}", Perm: auth.ReadMedia, Handler: a.mediaFile()},
		{Pattern: "POST /admin/media/{id}/publish", Perm: auth.PublishMedia, Handler: a.mediaPublish()},
		{Pattern: "POST /admin/media/{id}/withdraw", Perm: auth.PublishMedia, Handler: a.mediaWithdraw()},
		{Pattern: "POST /admin/media/{id}/delete", Perm: auth.PublishMedia, Handler: a.mediaDelete()},
	}
}
