package orgunits

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"portail/internal/admin"
	"portail/internal/apperr"
	"portail/internal/content"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/orgchart"
	"portail/internal/store"
)

// The import replaces the whole chart with the units of a CSV or JSON
// file, and the exports write the chart in those formats. This file is
// the only one of the area that reads or writes chart files
// (orgchart.Read, orgchart.WriteJSON, orgchart.WriteCSV).

// maxImport caps an imported file. It leaves room for the multipart
// envelope under the server's default cap on request bodies (1 MiB),
// which answers a larger request before this handler can show its form;
// orgchart.MaxFileSize, larger, is for the command line.
const maxImport = 1<<20 - 64<<10

type importData struct {
	admin.Page
	MaxKiB int
	// Refused lists what is wrong in a refused file.
	Refused []importProblem
	// Omitted counts the problems past those listed.
	Omitted int
}

// importProblem is one thing wrong in an imported file: where (its line,
// the unit's ID, the field) and what, in the staff language, with the
// reader's English detail, which quotes the values.
type importProblem struct {
	Line            int
	ID, Field       string
	Message, Detail string
	Lang            lang.Lang // of Message; Detail is in English
}

// FileField is the upload input.
func (d *importData) FileField() admin.Field {
	f := d.Field("file", "admin.orgunits.import.file", "file", "")
	f.Hint = d.T("admin.orgunits.import.file.hint", d.MaxKiB)
	return f
}

func (a *Area) renderImport(w http.ResponseWriter, r *http.Request, status int, problem string, refused []importProblem, omitted int) {
	d := &importData{Page: a.Page(r, "admin.orgunits.import.title"), MaxKiB: maxImport >> 10, Refused: refused, Omitted: omitted}
	if problem != "" {
		d.Problems = map[string]string{"file": problem}
	}
	if status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close")
	}
	a.Render(w, r, status, "admin-orgunits-import", d)
}

func (a *Area) importForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderImport(w, r, http.StatusOK, "", nil, 0)
	})
}

// readFile returns the name and content of the form's "file" part, or
// the problem's message key and status.
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

// importFile replaces the chart with the units of the uploaded file, all
// or nothing; a refused file is listed problem by problem.
func (a *Area) importFile() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, data, problem, status := readFile(r)
		if problem != "" {
			a.renderImport(w, r, status, problem, nil, 0)
			return
		}
		cat := a.Engine.Catalog(admin.StaffLang(r))
		units, err := orgchart.Read(name, bytes.NewReader(data))
		if fe, ok := errors.AsType[*orgchart.FileError](err); ok {
			refused := make([]importProblem, len(fe.Problems))
			for i, p := range fe.Problems {
				refused[i] = problemOf(cat, p.Line, p.ID, p.Field, p.Key, p.Message)
			}
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.orgunits.import.refused", refused, fe.Omitted)
			return
		}
		if err != nil {
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.orgunits.import.unreadable", nil, 0)
			return
		}
		ctx := r.Context()
		before, err := a.Store.OrgUnits(ctx)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if err := a.Store.ReplaceOrgUnits(ctx, units, admin.OriginOf(r)); err != nil {
			if apperr.KindOf(err) != apperr.Invalid || apperr.ProblemsOf(err) == nil {
				a.Fail(w, r, err)
				return
			}
			refused, omitted := storeProblems(cat, err)
			a.renderImport(w, r, http.StatusUnprocessableEntity, "admin.orgunits.import.refused", refused, omitted)
			return
		}
		a.ShowChanges(r)
		added, changed, removed := counts(before, units)
		http.Redirect(w, r, listPath+"?imported&added="+strconv.Itoa(added)+"&changed="+strconv.Itoa(changed)+"&removed="+strconv.Itoa(removed), http.StatusSeeOther)
	})
}

// problemOf is a problem of the file, its message in cat's language.
func problemOf(cat *i18n.Catalog, line int, id, field, key, detail string) importProblem {
	return importProblem{Line: line, ID: id, Field: field, Message: cat.T(key), Lang: cat.Lang, Detail: detail}
}

// storeProblems lists the problems of an import that the store refused,
// which Read had not found (it checks the chart as the store does): by
// the unit's position in the file, rather than a line.
func storeProblems(cat *i18n.Catalog, err error) ([]importProblem, int) {
	if ce, ok := errors.AsType[*orgchart.ChartError](err); ok {
		out := make([]importProblem, len(ce.Problems))
		for i, p := range ce.Problems {
			out[i] = problemOf(cat, 0, p.ID, p.Field, p.Key, p.Message)
		}
		return out, ce.Omitted
	}
	var out []importProblem
	for name, key := range apperr.ProblemsOf(err) {
		out = append(out, problemOf(cat, 0, "", name, key, ""))
	}
	slices.SortFunc(out, func(a, b importProblem) int { return cmp.Compare(a.Field, b.Field) })
	return out, 0
}

// counts says how many units an import adds, changes and removes, as the
// store's audit entry counts them.
func counts(before, after []orgchart.Unit) (added, changed, removed int) {
	held := map[string][]byte{}
	for _, u := range before {
		held[u.ID], _ = store.EncodeOrgUnitDoc(u)
	}
	for _, u := range after {
		old, ok := held[u.ID]
		delete(held, u.ID)
		doc, _ := store.EncodeOrgUnitDoc(u)
		switch {
		case !ok:
			added++
		case !bytes.Equal(old, doc):
			changed++
		}
	}
	return added, changed, len(held)
}

// export writes the chart as a file to download, in format f.
func (a *Area) export(f orgchart.Format) http.Handler {
	write, ctype := orgchart.WriteJSON, "application/json"
	if f == orgchart.CSV {
		write, ctype = orgchart.WriteCSV, "text/csv; charset=utf-8"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		units, err := a.Store.OrgUnits(r.Context())
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := write(&buf, units); err != nil {
			a.Fail(w, r, err)
			return
		}
		name := "org-units-" + today(a.Now()).String() + "." + string(f)
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		h.Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	})
}
