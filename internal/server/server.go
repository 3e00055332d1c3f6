// Package server assembles the whole HTTP surface: public site, operations
// endpoints and assets, behind the shared middleware.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"portail/internal/admin"
	"portail/internal/admin/accounts"
	"portail/internal/admin/files"
	"portail/internal/admin/publishing"
	"portail/internal/assets"
	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/markdown"
	"portail/internal/media"
	"portail/internal/metrics"
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
	// Metrics is where /metrics collectors are registered; nil means a
	// registry of this server's own.
	Metrics *prometheus.Registry
	// Modules back content pages with structured data (site.Module).
	Modules []site.Module
}

// Server is the application's http.Handler with access to its parts.
type Server struct {
	http.Handler
	Site   *site.Site
	Admin  *admin.Admin
	Engine *render.Engine
	Mux    *web.Mux
	stop   func() // ends the change feed's follower and waits for it
}

// New builds the server and starts following the store's change feed (see
// site.Site.Follow), which it does until Close, whatever becomes of ctx:
// while the server drains its requests at shutdown, it still serves
// what is current.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = media.DefaultMaxSize
	}
	a, err := assets.New()
	if err != nil {
		return nil, err
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	engine, err := render.New(a, cats)
	if err != nil {
		return nil, err
	}
	errs := &web.Errors{Engine: engine, Log: cfg.Log}
	st, err := site.New(ctx, cfg.Store, engine, markdown.New(), errs, cfg.Log, cfg.Modules...)
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

	mux := web.NewMux()
	st.Routes(mux)
	mux.Handle("GET /metrics", met.Handler())
	mux.Handle("GET "+assets.Prefix, a)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := cfg.Store.Ping(ctx); err != nil {
			cfg.Log.Error("readiness", "err", err)
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
		Areas:         []func(*admin.Admin) admin.Area{publishing.New, files.New, accounts.New},
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
	h = web.Logging(cfg.Log, h)

	// Last, so that no error return leaves the follower running.
	followCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.Follow(followCtx, site.PollEvery)
	}()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	return &Server{Handler: h, Site: st, Admin: adm, Engine: engine, Mux: mux, stop: stop}, nil
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
