package cli

import (
	"net"
	"testing"
)

func TestLocalBaseURL(t *testing.T) {
	for _, c := range []struct{ addr, ln, want string }{
		{"localhost:8080", "127.0.0.1:8080", "http://localhost:8080"},
		{":8080", "[::]:8080", "http://localhost:8080"},
		{"0.0.0.0:0", "0.0.0.0:41234", "http://localhost:41234"},
		{"127.0.0.1:0", "127.0.0.1:41234", "http://localhost:41234"},
		{"192.0.2.7:80", "192.0.2.7:80", "http://192.0.2.7:80"},
		{"[2001:db8::1]:8080", "[2001:db8::1]:8080", "http://[2001:db8::1]:8080"},
	} {
		ln, err := net.ResolveTCPAddr("tcp", c.ln)
		if err != nil {
			t.Fatal(err)
		}
		if got := localBaseURL(c.addr, ln); got != c.want {
			t.Errorf("localBaseURL(%q, %s) = %q, want %q", c.addr, c.ln, got, c.want)
		}
	}
}
