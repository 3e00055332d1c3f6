package orgchart

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fuzzSeeds are files of both formats, good and bad, for either target.
func fuzzSeeds(f *testing.F, format Format) {
	for _, fm := range formats {
		if fm.name == format {
			f.Add(mustWrite(f, fm, Defaults()))
			f.Add(mustWrite(f, fm, chartOf(everyField())))
		}
	}
	if format == CSV {
		good := rows()
		f.Add([]byte(csvOf(CSVColumns(), good...)))
		cycle := append(rows(), row("a", "b", "2025-01-01", ""))
		cycle[1]["valid_to"] = "2025-01-01"
		f.Add([]byte(csvOf(CSVColumns(), cycle...)))
		f.Add([]byte(csvOf(CSVColumns(), append(rows(), row("rival", "", "2010-01-01", "2011-01-01"))...)))
		f.Add([]byte(csvOf(CSVColumns(), append(rows(), row("b", "a", "2020-01-01", ""))...)))
		f.Add([]byte("\uFEFFid;parent_id;kind;name_fr;valid_from;order;sample\r\ntop;;team;T;2000-01-01;3;true\r\n\r\n"))
		f.Add([]byte("id,parent_id,kind,name_fr,valid_from\ntop,,team,\"a\"\"b\",2000-02-29\n"))
		return
	}
	f.Add([]byte(`{"units": [{"id": "top", "periods": [{"valid_from": "2000-01-01", "kind": "team", "name": {"fr": "T"}}]}]}`))
	f.Add([]byte(`{"units": [{"id": "a", "periods": [{"valid_from": "2000-01-01", "parent_id": "a", "kind": "x", "order": 1.5}]}, 3]}`))
}

// roundTrip checks what a read gave without error: the chart passes
// Check, and writing it in either format and reading it back gives it
// again.
func roundTrip(t *testing.T, units []Unit) {
	if err := Check(units); err != nil {
		t.Fatalf("read a chart that Check refuses: %v", err)
	}
	for _, f := range formats {
		var b bytes.Buffer
		if err := f.write(&b, units); err != nil {
			t.Fatalf("%s: cannot write what was read: %v", f.name, err)
		}
		back, err := f.read(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatalf("%s: cannot read what was written: %v\n%s", f.name, err, b.String())
		}
		if !reflect.DeepEqual(back, units) {
			t.Fatalf("%s: came back as\n%#v\nnot\n%#v", f.name, back, units)
		}
	}
}

// checkRefusal checks an error: a *FileError with at most MaxProblems,
// each with a message, and with a key unless the file's syntax is the
// problem.
func checkRefusal(t *testing.T, err error) {
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FileError", err, err)
	}
	if len(fe.Problems) == 0 || len(fe.Problems) > MaxProblems {
		t.Fatalf("%d problems", len(fe.Problems))
	}
	for _, p := range fe.Problems {
		if p.Message == "" || !strings.HasPrefix(p.Key, "form.") || strings.HasPrefix(p.Message, "is not valid (") {
			t.Fatalf("problem %+v", p)
		}
	}
	_ = fe.Error()
}

func FuzzReadCSV(f *testing.F) {
	fuzzSeeds(f, CSV)
	f.Fuzz(func(t *testing.T, data []byte) {
		units, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			checkRefusal(t, err)
			return
		}
		roundTrip(t, units)
	})
}

func FuzzReadJSON(f *testing.F) {
	fuzzSeeds(f, JSON)
	f.Fuzz(func(t *testing.T, data []byte) {
		units, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			checkRefusal(t, err)
			return
		}
		roundTrip(t, units)
	})
}
