package auth

import "testing"

// TestLookalikeEmails: addresses that look like ed1@x.org or édith@x.org
// in the account list and the audit log are either the same account
// (normalised to one form) or refused.
func TestLookalikeEmails(t *testing.T) {
	for _, tc := range []struct {
		name, typed string
		norm        string // NormalizeEmail's result when it is accepted
		refused     bool
	}{
		{"plain", " Ed1@X.org ", "ed1@x.org", false},
		{"zero-width space", "ed\u200b1@x.org", "", true},
		{"zero-width joiner in the domain", "ed1@x\u200d.org", "", true},
		{"Cyrillic е in the local part", "\u0435d1@x.org", "", true},
		{"Greek ο in the domain", "ed1@x.\u03bfrg", "", true},
		{"right-to-left override", "\u202eed1@x.org", "", true},
		{"soft hyphen", "ed\u00ad1@x.org", "", true},
		{"composed é", "\u00e9dith@x.org", "\u00e9dith@x.org", false},
		{"decomposed é is the composed one", "e\u0301dith@x.org", "\u00e9dith@x.org", false},
		{"capital decomposed É", "E\u0301dith@X.org", "\u00e9dith@x.org", false},
		{"fullwidth letters fold", "\uff45d1@x.org", "ed1@x.org", false},
		{"all-Cyrillic local part", "\u043f\u0451\u0442\u0440@x.org", "\u043f\u0451\u0442\u0440@x.org", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NormalizeEmail(tc.typed)
			u := User{Email: got, Name: "N", Role: Editor, Lang: "fr"}
			key := u.Validate()["email"]
			if tc.refused {
				if key != "form.email.lookalike" {
					t.Fatalf("%q → %q: problem %q, want form.email.lookalike", tc.typed, got, key)
				}
				return
			}
			if key != "" || got != tc.norm {
				t.Fatalf("%q → %q (problem %q), want %q accepted", tc.typed, got, key, tc.norm)
			}
		})
	}
}
