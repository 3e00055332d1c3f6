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

// New reads and fingerprints the embedded files.
func New() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, files: map[string]file{}}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:12]
		ext := path.Ext(name)
		fp := strings.TrimSuffix(name, ext) + "." + hash + ext
		a.urls[name] = Prefix + fp
		a.files[fp] = file{body: body, contentType: mime.TypeByExtension(ext), etag: `"` + hash + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return a, nil
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
