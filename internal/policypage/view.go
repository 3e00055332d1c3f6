package policypage

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"portail/internal/i18n"
	"portail/internal/lang"
	"portail/internal/policy"
	"portail/internal/site"
)

// anchorWords start the anchors of a document's parts, in the page's
// language: "mesure-politique-2017-exception-culturelle". With the
// document's ID in it, an anchor is unique on a page that shows several
// documents and the same on the document's own page, so that a link to
// a measure works on both.
var anchorWords = map[lang.Lang]struct{ doc, thrust, objective, measure string }{
	lang.FR: {"document", "axe", "objectif", "mesure"},
	lang.EN: {"document", "thrust", "objective", "measure"},
}

// shown is a text as a page shows it: in the page's language, or in the
// other one (Lang set) when only that one has it.
type shown struct {
	Text string
	Lang lang.Lang
}

func show(t policy.Text, l lang.Lang) shown {
	if s := strings.TrimSpace(t[l]); s != "" {
		return shown{Text: typeset(l, s)}
	}
	if s := strings.TrimSpace(t[l.Other()]); s != "" {
		return shown{Text: typeset(l.Other(), s), Lang: l.Other()}
	}
	return shown{}
}

// frenchSpaces makes the spaces that French puts before a colon, a
// semicolon, "!" and "?" and inside guillemets non-breaking, so that a
// line never starts with ": s’investir" or ends with "«". Staff type
// plain spaces; the page sets them.
var frenchSpaces = strings.NewReplacer(" :", nbsp+":", " ;", nbsp+";", " !", nbsp+"!", " ?", nbsp+"?", "« ", "«"+nbsp, " »", nbsp+"»")

const nbsp = "\u00a0"

// typeset returns s as the page shows it in language l.
func typeset(l lang.Lang, s string) string {
	if l == lang.FR {
		return frenchSpaces.Replace(s)
	}
	return s
}

type measureView struct{ Anchor, Text string }

type objectiveView struct {
	Anchor, Text string
	Measures     []measureView
}

type thrustView struct {
	Anchor, Title string
	Text          shown
	Objectives    []objectiveView
}

type docView struct {
	cat              *i18n.Catalog
	Anchor, Title    string
	Summary          shown
	Kind, Status     string
	InForce          bool
	Updates          *link // for an update: the policy it updates
	Launched, Period string
	Budget           shown
	URL, URLHost     string
	Thrusts          []thrustView
	Sub              bool   // on its own page: the title is the h1
	Current          string // the page of what is in force
}

func (v *docView) T(key string, args ...any) string { return v.cat.T(key, args...) }

// anchorLink is a part's "#" link: its anchor and its accessible name.
type anchorLink struct{ ID, Label string }

type link struct{ Title, URL string }

type historyView struct {
	Title, URL, Kind, Launched, Period string
}

type pageView struct {
	cat     *i18n.Catalog
	Policy  *docView
	Updates []*docView
	History []historyView
}

func (v *pageView) T(key string, args ...any) string { return v.cat.T(key, args...) }

// Part implements site.Module: the documents in force below the editors'
// introduction, then the earlier ones. The page has no filters: q is not
// read.
func (p *Page) Part(ctx context.Context, l lang.Lang, _ url.Values) (site.Part, error) {
	all, err := p.store.Policies(ctx)
	if err != nil {
		return site.Part{}, err
	}
	today := p.today()
	docs := launched(all, today)
	pol, updates := policy.InForce(docs, today)
	v := &pageView{cat: p.cats[l]}
	if pol != nil {
		v.Policy = p.doc(l, *pol, docs, pol, updates, false)
	}
	for _, u := range updates {
		v.Updates = append(v.Updates, p.doc(l, u, docs, pol, updates, false))
	}
	// The earlier documents, newest first.
	for _, d := range slices.Backward(docs) {
		if inForce(d, pol, updates) {
			continue
		}
		v.History = append(v.History, historyView{Title: typeset(l, d.Title[l]), URL: DocumentURL(l, d.ID),
			Kind: v.T("policy.kind." + string(d.Kind)), Launched: d.Launched.String(), Period: period(v.cat, d)})
	}
	html, err := p.render("policy", v)
	if err != nil {
		return site.Part{}, err
	}
	updated, expires := dates(all, today)
	return site.Part{HTML: html, Updated: updated, Expires: expires}, nil
}

