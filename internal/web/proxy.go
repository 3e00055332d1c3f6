package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose forwarding headers are believed.
// Behind a proxy every connection comes from the proxy's address, so the
// client's address and scheme are only known from what the proxy says in
// X-Forwarded-For and X-Forwarded-Proto; anybody else can send those
// headers too, so they are read only on connections from these addresses.
// The zero value trusts nobody.
type Proxies struct {
	prefixes []netip.Prefix
}

// ParseProxies reads a comma-separated list of CIDR prefixes
// ("10.0.0.0/8, 2001:db8::/32"); a bare address stands for itself. The
// empty string trusts nobody.
func ParseProxies(s string) (Proxies, error) {
	var p Proxies
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		pre, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil || a.Zone() != "" {
				return Proxies{}, fmt.Errorf("web: trusted proxy %q is not a CIDR prefix or an IP address", item)
			}
			pre = netip.PrefixFrom(a, a.BitLen())
		}
		if pre.Addr().Is4In6() {
			// ::ffff:10.0.0.0/104 is 10.0.0.0/8; peers are compared unmapped.
			if pre.Bits() < 96 {
				return Proxies{}, fmt.Errorf("web: trusted proxy %q: an IPv4-mapped prefix needs at least 96 bits", item)
			}
			pre = netip.PrefixFrom(pre.Addr().Unmap(), pre.Bits()-96)
		}
		p.prefixes = append(p.prefixes, pre.Masked())
	}
	return p, nil
}

// String returns the prefixes as ParseProxies reads them.
func (p Proxies) String() string {
	s := make([]string, len(p.prefixes))
	for i, pre := range p.prefixes {
		s[i] = pre.String()
	}
	return strings.Join(s, ",")
}

// trusts reports whether a, an unmapped address, is one of the proxies.
func (p Proxies) trusts(a netip.Addr) bool {
	a = a.WithZone("")
	for _, pre := range p.prefixes {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// client is what Handler decides about a request.
type client struct {
	ip    string
	https bool
}

type clientKey struct{}

// Handler records in each request's context the client's IP address and
// whether it came over HTTPS, for ClientIP and IsHTTPS:
//
//   - from an address that is not a trusted proxy: the peer's address and
//     whether the connection is TLS; forwarding headers are ignored;
//   - from a trusted proxy: the right-most address of X-Forwarded-For (all
//     its lines, in order) that is not itself a trusted proxy, since each
//     proxy appends the address it saw and entries further left are the
//     client's to write; the left-most one when every entry is trusted; the
//     proxy's own address when the header is absent or an entry on the way
//     is not an IP address. HTTPS when the connection is TLS or the last
//     X-Forwarded-Proto value, the one the nearest proxy set, is "https".
func (p Proxies) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := p.decide(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

func (p Proxies) decide(r *http.Request) client {
	c := client{ip: peerIP(r), https: r.TLS != nil}
	peer, err := netip.ParseAddr(c.ip)
	if err != nil || !p.trusts(peer) {
		return c
	}
	if proto := lastValue(r.Header.Values("X-Forwarded-Proto")); strings.EqualFold(proto, "https") {
		c.https = true
	}
	var hops []string
	for _, line := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(line, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return c
		}
		if !p.trusts(a) || i == 0 {
			c.ip = a.String()
			return c
		}
	}
	return c
}

// parseHop reads one X-Forwarded-For entry: an IP address, possibly in
// brackets or with a port, as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// lastValue returns the last comma-separated value of a header's lines.
func lastValue(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	last := lines[len(lines)-1]
	return strings.TrimSpace(last[strings.LastIndex(last, ",")+1:])
}

// peerIP returns the address of the connection's other end, as the
// canonical text of an IP address when it is one.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}

// ClientIP returns the IP address of the client that made r, as Handler
// decided it; without Handler, the peer's address.
func ClientIP(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.ip
	}
	return peerIP(r)
}

// IsHTTPS reports whether the client reached the site over HTTPS, as
// Handler decided it; without Handler, whether the connection is TLS. It
// decides the Secure flag of cookies and Strict-Transport-Security.
func IsHTTPS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.https
	}
	return r.TLS != nil
}
