package media

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"portail/internal/lang"
)

// The public address of a published file is /fichiers/{id}/{name} in
// French and /files/{id}/{name} in English (DESIGN.md's URL map), where
// name is Slug of the file's name. The ID finds the file; the name only
// reads well, and a wrong one is redirected to the right one.

// segment is the first path segment of published files in language l.
func segment(l lang.Lang) string {
	if l == lang.EN {
		return "files"
	}
	return "fichiers"
}

// PublicPath returns the path of f on the public site in language l. It
// is only reachable while f is published.
func (f File) PublicPath(l lang.Lang) string {
	return "/" + segment(l) + "/" + strconv.FormatInt(f.ID, 10) + "/" + Slug(f.Name, f.Type)
}

// PublicPattern returns the ServeMux pattern of published files in
// language l, with the wildcards {id} and {name}.
func PublicPattern(l lang.Lang) string { return "/" + segment(l) + "/{id}/{name}" }

// publicPath matches what a page may show as an image: a published file's
// path in either language, with any name made of URL-safe characters
// (a wrong name is redirected, so it need not be the canonical one).
var publicPath = regexp.MustCompile(`^/(?:fichiers|files)/[1-9][0-9]{0,17}/[A-Za-z0-9][A-Za-z0-9._~%-]*$`)

// IsPublicPath reports whether p has the shape of a published file's path.
// Whether the file is published is only known when it is requested.
func IsPublicPath(p string) bool { return publicPath.MatchString(p) }

// maxSlug bounds a slug's length before its extension.
const maxSlug = 80

// folds spells the letters that canonical decomposition leaves whole.
var folds = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'ł': "l", 'Ł': "l", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// Slug returns the name part of a file's public URL: name without its
// extension, in lower-case ASCII with accents folded ("Été" gives "ete",
// "Œuvre" "oeuvre"), every other run of characters a single hyphen, at
// most 80 characters, "fichier" when nothing is left; then the extension
// of typ. It is a function of the name alone, so a file's URL never
// changes while its name does not.
func Slug(name, typ string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	var b strings.Builder
	hyphen := false // a separator is pending
	add := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFD.String(name) {
		if b.Len() >= maxSlug {
			break
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// The accent of the letter before it.
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			add(string(r))
		case r >= 'A' && r <= 'Z':
			add(string(r + 'a' - 'A'))
		case folds[r] != "":
			add(folds[r])
		default:
			hyphen = true
		}
	}
	s := strings.TrimRight(b.String()[:min(b.Len(), maxSlug)], "-")
	if s == "" {
		s = "fichier"
	}
	return s + Ext(typ)
}

// markers are the paths through which a page body can reach a file: its
// public URL in either language (followed by "/name") and its staff URL.
var markers = []struct {
	prefix string
	slash  bool // the ID must be followed by "/"
}{
	{"/fichiers/", true},
	{"/files/", true},
	{"/admin/media/", false},
}

// Refs returns the IDs of the files that body refers to through their
// public or staff URL, as a path or inside a full URL, sorted and without
// repeats. It errs on the side of finding a reference: deleting a file
// that a page uses is refused.
func Refs(body string) []int64 {
	var out []int64
	for _, m := range markers {
		rest := body
		for {
			i := strings.Index(rest, m.prefix)
			if i < 0 {
				break
			}
			rest = rest[i+len(m.prefix):]
			n := 0
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 0 || m.slash && (n == len(rest) || rest[n] != '/') {
				continue
			}
			id, err := strconv.ParseInt(rest[:n], 10, 64)
			if err != nil || id == 0 {
				continue
			}
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Use is a page that shows or links to a file: the newest revision, in
// one language, of a page whose body refers to the file (Refs), archived
// revisions left out.
type Use struct {
	PageKey    string
	Lang       lang.Lang
	RevisionID int64
	Title      string
}
