// Package web is the HTTP plumbing shared by the public site, the staff side
// and the API: security headers, request logging, panic recovery, body
// limits, the request's language, and the one place that turns an error
// into a status and a page.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"portail/internal/apperr"
	"portail/internal/lang"
	"portail/internal/render"
)

// CSP allows nothing inline and nothing from another origin; the public
// site loads nothing from third parties.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// SecurityHeaders sets the security headers on every response;
// Strict-Transport-Security only on HTTPS (IsHTTPS), since browsers ignore
// it over plain HTTP.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()")
		if IsHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// StatusWriter records the status and size of a response, for the log and
// the metrics.
type StatusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

// Status returns the status written so far: 200 once a body was written
// without WriteHeader, 0 before anything was written.
func (s *StatusWriter) Status() int { return s.status }

func (s *StatusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.size += n
	return n, err
}

func (s *StatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Logging logs one line per request and recovers from panics with a 500.
// It gives each request an ID (see RequestIDHeader; p says whose
// X-Request-Id is believed), puts it in the request's context for
// RequestID and sends it back in X-Request-Id. Its lines, and the lines
// logged with the request's context through a LogRequestIDs handler,
// carry it as "request_id".
func Logging(log *slog.Logger, p Proxies, next http.Handler) http.Handler {
	log = slog.New(LogRequestIDs(log.Handler()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := p.requestID(r)
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		sw := &StatusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				if sw.status == 0 {
					http.Error(sw, "internal error / erreur interne", http.StatusInternalServerError)
				}
			}
			level := slog.LevelInfo
			if sw.status >= 500 {
				level = slog.LevelError
			}
			log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "bytes", sw.size, "duration", time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// LimitBody caps request bodies at n bytes; reading past it fails, and the
// handler answers 413 through Error.
func LimitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			w.Header().Set("Connection", "close")
			http.Error(w, "request too large / requête trop volumineuse", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

// RequestLang returns the language of a request: the /fr/ or /en/ prefix of
// its path, else a "lang" cookie, else Accept-Language.
func RequestLang(r *http.Request) lang.Lang {
	p := r.URL.Path
	for _, l := range lang.All {
		if p == "/"+string(l) || strings.HasPrefix(p, "/"+string(l)+"/") {
			return l
		}
	}
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := lang.Parse(c.Value); ok {
			return l
		}
	}
	return lang.Negotiate(r.Header.Get("Accept-Language"))
}

// Status returns the HTTP status for an error's kind. It is the only such
// mapping in the program.
func Status(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch apperr.KindOf(err) {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Errors renders error pages.
type Errors struct {
	Engine *render.Engine
	Log    *slog.Logger
}

type message struct {
	Lang                 lang.Lang
	Title, Message, Home string
}

type errorPage struct {
	render.Page
	Messages []message
}

var statusKeys = map[int][2]string{
	http.StatusNotFound:              {"notfound.title", "notfound.body"},
	http.StatusForbidden:             {"error.title", "error.forbidden"},
	http.StatusRequestEntityTooLarge: {"error.title", "error.too_large"},
	http.StatusUnprocessableEntity:   {"error.title", "error.invalid"},
	http.StatusMethodNotAllowed:      {"error.title", "error.method"},
	http.StatusRequestURITooLong:     {"error.title", "error.uri_too_long"},
}

// Page writes an error page for status, in both languages with the
// request's language first: a visitor who hits an unknown path may not be
// reading the language its URL suggests.
func (e *Errors) Page(w http.ResponseWriter, r *http.Request, status int) {
	keys, ok := statusKeys[status]
	if !ok {
		keys = [2]string{"error.title", "error.internal"}
	}
	e.page(w, r, status, keys)
}

// Invalid writes a 422 page whose message is the catalog's key: for a
// request that has no form to show again with the problem beside its
// field, such as a preview.
func (e *Errors) Invalid(w http.ResponseWriter, r *http.Request, key string) {
	e.page(w, r, http.StatusUnprocessableEntity, [2]string{"error.title", key})
}

func (e *Errors) page(w http.ResponseWriter, r *http.Request, status int, keys [2]string) {
	first := RequestLang(r)
	p := errorPage{Page: e.Engine.Page(first)}
	for _, l := range []lang.Lang{first, first.Other()} {
		c := e.Engine.Catalog(l)
		p.Messages = append(p.Messages, message{Lang: l, Title: c.T(keys[0]), Message: c.T(keys[1]), Home: c.T("notfound.home")})
	}
	p.Title = p.Messages[0].Title + " / " + p.Messages[1].Title
	p.Robots = "noindex"
	body, err := e.Engine.Render("error", &p)
	if err != nil {
		e.Log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// NotFound writes the bilingual 404 page.
func (e *Errors) NotFound(w http.ResponseWriter, r *http.Request) {
	e.Page(w, r, http.StatusNotFound)
}

// Error writes the page for err's status, logging internal errors only,
// with the request's ID (RequestID) so that the line joins the request's.
// The visitor never sees err's text.
func (e *Errors) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	if status >= 500 {
		e.Log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	e.Page(w, r, status)
}
