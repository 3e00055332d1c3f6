// Package media holds the rules for files that staff upload: which types
// are accepted (PDF, PNG, JPEG; never SVG, which can carry script), how the
// real type is recognised, what is recorded about each file, and the public
// address of a published file (see public.go).
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DefaultMaxSize is the upload limit unless configured otherwise.
const DefaultMaxSize = 20 << 20

// The accepted types.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

// File is an uploaded file.
type File struct {
	ID       int64
	Name     string // a safe file name, with the extension of Type
	Type     string // one of PDF, PNG, JPEG
	Size     int64
	SHA256   string // hex
	Data     []byte // empty in lists
	Uploaded time.Time
	By       string // email of the uploader
	// Published is when the file was last published; zero while it is
	// staff-only (never published, or withdrawn).
	Published time.Time
}

// IsPublished reports whether the file is on the public site.
func (f File) IsPublished() bool { return !f.Published.IsZero() }

// IsImage reports whether the file is an image (shown inline, with a
// thumbnail on the staff side).
func (f File) IsImage() bool { return f.Type == PNG || f.Type == JPEG }

// magic lists each accepted type's leading bytes.
var magic = []struct {
	prefix []byte
	typ    string
}{
	{[]byte("%PDF-"), PDF},
	{[]byte("\x89PNG\r\n\x1a\n"), PNG},
	{[]byte("\xff\xd8\xff"), JPEG},
}

// Sniff returns the accepted type that data starts with, or "" when it is
// none of them, whatever its name or declared type says.
func Sniff(data []byte) string {
	for _, m := range magic {
		if bytes.HasPrefix(data, m.prefix) {
			return m.typ
		}
	}
	return ""
}

// Ext returns the file extension for an accepted type.
func Ext(typ string) string {
	switch typ {
	case PDF:
		return ".pdf"
	case PNG:
		return ".png"
	case JPEG:
		return ".jpg"
	}
	return ""
}

// New returns the File for data named name, or ok false when data is not
// an accepted type. The name keeps only letters, digits, dots, hyphens and
// underscores, and gets the extension of the sniffed type.
func New(name string, data []byte) (f File, ok bool) {
	typ := Sniff(data)
	if typ == "" {
		return File{}, false
	}
	sum := sha256.Sum256(data)
	return File{Name: SafeName(name, typ), Type: typ, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}, true
}

// SafeName reduces an uploaded file's name to something safe in a
// Content-Disposition header and on any file system.
func SafeName(name, typ string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	// Accents are dropped rather than replaced: "Été" gives "Ete".
	base := norm.NFD.String(strings.TrimSuffix(name, path.Ext(name)))
	var b strings.Builder
	for _, r := range base {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		case r >= utf8.RuneSelf:
			b.WriteRune('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := strings.Trim(b.String(), ".-_")
	if s == "" {
		s = "fichier"
	}
	return s + Ext(typ)
}
