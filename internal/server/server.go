// Package server assembles the whole HTTP surface: public site, operations
// endpoints and assets, behind the shared middleware.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"portail/internal/assets"
	"portail/internal/i18n"
	"portail/internal/markdown"
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
}

// Server is the application's http.Handler with access to its parts.
type Server struct {
	http.Handler
	Site   *site.Site
	Engine *render.Engine
	Mux    *web.Mux
}

// New builds the server.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
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
	st, err := site.New(ctx, cfg.Store, engine, markdown.New(), errs, cfg.Log)
	if err != nil {
		return nil, err
	}

	mux := web.NewMux()
	st.Routes(mux)
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

	var h http.Handler = mux
	h = web.LimitBody(cfg.MaxBody, h)
	h = web.SecurityHeaders(h)
	h = web.Logging(cfg.Log, h)
	return &Server{Handler: h, Site: st, Engine: engine, Mux: mux}, nil
}
