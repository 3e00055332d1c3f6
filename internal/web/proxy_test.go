package web_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"portail/internal/web"
)

func TestParseProxies(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "", want: ""},
		{in: " , ", want: ""},
		{in: "10.0.0.0/8", want: "10.0.0.0/8"},
		{in: "10.1.2.3/8, 2001:db8::1/32", want: "10.0.0.0/8,2001:db8::/32"},
		{in: "192.0.2.7", want: "192.0.2.7/32"},
		{in: "::1", want: "::1/128"},
		{in: "::ffff:10.0.0.0/104", want: "10.0.0.0/8"},
		{in: "10.0.0.0/33", bad: true},
		{in: "10.0.0.0/8,nonsense", bad: true},
		{in: "fe80::1%eth0", bad: true},
		{in: "::ffff:10.0.0.0/64", bad: true},
		{in: "10.0.0.0/8;192.0.2.0/24", bad: true},
	} {
		p, err := web.ParseProxies(tc.in)
		switch {
		case tc.bad && err == nil:
			t.Errorf("ParseProxies(%q) = %q, want an error", tc.in, p)
		case !tc.bad && err != nil:
			t.Errorf("ParseProxies(%q): %v", tc.in, err)
		case !tc.bad && p.String() != tc.want:
			t.Errorf("ParseProxies(%q) = %q, want %q", tc.in, p, tc.want)
		}
	}
}

// TestProxiesHandler checks what ClientIP and IsHTTPS say behind
// Proxies.Handler, trusting 10.0.0.0/8 and 2001:db8:1::/48.
func TestProxiesHandler(t *testing.T) {
	proxies, err := web.ParseProxies("10.0.0.0/8, 2001:db8:1::/48")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		remote    string
		tls       bool
		xff, xfp  []string
		wantIP    string
		wantHTTPS bool
	}{
		{name: "direct client", remote: "203.0.113.5:4242", wantIP: "203.0.113.5"},
		{name: "direct client over TLS", remote: "203.0.113.5:4242", tls: true, wantIP: "203.0.113.5", wantHTTPS: true},
		{name: "untrusted peer forges both headers", remote: "203.0.113.5:4242",
			xff: []string{"198.51.100.7"}, xfp: []string{"https"}, wantIP: "203.0.113.5"},
		{name: "untrusted peer claims a trusted address", remote: "203.0.113.5:4242",
			xff: []string{"10.0.0.9"}, wantIP: "203.0.113.5"},
		{name: "trusted proxy without headers", remote: "10.0.0.2:80", wantIP: "10.0.0.2"},
		{name: "trusted proxy", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7"}, xfp: []string{"https"}, wantIP: "198.51.100.7", wantHTTPS: true},
		{name: "client forges entries to the left", remote: "10.0.0.2:80",
			xff: []string{"1.1.1.1, 10.9.9.9, 198.51.100.7"}, wantIP: "198.51.100.7"},
		{name: "chain of trusted proxies", remote: "10.0.0.2:80",
			xff: []string{"1.1.1.1, 198.51.100.7, 10.0.0.3"}, wantIP: "198.51.100.7"},
		{name: "one entry per header line", remote: "10.0.0.2:80",
			xff: []string{"1.1.1.1", "198.51.100.7", "10.0.0.3"}, wantIP: "198.51.100.7"},
		{name: "every hop trusted", remote: "10.0.0.2:80",
			xff: []string{"10.0.0.9, 10.0.0.3"}, wantIP: "10.0.0.9"},
		{name: "entry with a port", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7:51234"}, wantIP: "198.51.100.7"},
		{name: "proto set by the nearest proxy wins", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7"}, xfp: []string{"https, http"}, wantIP: "198.51.100.7"},
		{name: "proto in capitals", remote: "10.0.0.2:80", xfp: []string{"HTTPS"}, wantIP: "10.0.0.2", wantHTTPS: true},
		{name: "TLS to a trusted proxy stays HTTPS", remote: "10.0.0.2:443", tls: true, xfp: []string{"http"},
			wantIP: "10.0.0.2", wantHTTPS: true},

		{name: "malformed right-most entry", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7, not-an-ip"}, wantIP: "10.0.0.2"},
		{name: "malformed entry between trusted ones", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7, 999.1.1.1, 10.0.0.3"}, wantIP: "10.0.0.2"},
		{name: "empty header", remote: "10.0.0.2:80", xff: []string{""}, wantIP: "10.0.0.2"},
		{name: "empty right-most entry", remote: "10.0.0.2:80", xff: []string{"198.51.100.7, "}, wantIP: "10.0.0.2"},
		{name: "malformed entries left of the client", remote: "10.0.0.2:80",
			xff: []string{"<script>, 198.51.100.7"}, wantIP: "198.51.100.7"},
		{name: "malformed proto", remote: "10.0.0.2:80", xfp: []string{"https-ish"}, wantIP: "10.0.0.2"},
		{name: "peer that is not an address", remote: "@", xff: []string{"198.51.100.7"}, wantIP: "@"},

		{name: "IPv6 direct client", remote: "[2001:db8:2::5]:4242",
			xff: []string{"198.51.100.7"}, wantIP: "2001:db8:2::5"},
		{name: "IPv6 trusted proxy", remote: "[2001:db8:1::5]:443",
			xff: []string{"2001:db8:ffff::9, 2001:db8:1::6"}, xfp: []string{"https"}, wantIP: "2001:db8:ffff::9", wantHTTPS: true},
		{name: "IPv6 entry in brackets with a port", remote: "[2001:db8:1::5]:443",
			xff: []string{"[2001:db8:ffff::9]:51234"}, wantIP: "2001:db8:ffff::9"},
		{name: "IPv6 entry in brackets", remote: "10.0.0.2:80",
			xff: []string{"[2001:db8:ffff::9]"}, wantIP: "2001:db8:ffff::9"},
		{name: "IPv6 long form is canonicalised", remote: "10.0.0.2:80",
			xff: []string{"2001:0db8:ffff:0000:0000:0000:0000:0009"}, wantIP: "2001:db8:ffff::9"},
		{name: "IPv4-mapped trusted peer", remote: "[::ffff:10.0.0.2]:80",
			xff: []string{"198.51.100.7"}, wantIP: "198.51.100.7"},
		{name: "IPv4-mapped entry", remote: "10.0.0.2:80",
			xff: []string{"::ffff:198.51.100.7"}, wantIP: "198.51.100.7"},
		{name: "IPv4-mapped trusted hop", remote: "10.0.0.2:80",
			xff: []string{"198.51.100.7, ::ffff:10.0.0.3"}, wantIP: "198.51.100.7"},
		{name: "untrusted IPv6 peer just outside the prefix", remote: "[2001:db8:2::1]:443",
			xff: []string{"198.51.100.7"}, xfp: []string{"https"}, wantIP: "2001:db8:2::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			r.TLS = nil
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			for _, v := range tc.xfp {
				r.Header.Add("X-Forwarded-Proto", v)
			}
			var ip string
			var https bool
			proxies.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ip, https = web.ClientIP(r), web.IsHTTPS(r)
			})).ServeHTTP(httptest.NewRecorder(), r)
			if ip != tc.wantIP || https != tc.wantHTTPS {
				t.Errorf("ClientIP, IsHTTPS = %q, %v; want %q, %v", ip, https, tc.wantIP, tc.wantHTTPS)
			}
		})
	}
}