// Sub implements site.Module: a document's own page, whether it is in
// force or not.
func (p *Page) Sub(ctx context.Context, l lang.Lang, slug string) (site.Part, bool, error) {
	if !policy.ValidID(slug) {
		return site.Part{}, false, nil
	}
	all, err := p.store.Policies(ctx)
	if err != nil {
		return site.Part{}, false, err
	}
	today := p.today()
	docs := launched(all, today)
	i := slices.IndexFunc(docs, func(d policy.Document) bool { return d.ID == slug })
	if i < 0 {
		return site.Part{}, false, nil
	}
	d := docs[i]
	pol, updates := policy.InForce(docs, today)
	v := &pageView{cat: p.cats[l], Policy: p.doc(l, d, docs, pol, updates, true)}
	html, err := p.render("document", v)
	if err != nil {
		return site.Part{}, false, err
	}
	_, expires := dates(all, today)
	// The page shows this document, and whether it is in force: that
	// changes with the launches since it.
	updated := d.Updated
	for _, o := range docs {
		if d.Launched.Before(o.Launched) {
			updated = latest(updated, o.Launched.In(i18n.Montreal))
		}
	}
	// The lead shows the summary in the page's language only: the
	// layout cannot mark it as in the other one.
	return site.Part{Title: typeset(l, d.Title[l]), Summary: typeset(l, strings.TrimSpace(d.Summary[l])), HTML: html, Updated: updated, Expires: expires}, true, nil
}

// doc builds the view of d, one of docs, given what is in force.
func (p *Page) doc(l lang.Lang, d policy.Document, docs []policy.Document, pol *policy.Document, updates []policy.Document, sub bool) *docView {
	cat := p.cats[l]
	w := anchorWords[l]
	v := &docView{
		cat: cat, Current: site.URL(l, paths[l]),
		Anchor: w.doc + "-" + d.ID, Title: typeset(l, d.Title[l]), Summary: show(d.Summary, l),
		Kind: cat.T("policy.kind." + string(d.Kind)), InForce: inForce(d, pol, updates),
		Launched: d.Launched.String(), Period: period(cat, d), Budget: show(d.Budget, l),
		URL: d.URL, Sub: sub,
	}
	v.Status = cat.T("policy.status.past")
	if v.InForce {
		v.Status = cat.T("policy.status.in_force")
	}
	if u, err := url.Parse(d.URL); err == nil && d.URL != "" {
		v.URLHost = u.Host
	}
	if d.Kind == policy.Update {
		// The policy it updates is the one in force when it was launched.
		if of, _ := policy.InForce(docs, d.Launched); of != nil {
			v.Updates = &link{Title: typeset(l, of.Title[l]), URL: DocumentURL(l, of.ID)}
		}
	}
	for _, t := range d.Thrusts {
		tv := thrustView{Anchor: w.thrust + "-" + d.ID + "-" + t.ID, Title: typeset(l, t.Title[l]), Text: show(t.Text, l)}
		for _, o := range t.Objectives {
			ov := objectiveView{Anchor: w.objective + "-" + d.ID + "-" + o.ID, Text: typeset(l, o.Text[l])}
			for _, m := range o.Measures {
				ov.Measures = append(ov.Measures, measureView{Anchor: w.measure + "-" + d.ID + "-" + m.ID, Text: typeset(l, m.Text[l])})
			}
			tv.Objectives = append(tv.Objectives, ov)
		}
		v.Thrusts = append(v.Thrusts, tv)
	}
	return v
}

// period states the years d covers: "2017–2027", "from 2017", or "".
func period(cat *i18n.Catalog, d policy.Document) string {
	switch {
	case d.FromYear != 0 && d.ToYear != 0:
		return cat.T("policy.period", d.FromYear, d.ToYear)
	case d.FromYear != 0:
		return cat.T("policy.period_from", d.FromYear)
	}
	return ""
}
