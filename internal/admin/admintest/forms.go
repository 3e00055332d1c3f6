package admintest

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Form is an HTML form of a page, so that a test can submit it as a
// browser would: with the values the page shows, and what the test types.
type Form struct {
	Action  string // the action attribute, as written
	Method  string // "get" or "post"
	Enctype string // "application/x-www-form-urlencoded" or "multipart/form-data"
	Fields  []FormField
}

// FormField is one named control of a form, buttons left out.
type FormField struct {
	Name    string
	Type    string // the input's type ("text", "email", "hidden", "file", …), "textarea" or "select"
	Value   string // what a browser sends as the page shows it
	Checked bool   // for checkboxes and radio buttons: sent only when checked
}

// ShowsText reports whether the field is one a person types into and a
// page shows back as it was typed: a text-like input or a textarea, not a
// password, hidden, file, checkbox, radio or select control.
func (f FormField) ShowsText() bool {
	switch f.Type {
	case "text", "email", "search", "url", "tel", "number", "date", "datetime-local", "month", "week", "time", "textarea":
		return true
	}
	return false
}

// Forms returns the forms of an HTML page in document order. Controls
// associated with a form by a form attribute are not seen.
func Forms(page string) []Form {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil
	}
	var out []Form
	var cur *Form
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				if cur == nil {
					out = append(out, Form{
						Action:  attr(n, "action"),
						Method:  lowerOr(attr(n, "method"), "get"),
						Enctype: lowerOr(attr(n, "enctype"), "application/x-www-form-urlencoded"),
					})
					cur = &out[len(out)-1]
					defer func() { cur = nil }()
				}
			case "input":
				typ := lowerOr(attr(n, "type"), "text")
				if cur != nil && attr(n, "name") != "" && !has(n, "disabled") {
					switch typ {
					case "submit", "button", "reset", "image":
					case "checkbox", "radio":
						cur.Fields = append(cur.Fields, FormField{Name: attr(n, "name"), Type: typ, Value: valueOr(n, "on"), Checked: has(n, "checked")})
					default:
						cur.Fields = append(cur.Fields, FormField{Name: attr(n, "name"), Type: typ, Value: attr(n, "value")})
					}
				}
			case "textarea":
				if cur != nil && attr(n, "name") != "" && !has(n, "disabled") {
					cur.Fields = append(cur.Fields, FormField{Name: attr(n, "name"), Type: "textarea", Value: text(n)})
				}
			case "select":
				if cur != nil && attr(n, "name") != "" && !has(n, "disabled") {
					cur.Fields = append(cur.Fields, FormField{Name: attr(n, "name"), Type: "select", Value: selected(n)})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// Values returns what a browser sends for f as the page shows it,
// submitted without a submit button (as form.submit() does): file inputs
// are left out, and checkboxes and radio buttons only when checked.
func (f Form) Values() url.Values {
	v := url.Values{}
	for _, fl := range f.Fields {
		switch {
		case fl.Type == "file":
		case fl.Type == "checkbox" || fl.Type == "radio":
			if fl.Checked {
				v.Add(fl.Name, fl.Value)
			}
		default:
			v.Add(fl.Name, fl.Value)
		}
	}
	return v
}

// File is a file chosen in a form's file input.
type File struct {
	Name, Type string
	Data       []byte
}

// Encode returns the body and the Content-Type of a submission of f with
// values and files (by input name), encoded as f's enctype says. A file
// input without a file is sent empty, as browsers do; file names are
// escaped as browsers escape them (" CR LF as %22 %0D %0A).
func (f Form) Encode(values url.Values, files map[string]File) (body []byte, contentType string) {
	if f.Enctype != "multipart/form-data" {
		return []byte(values.Encode()), "application/x-www-form-urlencoded"
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, vs := range values {
		for _, v := range vs {
			mw.WriteField(name, v)
		}
	}
	for _, fl := range f.Fields {
		if fl.Type != "file" {
			continue
		}
		file, ok := files[fl.Name]
		if !ok {
			file.Type = "application/octet-stream"
		}
		esc := strings.NewReplacer(`"`, "%22", "\r", "%0D", "\n", "%0A")
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, esc.Replace(fl.Name), esc.Replace(file.Name)))
		h.Set("Content-Type", file.Type)
		w, _ := mw.CreatePart(h) // cannot fail on a bytes.Buffer
		w.Write(file.Data)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func has(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

func lowerOr(s, def string) string {
	if s = strings.ToLower(strings.TrimSpace(s)); s == "" {
		return def
	}
	return s
}

func valueOr(n *html.Node, def string) string {
	if has(n, "value") {
		return attr(n, "value")
	}
	return def
}

// text returns the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// selected returns the value a single select sends: its last selected
// option, else its first option.
func selected(n *html.Node) string {
	var opts []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "option" {
				opts = append(opts, c)
			} else {
				walk(c)
			}
		}
	}
	walk(n)
	if len(opts) == 0 {
		return ""
	}
	pick := opts[0]
	for _, o := range opts {
		if has(o, "selected") {
			pick = o
		}
	}
	return valueOr(pick, strings.TrimSpace(text(pick)))
}
