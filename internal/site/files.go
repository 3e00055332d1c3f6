package site

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"portail/internal/lang"
	"portail/internal/media"
	"portail/internal/web"
)

// FileStore is what the public file routes read.
type FileStore interface {
	// PublishedMedia returns a published file; NotFound for any other.
	PublishedMedia(ctx context.Context, id int64) (media.File, error)
	// ListMedia returns every file without its data.
	ListMedia(ctx context.Context) ([]media.File, error)
}

// Files serves published files at /fichiers/{id}/{name} and
// /files/{id}/{name} (media.File.PublicPath). A file that is not
// published, never or no longer, gets the 404 page like an unknown one;
// staff reach every file at /admin/media/{id}.
type Files struct {
	store FileStore
	errs  *web.Errors
}

// route is the published files' route of the site's route table.
func (fs *Files) route() Route {
	paths := map[lang.Lang]string{}
	for _, l := range lang.All {
		paths[l] = media.PublicPattern(l)
	}
	return Route{Name: "file", Paths: paths, Handler: fs.serve, URLs: fs.urls}
}

// urls lists the published files' URLs in language l.
func (fs *Files) urls(l lang.Lang) []string {
	files, err := fs.store.ListMedia(context.Background())
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range files {
		if f.IsPublished() {
			out = append(out, f.PublicPath(l))
		}
	}
	return out
}

// The Content-Security-Policy of a served file: nothing may load, run,
// frame it or submit anything. An image is also sandboxed; a PDF is not,
// since a browser's PDF viewer is a program of its own that a sandbox may
// stop (Chromium 156 shows a PDF under either policy).
const (
	pdfCSP   = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	imageCSP = pdfCSP + "; sandbox"
)

// cacheControl lets clients and caches keep a file for a year without
// asking again: a file ID's bytes never change (a new version is a new
// upload, with a new ID). The price: withdrawing or deleting a
// file takes it off this server only; copies already cached by browsers
// or proxies cannot be recalled and live until they expire.
const cacheControl = "public, max-age=31536000, immutable"

func (fs *Files) serve(l lang.Lang) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			fs.errs.NotFound(w, r)
			return
		}
		f, err := fs.store.PublishedMedia(r.Context(), id)
		if err != nil {
			fs.errs.Error(w, r, err)
			return
		}
		// The name (and the ID's spelling) only has to read well: any
		// other leads to the one URL that caches and links should hold.
		if canonical := f.PublicPath(l); r.URL.Path != canonical {
			http.Redirect(w, r, canonical, http.StatusMovedPermanently)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.Type)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Disposition", Disposition(f))
		h.Set("Cache-Control", cacheControl)
		h.Set("ETag", `"`+f.SHA256+`"`)
		if sum, err := hex.DecodeString(f.SHA256); err == nil {
			// RFC 9530: the digest of the whole file, also on a 206.
			h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
		}
		if f.Type == media.PDF {
			h.Set("Content-Security-Policy", pdfCSP)
		} else {
			h.Set("Content-Security-Policy", imageCSP)
		}
		// ServeContent answers If-None-Match (304), ranges, HEAD and
		// Content-Length.
		http.ServeContent(w, r, "", f.Uploaded, bytes.NewReader(f.Data))
	})
}

// Disposition returns the Content-Disposition of a served file (RFC 6266):
// inline for images and PDFs, which browsers show, attachment for
// anything else. The name is the file's, with control characters (CR and
// LF would end the header) and invalid UTF-8 dropped. A name that is not
// plain ASCII, or holds a quote or a backslash, goes in filename*
// (RFC 8187, UTF-8, percent-encoded), after a filename of the URL's slug
// for clients that do not read filename*.
func Disposition(f media.File) string {
	kind := "attachment"
	if f.IsImage() || f.Type == media.PDF {
		kind = "inline"
	}
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, f.Name)
	plain := name != ""
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return kind + `; filename="` + name + `"`
	}
	fallback := media.Slug(f.Name, f.Type)
	if name == "" {
		return kind + `; filename="` + fallback + `"`
	}
	return kind + `; filename="` + fallback + `"; filename*=UTF-8''` + extValue(name)
}

// extValue percent-encodes s as the value of an RFC 8187 ext-value: every
// byte but attr-char (letters, digits and !#$&+-.^_`|~).
func extValue(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
