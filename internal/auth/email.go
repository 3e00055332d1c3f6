package auth

import (
	"strings"
	"unicode"

	"golang.org/x/text/secure/precis"
	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail returns the form of an address that accounts are keyed
// by: trimmed, and each side of the @ through the PRECIS
// UsernameCaseMapped profile (RFC 8265: width folded, lower case, NFC),
// so that a composed and a decomposed "é" name one account. When a side
// is not a valid identifier, it is only put in NFC and lower case, which
// CheckEmail then refuses.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	local, domain, ok := strings.Cut(s, "@")
	if !ok {
		return strings.ToLower(norm.NFC.String(s))
	}
	return normalizePart(local) + "@" + normalizePart(domain)
}

func normalizePart(s string) string {
	if p, err := precis.UsernameCaseMapped.String(s); err == nil {
		return p
	}
	return strings.ToLower(norm.NFC.String(s))
}

// CheckEmail returns the message key of what makes the normalised address
// email a look-alike of another, or "": a character that does not show
// (zero-width, format and bidirectional controls), one that the PRECIS
// identifier class refuses, or a side of the @ that mixes Latin, Greek
// and Cyrillic letters ("еd" with a Cyrillic е looks like "ed").
func CheckEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return ""
	}
	for _, part := range []string{local, domain} {
		for _, r := range part {
			if unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Bidi_Control, r) || unicode.IsControl(r) || unicode.IsSpace(r) {
				return "form.email.lookalike"
			}
		}
		if p, err := precis.UsernameCaseMapped.String(part); err != nil || p != part {
			return "form.email.lookalike"
		}
		if mixedScripts(part) {
			return "form.email.lookalike"
		}
	}
	return ""
}

// confusable are the scripts whose letters look like Latin ones.
var confusable = []*unicode.RangeTable{unicode.Latin, unicode.Greek, unicode.Cyrillic}

// mixedScripts reports whether a dot-separated label of s has letters of
// more than one script of confusable.
func mixedScripts(s string) bool {
	for label := range strings.SplitSeq(s, ".") {
		seen := -1
		for _, r := range label {
			for i, t := range confusable {
				if unicode.Is(t, r) {
					if seen >= 0 && seen != i {
						return true
					}
					seen = i
				}
			}
		}
	}
	return false
}
