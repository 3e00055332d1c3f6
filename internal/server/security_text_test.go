package server_test

import (
	"maps"
	"net/http"
	"strings"
	"testing"
)

// TestInvalidTextAtEveryStaffInput posts a NUL and bytes that are not
// UTF-8 into every field of every staff form, every filter and the name
// of an uploaded file (the staff rows of inputChannels, so that a form
// added later is covered): each is refused with 422 and the reason, and
// nothing is written. Pages are served as charset=utf-8, and such text
// was stored and served as it came.
func TestInvalidTextAtEveryStaffInput(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	channels := inputChannels(t, e) // signs in first
	before := tableCounts(t, e.db)
	rts := routes(t, e.srv)
	reached := map[string]int{}
	for _, ch := range channels {
		if !ch.staff {
			continue
		}
		for _, rt := range rts {
			if !ch.reach(rt) {
				continue
			}
			for _, p := range []string{"\x00", "avant\x00après", "\xff", "caf\xe9", "\xc3"} {
				r := ch.req(rt, p)
				r.AddCookie(e.session(t))
				res, body := e.do(r)
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s: %s %s with %q: status %d, want 422", ch.name, r.Method, rt.pattern, p, res.StatusCode)
					continue
				}
				if !strings.Contains(body, "caractère invalide") && !strings.Contains(body, "invalid character") {
					t.Errorf("%s: %s %s with %q: the page does not say why", ch.name, r.Method, rt.pattern, p)
				}
				reached[ch.name]++
			}
		}
	}
	for _, name := range []string{"form field", "filter", "file name"} {
		if reached[name] == 0 {
			t.Errorf("the %q channel reached no route: checked nothing", name)
		}
	}
	if after := tableCounts(t, e.db); !maps.Equal(before, after) {
		t.Errorf("the database changed:\nbefore %v\nafter  %v", before, after)
	}
	e.noErrors(t)
}
