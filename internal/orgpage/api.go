package orgpage

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"

	"portail/internal/api"
	"portail/internal/lang"
	"portail/internal/office"
	"portail/internal/orgchart"
)

type apiHead struct {
	Name  string            `json:"name"`
	Title map[string]string `json:"title"`
}

type apiUnit struct {
	ID        string            `json:"id"`
	ParentID  *string           `json:"parent_id"` // null for the top of the chart
	Kind      orgchart.Kind     `json:"kind"`
	Name      map[string]string `json:"name"`
	Acronym   string            `json:"acronym"`
	Head      apiHead           `json:"head"`
	ValidFrom string            `json:"valid_from"`
	ValidTo   *string           `json:"valid_to"` // null: open-ended
	Sample    bool              `json:"sample"`
}

// APIEndpoints returns the chart's open data endpoints.
func (p *Page) APIEndpoints() []api.Endpoint {
	return []api.Endpoint{
		{Path: api.Prefix + "org-units", Summary: "The organization chart's units as of ?date=YYYY-MM-DD (today by default), as JSON.", Handler: p.handleAPI(false)},
		{Path: api.Prefix + "org-units.csv", Summary: "The same units as CSV (UTF-8, header row).", Handler: p.handleAPI(true)},
	}
}

func (p *Page) handleAPI(asCSV bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		day, _ := p.today()
		if raw := r.URL.Query().Get("date"); raw != "" {
			d, ok := office.ParseDay(raw)
			if !ok {
				api.Error(w, http.StatusBadRequest, "bad_date", "The date must be a day written YYYY-MM-DD.")
				return
			}
			day = d
		}
		all, err := p.store.OrgUnits(r.Context())
		if err != nil {
			api.Error(w, http.StatusInternalServerError, "internal", "The units could not be read.")
			return
		}
		var units []apiUnit
		orgchart.Tree(all, day).Walk(func(n *orgchart.Node, _ int) {
			units = append(units, toAPI(n))
		})
		if units == nil {
			units = []apiUnit{}
		}
		if asCSV {
			api.Write(w, r, "text/csv; charset=utf-8", unitsCSV(units), latest(all))
			return
		}
		api.JSON(w, r, map[string]any{"date": day.String(), "units": units}, latest(all))
	})
}

func toAPI(n *orgchart.Node) apiUnit {
	per := n.Period
	u := apiUnit{ID: n.Unit.ID, Kind: per.Kind, Acronym: per.Acronym, Sample: n.Unit.Sample, ValidFrom: per.From.String(),
		Name: map[string]string{"fr": per.Name[lang.FR], "en": per.Name[lang.EN]},
		Head: apiHead{Name: per.Head.Name, Title: map[string]string{"fr": per.Head.Title[lang.FR], "en": per.Head.Title[lang.EN]}}}
	if per.Parent != "" {
		u.ParentID = &per.Parent
	}
	if !per.To.IsZero() {
		to := per.To.String()
		u.ValidTo = &to
	}
	return u
}

var csvHeader = []string{"id", "parent_id", "kind", "name_fr", "name_en", "acronym", "head_name", "head_title_fr", "head_title_en", "valid_from", "valid_to", "sample"}

func unitsCSV(units []apiUnit) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(csvHeader)
	for _, u := range units {
		parent, to := "", ""
		if u.ParentID != nil {
			parent = *u.ParentID
		}
		if u.ValidTo != nil {
			to = *u.ValidTo
		}
		w.Write([]string{u.ID, parent, string(u.Kind), u.Name["fr"], u.Name["en"], u.Acronym, u.Head.Name,
			u.Head.Title["fr"], u.Head.Title["en"], u.ValidFrom, to, strconv.FormatBool(u.Sample)})
	}
	w.Flush()
	return b.Bytes()
}
