package admintest

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/url"
	"reflect"
	"testing"
)

const page = `<!DOCTYPE html><title>t</title>
<form method="get" action="/admin/audit"><input name="actor" value="a&amp;b"><button>Filtrer</button></form>
<form method="POST" action="/admin/pages/x">
<input type="hidden" name="back" value="/admin/">
<input name="t" type="text" value="Titre">
<textarea name="body">
Ligne 1
Ligne 2</textarea>
<input type="checkbox" name="major" value="1">
<input type="checkbox" name="on" checked>
<input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
<select name="s"><option value="x">X</option><option selected>  Y  </option></select>
<select name="first"><option value="p">P</option><option value="q">Q</option></select>
<input name="off" disabled value="no">
<input type="password" name="password">
<button type="submit" name="action" value="save">Enregistrer</button>
</form>
<form method="post" action="/admin/media" enctype="multipart/form-data"><input type="file" name="file"></form>`

func TestForms(t *testing.T) {
	fs := Forms(page)
	if len(fs) != 3 {
		t.Fatalf("%d forms, want 3", len(fs))
	}
	if f := fs[0]; f.Action != "/admin/audit" || f.Method != "get" || !reflect.DeepEqual(f.Values(), url.Values{"actor": {"a&b"}}) {
		t.Errorf("filter form: %+v, values %v", f, f.Values())
	}
	f := fs[1]
	want := url.Values{
		"back": {"/admin/"}, "t": {"Titre"}, "body": {"Ligne 1\nLigne 2"}, "on": {"on"}, "r": {"b"},
		"s": {"Y"}, "first": {"p"}, "password": {""},
	}
	if f.Method != "post" || f.Enctype != "application/x-www-form-urlencoded" || !reflect.DeepEqual(f.Values(), want) {
		t.Errorf("editor form: %s %s, values %v, want %v", f.Method, f.Enctype, f.Values(), want)
	}
	var shows []string
	for _, fl := range f.Fields {
		if fl.ShowsText() {
			shows = append(shows, fl.Name)
		}
	}
	if !reflect.DeepEqual(shows, []string{"t", "body"}) {
		t.Errorf("fields that show text: %v, want [t body]", shows)
	}

	// A file name with a quote and a line break is escaped as browsers do.
	up := fs[2]
	body, ctype := up.Encode(url.Values{"x": {"1"}}, map[string]File{"file": {Name: "a\"b\r\n.png", Type: "image/png", Data: []byte("PNG")}})
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil || up.Enctype != "multipart/form-data" {
		t.Fatalf("Content-Type %q: %v", ctype, err)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	form, err := mr.ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	fh := form.File["file"]
	if len(fh) != 1 || fh[0].Filename != "a%22b%0D%0A.png" || fh[0].Header.Get("Content-Type") != "image/png" || form.Value["x"][0] != "1" {
		t.Errorf("multipart body: files %+v, values %v", fh, form.Value)
	}
}
