package lang

import "testing"

func TestNegotiate(t *testing.T) {
	cases := []struct {
		header string
		want   Lang
	}{
		{"", FR},
		{"fr-CA,fr;q=0.9", FR},
		{"en-US,en;q=0.9", EN},
		{"en-GB", EN},
		{"de-DE", FR},
		{"de-DE,en;q=0.5", EN},
		{"en;q=0.4,fr;q=0.8", FR},
		{"garbage;;;q=x", FR},
	}
	for _, c := range cases {
		if got := Negotiate(c.header); got != c.want {
			t.Errorf("Negotiate(%q) = %s, want %s", c.header, got, c.want)
		}
	}
}

func TestOther(t *testing.T) {
	if FR.Other() != EN || EN.Other() != FR {
		t.Fatal("Other is not an involution")
	}
}
