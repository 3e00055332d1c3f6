package policy

import (
	"fmt"
	"strconv"
	"strings"

	"portail/internal/apperr"
	"portail/internal/lang"
)

// A document's thrusts, objectives and measures are edited as one text,
// its outline, one line per part in the page's order:
//
//	# prosperite | Rendre le Québec plus prospère | Build a more prosperous Québec
//	> Texte de présentation de l’axe | The thrust's introduction
//	## mobilite | Favoriser la mobilité | Foster mobility
//	- recruter-talents | Recruter des talents | Recruit talent
//
// "#" starts a thrust (ID | French title | English title); ">", optional
// and once, right under it, is the thrust's text (French | English);
// "##" starts an objective of the thrust and "-" adds a measure to the
// objective (ID | French text | English text). Blank lines and the
// spaces around a line and its fields are not kept. A "|" in a text is
// written "\|", and a "\" before "|" or "\" is written "\\"; any other
// "\" is itself.

// MaxOutline bounds an outline's text, checked before it is read.
const MaxOutline = 200 << 10

// OutlineError is an outline that cannot be read: the line that is not
// written as the outline's lines are, and why, as a message key of the
// i18n catalogue. It is an apperr.Invalid.
type OutlineError struct {
	Line int // from 1; 0 for the whole text
	Key  string
}

func (e *OutlineError) Error() string {
	return fmt.Sprintf("policy: outline line %d: %s", e.Line, e.Key)
}

// Is makes an OutlineError an apperr.Invalid.
func (e *OutlineError) Is(target error) bool { return target == apperr.Invalid }

// Outline is a document's thrusts as read from its outline, with the line
// of each part, so that a problem of Validate can name its line.
type Outline struct {
	Thrusts []Thrust
	// lines are the lines of the parts by their path in Validate's
	// problems: "thrusts.0", "thrusts.0.objectives.1.measures.2", and
	// "thrusts.0.text" for a thrust's ">" line.
	lines map[string]int
}

