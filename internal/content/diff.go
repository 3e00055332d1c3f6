package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op says whether a chunk of a diff is common, inserted or deleted.
type Op int8

// Diff operations.
const (
	Equal Op = iota
	Insert
	Delete
)

// Chunk is a run of text that a diff keeps, inserts or deletes.
type Chunk struct {
	Op   Op
	Text string
}

// FieldDiff is the word diff of one field of two revisions.
type FieldDiff struct {
	Field   string // "title", "summary", "path" or "body"
	Chunks  []Chunk
	Changed bool
}

// DiffRevisions compares the fields a reader sees of two revisions, from a
// (older) to b (newer).
func DiffRevisions(a, b Revision) []FieldDiff {
	fields := []struct{ name, a, b string }{
		{"title", a.Title, b.Title},
		{"path", a.Path, b.Path},
		{"summary", a.Summary, b.Summary},
		{"body", a.Body, b.Body},
	}
	out := make([]FieldDiff, 0, len(fields))
	for _, f := range fields {
		out = append(out, FieldDiff{Field: f.name, Chunks: DiffWords(f.a, f.b), Changed: f.a != f.b})
	}
	return out
}

// DiffWords compares a and b word by word: a reader sees which words
// changed, not which lines or letters. Spaces and punctuation are tokens
// of their own, so joining the Equal and Delete chunks gives a back, and
// joining the Equal and Insert chunks gives b.
func DiffWords(a, b string) []Chunk {
	// diffmatchpatch works on runes; each distinct token becomes one
	// rune, as its DiffLinesToRunes does with lines, and the result is
	// mapped back.
	var tokens []string
	ids := map[string]rune{}
	encode := func(s string) []rune {
		var out []rune
		for _, tok := range splitWords(s) {
			r, ok := ids[tok]
			if !ok {
				r = tokenRune(len(tokens))
				ids[tok] = r
				tokens = append(tokens, tok)
			}
			out = append(out, r)
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	out := make([]Chunk, 0, len(diffs))
	for _, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(tokens[runeToken(r)])
		}
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Insert
		case diffmatchpatch.DiffDelete:
			op = Delete
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += sb.String()
			continue
		}
		out = append(out, Chunk{Op: op, Text: sb.String()})
	}
	return out
}

// The token runes start past ASCII and skip the surrogate range, which
// is not valid in a string. A body of MaxBody bytes has far fewer
// distinct tokens than the runes available.
const (
	tokenBase = 0x100
	surrogate = 0xD800
	surrogEnd = 0xE000
)

func tokenRune(i int) rune {
	r := rune(i) + tokenBase
	if r >= surrogate {
		r += surrogEnd - surrogate
	}
	if r > utf8.MaxRune {
		panic("content: too many distinct words to diff")
	}
	return r
}

func runeToken(r rune) int {
	if r >= surrogEnd {
		r -= surrogEnd - surrogate
	}
	return int(r - tokenBase)
}

// splitWords cuts s into words (letters, digits and combining marks),
// runs of spaces, line breaks and single other characters.
func splitWords(s string) []string {
	var out []string
	class := func(r rune) int {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			return 1
		case unicode.IsSpace(r):
			return 2
		}
		return 0
	}
	start, prev := 0, -1
	for i, r := range s {
		c := class(r)
		// Each line break is a token of its own, so that adding a
		// paragraph does not "change" the break before it.
		if i > start && (c != prev || c == 0 || r == '\n' || s[i-1] == '\n') {
			out = append(out, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
