package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// running is a serve started by startServe.
type running struct {
	addr, metrics string // metrics is empty without -metrics-addr
	stop          func() string
}

// syncBuffer is a bytes.Buffer that serve's goroutines may write to while
// a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs serve on a free loopback port with args and the
// environment env until stop, which returns what it logged.
func startServe(t *testing.T, env map[string]string, args ...string) running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc, metricsc := make(chan string, 1), make(chan string, 1)
	done := make(chan error, 1)
	stderr := &syncBuffer{}
	go func() {
		done <- Run(ctx, Env{
			Args:         append([]string{"serve", "-addr", "127.0.0.1:0"}, args...),
			Getenv:       func(k string) string { return env[k] },
			Stdout:       io.Discard,
			Stderr:       stderr,
			Ready:        func(addr string) { addrc <- addr },
			MetricsReady: func(addr string) { metricsc <- addr },
		})
	}()
	var r running
	select {
	case r.addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped before listening: %v\n%s", err, stderr.String())
	}
	// MetricsReady is called before Ready, so this does not wait.
	select {
	case r.metrics = <-metricsc:
	default:
	}
	var once sync.Once
	r.stop = func() string {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
		return stderr.String()
	}
	t.Cleanup(func() { r.stop() })
	return r
}

func httpGet(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// -metrics-addr (or PORTAIL_METRICS_ADDR) serves /metrics on its own
// address, with the store's and the site's figures; the public address
// answers 404 for it, with or without the flag.
func TestMetricsAddr(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "portail.db")
	off := startServe(t, nil, "-db", dbPath)
	if off.metrics != "" {
		t.Errorf("metrics listen at %s without -metrics-addr", off.metrics)
	}
	if res, _ := httpGet(t, "http://"+off.addr+"/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("public /metrics without -metrics-addr: %d", res.StatusCode)
	}
	off.stop()

	for _, on := range []running{
		startServe(t, nil, "-db", dbPath, "-metrics-addr", "127.0.0.1:0"),
		startServe(t, map[string]string{"PORTAIL_METRICS_ADDR": "127.0.0.1:0"}, "-db", dbPath),
	} {
		if on.metrics == "" || on.metrics == on.addr {
			t.Fatalf("metrics address %q, public %q", on.metrics, on.addr)
		}
		if res, _ := httpGet(t, "http://"+on.addr+"/metrics"); res.StatusCode != http.StatusNotFound {
			t.Errorf("public /metrics with -metrics-addr: %d", res.StatusCode)
		}
		httpGet(t, "http://"+on.addr+"/fr/ministere/mission")
		res, body := httpGet(t, "http://"+on.metrics+"/metrics")
		if res.StatusCode != 200 {
			t.Fatalf("metrics address: %d", res.StatusCode)
		}
		for _, want := range []string{
			`portail_http_requests_total{code="200",method="GET",route="GET /fr/{path...}"} 1`,
			`portail_publications_total{via="staff"} 0`,
			`portail_publications_total{via="schedule"} 0`,
			"portail_page_cache_misses_total 1",
			"portail_change_feed_behind 0",
			"portail_scheduled_overdue 0",
			`go_sql_open_connections{db_name="portail"}`,
			`go_sql_in_use_connections{db_name="portail"}`,
			`go_sql_idle_connections{db_name="portail"}`,
			`go_sql_wait_count_total{db_name="portail"}`,
			`go_sql_wait_duration_seconds_total{db_name="portail"}`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if res, _ := httpGet(t, "http://"+on.metrics+"/fr/ministere/mission"); res.StatusCode != http.StatusNotFound {
			t.Errorf("the metrics address serves pages: %d", res.StatusCode)
		}
		on.stop()
	}
}

// -log-format json (or PORTAIL_LOG_FORMAT) writes one JSON object a line,
// and the request line carries the ID sent back in X-Request-Id; another
// format is a usage error.
func TestLogFormat(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "portail.db")
	for _, s := range []running{
		startServe(t, nil, "-db", dbPath, "-log-format", "json"),
		startServe(t, map[string]string{"PORTAIL_LOG_FORMAT": "json"}, "-db", dbPath),
	} {
		res, _ := httpGet(t, "http://"+s.addr+"/fr/ministere/mission")
		id := res.Header.Get("X-Request-Id")
		logged := s.stop()
		found := false
		for _, line := range strings.Split(strings.TrimSpace(logged), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, line)
			}
			if m["msg"] == "request" && m["path"] == "/fr/ministere/mission" {
				found = true
				if id == "" || m["request_id"] != id {
					t.Errorf("request line's ID %v, header %q", m["request_id"], id)
				}
			}
		}
		if !found {
			t.Errorf("no request line in:\n%s", logged)
		}
	}
	var errOut bytes.Buffer
	err := Run(context.Background(), Env{Args: []string{"serve", "-db", dbPath, "-log-format", "xml"}, Stdout: io.Discard, Stderr: &errOut})
	if !errors.Is(err, ErrUsage) || !strings.Contains(errOut.String(), "-log-format") {
		t.Errorf("-log-format xml: %v, %q", err, errOut.String())
	}
}
