// Package seed loads the default content (Markdown files with YAML front
// matter, embedded in the binary) into an empty store. It is idempotent: a
// page that exists already is left as the editors made it.
package seed

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"gopkg.in/yaml.v3"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/content"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
	"portail/internal/policy"
	"portail/internal/store"
)

//go:embed content
var files embed.FS

// Author is the name recorded on seeded revisions.
const Author = "portail (contenu initial)"

// Publisher is who publishes the seeded revisions, in the audit log and
// the publications: the loading itself, not a person.
var Publisher = content.Actor{Name: "seed", Admin: true}

// Store is what Load needs of the store.
type Store interface {
	store.Pages
	Apply(ctx context.Context, t content.Transition, o audit.Origin) (content.Revision, error)
	FooterLinks(ctx context.Context) ([]content.FooterLink, error)
	SaveFooterLink(ctx context.Context, f content.FooterLink, o audit.Origin) (content.FooterLink, error)
	Offices(ctx context.Context) ([]office.Office, error)
	ReplaceOffices(ctx context.Context, offs []office.Office, o audit.Origin) error
	OrgUnits(ctx context.Context) ([]orgchart.Unit, error)
	ReplaceOrgUnits(ctx context.Context, units []orgchart.Unit, o audit.Origin) error
	Policies(ctx context.Context) ([]policy.Document, error)
	SavePolicy(ctx context.Context, d policy.Document, o audit.Origin) (policy.Document, error)
	CountAudit(ctx context.Context, f audit.Filter) (int, error)
}

// Footer is the default footer: links to pages of the seed and to
// Québec.ca, as the government's sites have.
var Footer = []content.FooterLink{
	{Order: 10, Label: map[lang.Lang]string{lang.FR: "Accessibilité", lang.EN: "Accessibility"},
		URL: map[lang.Lang]string{lang.FR: "/fr/accessibilite", lang.EN: "/en/accessibility"}},
	{Order: 20, Label: map[lang.Lang]string{lang.FR: "Politique de confidentialité", lang.EN: "Privacy policy"},
		URL: map[lang.Lang]string{lang.FR: "/fr/confidentialite", lang.EN: "/en/privacy"}},
	{Order: 30, Label: map[lang.Lang]string{lang.FR: "Québec.ca", lang.EN: "Québec.ca"},
		URL: map[lang.Lang]string{lang.FR: "https://www.quebec.ca", lang.EN: "https://www.quebec.ca/en"}},
}

// footerPage is the seed page whose creation brings the default footer:
// a database that gets it now had no footer to point to it, and one
// that has it already keeps the footer its administrators made, even
// an empty one.
const footerPage = "accessibility"

// frontMatter is the header of a seed file.
type frontMatter struct {
	Key     string `yaml:"key"`
	Section string `yaml:"section"` // French file only
	Order   int    `yaml:"order"`   // French file only
	Path    string `yaml:"path"`
	EnPath  string `yaml:"en_path"` // French file only: English URL of a French-only page
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
}

// Doc is one parsed seed file.
type Doc struct {
	Lang lang.Lang
	frontMatter
	Body string
}

// Parse splits a seed file into front matter and body.
func Parse(l lang.Lang, b []byte) (Doc, error) {
	const fence = "---\n"
	if !bytes.HasPrefix(b, []byte(fence)) {
		return Doc{}, errors.New("seed: no front matter")
	}
	head, body, ok := bytes.Cut(b[len(fence):], []byte("\n"+fence))
	if !ok {
		return Doc{}, errors.New("seed: unterminated front matter")
	}
	d := Doc{Lang: l, Body: string(body)}
	if err := yaml.Unmarshal(head, &d.frontMatter); err != nil {
		return Doc{}, fmt.Errorf("seed: %w", err)
	}
	if d.Key == "" || d.Title == "" {
		return Doc{}, errors.New("seed: key and title are required")
	}
	return d, nil
}

