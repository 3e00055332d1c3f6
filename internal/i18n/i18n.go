// Package i18n holds the interface messages of the site in French and
// English, and formats dates for display in Québec time.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the binary must know America/Montreal on any host

	"portail/internal/lang"
)

//go:embed catalog/*.json
var catalogs embed.FS

// Catalog maps message keys to text in one language.
type Catalog struct {
	Lang lang.Lang
	msgs map[string]string
}

// Catalogs holds one catalog per language.
type Catalogs map[lang.Lang]*Catalog

// Load reads the embedded catalogs.
func Load() (Catalogs, error) {
	out := Catalogs{}
	for _, l := range lang.All {
		b, err := catalogs.ReadFile("catalog/" + string(l) + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		c := &Catalog{Lang: l}
		if err := json.Unmarshal(b, &c.msgs); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", l, err)
		}
		out[l] = c
	}
	return out, nil
}

// MustLoad is Load for program start, where a bad embedded catalog is a bug.
func MustLoad() Catalogs {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// T returns the message for key, formatted with args. A missing key shows
// itself, so that it is visible on the page and caught by tests.
func (c *Catalog) T(key string, args ...any) string {
	m, ok := c.msgs[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[key]
	return ok
}

// Keys returns the catalog's keys.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs))
	for k := range c.msgs {
		keys = append(keys, k)
	}
	return keys
}

// Size formats a number of bytes for people, in c's language: bytes
// under 1 KiB, then kilobytes and megabytes counted in 1024s ("Ko" and
// "Mo" in French), with one decimal below 10 ("1,5 Mo", "1.5 MB").
func (c *Catalog) Size(n int64) string {
	key, v := "size.bytes", float64(n)
	switch {
	case n >= 1<<20:
		key, v = "size.mb", v/(1<<20)
	case n >= 1<<10:
		key, v = "size.kb", v/(1<<10)
	}
	if key == "size.bytes" || v >= 10 {
		return c.T(key, strconv.FormatFloat(math.Round(v), 'f', 0, 64))
	}
	return c.T(key, strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", c.T("number.decimal"), 1))
}

// Montreal is the time zone of every date shown to the public.
var Montreal = mustZone("America/Montreal")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DateTime formats t as "2006-01-02 15:04" in Montréal time, the form both
// languages use on the site (ISO 8601, as the Québec government writes dates).
func DateTime(t time.Time) string {
	return t.In(Montreal).Format("2006-01-02 15:04")
}
