package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"portail/internal/office"
	"portail/internal/policy"
)

// The stored form of a policy document is one JSON document, kept by
// both stores in one column (TEXT in SQLite, JSONB in PostgreSQL) beside
// the ID, the version and the update time, as an office's is (see
// officedoc.go): its thrusts, objectives and measures are always read
// whole. The shape carries a version so that a later one can still read
// the earlier ones.
//
// Bilingual texts are written for French and English and read back with
// both keys, "" where none was given; empty lists read back as nil; the
// launch date is "YYYY-MM-DD".

// policyDocVersion is the version of the shape that EncodePolicyDoc writes.
const policyDocVersion = 1

type policyDoc struct {
	V        int         `json:"v"`
	Kind     policy.Kind `json:"kind"`
	Title    textDoc     `json:"title"`
	Summary  textDoc     `json:"summary"`
	Launched string      `json:"launched"`
	FromYear int         `json:"from_year"`
	ToYear   int         `json:"to_year"`
	Budget   textDoc     `json:"budget"`
	URL      string      `json:"url"`
	Thrusts  []thrustDoc `json:"thrusts"`
}

type thrustDoc struct {
	ID         string         `json:"id"`
	Title      textDoc        `json:"title"`
	Text       textDoc        `json:"text"`
	Objectives []objectiveDoc `json:"objectives"`
}

type objectiveDoc struct {
	ID       string       `json:"id"`
	Text     textDoc      `json:"text"`
	Measures []measureDoc `json:"measures"`
}

type measureDoc struct {
	ID   string  `json:"id"`
	Text textDoc `json:"text"`
}

// EncodePolicyDoc returns the stored document of d: everything but its
// ID, version and update time, as canonical JSON (see EncodeOfficeDoc).
func EncodePolicyDoc(d policy.Document) ([]byte, error) {
	doc := policyDoc{
		V:        policyDocVersion,
		Kind:     d.Kind,
		Title:    toText(d.Title),
		Summary:  toText(d.Summary),
		Launched: d.Launched.String(),
		FromYear: d.FromYear,
		ToYear:   d.ToYear,
		Budget:   toText(d.Budget),
		URL:      d.URL,
		Thrusts:  make([]thrustDoc, len(d.Thrusts)),
	}
	for i, t := range d.Thrusts {
		td := thrustDoc{ID: t.ID, Title: toText(t.Title), Text: toText(t.Text), Objectives: make([]objectiveDoc, len(t.Objectives))}
		for j, o := range t.Objectives {
			od := objectiveDoc{ID: o.ID, Text: toText(o.Text), Measures: make([]measureDoc, len(o.Measures))}
			for k, m := range o.Measures {
				od.Measures[k] = measureDoc{ID: m.ID, Text: toText(m.Text)}
			}
			td.Objectives[j] = od
		}
		doc.Thrusts[i] = td
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("store: policy %q: %w", d.ID, err)
	}
	return CanonicalJSON(b)
}

// DecodePolicyDoc reads a document that EncodePolicyDoc wrote into d,
// leaving d's ID, version and update time as they are.
func DecodePolicyDoc(b []byte, d *policy.Document) error {
	var doc policyDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("store: policy %q: %w", d.ID, err)
	}
	if doc.V != policyDocVersion {
		return fmt.Errorf("store: policy %q: document version %d, want %d", d.ID, doc.V, policyDocVersion)
	}
	launched, ok := office.ParseDate(doc.Launched)
	if !ok {
		return fmt.Errorf("store: policy %q: bad launch date %q", d.ID, doc.Launched)
	}
	out := policy.Document{
		ID:       d.ID,
		Version:  d.Version,
		Updated:  d.Updated,
		Kind:     doc.Kind,
		Title:    doc.Title.bilingual(),
		Summary:  doc.Summary.bilingual(),
		Launched: launched,
		FromYear: doc.FromYear,
		ToYear:   doc.ToYear,
		Budget:   doc.Budget.bilingual(),
		URL:      doc.URL,
	}
	for _, td := range doc.Thrusts {
		t := policy.Thrust{ID: td.ID, Title: td.Title.bilingual(), Text: td.Text.bilingual()}
		for _, od := range td.Objectives {
			o := policy.Objective{ID: od.ID, Text: od.Text.bilingual()}
			for _, md := range od.Measures {
				o.Measures = append(o.Measures, policy.Measure{ID: md.ID, Text: md.Text.bilingual()})
			}
			t.Objectives = append(t.Objectives, o)
		}
		out.Thrusts = append(out.Thrusts, t)
	}
	*d = out
	return nil
}

// SortPolicies puts docs in the order of Policies.Policies: by launch
// date, then ID. The launch date lives in the document, not in a column
// of its own, so the stores sort what they read.
func SortPolicies(docs []policy.Document) { slices.SortFunc(docs, policy.Compare) }
