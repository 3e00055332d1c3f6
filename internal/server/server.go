// Package server assembles the whole HTTP surface: public site, operations
// endpoints and assets, behind the shared middleware.
package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"portail/internal/admin"
	"portail/internal/admin/accounts"
	"portail/internal/admin/files"
	"portail/internal/admin/offices"
	"portail/internal/admin/orgunits"
	"portail/internal/admin/policies"
	"portail/internal/admin/publishing"
	"portail/internal/api"
	"portail/internal/assets"
	"portail/internal/directory"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/markdown"
	"portail/internal/media"
	"portail/internal/metrics"
	"portail/internal/orgpage"
	"portail/internal/policypage"
	"portail/internal/render"
	"portail/internal/site"
	"portail/internal/store"
	"portail/internal/web"
)

// Config holds what the server needs.
type Config struct {
	Store   store.Store
	Log     *slog.Logger
	MaxBody int64 // request body cap in bytes; 0 means 1 MiB
	// MaxUpload caps media uploads in bytes; 0 means media.DefaultMaxSize.
	MaxUpload int64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (web.Proxies); the zero value trusts
	// nobody.
	TrustedProxies web.Proxies
	// Now is the clock of the staff side (sessions, rate limits); the
	// store must read the same one. Nil means time.Now.
	Now func() time.Time
	// Metrics is where the collectors are registered; nil means a
	// registry of this server's own. Server.Metrics serves it, on an
	// address of its own: the public mux has no /metrics.
	Metrics *prometheus.Registry
	// Modules back content pages with structured data (site.Module),
	// besides the product's own (the offices directory, the organization
	// chart, the international policy), which one given here for the same
	// page replaces.
	Modules []site.Module
	// BaseURL is the public site's address ("https://www.example.org"):
	// the prefix of canonical and hreflang links, which search engines
	// want absolute. It is fixed at start rather than read from each
	// request's Host, which the client chooses: a page cached for one
	// host would be served to another, and keying the cache by host
	// would let anyone fill it. Empty means http://localhost, for tests.
	BaseURL string
	// Signature is the file of the department's logo (SVG or PNG) shown
	// in the header; empty shows the department's name as text. The
	// product ships no government mark.
	Signature string
}

