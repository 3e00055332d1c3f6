package admin

import (
	"mime"
	"net/http"

	"portail/internal/apperr"
	"portail/internal/content"
)

// plainText refuses, with 422 and the reason, a request whose query or
// form holds a name or value that is not valid UTF-8 or holds a NUL:
// every field of every staff form and filter, in one place. The domain
// types refuse such text too (content.ValidText), field by field, for
// the callers that are not forms. A multipart form (an upload) is left
// to its handler, which reads it under its own size limit and checks
// the file's name.
func (a *Admin) plainText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
			next.ServeHTTP(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, apperr.Wrap(apperr.Invalid, err, "admin: form"))
			return
		}
		for name, values := range r.Form {
			ok := content.ValidText(name)
			for _, v := range values {
				ok = ok && content.ValidText(v)
			}
			if !ok {
				a.Errors.Invalid(w, r, "form.text.invalid")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