// ParseOutline reads an outline (see FormatOutline). Whatever it reads,
// FormatOutline writes back to a text that reads the same. The IDs and
// texts are not checked here: Validate does, and Outline.Line names the
// line of each of its problems.
func ParseOutline(s string) (Outline, error) {
	if len(s) > MaxOutline {
		return Outline{}, &OutlineError{Key: "form.too_long"}
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	o := Outline{lines: map[string]int{}}
	var (
		thrust, objective *int // the current ones, by index
		hasText           bool // the current thrust has its ">" line
	)
	fail := func(n int, key string) (Outline, error) { return Outline{}, &OutlineError{Line: n, Key: key} }
	for i, line := range strings.Split(s, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		marker, rest := cutMarker(line)
		switch marker {
		case "#":
			f, ok := fields(rest, 3)
			if !ok {
				return fail(n, "form.policy.outline.fields")
			}
			o.Thrusts = append(o.Thrusts, Thrust{ID: f[0], Title: bilingual(f[1], f[2]), Text: bilingual("", "")})
			t := len(o.Thrusts) - 1
			thrust, objective, hasText = &t, nil, false
			o.lines[thrustPath(t)] = n
		case ">":
			if thrust == nil || objective != nil || hasText {
				return fail(n, "form.policy.outline.text_place")
			}
			f, ok := fields(rest, 2)
			if !ok {
				return fail(n, "form.policy.outline.text_fields")
			}
			o.Thrusts[*thrust].Text = bilingual(f[0], f[1])
			hasText = true
			o.lines[thrustPath(*thrust)+".text"] = n
		case "##":
			if thrust == nil {
				return fail(n, "form.policy.outline.objective_place")
			}
			f, ok := fields(rest, 3)
			if !ok {
				return fail(n, "form.policy.outline.fields")
			}
			t := &o.Thrusts[*thrust]
			t.Objectives = append(t.Objectives, Objective{ID: f[0], Text: bilingual(f[1], f[2])})
			j := len(t.Objectives) - 1
			objective = &j
			o.lines[objectivePath(*thrust, j)] = n
		case "-":
			if objective == nil {
				return fail(n, "form.policy.outline.measure_place")
			}
			f, ok := fields(rest, 3)
			if !ok {
				return fail(n, "form.policy.outline.fields")
			}
			ob := &o.Thrusts[*thrust].Objectives[*objective]
			ob.Measures = append(ob.Measures, Measure{ID: f[0], Text: bilingual(f[1], f[2])})
			o.lines[objectivePath(*thrust, *objective)+".measures."+strconv.Itoa(len(ob.Measures)-1)] = n
		default:
			return fail(n, "form.policy.outline.marker")
		}
	}
	return o, nil
}

func thrustPath(t int) string       { return "thrusts." + strconv.Itoa(t) }
func objectivePath(t, j int) string { return thrustPath(t) + ".objectives." + strconv.Itoa(j) }

// bilingual is a text with both languages' keys, as the stores read
// texts back.
func bilingual(fr, en string) Text { return Text{lang.FR: fr, lang.EN: en} }

// cutMarker splits a line into its marker ("#", "##", ">", "-", or ""
// for none) and the rest.
func cutMarker(line string) (string, string) {
	switch {
	case strings.HasPrefix(line, "###"):
		return "", line
	case strings.HasPrefix(line, "##"):
		return "##", line[2:]
	case line[0] == '#' || line[0] == '>' || line[0] == '-':
		return line[:1], line[1:]
	}
	return "", line
}

// fields splits s at the "|" that are not escaped into exactly n fields,
// unescaped and trimmed.
func fields(s string, n int) ([]string, bool) {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			i++
			b.WriteByte(s[i])
		case c == '|':
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	out = append(out, strings.TrimSpace(b.String()))
	return out, len(out) == n
}

// Line returns the line of the outline that holds field, a field of
// Validate's problems ("thrusts.1.objectives.0.text.fr"), and the part of
// that line the field names ("text.fr", "id"; "" for the whole part, or
// "objectives" for a thrust's list of them). It returns 0 for a field
// that no one line holds ("thrusts").
func (o Outline) Line(field string) (int, string) {
	segs := strings.Split(field, ".")
	node, i := "", 0
	for i+1 < len(segs) && (i == 0 && segs[i] == "thrusts" || i == 2 && segs[i] == "objectives" || i == 4 && segs[i] == "measures") {
		p := strings.Join(segs[:i+2], ".")
		if _, ok := o.lines[p]; !ok {
			break
		}
		node, i = p, i+2
	}
	if node == "" {
		return 0, ""
	}
	part := strings.Join(segs[i:], ".")
	if n, ok := o.lines[node+".text"]; ok && (part == "text" || strings.HasPrefix(part, "text.")) {
		return n, part
	}
	return o.lines[node], part
}

// FormatOutline writes thrusts as an outline, a blank line before each
// thrust but the first. Each text is written on its line with its spaces
// trimmed and a line break as a space (the page shows one as the other).
func FormatOutline(thrusts []Thrust) string {
	var b strings.Builder
	line := func(marker string, fs ...string) {
		b.WriteString(marker)
		for i, f := range fs {
			if i > 0 {
				b.WriteString(" |")
			}
			if f = escape(f); f != "" {
				b.WriteString(" " + f)
			}
		}
		b.WriteString("\n")
	}
	for i, t := range thrusts {
		if i > 0 {
			b.WriteString("\n")
		}
		line("#", t.ID, t.Title[lang.FR], t.Title[lang.EN])
		if fr, en := oneLine(t.Text[lang.FR]), oneLine(t.Text[lang.EN]); fr != "" || en != "" {
			line(">", fr, en)
		}
		for _, ob := range t.Objectives {
			line("##", ob.ID, ob.Text[lang.FR], ob.Text[lang.EN])
			for _, m := range ob.Measures {
				line("-", m.ID, m.Text[lang.FR], m.Text[lang.EN])
			}
		}
	}
	return b.String()
}

// escape writes s as a field: on one line, trimmed, "|" escaped, and "\"
// escaped where it would otherwise escape what follows.
func escape(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '|':
			b.WriteString(`\|`)
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// oneLine is s trimmed, its line breaks made spaces.
func oneLine(s string) string { return strings.TrimSpace(lineBreaks.Replace(s)) }
