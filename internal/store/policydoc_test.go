package store

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"portail/internal/policy"
)

// docPolicy has every field of a document set.
func docPolicy() policy.Document {
	return policy.Document{
		ID:       "politique-2017",
		Kind:     policy.Policy,
		Title:    bi("Titre", "Title"),
		Summary:  bi("Résumé", ""),
		Launched: policy.Date{Year: 2017, Month: 4, Day: 11},
		FromYear: 2017,
		ToYear:   2027,
		Budget:   bi("100 M$", "$100M"),
		URL:      "https://example.org/?a=<b>",
		Thrusts: []policy.Thrust{
			{ID: "a", Title: bi("A", "A"), Text: bi("", ""), Objectives: []policy.Objective{
				{ID: "o", Text: bi("O", "O"), Measures: []policy.Measure{{ID: "m", Text: bi("M", "M")}}},
				{ID: "p", Text: bi("P", "P")},
			}},
			{ID: "b", Title: bi("B", "B"), Text: bi("T", "T")},
		},
		Version: 4,
		Updated: time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC),
	}
}

// The stored form is a contract with the databases that hold it: a change
// of it must be a new document version, not an accident.
const policyGolden = `{"budget":{"en":"$100M","fr":"100 M$"},"from_year":2017,"kind":"policy",` +
	`"launched":"2017-04-11","summary":{"en":"","fr":"Résumé"},` +
	`"thrusts":[{"id":"a","objectives":[{"id":"o","measures":[{"id":"m","text":{"en":"M","fr":"M"}}],"text":{"en":"O","fr":"O"}},` +
	`{"id":"p","measures":[],"text":{"en":"P","fr":"P"}}],"text":{"en":"","fr":""},"title":{"en":"A","fr":"A"}},` +
	`{"id":"b","objectives":[],"text":{"en":"T","fr":"T"},"title":{"en":"B","fr":"B"}}],` +
	`"title":{"en":"Title","fr":"Titre"},"to_year":2027,"url":"https://example.org/?a=\u003cb\u003e","v":1}`

func TestPolicyDocIsStable(t *testing.T) {
	d := docPolicy()
	b, err := EncodePolicyDoc(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != policyGolden {
		t.Fatalf("document\n%s\nwant\n%s", b, policyGolden)
	}
	got := policy.Document{ID: d.ID, Version: d.Version, Updated: d.Updated}
	if err := DecodePolicyDoc(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("read back\n%#v\nwant\n%#v", got, d)
	}
}

func TestPolicyDocRefusesOtherVersions(t *testing.T) {
	for _, doc := range []string{
		strings.Replace(policyGolden, `"v":1`, `"v":2`, 1),
		strings.Replace(policyGolden, `"launched":"2017-04-11"`, `"launched":"11/04/2017"`, 1),
		`{"v":1`,
	} {
		var d policy.Document
		if err := DecodePolicyDoc([]byte(doc), &d); err == nil {
			t.Errorf("read %.40s… without error", doc)
		}
	}
}

func TestSortPolicies(t *testing.T) {
	at := func(id string, y int) policy.Document {
		return policy.Document{ID: id, Launched: policy.Date{Year: y, Month: 1, Day: 1}}
	}
	docs := []policy.Document{at("c", 2019), at("b", 2017), at("a", 2019), at("z", 2006)}
	SortPolicies(docs)
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, " ") != "z b a c" {
		t.Fatalf("sorted %v", ids)
	}
}
