package office

import (
	"bytes"
	"errors"
	"portail/internal/lang"
	"reflect"
	"testing"
)

// fuzzSeeds are files of both formats, good and bad, for either target.
func fuzzSeeds(f *testing.F, format Format) {
	var b bytes.Buffer
	write := WriteCSV
	if format == JSON {
		write = WriteJSON
	}
	if err := write(&b, append(Defaults()[:3], everyField())); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	for _, tc := range badRows() {
		o := everyField()
		var data []byte
		switch {
		case format == CSV && tc.csv != nil:
			c := cellsOf(o)
			tc.csv(c)
			data = csvFile(f, CSVColumns(), c)
		case format == JSON && tc.json != nil:
			m := jsonObjectOf(f, o)
			tc.json(m)
			data = jsonDoc(f, m)
		default:
			continue
		}
		if len(data) < 4000 {
			f.Add(data)
		}
	}
	f.Add([]byte("\uFEFFslug;type;name_fr;name_en;city_fr;city_en;country;region;latitude;longitude;timezone\r\n" +
		"a;bureau;A;A;B;B;FR;europe;1;2;Europe/Paris\r\n"))
	f.Add([]byte(`{"offices": [{"slug": "a", "type": "bureau", "name": {"fr": "A", "en": "A"}, "city": {"fr": "B", "en": "B"},` +
		` "country": "FR", "region": "europe", "latitude": 1, "longitude": 2, "timezone": "Europe/Paris",` +
		` "hours": "mon-fri 09:00-17:00", "closures": "2026-12-25 holiday | x | y"}]}`))
}

// roundTrip checks what a read gave without error: every office
// validates, and writing them in either format and reading them back
// gives them again.
func roundTrip(t *testing.T, offs []Office) {
	for _, o := range offs {
		if err := o.Validate(); err != nil {
			t.Fatalf("read an office that does not validate: %v\n%#v", err, o)
		}
	}
	for _, f := range formats {
		var b bytes.Buffer
		if err := f.write(&b, offs); err != nil {
			t.Fatalf("%s: cannot write what was read: %v", f.name, err)
		}
		back, err := f.read(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatalf("%s: cannot read what was written: %v\n%s", f.name, err, b.String())
		}
		if !reflect.DeepEqual(back, offs) {
			t.Fatalf("%s: came back as\n%#v\nnot\n%#v", f.name, back, offs)
		}
	}
}

// checkRefusal checks an error: a *FileError with at most MaxProblems.
func checkRefusal(t *testing.T, err error) {
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FileError", err, err)
	}
	if len(fe.Problems) == 0 || len(fe.Problems) > MaxProblems {
		t.Fatalf("%d problems", len(fe.Problems))
	}
	_ = fe.Error()
}

func FuzzReadCSV(f *testing.F) {
	fuzzSeeds(f, CSV)
	f.Fuzz(func(t *testing.T, data []byte) {
		offs, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			checkRefusal(t, err)
			return
		}
		roundTrip(t, offs)
	})
}

func FuzzReadJSON(f *testing.F) {
	fuzzSeeds(f, JSON)
	f.Fuzz(func(t *testing.T, data []byte) {
		offs, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			checkRefusal(t, err)
			return
		}
		roundTrip(t, offs)
	})
}

// FuzzWriteRead puts any text and coordinates in an office: whatever
// Validate and Write accept, Read gives back as Write wrote it, its
// texts trimmed and with "\n" line ends.
func FuzzWriteRead(f *testing.F) {
	for _, s := range []string{"a \"b\", c; d | e\n f", " x ", "\r\n", "é\u00a0", "\"", "line\r\nline\rline", "=1+2", "|", "a|b"} {
		f.Add(s, 45.5, -73.5)
	}
	f.Fuzz(func(t *testing.T, text string, lat, long float64) {
		set := func(o *Office, s func(string) string) {
			o.Name[lang.EN] = s(text)
			o.City[lang.FR] = s(text)
			o.Address = s(text)
			o.Phone = s(text)
			o.Head.Name = s(text)
			o.Head.Title[lang.EN] = s(text)
			o.Closures[0].Reason[lang.EN] = s(text)
			o.Services[Culture][lang.FR] = s(text)
			o.Latitude, o.Longitude = lat, long
		}
		o, want := everyField(), everyField()
		set(&o, func(s string) string { return s })
		set(&want, clean)
		if writable(&o) != nil || want.Validate() != nil {
			return
		}
		for _, format := range formats {
			var b bytes.Buffer
			if err := format.write(&b, []Office{o}); err != nil {
				t.Fatalf("%s: %v", format.name, err)
			}
			got, err := format.read(&b)
			if err != nil {
				t.Fatalf("%s: %v", format.name, err)
			}
			if !reflect.DeepEqual(got[0], want) {
				t.Fatalf("%s: got\n%#v\nwant\n%#v", format.name, got[0], want)
			}
		}
	})
}
