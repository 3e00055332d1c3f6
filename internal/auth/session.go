package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Session lifetimes: a session ends after IdleTimeout without a request, and
// in any case AbsoluteTimeout after sign-in.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// Session is a signed-in browser. Only the hash of its token is kept, so
// that a copy of the database does not let anyone sign in.
type Session struct {
	Hash      string // TokenHash of the cookie's token
	UserID    int64
	Created   time.Time
	IdleUntil time.Time // moved forward by each request
	Expires   time.Time // fixed at sign-in
}

// NewSession returns a fresh token and the session that keeps its hash,
// starting at now.
func NewSession(userID int64, now time.Time) (token string, s Session) {
	token = NewToken()
	return token, Session{
		Hash:      TokenHash(token),
		UserID:    userID,
		Created:   now,
		IdleUntil: now.Add(IdleTimeout),
		Expires:   now.Add(AbsoluteTimeout),
	}
}

// Live reports whether s is still valid at now.
func (s Session) Live(now time.Time) bool {
	return now.Before(s.IdleUntil) && now.Before(s.Expires)
}

// NewToken returns an unguessable token (256 bits, URL-safe).
func NewToken() string { return rand.Text() + rand.Text() }

// TokenHash is how a token is stored and looked up.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
