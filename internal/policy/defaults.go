package policy

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"portail/internal/lang"
	"portail/internal/office"
)

// defaultsJSON is the international policy as FACTS.md §6 describes it:
//
//   - "Le Québec dans le monde : s’investir, agir, prospérer", launched
//     on 2017-04-11 for 2017–2027 with $100 million over five years, and
//     its three thrusts, in the department's words (the English ones are
//     those of its site).
//   - The 2019 "Vision internationale du Québec", launched on 2019-11-29,
//     an update: its three foundations and five priorities are its
//     thrusts, numbered in their titles since the page does not tell
//     them apart otherwise.
//
// The objectives are the themes the department's synthesis names
// (mobility and youth, trade relations, responsible prosperity) and the
// areas its announcement lists (climate diplomacy, solidarity, human
// rights, security, culture and science); the measures are the ones those
// sources name, in our words. Which objective holds which measure is our
// grouping, not the document's own numbering: check it against the full
// document before relying on it. The sources give no figure beyond the
// budget and the dates, and none is added. The full document's address
// is the English one, the only one the sources give; the 2019 vision has
// none (only a non-official copy is found).
//
//go:embed defaults.json
var defaultsJSON []byte

// Defaults returns the default documents: the 2017 policy and the 2019
// update (see defaultsJSON). Each call returns new slices and maps.
func Defaults() []Document {
	docs, err := readJSON(defaultsJSON)
	if err != nil {
		// defaults_test.go reads the same file: this cannot happen in
		// a binary whose tests passed.
		panic("policy: defaults.json: " + err.Error())
	}
	return docs
}

// The defaults' file: {"documents": [ … ]}, each document with the
// fields of Document (snake_case), dates as "YYYY-MM-DD", bilingual
// texts as {"fr": …, "en": …}.
type fileDefaults struct {
	Documents []fileDocument `json:"documents"`
}

type fileDocument struct {
	ID       string       `json:"id"`
	Kind     Kind         `json:"kind"`
	Title    fileText     `json:"title"`
	Summary  fileText     `json:"summary"`
	Launched string       `json:"launched"`
	FromYear int          `json:"from_year"`
	ToYear   int          `json:"to_year"`
	Budget   fileText     `json:"budget"`
	URL      string       `json:"url"`
	Thrusts  []fileThrust `json:"thrusts"`
}

type fileThrust struct {
	ID         string          `json:"id"`
	Title      fileText        `json:"title"`
	Text       fileText        `json:"text"`
	Objectives []fileObjective `json:"objectives"`
}

type fileObjective struct {
	ID       string        `json:"id"`
	Text     fileText      `json:"text"`
	Measures []fileMeasure `json:"measures"`
}

type fileMeasure struct {
	ID   string   `json:"id"`
	Text fileText `json:"text"`
}

type fileText struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

func (t fileText) text() Text { return Text{lang.FR: t.FR, lang.EN: t.EN} }

// readJSON reads a defaults file strictly (a misspelt field is an error,
// not a silently empty one), validates each document and refuses an ID
// given twice.
func readJSON(b []byte) ([]Document, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f fileDefaults
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	docs := make([]Document, len(f.Documents))
	seen := map[string]bool{}
	for i, fd := range f.Documents {
		if seen[fd.ID] {
			return nil, fmt.Errorf("document %d: ID %q given twice", i, fd.ID)
		}
		seen[fd.ID] = true
		launched, ok := office.ParseDate(fd.Launched)
		if !ok {
			return nil, fmt.Errorf("document %d: bad launch date %q", i, fd.Launched)
		}
		d := Document{ID: fd.ID, Kind: fd.Kind, Title: fd.Title.text(), Summary: fd.Summary.text(), Launched: launched,
			FromYear: fd.FromYear, ToYear: fd.ToYear, Budget: fd.Budget.text(), URL: fd.URL}
		for _, ft := range fd.Thrusts {
			t := Thrust{ID: ft.ID, Title: ft.Title.text(), Text: ft.Text.text()}
			for _, fo := range ft.Objectives {
				o := Objective{ID: fo.ID, Text: fo.Text.text()}
				for _, fm := range fo.Measures {
					o.Measures = append(o.Measures, Measure{ID: fm.ID, Text: fm.Text.text()})
				}
				t.Objectives = append(t.Objectives, o)
			}
			d.Thrusts = append(d.Thrusts, t)
		}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("document %d %q: %w", i, d.ID, err)
		}
		docs[i] = d
	}
	return docs, nil
}