// Without any proxy, forwarding headers change nothing, and without the
// handler at all ClientIP and IsHTTPS read the connection.
func TestNoProxies(t *testing.T) {
	var none web.Proxies
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.2:80"
	r.Header.Set("X-Forwarded-For", "198.51.100.7")
	r.Header.Set("X-Forwarded-Proto", "https")
	if ip, https := web.ClientIP(r), web.IsHTTPS(r); ip != "10.0.0.2" || https {
		t.Errorf("without the handler: %q, %v", ip, https)
	}
	none.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, https := web.ClientIP(r), web.IsHTTPS(r); ip != "10.0.0.2" || https {
			t.Errorf("trusting nobody: %q, %v", ip, https)
		}
	})).ServeHTTP(httptest.NewRecorder(), r)
}

// HSTS is sent over HTTPS only, including HTTPS that ended at a trusted
// proxy, and never because an untrusted client says so.
func TestHSTSBehindProxy(t *testing.T) {
	proxies, err := web.ParseProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	h := proxies.Handler(web.SecurityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	for _, tc := range []struct {
		remote, proto string
		want          bool
	}{
		{"10.0.0.2:80", "https", true},
		{"10.0.0.2:80", "http", false},
		{"10.0.0.2:80", "", false},
		{"203.0.113.5:4242", "https", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := w.Header().Get("Strict-Transport-Security") != ""; got != tc.want {
			t.Errorf("from %s with proto %q: HSTS %v, want %v", tc.remote, tc.proto, got, tc.want)
		}
	}
}
