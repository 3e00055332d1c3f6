package policypage

import (
	"net/http"

	"portail/internal/api"
	"portail/internal/lang"
	"portail/internal/policy"
)

// The open data's shape: every document launched by today, with whether
// it is in force, its texts in both languages.
type (
	apiText struct {
		FR string `json:"fr"`
		EN string `json:"en"`
	}
	apiMeasure struct {
		ID   string  `json:"id"`
		Text apiText `json:"text"`
	}
	apiObjective struct {
		ID       string       `json:"id"`
		Text     apiText      `json:"text"`
		Measures []apiMeasure `json:"measures"`
	}
	apiThrust struct {
		ID         string         `json:"id"`
		Title      apiText        `json:"title"`
		Text       apiText        `json:"text"`
		Objectives []apiObjective `json:"objectives"`
	}
	apiDocument struct {
		ID       string      `json:"id"`
		Kind     policy.Kind `json:"kind"`
		Title    apiText     `json:"title"`
		Summary  apiText     `json:"summary"`
		Launched string      `json:"launched"`
		// FromYear and ToYear are null when the document states none.
		FromYear *int    `json:"from_year"`
		ToYear   *int    `json:"to_year"`
		Budget   apiText `json:"budget"`
		// URL is the full document's address, null when none is known.
		URL     *string `json:"url"`
		InForce bool    `json:"in_force"`
		// Page is the document's page on this site, in each language.
		Page    apiText     `json:"page"`
		Thrusts []apiThrust `json:"thrusts"`
	}
)

// APIEndpoints returns the policy's open data endpoint.
func (p *Page) APIEndpoints() []api.Endpoint {
	return []api.Endpoint{
		{Path: api.Prefix + "policies", Summary: "The international policy's documents launched so far, as JSON, with whether each is in force.", Handler: p.handleAPI()},
	}
}

func (p *Page) handleAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all, err := p.store.Policies(r.Context())
		if err != nil {
			api.Error(w, http.StatusInternalServerError, "internal", "The policy documents could not be read.")
			return
		}
		today := p.today()
		docs := launched(all, today)
		pol, updates := policy.InForce(docs, today)
		list := make([]apiDocument, len(docs))
		for i, d := range docs {
			list[i] = toAPI(d, inForce(d, pol, updates))
		}
		modified, _ := dates(all, today)
		api.JSON(w, r, map[string]any{"policies": list}, modified)
	})
}

func text(t policy.Text) apiText { return apiText{FR: t[lang.FR], EN: t[lang.EN]} }

func year(y int) *int {
	if y == 0 {
		return nil
	}
	return &y
}

func toAPI(d policy.Document, inForce bool) apiDocument {
	a := apiDocument{ID: d.ID, Kind: d.Kind, Title: text(d.Title), Summary: text(d.Summary), Launched: d.Launched.String(),
		FromYear: year(d.FromYear), ToYear: year(d.ToYear), Budget: text(d.Budget), InForce: inForce,
		Page:    apiText{FR: DocumentURL(lang.FR, d.ID), EN: DocumentURL(lang.EN, d.ID)},
		Thrusts: make([]apiThrust, len(d.Thrusts))}
	if d.URL != "" {
		a.URL = &d.URL
	}
	for i, t := range d.Thrusts {
		at := apiThrust{ID: t.ID, Title: text(t.Title), Text: text(t.Text), Objectives: make([]apiObjective, len(t.Objectives))}
		for j, o := range t.Objectives {
			ao := apiObjective{ID: o.ID, Text: text(o.Text), Measures: make([]apiMeasure, len(o.Measures))}
			for k, m := range o.Measures {
				ao.Measures[k] = apiMeasure{ID: m.ID, Text: text(m.Text)}
			}
			at.Objectives[j] = ao
		}
		a.Thrusts[i] = at
	}
	return a
}
