package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/store/sqlite"
)

// logTally counts the lines of the server's slog text output and keeps
// the ERROR ones; it keeps nothing else, so that it does not weigh on the
// heap the test measures.
type logTally struct {
	mu       sync.Mutex
	requests int
	errors   []string
}

func (l *logTally) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if bytes.Contains(p, []byte("msg=request")) {
		l.requests++
	}
	if bytes.Contains(p, []byte("level=ERROR")) && len(l.errors) < 10 {
		l.errors = append(l.errors, string(bytes.TrimSpace(p)))
	}
	return len(p), nil
}

// target is one URL of the mix and the status it must get.
type target struct {
	path string
	want int
}

// TestLoadSmoke sends 20 000 requests over 64 connections to the real
// server on loopback, across every kind of response: each public page in
// both languages, plain, gzipped and conditional, redirects, 404s, an
// asset and the health checks. It asserts correctness under concurrency
// (statuses, no ERROR log line) and a stable heap, never a speed: timings
// belong to the benchmarks and bench/.
func TestLoadSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("load smoke test: skipped with -short")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "load.db")
	paths := publicPaths(t, dbPath)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	logs := &logTally{}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(runCtx, Env{
			Args:   []string{"serve", "-addr", "127.0.0.1:0", "-db", dbPath},
			Stdout: io.Discard, Stderr: logs,
			Ready: func(addr string) { addrc <- addr },
		})
	}()
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}

	const conns = 64
	client := &http.Client{
		Transport: &http.Transport{MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	defer client.CloseIdleConnections()

	targets := []target{
		{"/", http.StatusFound}, {"/fr", http.StatusMovedPermanently}, {"/en", http.StatusMovedPermanently},
		{"/healthz", 200}, {"/readyz", 200},
		{"/nulle-part", 404}, {"/fr/nulle-part", 404}, {"/en/nowhere/at/all", 404}, {"/assets/nope.css", 404},
	}
	for _, p := range paths {
		targets = append(targets, target{p, 200})
	}
	home := fetch(t, client, base+"/fr/")
	css := regexp.MustCompile(`href="(/assets/[^"]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("the home page links no stylesheet")
	}
	targets = append(targets, target{css[1], 200})
	etags := map[string]string{}
	for _, tg := range targets {
		if tg.want != 200 {
			continue
		}
		res, err := client.Get(base + tg.path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		etags[tg.path] = res.Header.Get("ETag")
	}

	// run sends n requests over conns connections and reports failures.
	run := func(n int) {
		var next atomic.Int64
		var mu sync.Mutex
		var failures []string
		fail := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			if len(failures) < 10 {
				failures = append(failures, fmt.Sprintf(format, args...))
			}
		}
		var wg sync.WaitGroup
		for range conns {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					tg := targets[i%len(targets)]
					req, _ := http.NewRequest("GET", base+tg.path, nil)
					want := tg.want
					switch (i / len(targets)) % 3 {
					case 1:
						req.Header.Set("Accept-Encoding", "gzip")
					case 2:
						if etag := etags[tg.path]; etag != "" {
							req.Header.Set("If-None-Match", etag)
							want = http.StatusNotModified
						}
					}
					res, err := client.Do(req)
					if err != nil {
						fail("GET %s: %v", tg.path, err)
						continue
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != want {
						fail("GET %s (%v): %d, want %d", tg.path, req.Header, res.StatusCode, want)
					}
				}
			})
		}
		wg.Wait()
		for _, f := range failures {
			t.Error(f)
		}
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}

	// The warm-up fills what is meant to stay (the rendered-page cache,
	// the 64 connections' buffers, sync.Pool'd gzip writers), so that the
	// comparison sees only what the run leaves behind.
	run(2_000)
	before := heap()
	const requests = 20_000
	run(requests)
	after := heap()
	t.Logf("heap after warm-up %d KB, after %d requests %d KB; %d targets", before>>10, requests, after>>10, len(targets))
	// Generous on purpose: the GC and pools keep some slack, and this
	// test is to catch a leak per request (20 000 × even 1 KB is 20 MB),
	// not to budget memory.
	if after > 2*before+20<<20 {
		t.Errorf("heap grew from %d KB to %d KB over %d requests", before>>10, after>>10, requests)
	}

	client.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for _, l := range logs.errors {
		t.Errorf("server logged an error: %s", l)
	}
	// The log is where errors would show; make sure it was really read.
	if logs.requests < requests {
		t.Errorf("only %d request lines in the log for %d requests", logs.requests, requests)
	}
}

// publicPaths seeds the database at dbPath and returns the public paths the
// site serves from it.
func publicPaths(t *testing.T, dbPath string) []string {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	paths := srv.Site.Paths()
	if len(paths) < 10 {
		t.Fatalf("only %d public paths", len(paths))
	}
	return paths
}

func fetch(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d, %v", url, res.StatusCode, err)
	}
	return string(b)
}