// ParseBaseURL checks a public base URL and returns it as scheme and
// host, without a trailing slash: an http or https address with a host
// and nothing after it, since every public path starts at the root.
func ParseBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("server: base URL %q: want http(s)://host[:port] with nothing after it", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// maxSignature caps the logo file: a header image, not a document.
const maxSignature = 1 << 20

// signature reads the logo file and checks that it is an SVG or a PNG.
func signature(file string) (name string, body []byte, err error) {
	body, err = os.ReadFile(file)
	if err != nil {
		return "", nil, fmt.Errorf("server: signature: %w", err)
	}
	switch {
	case len(body) > maxSignature:
		return "", nil, fmt.Errorf("server: signature %s: larger than %d bytes", file, maxSignature)
	case bytes.HasPrefix(body, []byte("\x89PNG\r\n\x1a\n")):
		return "signature.png", body, nil
	case bytes.Contains(body[:min(len(body), 1024)], []byte("<svg")):
		return "signature.svg", body, nil
	}
	return "", nil, fmt.Errorf("server: signature %s: not an SVG or PNG file", file)
}

// Server is the application's http.Handler with access to its parts.
type Server struct {
	http.Handler
	Site   *site.Site
	Admin  *admin.Admin
	Engine *render.Engine
	Mux    *web.Mux
	// Metrics serves the Prometheus metrics. It is not on the public
	// handler: it shows staff activity volumes, so serve listens for it
	// on its own address (-metrics-addr), off by default.
	Metrics http.Handler
	stop    func() // ends the change feed's follower and waits for it
}

// New builds the server and starts following the store's change feed (see
// site.Site.Follow), which it does until Close, whatever becomes of ctx:
// while the server drains its requests at shutdown, it still serves
// what is current.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	// Lines logged with a request's context carry its ID (web.Logging).
	cfg.Log = slog.New(web.LogRequestIDs(cfg.Log.Handler()))
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = media.DefaultMaxSize
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost"
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	a, err := assets.New()
	if err != nil {
		return nil, err
	}
	ro := render.Options{BaseURL: base}
	if cfg.Signature != "" {
		name, body, err := signature(cfg.Signature)
		if err != nil {
			return nil, err
		}
		a.Add(name, body)
		ro.Signature = a.URL(name)
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	engine, err := render.New(a, cats, ro)
	if err != nil {
		return nil, err
	}
	errs := &web.Errors{Engine: engine, Log: cfg.Log}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	dir := directory.New(cfg.Store, cats, errs, now)
	policyPage := policypage.New(cfg.Store, cats, now)
	org := orgpage.New(cfg.Store, cats, now)
	st, err := site.New(ctx, cfg.Store, engine, markdown.New(), errs, cfg.Log, now, modules(cfg.Modules, dir, policyPage, org)...)
	if err != nil {
		return nil, err
	}

	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	met, err := metrics.New(cfg.Metrics)
	if err != nil {
		return nil, err
	}
	err = met.Watch(metrics.Sources{Now: now, CacheStats: st.CacheStats, Lag: st.Lag,
		Overdue: func(ctx context.Context) (int, error) {
			list, err := cfg.Store.Scheduled(ctx)
			n, t := 0, now()
			for _, r := range list {
				if r.Overdue(t) {
					n++
				}
			}
			return n, err
		}})
	if err != nil {
		return nil, err
	}

	mux := web.NewMux()
	st.Routes(mux)
	mux.Handle("GET "+assets.Prefix, a)
	for _, e := range slices.Concat(dir.APIEndpoints(), policyPage.APIEndpoints(), org.APIEndpoints()) {
		mux.Handle("GET "+e.Path, e.Handler)
	}
	mux.HandleFunc("GET "+api.Prefix, api.NotFound)
	// Browsers ask for /favicon.ico whatever the page links to.
	icon, iconType, _ := a.Body("favicon.ico")
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", iconType)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(icon)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.Store.Ping(ctx); err != nil {
			cfg.Log.ErrorContext(r.Context(), "readiness", "err", err)
			http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	// "GET /" rather than "/" so that a wrong method on a known path still
	// gets 405 instead of this page.
	mux.HandleFunc("GET /", errs.NotFound)

	// The staff side comes last: it refuses page paths that the routes
	// registered above would hide, so it needs all of them. checkReserved
	// catches a public route registered after this point.
	reserved, err := site.Reserved(mux.Patterns())
	if err != nil {
		return nil, err
	}
	adm := admin.New(admin.Config{
		Store: cfg.Store, Engine: engine, Assets: a, Errors: errs, Log: cfg.Log,
		Now: cfg.Now, MaxUpload: cfg.MaxUpload, Sync: st.Sync,
		Areas:         []func(*admin.Admin) admin.Area{publishing.New, files.New, offices.New, policies.New, orgunits.New, accounts.New},
		ReservedPaths: reserved, FixedPaths: st.FixedPaths(),
	})
	adm.Routes(mux)
	if err := checkAdminRoutes(mux, adm); err != nil {
		return nil, err
	}
	if err := checkReserved(mux, reserved); err != nil {
		return nil, err
	}

	// Uploads get their own cap; the media handler answers past it with
	// its form and a message. Only signed-in staff get that far: before
	// sign-in the staff side reads at most admin.AnonymousMaxBody.
	counted := met.Instrument(mux)
	general := web.LimitBody(cfg.MaxBody, counted)
	uploads := web.LimitBody(cfg.MaxUpload+1<<20, counted)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == admin.UploadPath {
			uploads.ServeHTTP(w, r)
			return
		}
		general.ServeHTTP(w, r)
	})
	h = web.SecurityHeaders(h)
	// Outside everything that asks web.ClientIP or web.IsHTTPS.
	h = cfg.TrustedProxies.Handler(h)
	h = web.Logging(cfg.Log, cfg.TrustedProxies, h)

	// Last, so that no error return leaves the follower running.
	followCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.Follow(followCtx, site.PollEvery)
	}()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	metricsLog := slog.NewLogLogger(cfg.Log.Handler(), slog.LevelError)
	return &Server{Handler: h, Site: st, Admin: adm, Engine: engine, Mux: mux, Metrics: met.Handler(metricsLog), stop: stop}, nil
}

// Close stops following the change feed and returns once the follower
// has ended; call it before closing the store. It may be called more than
// once.
func (s *Server) Close() error {
	s.stop()
	return nil
}

// checkAdminRoutes refuses to start when a route under /admin was
// registered outside the staff side's route table, which is where every
// staff route gets its permission check.
func checkAdminRoutes(mux *web.Mux, adm *admin.Admin) error {
	for _, p := range mux.Patterns() {
		path := p[strings.Index(p, " ")+1:]
		if path != "/admin" && !strings.HasPrefix(path, "/admin/") {
			continue
		}
		if _, ok := adm.Permission(p); !ok {
			return fmt.Errorf("server: route %q is not in the staff route table", p)
		}
	}
	return nil
}

// checkReserved refuses to start when the page paths that the staff side
// refuses (reserved, read from mux before the staff side was built) are
// not those that mux's routes hide now: a route under /fr/ or /en/ was
// registered too late, and pages under it would be accepted and hidden.
func checkReserved(mux *web.Mux, reserved map[lang.Lang][]string) error {
	now, err := site.Reserved(mux.Patterns())
	if err != nil {
		return err
	}
	for _, l := range lang.All {
		if !slices.Equal(now[l], reserved[l]) {
			return fmt.Errorf("server: routes under /%s/ hide pages at %v, but the staff side only refuses %v: register them before it", l, now[l], reserved[l])
		}
	}
	return nil
}

// modules returns the product's own modules (own), except those whose
// page one of the configuration's (configured) backs instead, then the
// configuration's: a test may back a page with a module of its own.
func modules(configured []site.Module, own ...site.Module) []site.Module {
	var out []site.Module
	for _, m := range own {
		if !slices.ContainsFunc(configured, func(c site.Module) bool { return c.PageKey() == m.PageKey() }) {
			out = append(out, m)
		}
	}
	return append(out, configured...)
}
