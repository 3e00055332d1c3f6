// Package xmltest reads markup that tests must find well-formed — the
// inline SVG of the world map and of the organization chart — into a
// tree that they can search.
package xmltest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"encoding/xml"
)

// Node is an element, as encoding/xml reads it.
type Node struct {
	Name     string
	Attr     map[string]string
	Children []*Node
	Text     string // the character data directly in the element
}

// Parse reads the whole of out as XML, strictly (one root, nothing but
// white space around it), and returns its root.
func Parse(out string) (*Node, error) {
	d := xml.NewDecoder(strings.NewReader(out))
	d.Strict = true
	var root *Node
	var stack []*Node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				return nil, fmt.Errorf("text outside the root: %q", tok)
			}
		case xml.ProcInst, xml.Directive:
			return nil, fmt.Errorf("unexpected %T in inline markup", tok)
		}
	}
	if root == nil {
		return nil, errors.New("no element")
	}
	return root, nil
}

// MustParse is Parse that stops t when out is not well-formed.
func MustParse(t testing.TB, out string) *Node {
	t.Helper()
	root, err := Parse(out)
	if err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, out)
	}
	return root
}

// All returns the elements under n, n included, depth first, for which
// keep is true.
func (n *Node) All(keep func(*Node) bool) []*Node {
	var out []*Node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.All(keep)...)
	}
	return out
}

// Child returns n's first child element called name, or nil.
func (n *Node) Child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}