// Docs reads every embedded seed file, grouped by page key.
func Docs() (map[string]map[lang.Lang]Doc, error) {
	out := map[string]map[lang.Lang]Doc{}
	for _, l := range lang.All {
		names, err := fs.Glob(files, path.Join("content", string(l), "*.md"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			d, err := Parse(l, b)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if out[d.Key] == nil {
				out[d.Key] = map[lang.Lang]Doc{}
			}
			if _, dup := out[d.Key][l]; dup {
				return nil, fmt.Errorf("seed: %s: key %q appears twice in %s", name, d.Key, l)
			}
			out[d.Key][l] = d
		}
	}
	for key, byLang := range out {
		if _, ok := byLang[lang.FR]; !ok {
			return nil, fmt.Errorf("seed: page %q has no French version; French is the reference", key)
		}
	}
	return out, nil
}

// Load creates and publishes every seed page that the store lacks, and
// returns how many it created.
func Load(ctx context.Context, s Store) (int, error) {
	docs, err := Docs()
	if err != nil {
		return 0, err
	}
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	created := 0
	footer := false
	for _, key := range keys {
		byLang := docs[key]
		fr := byLang[lang.FR]
		// A French page that reserves an English path without an English
		// file is French-only by design: the path shows the notice.
		_, hasEN := byLang[lang.EN]
		frenchOnly := !hasEN && fr.EnPath != ""
		err := s.CreatePage(ctx, content.Page{Key: key, Section: content.Section(fr.Section), Order: fr.Order, FrenchOnly: frenchOnly})
		if errors.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return created, fmt.Errorf("seed: %s: %w", key, err)
		}
		for _, l := range lang.All {
			d, ok := byLang[l]
			if !ok {
				continue
			}
			r, err := s.SaveRevision(ctx, content.Revision{
				PageKey: key, Lang: l, Path: d.Path, Title: d.Title, Summary: d.Summary, Body: d.Body,
				Author: Author, Note: "Contenu initial", State: content.Review,
			})
			if err != nil {
				return created, fmt.Errorf("seed: %s/%s: %w", key, l, err)
			}
			publish := content.Request{Action: content.ActPublish}
			if _, err := store.Step(ctx, s, Publisher, r.ID, publish, audit.Origin{Actor: Publisher.Name}); err != nil {
				return created, fmt.Errorf("seed: %s/%s: %w", key, l, err)
			}
		}
		if _, ok := byLang[lang.EN]; !ok && fr.EnPath != "" {
			if err := s.ReservePath(ctx, key, lang.EN, fr.EnPath); err != nil {
				return created, fmt.Errorf("seed: %s: %w", key, err)
			}
		}
		footer = footer || key == footerPage
		created++
	}
	if footer {
		if err := loadFooter(ctx, s); err != nil {
			return created, err
		}
	}
	for _, load := range []func(context.Context, Store) error{loadOffices, loadOrgUnits, loadPolicies} {
		if err := load(ctx, s); err != nil {
			return created, err
		}
	}
	return created, nil
}

// The structured data (the offices abroad, the organization chart, the
// international policy) is loaded into an empty store unless staff
// emptied it: a database made before the data existed gets it too.

// untouched reports whether the audit log has no entry of the actions:
// no one has ever changed that data.
func untouched(ctx context.Context, s Store, actions ...audit.Action) (bool, error) {
	for _, a := range actions {
		n, err := s.CountAudit(ctx, audit.Filter{Action: a})
		if err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

// loadOffices fills an empty directory with the default network.
func loadOffices(ctx context.Context, s Store) error {
	offs, err := s.Offices(ctx)
	if err != nil || len(offs) > 0 {
		return err
	}
	if ok, err := untouched(ctx, s, audit.OfficeSave, audit.OfficeDelete, audit.OfficeImport); !ok {
		return err
	}
	if err := s.ReplaceOffices(ctx, office.Defaults(), audit.Origin{Actor: Publisher.Name}); err != nil {
		return fmt.Errorf("seed: offices: %w", err)
	}
	return nil
}

// loadOrgUnits fills an empty organization chart with the department's
// structure.
func loadOrgUnits(ctx context.Context, s Store) error {
	units, err := s.OrgUnits(ctx)
	if err != nil || len(units) > 0 {
		return err
	}
	if ok, err := untouched(ctx, s, audit.OrgUnitSave, audit.OrgUnitImport); !ok {
		return err
	}
	if err := s.ReplaceOrgUnits(ctx, orgchart.Defaults(), audit.Origin{Actor: Publisher.Name}); err != nil {
		return fmt.Errorf("seed: organization chart: %w", err)
	}
	return nil
}

// loadPolicies fills an empty store of the policy's documents with the
// defaults.
func loadPolicies(ctx context.Context, s Store) error {
	docs, err := s.Policies(ctx)
	if err != nil || len(docs) > 0 {
		return err
	}
	if ok, err := untouched(ctx, s, audit.PolicySave, audit.PolicyDelete); !ok {
		return err
	}
	for _, d := range policy.Defaults() {
		_, err := s.SavePolicy(ctx, d, audit.Origin{Actor: Publisher.Name})
		if errors.Is(err, apperr.Conflict) {
			// Another instance starting on the same new database loaded
			// it first, as pages are above.
			continue
		}
		if err != nil {
			return fmt.Errorf("seed: policy %s: %w", d.ID, err)
		}
	}
	return nil
}

// loadFooter adds the default footer links when the footer is empty.
func loadFooter(ctx context.Context, s Store) error {
	links, err := s.FooterLinks(ctx)
	if err != nil || len(links) > 0 {
		return err
	}
	for _, f := range Footer {
		if _, err := s.SaveFooterLink(ctx, f, audit.Origin{Actor: Publisher.Name}); err != nil {
			return fmt.Errorf("seed: footer link %s: %w", f.URL[lang.FR], err)
		}
	}
	return nil
}
