package i18n

import (
	"sort"
	"strings"
	"testing"
	"time"

	"portail/internal/lang"
)

// Every key must exist in every language, with a non-empty value, and the
// same number of format verbs.
func TestCatalogsMatch(t *testing.T) {
	cs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := cs[lang.FR], cs[lang.EN]
	for _, pair := range [][2]*Catalog{{fr, en}, {en, fr}} {
		keys := pair[0].Keys()
		sort.Strings(keys)
		for _, k := range keys {
			if !pair[1].Has(k) {
				t.Errorf("key %q is in %s but not in %s", k, pair[0].Lang, pair[1].Lang)
				continue
			}
			a, b := pair[0].msgs[k], pair[1].msgs[k]
			if strings.TrimSpace(a) == "" {
				t.Errorf("%s: key %q is empty", pair[0].Lang, k)
			}
			if strings.Count(a, "%") != strings.Count(b, "%") {
				t.Errorf("key %q: format verbs differ between %q and %q", k, a, b)
			}
		}
	}
}

func TestT(t *testing.T) {
	cs := MustLoad()
	if got := cs[lang.FR].T("footer.last_update", "2026-01-02 03:04"); got != "Dernière mise à jour : 2026-01-02 03:04" {
		t.Fatalf("T = %q", got)
	}
	if got := cs[lang.EN].T("no.such.key"); got != "no.such.key" {
		t.Fatalf("missing key gives %q", got)
	}
}

func TestDateTimeIsMontreal(t *testing.T) {
	// 2026-07-01 16:00 UTC is noon in Montréal (EDT, UTC-4); in January EST is UTC-5.
	if got := DateTime(time.Date(2026, 7, 1, 16, 0, 0, 0, time.UTC)); got != "2026-07-01 12:00" {
		t.Fatalf("summer: %s", got)
	}
	if got := DateTime(time.Date(2026, 1, 15, 16, 0, 0, 0, time.UTC)); got != "2026-01-15 11:00" {
		t.Fatalf("winter: %s", got)
	}
}

func TestSize(t *testing.T) {
	cs := MustLoad()
	for _, tc := range []struct {
		n      int64
		fr, en string
	}{
		{0, "0\u00a0octets", "0\u00a0bytes"},
		{850, "850\u00a0octets", "850\u00a0bytes"}, // not "0,8 Ko", nor a bare "o"
		{1536, "1,5\u00a0Ko", "1.5\u00a0KB"},
		{120 << 10, "120\u00a0Ko", "120\u00a0KB"},
		{(3 << 20) + (1 << 19), "3,5\u00a0Mo", "3.5\u00a0MB"},
		{20 << 20, "20\u00a0Mo", "20\u00a0MB"},
	} {
		if got := cs[lang.FR].Size(tc.n); got != tc.fr {
			t.Errorf("fr Size(%d) = %q, want %q", tc.n, got, tc.fr)
		}
		if got := cs[lang.EN].Size(tc.n); got != tc.en {
			t.Errorf("en Size(%d) = %q, want %q", tc.n, got, tc.en)
		}
	}
}

// On the staff side "révision" meant a version, a review and a re-check
// date at once: a version is a "version", sending for review is an
// "approbation", and the periodic check a "relecture".
func TestStaffWordsUnambiguous(t *testing.T) {
	cats := MustLoad()
	staff := func(k string) bool {
		for _, p := range []string{"admin.", "workflow.", "role.", "audit.", "form."} {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
		return false
	}
	for _, k := range cats[lang.FR].Keys() {
		if v := strings.ToLower(cats[lang.FR].T(k)); staff(k) && strings.Contains(v, "révision") {
			t.Errorf("fr %s uses “révision”: %q", k, v)
		}
	}
	for _, k := range cats[lang.EN].Keys() {
		if v := strings.ToLower(cats[lang.EN].T(k)); staff(k) && strings.Contains(v, "revision") {
			t.Errorf("en %s uses “revision”: %q", k, v)
		}
	}
}
