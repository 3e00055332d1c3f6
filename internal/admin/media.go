package admin

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"portail/internal/apperr"
	"portail/internal/auth"
	"portail/internal/media"
)

type mediaData struct {
	Page
	Files     []media.File
	CanUpload bool
	MaxMiB    int64
}

// FileField is the upload input.
func (d *mediaData) FileField() Field {
	f := d.Field("file", "admin.media.file", "file", "")
	f.Hint = d.T("admin.media.hint", d.MaxMiB)
	return f
}

// Size formats a file size in kB.
func (d *mediaData) Size(n int64) string {
	return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " kB"
}

func (a *Admin) renderMedia(w http.ResponseWriter, r *http.Request, status int, d *mediaData) {
	files, err := a.Store.ListMedia(r.Context())
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d.Files = files
	d.CanUpload = d.User.Can(auth.UploadMedia)
	d.MaxMiB = a.MaxUpload >> 20
	a.Render(w, r, status, "admin-media", d)
}

func (a *Admin) mediaList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := &mediaData{Page: a.Page(r, "admin.media.title")}
		if r.URL.Query().Has("uploaded") {
			d.Notice = d.T("admin.media.done")
		}
		a.renderMedia(w, r, http.StatusOK, d)
	})
}

// readUpload returns the name and content of the form's "file" part,
// reading at most a.MaxUpload bytes of it.
func (a *Admin) readUpload(r *http.Request) (name string, data []byte, problem string, status int) {
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

func (a *Admin) upload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Room for the multipart envelope around the file.
		r.Body = http.MaxBytesReader(w, r.Body, a.MaxUpload+64<<10)
		name, data, problem, status := a.readUpload(r)
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
		if _, err := a.Store.SaveMedia(r.Context(), f, OriginOf(r)); err != nil {
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
func (a *Admin) mediaFile() http.Handler {
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
