package store

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/lang"
	"portail/internal/office"
)

func bi(fr, en string) map[lang.Lang]string { return map[lang.Lang]string{lang.FR: fr, lang.EN: en} }

// docOffice has every field of an office set.
func docOffice() office.Office {
	return office.Office{
		Slug:      "tokyo",
		Type:      office.Bureau,
		Changes:   []office.TypeChange{{On: office.Date{Year: 2024, Month: 6, Day: 1}, Type: office.Delegation}},
		Opened:    office.Date{Year: 1973, Month: 5, Day: 3},
		Name:      bi("Délégation", "Delegation"),
		City:      bi("Tokyo", "Tokyo"),
		Country:   "JP",
		Region:    office.AsiaPacific,
		Address:   "1\n2",
		Latitude:  35.6762,
		Longitude: -0.5,
		TimeZone:  "Asia/Tokyo",
		Phone:     "+81",
		Email:     "t@example.org",
		Website:   "https://example.org/?a=<b>",
		Head:      office.Head{Name: "A", Title: bi("Déléguée", "Delegate")},
		Hours:     office.Week{time.Monday: {{Open: 540, Close: 720}, {Open: 780, Close: 1020}}},
		Closures:  []office.Closure{{From: office.Date{Year: 2026, Month: 12, Day: 24}, To: office.Date{Year: 2027, Month: 1, Day: 2}, Holiday: true, Reason: bi("Fêtes", "")}},
		Covers:    []string{"KR"},
		Services:  map[office.Clientele]map[lang.Lang]string{office.Culture: bi("Arts", "Arts")},
		Sample:    true,
		Version:   4,
		Updated:   time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC),
	}
}

// The stored form is a contract with the databases that hold it: a change
// of it must be a new document version, not an accident.
const docGolden = `{"address":"1\n2","changes":[{"on":"2024-06-01","type":"delegation"}],` +
	`"city":{"en":"Tokyo","fr":"Tokyo"},"closed":"",` +
	`"closures":[{"from":"2026-12-24","holiday":true,"reason":{"en":"","fr":"Fêtes"},"to":"2027-01-02"}],` +
	`"country":"JP","covers":["KR"],"email":"t@example.org",` +
	`"head":{"name":"A","title":{"en":"Delegate","fr":"Déléguée"}},` +
	`"hours":[[],[[540,720],[780,1020]],[],[],[],[],[]],` +
	`"latitude":35.6762,"longitude":-0.5,"name":{"en":"Delegation","fr":"Délégation"},` +
	`"opened":"1973-05-03","phone":"+81","region":"asia-pacific","sample":true,` +
	`"services":{"culture":{"en":"Arts","fr":"Arts"}},"time_zone":"Asia/Tokyo","type":"bureau",` +
	`"v":1,"website":"https://example.org/?a=\u003cb\u003e"}`

func TestOfficeDocIsStable(t *testing.T) {
	o := docOffice()
	b, err := EncodeOfficeDoc(o)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != docGolden {
		t.Fatalf("document\n%s\nwant\n%s", b, docGolden)
	}
	got := office.Office{Slug: o.Slug, Version: o.Version, Updated: o.Updated}
	if err := DecodeOfficeDoc(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Fatalf("read back\n%#v\nwant\n%#v", got, o)
	}
}

// PostgreSQL's jsonb gives the document back with its own spacing, key
// order and escapes; its canonical form is the one the store wrote.
func TestCanonicalJSONUndoesJSONB(t *testing.T) {
	b, err := EncodeOfficeDoc(docOffice())
	if err != nil {
		t.Fatal(err)
	}
	jsonb := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `,"`, `, "`, `":`, `": `).Replace(string(b))
	c, err := CanonicalJSON([]byte(jsonb))
	if err != nil {
		t.Fatal(err)
	}
	if string(c) != string(b) {
		t.Fatalf("canonical form\n%s\nwant\n%s", c, b)
	}
	// -0 would come back as 0.
	o := docOffice()
	o.Latitude = math.Copysign(0, -1)
	if b, _ := EncodeOfficeDoc(o); strings.Contains(string(b), `"latitude":-0`) {
		t.Fatalf("document keeps -0: %s", b)
	}
}

func TestDecodeOfficeDocRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"later version": strings.Replace(docGolden, `"v":1`, `"v":2`, 1),
		"no version":    `{"type":"bureau"}`,
		"bad date":      strings.Replace(docGolden, `"1973-05-03"`, `"1973-13-03"`, 1),
		"not JSON":      `{"v":1,`,
	} {
		var o office.Office
		if err := DecodeOfficeDoc([]byte(doc), &o); err == nil {
			t.Errorf("%s: decoded %+v", name, o)
		}
	}
}
