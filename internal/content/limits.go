package content

import (
	"strings"
	"unicode/utf8"
)

// Limits on the structure of a body, so that the Markdown parser's and
// renderer's work stays bounded by them and not only by the body's size.
// Within MaxBody and MaxBrackets, 199 000 ">" took the parser 20 s (its
// time grows with the square of the nesting), "1. " × 66 000 took 13 s,
// and a 14 KB table of 2 000 columns × 3 000 rows rendered 60 MB of
// HTML, since the renderer pads every row to the header's columns. Each
// limit is far beyond a real page's.
const (
	MaxDepth        = 12     // nested block quotes and list items
	MaxTableColumns = 50     // columns of one table
	MaxTableCells   = 20_000 // cells of all the tables of a body, padding included
	MaxListItems    = 5_000  // list items of a body
)

// BodyProblem returns the message key that refuses body, or "" when it
// is within every limit on its size and structure. It reads each line
// once and parses nothing, so that it can run before the parser; it
// overestimates rather than misses: a line's depth counts each quote or
// list marker that starts it, plus one level per two columns of
// indentation before them, whether or not the parser would nest as much.
func BodyProblem(body string) string {
	if len(body) > MaxBody {
		return "form.too_long"
	}
	if strings.Count(body, "[") > MaxBrackets {
		return "form.body.brackets"
	}
	items, cells, columns := 0, 0, 0 // columns: of the table being read, or 0
	for line := range strings.Lines(body) {
		line = strings.TrimRight(line, "\r\n")
		depth, lists, rest := containers(line)
		if depth > MaxDepth {
			return "form.body.depth"
		}
		if items += lists; items > MaxListItems {
			return "form.body.list_items"
		}
		switch {
		case strings.TrimSpace(rest) == "":
			columns = 0 // a blank line ends a table
		case columns > 0:
			cells += columns
		default:
			if n := delimiterRow(rest); n > 0 {
				if n > MaxTableColumns {
					return "form.body.table_columns"
				}
				columns = n
				cells += 2 * n // the header row, and this one
			}
		}
		if cells > MaxTableCells {
			return "form.body.table_cells"
		}
	}
	return ""
}

// containers reads the quote and list markers that start line and the
// whitespace between them. It returns the depth they can open, how many
// of them are list markers, and the rest of the line. It stops as soon as
// the depth passes MaxDepth, so that one long line costs no more than a
// short one.
func containers(line string) (depth, lists int, rest string) {
	ws := 0 // columns of whitespace that no marker requires
	col := 0
	i := 0
	for depth <= MaxDepth {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			if line[i] == '\t' {
				ws += 4 - col%4
				col += 4 - col%4
			} else {
				ws++
				col++
			}
			i++
		}
		if i >= len(line) {
			break
		}
		n := 0 // length of the marker at i
		switch c := line[i]; {
		case c == '>':
			n = 1
		case c == '-' || c == '+' || c == '*':
			if markerEnds(line, i+1) && !thematicBreak(line[i:]) {
				n = 1
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i <= 9 && j < len(line) && (line[j] == '.' || line[j] == ')') && markerEnds(line, j+1) {
				n = j + 1 - i
			}
		}
		if n == 0 {
			break
		}
		if line[i] != '>' {
			lists++
		}
		depth++
		i += n
		col += n
		if i < len(line) && line[i] == ' ' { // the space a marker takes
			i++
			col++
		}
	}
	return depth + ws/2, lists, line[i:]
}

// markerEnds reports whether a list marker ending before line[i] is one:
// followed by whitespace or the end of the line.
func markerEnds(line string, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t'
}

// thematicBreak reports whether s is a thematic break ("* * *", "---"),
// which starts like a list marker but opens nothing.
func thematicBreak(s string) bool {
	c, n := s[0], 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// delimiterRow returns the number of columns of s when it can be a table's
// delimiter row ("| --- | :-: |"), or 0.
func delimiterRow(s string) int {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "-") || strings.Trim(s, "|-: \t") != "" {
		return 0
	}
	s = strings.TrimPrefix(strings.TrimSuffix(s, "|"), "|")
	return strings.Count(s, "|") + 1
}

// ValidText reports whether s can be stored and served as text: valid
// UTF-8 with no NUL character. Pages are served as charset=utf-8, and
// neither can be typed on purpose.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// checkText adds "form.text.invalid" on each field whose value is not
// ValidText; it comes first, so that it is the problem shown.
func checkText(p map[string]string, fields map[string]string) {
	for f, v := range fields {
		if _, ok := p[f]; !ok && !ValidText(v) {
			p[f] = "form.text.invalid"
		}
	}
}
