package policy

import (
	"fmt"
	"testing"
	"time"
)

func doc(id string, k Kind, y, m, d int) Document {
	return Document{ID: id, Kind: k, Launched: day(y, m, d)}
}

func ids(docs []Document) string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return fmt.Sprint(out)
}

func TestInForce(t *testing.T) {
	docs := []Document{
		doc("vision-2019", Update, 2019, 11, 29),
		doc("politique-2017", Policy, 2017, 4, 11),
		doc("plan-2008", Update, 2008, 5, 1),
		doc("politique-2006", Policy, 2006, 5, 24),
		doc("precisions-2019", Update, 2019, 11, 29),
		doc("politique-2030", Policy, 2030, 1, 15),
		doc("jour-meme-2030", Update, 2030, 1, 15),
	}
	for _, tc := range []struct {
		on      Date
		policy  string // "" for none
		updates string
	}{
		{day(2000, 1, 1), "", "[]"},
		{day(2006, 5, 23), "", "[]"},
		{day(2006, 5, 24), "politique-2006", "[]"},
		{day(2010, 1, 1), "politique-2006", "[plan-2008]"},
		{day(2017, 4, 10), "politique-2006", "[plan-2008]"},
		{day(2017, 4, 11), "politique-2017", "[]"},
		{day(2019, 11, 28), "politique-2017", "[]"},
		{day(2019, 11, 29), "politique-2017", "[precisions-2019 vision-2019]"},
		{day(2026, 6, 1), "politique-2017", "[precisions-2019 vision-2019]"},
		// An update of the policy's own day goes with it, not with the
		// policy it replaces.
		{day(2030, 1, 15), "politique-2030", "[jour-meme-2030]"},
	} {
		p, ups := InForce(docs, tc.on)
		got := ""
		if p != nil {
			got = p.ID
		}
		if got != tc.policy || ids(ups) != tc.updates {
			t.Errorf("on %s: %q %s, want %q %s", tc.on, got, ids(ups), tc.policy, tc.updates)
		}
	}
	if p, ups := InForce(nil, day(2026, 1, 1)); p != nil || ups != nil {
		t.Errorf("no documents: %v %v", p, ups)
	}
	// Updates alone are in force with no policy.
	if p, ups := InForce(docs[:1], day(2026, 1, 1)); p != nil || ups != nil {
		t.Errorf("an update alone: %v %v", p, ups)
	}
}

// Two policies of one day: the order of the store decides, by ID.
func TestInForceSameDay(t *testing.T) {
	docs := []Document{doc("b", Policy, 2017, 4, 11), doc("a", Policy, 2017, 4, 11)}
	if p, _ := InForce(docs, day(2018, 1, 1)); p == nil || p.ID != "b" {
		t.Fatalf("in force %v, want b", p)
	}
}

func day(y, m, d int) Date { return Date{Year: y, Month: time.Month(m), Day: d} }
