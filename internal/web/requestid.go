package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/netip"
)

// RequestIDHeader carries a request's ID: read from a trusted proxy that
// set it, and sent back on every response, so that a visitor reporting a
// problem, the proxy's log and this server's log name the same request.
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds an ID taken from a proxy: it goes into every log
// line of the request.
const maxRequestID = 64

type requestIDKey struct{}

// RequestID returns the ID that Logging gave the request of ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// newRequestID returns 12 random characters: 72 bits, enough that two
// requests of one log do not share one.
func newRequestID() string {
	var b [9]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// requestID returns the ID of r: the one a trusted proxy put in
// X-Request-Id when it is a short token, else a new one. Anybody else's
// X-Request-Id is ignored: it would let a client choose what the log
// says, or tie its requests to someone else's.
func (p Proxies) requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); id != "" && validRequestID(id) {
		if peer, err := netip.ParseAddr(peerIP(r)); err == nil && p.trusts(peer) {
			return id
		}
	}
	return newRequestID()
}

// validRequestID accepts what proxies generate (hex, UUIDs, base64url)
// and nothing that could break a log line.
func validRequestID(id string) bool {
	if len(id) > maxRequestID {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// LogRequestIDs returns a slog handler that adds to every record logged
// with a request's context (log.ErrorContext(r.Context(), …)) that
// request's ID as "request_id", so that the request line and the error
// lines of one request can be joined.
// A handler that already does is returned as it is.
func LogRequestIDs(h slog.Handler) slog.Handler {
	if _, ok := h.(idHandler); ok {
		return h
	}
	return idHandler{h}
}

type idHandler struct{ slog.Handler }

func (h idHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h idHandler) WithAttrs(as []slog.Attr) slog.Handler { return idHandler{h.Handler.WithAttrs(as)} }
func (h idHandler) WithGroup(name string) slog.Handler    { return idHandler{h.Handler.WithGroup(name)} }
