package office

// TEMPORARY: a stand-in for the offices file reader and writers (Read,
// WriteJSON, WriteCSV, FileError, Problem) that are being written on
// their own branch, so that the staff area's import and export build
// meanwhile. Delete this file when that branch is merged: its
// declarations then clash with the real ones.
//
// It reads and writes only the JSON file's main fields, checks nothing
// but the JSON syntax and the dates, and writes a CSV of the slugs and
// names.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"portail/internal/lang"
)

// Problem is one thing wrong in an offices file.
type Problem struct {
	Row         int // the office's position in the file, from 1; 0 for the whole file
	Slug, Field string
	Message     string
}

// FileError is an offices file refused, with every problem found.
type FileError struct {
	Problems []Problem
}

func (e *FileError) Error() string {
	return fmt.Sprintf("office: the file has %d problems", len(e.Problems))
}

type stubFile struct {
	Offices []stubOffice `json:"offices"`
}

type stubText struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

type stubOffice struct {
	Slug      string              `json:"slug"`
	Type      string              `json:"type"`
	Opened    string              `json:"opened,omitempty"`
	Closed    string              `json:"closed,omitempty"`
	Name      stubText            `json:"name"`
	City      stubText            `json:"city"`
	Country   string              `json:"country"`
	Region    string              `json:"region"`
	Address   string              `json:"address,omitempty"`
	Latitude  float64             `json:"latitude"`
	Longitude float64             `json:"longitude"`
	TimeZone  string              `json:"timezone"`
	Phone     string              `json:"phone,omitempty"`
	Email     string              `json:"email,omitempty"`
	Website   string              `json:"website,omitempty"`
	Hours     string              `json:"hours,omitempty"`
	Closures  string              `json:"closures,omitempty"`
	Covers    []string            `json:"covers,omitempty"`
	Services  map[string]stubText `json:"services,omitempty"`
	Sample    bool                `json:"sample,omitempty"`
}

func (t stubText) langs() map[lang.Lang]string {
	return map[lang.Lang]string{lang.FR: t.FR, lang.EN: t.EN}
}

// Read reads a JSON offices file (the stand-in reads no CSV).
func Read(name string, r io.Reader) ([]Office, error) {
	if strings.ToLower(path.Ext(name)) != ".json" {
		return nil, &FileError{Problems: []Problem{{Message: fmt.Sprintf("%q: only .json files can be read for now", name)}}}
	}
	var f stubFile
	if err := json.NewDecoder(io.LimitReader(r, 4<<20)).Decode(&f); err != nil {
		return nil, &FileError{Problems: []Problem{{Message: "not a JSON offices file: " + err.Error()}}}
	}
	var out []Office
	var probs []Problem
	for i, s := range f.Offices {
		o := Office{Slug: s.Slug, Type: Type(s.Type), Name: s.Name.langs(), City: s.City.langs(), Country: s.Country,
			Region: Region(s.Region), Address: s.Address, Latitude: s.Latitude, Longitude: s.Longitude, TimeZone: s.TimeZone,
			Phone: s.Phone, Email: s.Email, Website: s.Website, Covers: s.Covers, Sample: s.Sample}
		var ok1, ok2 bool
		o.Opened, ok1 = ParseDate(s.Opened)
		o.Closed, ok2 = ParseDate(s.Closed)
		var err1, err2 error
		o.Hours, err1 = ParseWeek(s.Hours)
		o.Closures, err2 = ParseClosures(s.Closures)
		if !ok1 || !ok2 || err1 != nil || err2 != nil {
			probs = append(probs, Problem{Row: i + 1, Slug: s.Slug, Message: "bad dates, hours or closures"})
		}
		for c, t := range s.Services {
			if o.Services == nil {
				o.Services = map[Clientele]map[lang.Lang]string{}
			}
			o.Services[Clientele(c)] = t.langs()
		}
		out = append(out, o)
	}
	if len(probs) > 0 {
		return nil, &FileError{Problems: probs}
	}
	return out, nil
}

// WriteJSON writes offs as a JSON offices file.
func WriteJSON(w io.Writer, offs []Office) error {
	f := stubFile{Offices: []stubOffice{}}
	for _, o := range offs {
		s := stubOffice{Slug: o.Slug, Type: string(o.Type), Opened: o.Opened.String(), Closed: o.Closed.String(),
			Name: stubText{o.Name[lang.FR], o.Name[lang.EN]}, City: stubText{o.City[lang.FR], o.City[lang.EN]},
			Country: o.Country, Region: string(o.Region), Address: o.Address, Latitude: o.Latitude, Longitude: o.Longitude,
			TimeZone: o.TimeZone, Phone: o.Phone, Email: o.Email, Website: o.Website, Hours: o.Hours.String(),
			Closures: FormatClosures(o.Closures), Covers: o.Covers, Sample: o.Sample}
		for c, t := range o.Services {
			if s.Services == nil {
				s.Services = map[string]stubText{}
			}
			s.Services[string(c)] = stubText{t[lang.FR], t[lang.EN]}
		}
		f.Offices = append(f.Offices, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// WriteCSV writes the slugs and names of offs as CSV.
func WriteCSV(w io.Writer, offs []Office) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"slug", "name_fr", "name_en"})
	for _, o := range offs {
		cw.Write([]string{o.Slug, o.Name[lang.FR], o.Name[lang.EN]})
	}
	cw.Flush()
	return cw.Error()
}
