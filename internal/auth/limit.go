package auth

import (
	"net/netip"
	"time"
)

// Limits bound password guessing: sign-in and the current-password check
// of a password change count against the same failures.
//
// An attacker who does not know a password must not be able to keep its
// owner out, so the failures of one account lock out no address by
// themselves: past PerAccount, only an address that has not failed on the
// account within Window may try it (once). The owner, from their usual
// address, still signs in; an attacker gets PerAccount guesses plus one
// per address.
type Limits struct {
	Window     time.Duration // how long a failure counts
	PerPair    int           // failures of one account from one address
	PerAddress int           // failures from one address, any accounts
	PerAccount int           // failures of one account, any addresses
}

// SignInLimits are the limits of the staff side.
func SignInLimits() Limits {
	return Limits{Window: 15 * time.Minute, PerPair: 5, PerAddress: 20, PerAccount: 5}
}

// Failures are the failures within a Limits' Window that a new attempt
// is judged on. An account's failures stop counting against it when it
// signs in, but still count against their address.
type Failures struct {
	Pair    int // of this account from this address
	Address int // from this address
	Account int // of this account
}

// Allows reports whether an attempt with failures f may check a password.
func (l Limits) Allows(f Failures) bool {
	switch {
	case f.Pair >= l.PerPair, f.Address >= l.PerAddress:
		return false
	case f.Account >= l.PerAccount:
		return f.Pair == 0
	}
	return true
}

// LimitAddress returns the address that ip's failures are counted under:
// the IPv4 address itself, or the /64 prefix of an IPv6 address, since a
// single host usually holds a whole /64.
func LimitAddress(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Unmap().Is4() {
		return ip
	}
	p, _ := a.Prefix(64)
	return p.String()
}
