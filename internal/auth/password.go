package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the second OWASP recommendation (19 MiB, two
// passes, one lane). They are written into every hash, so that raising
// them later still verifies the old hashes.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// ErrBadHash reports a stored hash that is not an argon2id encoding.
var ErrBadHash = errors.New("auth: malformed password hash")

var b64 = base64.RawStdEncoding

// Hash returns the argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$key).
func Hash(pw string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt) // never returns an error (crypto/rand, Go 1.24+)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether pw matches encoded, comparing in constant time.
func Verify(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, ErrBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when an account does not exist, so that
// a failed login takes as long whether or not the address is known.
var dummyHash = sync.OnceValue(func() string { return Hash("portail: no such account") })

// VerifyNone spends the time of one Verify and returns false.
func VerifyNone(pw string) bool {
	Verify(dummyHash(), pw)
	return false
}

// NewPassword returns a random password of 26 characters (128 bits), for
// accounts created without one; its holder must change it at first login.
func NewPassword() string { return rand.Text() }
