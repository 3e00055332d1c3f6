// Package assets serves the embedded static files under fingerprinted names,
// so that browsers and CDNs may cache them for a year.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed static
var static embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/assets/"

type file struct {
	body        []byte
	contentType string
	etag        string
}

// Assets maps logical names ("site.css") to fingerprinted URLs and serves them.
type Assets struct {
	urls  map[string]string // logical name → URL
	files map[string]file   // fingerprinted name → file
}

// types are the content types of the assets' extensions, which the
// system's MIME table may lack (font/woff2 in particular).
var types = map[string]string{
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/vnd.microsoft.icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// cssURL matches the relative url(…) references of a stylesheet.
var cssURL = regexp.MustCompile(`url\(([a-z0-9][a-z0-9./_-]*)\)`)

// New reads and fingerprints the embedded files. Stylesheets come last:
// their relative url(…) references (fonts) are rewritten to the
// fingerprinted URLs before the stylesheet's own hash is taken, so a new
// font gives a new stylesheet URL too.
func New() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, files: map[string]file{}}
	var sheets []string
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) == ".css" {
			sheets = append(sheets, p)
			return nil
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		a.Add(strings.TrimPrefix(p, "static/"), body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	for _, p := range sheets {
		body, err := static.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("assets: %w", err)
		}
		name := strings.TrimPrefix(p, "static/")
		var missing string
		body = cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
			ref := path.Join(path.Dir(name), string(cssURL.FindSubmatch(m)[1]))
			u, ok := a.urls[ref]
			if !ok {
				missing = ref
				return m
			}
			return []byte("url(" + u + ")")
		})
		if missing != "" {
			return nil, fmt.Errorf("assets: %s refers to %s, which does not exist", name, missing)
		}
		a.Add(name, body)
	}
	return a, nil
}

// Add serves body under a fingerprinted URL for the logical name, such
// as a department's logo read at start. Its type comes from the name's
// extension.
func (a *Assets) Add(name string, body []byte) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	ext := path.Ext(name)
	fp := strings.TrimSuffix(name, ext) + "." + hash + ext
	ct, ok := types[ext]
	if !ok {
		ct = mime.TypeByExtension(ext)
	}
	a.urls[name] = Prefix + fp
	a.files[fp] = file{body: body, contentType: ct, etag: `"` + hash + `"`}
}

// Body returns the content of a logical asset, for routes that serve one
// under a fixed URL (/favicon.ico).
func (a *Assets) Body(name string) ([]byte, string, bool) {
	u, ok := a.urls[name]
	if !ok {
		return nil, "", false
	}
	f := a.files[strings.TrimPrefix(u, Prefix)]
	return f.body, f.contentType, true
}

// URL returns the fingerprinted URL of a logical asset name. It panics on an
// unknown name, which templates only hit through a typo caught by tests.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("assets: unknown asset " + name)
	}
	return u
}

// ServeHTTP serves a fingerprinted asset with a one-year immutable lifetime.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.body)
}
