package orgsvg

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxRunes bounds the text kept of a box's title or subtitle, and of the
// note: four lines of a box hold about a hundred characters, and the
// accessible name some more.
const maxRunes = 400

// clean returns s fit for the chart: characters that XML or HTML forbid
// in a document (control characters, noncharacters, invalid UTF-8)
// become U+FFFD, each run of breaking white space one space, and the ends
// are trimmed. No-break spaces stay, as French puts them before ":" and
// inside « ». Beyond limit runes the text is cut.
func clean(s string, limit int) string {
	var b strings.Builder
	if grow := len(s); limit < grow/4 {
		b.Grow(4 * limit)
	} else {
		b.Grow(grow)
	}
	space, n := false, 0
	for _, r := range s { // invalid UTF-8 comes here as U+FFFD already
		if n >= limit {
			break
		}
		switch {
		case breakingSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Noncharacter_Code_Point, r):
			r = utf8.RuneError
		}
		if space {
			if n+1 >= limit {
				break // no room for a word after the space
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// breakingSpace says whether r is white space that a line may break at.
func breakingSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f':
		return false
	}
	return unicode.IsSpace(r)
}

// wrap breaks s, cleaned, into at most maxLines lines, each estimated at
// most width px wide at size px. Lines break at spaces, which they keep
// at their ends, so that the lines joined give s back; a word too long
// for a line of its own breaks after its hyphens or slashes, and failing
// that between two characters. When s needs more lines, the last one
// ends with "…" and cut says so.
func wrap(s string, size, width float64, maxLines int) (lines []string, cut bool) {
	limit := width / size * 1000 // in thousandths of an em
	var line strings.Builder
	lineW := 0 // the line's width, its trailing space left out
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW = 0
	}
	for word := range strings.SplitSeq(s, " ") {
		if word == "" {
			continue
		}
		if len(lines) > maxLines {
			break
		}
		ww := textWidth(word)
		if line.Len() > 0 {
			if float64(lineW+spaceWidth+ww) <= limit {
				line.WriteByte(' ')
				line.WriteString(word)
				lineW += spaceWidth + ww
				continue
			}
			line.WriteByte(' ')
			flush()
		}
		for _, part := range split(word, limit) {
			if line.Len() > 0 {
				flush()
			}
			line.WriteString(part)
			lineW = textWidth(part)
		}
	}
	if line.Len() > 0 {
		flush()
	}
	if len(lines) <= maxLines {
		return lines, false
	}
	lines = lines[:maxLines]
	last := strings.TrimRight(lines[maxLines-1], " ")
	for last != "" && float64(textWidth(last)+ellipsisWidth) > limit {
		_, n := utf8.DecodeLastRuneInString(last)
		last = strings.TrimRight(last[:len(last)-n], " ")
	}
	lines[maxLines-1] = last + "…"
	return lines, true
}

// split cuts a word into parts no wider than limit: after a hyphen or a
// slash where it can, else between characters (never before a combining
// mark). A word that fits is one part.
func split(word string, limit float64) []string {
	if float64(textWidth(word)) <= limit {
		return []string{word}
	}
	var parts []string
	start, w := 0, 0    // the part being built: word[start:i], w wide
	soft, softW := 0, 0 // the last break after a hyphen or slash in it, and the width before it
	for i, r := range word {
		rw := runeWidth(r)
		if float64(w+rw) > limit && i > start && !isMark(r) {
			cut, cutW := i, w
			if soft > start {
				cut, cutW = soft, softW
			}
			parts = append(parts, word[start:cut])
			start, w = cut, w-cutW
		}
		w += rw
		if r == '-' || r == '/' || r == '\u2010' {
			soft, softW = i+utf8.RuneLen(r), w
		}
	}
	return append(parts, word[start:])
}

func isMark(r rune) bool { return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) }

// textWidth estimates the width of s in thousandths of an em.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// Widths in thousandths of an em of a few characters outside the tables.
const (
	spaceWidth    = 260
	ellipsisWidth = 816
)

// runeWidth estimates the advance width of r in Open Sans semibold, in
// thousandths of an em. Titles are semibold and subtitles regular, which
// is narrower: the estimate errs wide. Arial, the site's fallback font,
// is narrower too.
func runeWidth(r rune) int {
	switch {
	case r < 0x20:
		return 0
	case r < 0x7f:
		return int(asciiWidths[r-0x20])
	case r >= 0xa0 && r <= 0xff:
		return int(latin1Widths[r-0xa0])
	}
	switch r {
	case '\u2018', '\u2019':
		return 193
	case '\u201c', '\u201d':
		return 397
	case '\u2010', '\u2011':
		return 322
	case '\u2013':
		return 500
	case '\u2014':
		return 1000
	case '\u2026':
		return ellipsisWidth
	case '\u202f':
		return 200
	case '\u0152':
		return 949
	case '\u0153':
		return 963
	case '\u20ac':
		return 572
	}
	switch {
	case isMark(r), unicode.Is(unicode.Cf, r):
		return 0
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul), r >= 0x1f000:
		return 1000 // wide scripts and emoji
	}
	return 750 // wider than most letters of the scripts left
}

// asciiWidths and latin1Widths are the advance widths of U+0020–U+007E
// and U+00A0–U+00FF in Open Sans semibold (the site's woff2 file), in
// thousandths of an em, as Chromium's canvas measureText gave them.
// They are read-only.
var (
	asciiWidths = [0x7f - 0x20]uint16{
		260, 275, 436, 646, 572, 864, 739, 243, 317, 317, 548, 572, 272, 322, 274, 390,
		572, 572, 572, 572, 572, 572, 572, 572, 572, 572, 274, 274, 572, 572, 572, 455,
		897, 661, 659, 634, 733, 558, 533, 726, 751, 305, 300, 638, 543, 921, 783, 787,
		615, 787, 639, 550, 565, 743, 623, 945, 623, 592, 576, 329, 390, 329, 572, 425,
		320, 580, 623, 497, 623, 576, 362, 554, 635, 279, 279, 573, 279, 954, 635, 610,
		623, 623, 432, 487, 396, 635, 534, 815, 551, 535, 479, 385, 550, 385, 572,
	}
	latin1Widths = [0x100 - 0xa0]uint16{
		260, 275, 572, 572, 572, 572, 550, 500, 593, 832, 368, 556, 572, 0, 832, 500,
		428, 572, 363, 363, 320, 639, 655, 274, 213, 363, 381, 556, 785, 821, 812, 455,
		661, 661, 661, 661, 661, 661, 910, 634, 558, 558, 558, 558, 305, 305, 305, 305,
		733, 783, 787, 787, 787, 787, 787, 572, 787, 743, 743, 743, 743, 592, 615, 667,
		580, 580, 580, 580, 580, 580, 890, 497, 576, 576, 576, 576, 279, 279, 279, 279,
		609, 635, 610, 610, 610, 610, 610, 572, 610, 635, 635, 635, 635, 535, 623, 535,
	}
)
