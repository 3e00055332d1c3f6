package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"portail/internal/cli"
)

// countingReader is a request body of n zero bytes that counts what the
// server read of it.
type countingReader struct {
	left int64
	read atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	clear(p)
	c.left -= int64(len(p))
	c.read.Add(int64(len(p)))
	return len(p), nil
}

func TestLargeBodiesRefused(t *testing.T) {
	e := newSecEnv(t)
	const tenMB = 10 << 20
	// A declared 10 MB body is refused before any handler runs.
	for _, path := range []string{"/fr/", "/nulle-part", "/en/department/mission", "/healthz"} {
		r := httptest.NewRequest("POST", path, &countingReader{left: tenMB})
		r.ContentLength = tenMB
		if res, _ := e.do(r); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 10 MB: %d, want 413", path, res.StatusCode)
		}
	}
	// Every route, with a body larger than any cap (media uploads have a
	// higher one than forms).
	const huge = 256 << 20
	for _, rt := range routes(t, e.srv) {
		r := httptest.NewRequest(rt.requestMethod(), rt.example, &countingReader{left: huge})
		r.ContentLength = huge
		if res, _ := e.do(r); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s %s (%s) with 256 MB: %d, want 413", r.Method, rt.example, rt.pattern, res.StatusCode)
		}
	}
	// A chunked body declares no length: the handlers that read it must
	// stop at the cap and answer 4xx, not read it all nor fail with 5xx.
	for _, rt := range routes(t, e.srv) {
		if !rt.stateChanging() {
			continue
		}
		body := &countingReader{left: huge}
		r := httptest.NewRequest(rt.requestMethod(), rt.example, body)
		r.ContentLength = -1
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, _ := e.do(r)
		if res.StatusCode >= 500 {
			t.Errorf("%s %s with a chunked 256 MB body: %d", r.Method, rt.example, res.StatusCode)
		}
		if n := body.read.Load(); n >= huge/2 {
			t.Errorf("%s %s read %d MB of a chunked body", r.Method, rt.example, n>>20)
		}
		t.Logf("%s %s, chunked 256 MB: %d after reading %d KB", r.Method, rt.example, res.StatusCode, body.read.Load()>>10)
	}
	e.noErrors(t)
}

// startServe runs the serve command as main does, on a free loopback port
// and a fresh database, and stops it when the test ends.
func startServe(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &errorLog{}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, cli.Env{
			Args:   []string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "portail.db")},
			Stdout: io.Discard, Stderr: log,
			Ready: func(addr string) { addrc <- addr },
		})
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped before listening: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		for _, l := range log.lines() {
			t.Errorf("server logged an error: %s", l)
		}
	})
	return addr
}

// rawRequest writes head, then body bytes in the background until the
// server stops reading, and returns the server's response.
func rawRequest(t *testing.T, addr, head string, body int64) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A failsafe so that a broken server fails the test instead of hanging it.
	conn.SetDeadline(time.Now().Add(time.Minute))
	go func() {
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		io.Copy(conn, io.LimitReader(zeros{}, body))
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	res.Body.Close()
	return res
}

func TestLimitsOfTheRealServer(t *testing.T) {
	t.Parallel()
	addr := startServe(t)

	t.Run("a slow client is cut off after the header timeout", func(t *testing.T) {
		t.Parallel()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// Slowloris: a header that never ends, one byte at a time, so that
		// only a deadline on the whole header (not per read) stops it.
		if _, err := io.WriteString(conn, "GET /fr/ HTTP/1.1\r\nHost: portail\r\nX-Lent: "); err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			tick := time.NewTicker(200 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					if _, err := conn.Write([]byte("a")); err != nil {
						return
					}
				}
			}
		}()
		start := time.Now()
		// The server's ReadHeaderTimeout is 5 s; the test waits up to 30.
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := conn.Read(make([]byte, 512))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("the connection is still open after %v", time.Since(start).Round(time.Second))
		}
		if err == nil {
			t.Fatalf("the server answered %d bytes to an unfinished request", n)
		}
		t.Logf("disconnected after %v (%v)", time.Since(start).Round(100*time.Millisecond), err)
	})

	t.Run("huge headers get 431", func(t *testing.T) {
		t.Parallel()
		head := "GET /fr/ HTTP/1.1\r\nHost: portail\r\nX-Gros: " + strings.Repeat("a", 256<<10) + "\r\n\r\n"
		if res := rawRequest(t, addr, head, 0); res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status %d, want 431", res.StatusCode)
		}
	})

	t.Run("a 10 MB body gets 413", func(t *testing.T) {
		t.Parallel()
		for _, path := range []string{"/fr/", "/nulle-part"} {
			head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: portail\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, 10<<20)
			if res := rawRequest(t, addr, head, 10<<20); res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s: status %d, want 413", path, res.StatusCode)
			}
		}
	})

	t.Run("the server still answers", func(t *testing.T) {
		t.Parallel()
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("healthz: %d", res.StatusCode)
		}
	})
}
