// Package cache keeps rendered public responses in memory and serves them
// with validators (ETag, Last-Modified) and a pre-compressed gzip body.
package cache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is one rendered response.
type Entry struct {
	Status       int
	ContentType  string
	Body         []byte
	Gzip         []byte // nil when compression does not pay
	ETag         string
	LastModified time.Time
	// Expires is when the entry goes stale by the clock alone, with no
	// change of data (an office's "open now"): Get no longer returns it
	// from then. Zero for never.
	Expires time.Time
}

// NewEntry builds an entry, computing its ETag and gzip body once.
func NewEntry(status int, contentType string, body []byte, modified time.Time) *Entry {
	sum := sha256.Sum256(body)
	e := &Entry{
		Status:       status,
		ContentType:  contentType,
		Body:         body,
		ETag:         `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
		LastModified: modified.UTC().Truncate(time.Second),
	}
	if len(body) > 512 {
		var buf bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		gzipWriters.Put(zw)
		if buf.Len() < len(body) {
			e.Gzip = buf.Bytes()
		}
	}
	return e
}

// gzipWriters reuses compressors: each holds about 800 KB of state.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

// Cache maps keys to entries. The zero value is not usable; call New.
type Cache struct {
	mu      sync.RWMutex
	entries map[string]*Entry
	// hits and misses count Get's answers, for the metrics.
	hits, misses atomic.Uint64
	// now is the clock that entries expire by.
	now func() time.Time
}

// New returns an empty cache whose entries expire by the clock now (nil
// for time.Now).
func New(now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{entries: map[string]*Entry{}, now: now}
}

// Get returns the entry for key.
func (c *Cache) Get(key string) (*Entry, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && !e.Expires.IsZero() && !c.now().Before(e.Expires) {
		ok = false
	}
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return e, ok
}

// Stats returns how many times Get found an entry and how many times it
// did not, since the cache was made.
func (c *Cache) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// Put stores an entry.
func (c *Cache) Put(key string, e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = e
}

// Purge empties the cache. Every public page shows the navigation, whose
// titles any publish may change, so a publish purges everything.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

// Len returns the number of entries.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Serve writes e, answering conditional requests with 304 and sending the
// gzip body to clients that accept it.
func Serve(w http.ResponseWriter, r *http.Request, e *Entry) {
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("ETag", e.ETag)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	if !e.LastModified.IsZero() {
		h.Set("Last-Modified", e.LastModified.Format(http.TimeFormat))
	}
	if notModified(r, e) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := e.Body
	if e.Gzip != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = e.Gzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func notModified(r *http.Request, e *Entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == e.ETag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !e.LastModified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !e.LastModified.After(t)
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		_, q, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		f, err := strconv.ParseFloat(q, 64)
		return err == nil && f > 0
	}
	return false
}
