package offices

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/store"
)

// The import replaces the whole directory with the offices of a CSV or
// JSON file, and the exports write the directory in those formats. This
// file is the only one that reads or writes offices files (office.Read,
// office.WriteJSON, office.WriteCSV).

// maxImport caps an imported file. It leaves room for the multipart
// envelope under the server's default cap on request bodies (1 MiB),
// which answers a larger request before this handler can show its form.
const maxImport = 1<<20 - 64<<10

type importData struct {
	admin.Page
	MaxKiB int
	// Refused lists what is wrong in a refused file.
	Refused []importProblem
}

// importProblem is one thing wrong in an imported file: where (the
// reader's row, the office's slug, the field) and what.
type importProblem struct {
	Row                  int
	Slug, Field, Message string
	Lang                 lang.Lang // of Message
}

// FileField is the upload input.
func (d *importData) FileField() admin.Field {
	f := d.Field("file", "admin.offices.import.file", "file", "")
	f.Hint = d.T("admin.offices.import.file.hint", d.MaxKiB)
	return f
}

func (a *Area) renderImport(w http.ResponseWriter, r *http.Request, status int, problem string, refused []importProblem) {
	d := &importData{Page: a.Page(r, "admin.offices.import.title"), MaxKiB: maxImport >> 10, Refused: refused}
	if problem != "" {
		d.Problems = map[string]string{"file": problem}
	}
	if status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close")
	}
	a.Render(w, r, status, "admin-offices-import", d)
}

func (a *Area) importForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderImport(w, r, http.StatusOK, "", nil)
	})
}

// readFile returns the name and content of the form's "file" part, or the
// problem's message key and status.
func readFile(r *http.Request) (name string, data []byte, problem string, status int) {
	var mbe *http.MaxBytesError
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, "form.file.required", http.StatusUnprocessableEntity
	}
	for {
		part, err := mr.NextPart()
		switch {
		case errors.As(err, &mbe):
			return "", nil, "form.file.too_large", http.StatusRequestEntityTooLarge
		case err != nil:
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		case part.FormName() != "file":
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, maxImport+1))
		switch {
		case errors.As(err, &mbe), err == nil && len(data) > maxImport:
			return "", nil, "form.file.too_large", http.StatusRequestEntityTooLarge
		case err != nil, len(data) == 0:
			return "", nil, "form.file.required", http.StatusUnprocessableEntity
		case !content.ValidText(part.FileName()):
			return "", nil, "form.text.invalid", http.StatusUnprocessableEntity
		}
		return part.FileName(), data, "", 0
	}
}

// importFile replaces the directory with the offices of the uploaded
// file, all or nothing; a refused file is listed problem by problem.
func (a *Area) importFile() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, data, problem, status := readFile(r)
		if problem != "" {
			a.renderImport(w, r, status, problem, nil)
			return
		}
		offs, err := office.Read(name, bytes.NewReader(data))
		var fe *office.FileError
		switch {
		case errors.As(err, &fe):
			refused := make([]importProblem, len(fe.Problems))
			for i, p := range fe.Problems {
				refused[i] = importProblem{Row: p.Row, Slug: p.Slug, Field: p.Field, Message: p.Message, Lang: lang.EN}
			}
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.offices.import.refused", refused)
			return
		case err != nil:
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.offices.import.unreadable", nil)
			return
		}
		ctx := r.Context()
		before, err := a.Store.Offices(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if err := a.Store.ReplaceOffices(ctx, offs, admin.OriginOf(r)); err != nil {
			probs := apperr.ProblemsOf(err)
			if apperr.KindOf(err) != apperr.Invalid || probs == nil {
				a.Fail(w, r, err)
				return
			}
			cat := a.Engine.Catalog(admin.StaffLang(r))
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.offices.import.refused", storeProblems(cat, offs, probs))
			return
		}
		a.ShowChanges(r)
		added, changed, removed := counts(before, offs)
		http.Redirect(w, r, listPath+"?imported&added="+strconv.Itoa(added)+"&changed="+strconv.Itoa(changed)+"&removed="+strconv.Itoa(removed), http.StatusSeeOther)
	})
}

// storeProblems lists the problems of an import that the store refused,
// named "offices.3.country" (the fourth office's country) or "offices".
func storeProblems(cat *i18n.Catalog, offs []office.Office, probs map[string]string) []importProblem {
	var out []importProblem
	for name, key := range probs {
		p := importProblem{Message: cat.T(key), Lang: cat.Lang}
		if rest, ok := strings.CutPrefix(name, "offices."); ok {
			i, field, _ := strings.Cut(rest, ".")
			if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(offs) {
				p.Row, p.Slug, p.Field = n+1, offs[n].Slug, field
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b importProblem) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), strings.Compare(a.Field, b.Field))
	})
	return out
}

// counts says how many offices an import adds, changes and removes, as
// the store's audit entry counts them.
func counts(before, after []office.Office) (added, changed, removed int) {
	held := map[string][]byte{}
	for _, o := range before {
		held[o.Slug], _ = store.EncodeOfficeDoc(o)
	}
	for _, o := range after {
		old, ok := held[o.Slug]
		delete(held, o.Slug)
		doc, _ := store.EncodeOfficeDoc(o)
		switch {
		case !ok:
			added++
		case !bytes.Equal(old, doc):
			changed++
		}
	}
	return added, changed, len(held)
}

// export writes the directory as a file to download, in format "json" or
// "csv".
func (a *Area) export(format string) http.Handler {
	write, ctype := office.WriteJSON, "application/json"
	if format == "csv" {
		write, ctype = office.WriteCSV, "text/csv; charset=utf-8"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offs, err := a.Store.Offices(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := write(&buf, offs); err != nil {
			a.Fail(w, r, err)
			return
		}
		name := "offices-" + a.Now().In(i18n.Montreal).Format("2006-01-02") + "." + format
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		h.Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	})
}
