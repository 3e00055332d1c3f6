package office

import (
	"testing"

	"portail/internal/apperr"
	"portail/internal/lang"
)

func TestValidCountry(t *testing.T) {
	for code, want := range map[string]bool{
		"FR": true, "JP": true, "CI": true, "HK": true, "MC": true, "LU": true,
		"fr": false, "Fr": false, "FRA": false, "F": false, "": false,
		"XX": false, "ZZ": false, "QO": false, // unassigned, private use, outlying Oceania
		"XK": false, "EZ": false, "UN": false, "EU": false, // not countries of ISO 3166-1
		"FX": false, "YU": false, // withdrawn
	} {
		if got := ValidCountry(code); got != want {
			t.Errorf("ValidCountry(%q) = %v", code, got)
		}
	}
}

func TestLoadZone(t *testing.T) {
	for name, ok := range map[string]bool{
		"Asia/Tokyo": true, "America/Sao_Paulo": true, "UTC": true,
		"": false, "Local": false, "Asia/Tokio": false, "../../etc/passwd": false, "/etc/localtime": false,
	} {
		if _, err := LoadZone(name); (err == nil) != ok {
			t.Errorf("LoadZone(%q): %v", name, err)
		}
	}
}

func TestValidate(t *testing.T) {
	if err := everyField().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Office)
		field  string
		key    string
	}{
		{"slug with a capital", func(o *Office) { o.Slug = "Tokyo" }, "slug", "form.key.invalid"},
		{"slug with two hyphens", func(o *Office) { o.Slug = "new--york" }, "slug", "form.key.invalid"},
		{"change with no day", func(o *Office) { o.Changes[0].On = Date{} }, "changes.0", "form.office.type"},
		{"closed on its opening day", func(o *Office) { o.Closed = o.Opened }, "closed", "form.office.closed_before_opened"},
		{"no French name", func(o *Office) { delete(o.Name, lang.FR) }, "fr.name", "form.required"},
		{"invalid UTF-8", func(o *Office) { o.Address = "\xff" }, "address", "form.text.invalid"},
		{"a day's spans overlap", func(o *Office) { o.Hours[2] = []Span{{540, 720}, {700, 800}} }, "hours.2", "form.office.hours"},
		{"span past midnight", func(o *Office) { o.Hours[5] = []Span{{1320, 1500}} }, "hours.5", "form.office.hours"},
		{"five spans", func(o *Office) { o.Hours[4] = []Span{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}} }, "hours.4", "form.office.hours"},
		{"closure backwards", func(o *Office) { o.Closures[0].To = Date{2026, 1, 1} }, "closures.0", "form.office.closure"},
		{"NaN latitude", func(o *Office) { o.Latitude = nan() }, "latitude", "form.office.latitude"},
		{"unknown clientele", func(o *Office) { o.Services["tourism"] = nil }, "services", "form.office.clientele"},
		{"website with no host", func(o *Office) { o.Website = "https://" }, "website", "form.office.website"},
		{"website not UTF-8", func(o *Office) { o.Website = "https://example.org/\xff" }, "website", "form.office.website"},
		{"email with a name", func(o *Office) { o.Email = "Office <office@example.org>" }, "email", "form.email.invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := everyField()
			tc.change(&o)
			err := o.Validate()
			if got := apperr.ProblemsOf(err); len(got) != 1 || got[tc.field] != tc.key {
				t.Errorf("problems %v, want %s: %s", got, tc.field, tc.key)
			}
			if apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("kind %v", apperr.KindOf(err))
			}
		})
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

// everyField is an office with every field set, in the form Read
// returns (both languages in every text, nil for empty lists).
func everyField() Office {
	return Office{
		Slug:    "sao-paulo-2",
		Type:    Bureau,
		Changes: []TypeChange{{On: Date{2024, 3, 22}, Type: Delegation}, {On: Date{2030, 1, 1}, Type: GeneralDelegation}},
		Opened:  Date{2008, 5, 1},
		Closed:  Date{2040, 12, 31},
		Name:    map[lang.Lang]string{lang.FR: "Bureau du Québec à São Paulo, « essai »", lang.EN: `Québec Office in São Paulo, "test"`},
		City:    map[lang.Lang]string{lang.FR: "São Paulo", lang.EN: "São Paulo"},
		Country: "BR",
		Region:  Americas,
		Address: "1, rue de l'Exemple; bureau 2\n01000-000 São Paulo",
		// Coordinates that need every digit to come back.
		Latitude:  -23.550519999999999,
		Longitude: -46.633309,
		TimeZone:  "America/Sao_Paulo",
		Phone:     "+55 11 0000-0000",
		Email:     "sao-paulo@example.org",
		Website:   "https://example.org/sao-paulo?lang=fr&x=1",
		Head: Head{Name: "Nom à confirmer, « Jr. »", Title: map[lang.Lang]string{
			lang.FR: "Directrice ou directeur", lang.EN: "Director"}},
		Hours: Week{
			time1: {{9 * 60, 12 * 60}, {13 * 60, 17*60 + 30}},
			time2: {{9 * 60, 12 * 60}, {13 * 60, 17*60 + 30}},
			time3: {{9 * 60, 12 * 60}},
			time6: {{10 * 60, 24 * 60}},
		},
		Closures: []Closure{
			{From: Date{2026, 12, 24}, To: Date{2027, 1, 2}, Reason: map[lang.Lang]string{lang.FR: "Fermeture des fêtes", lang.EN: "Holiday closure | office"}},
			{From: Date{2026, 11, 20}, To: Date{2026, 11, 20}, Holiday: true, Reason: map[lang.Lang]string{lang.FR: "", lang.EN: ""}},
		},
		Covers: []string{"AR", "CL", "UY"},
		Services: map[Clientele]map[lang.Lang]string{
			Businesses:   {lang.FR: "Prospection, négociations; orientation.", lang.EN: "Prospecting, negotiations; referral."},
			Culture:      {lang.FR: "Créateurs", lang.EN: ""},
			Research:     {lang.FR: "", lang.EN: "Research, only in English"},
			Institutions: {lang.FR: "Institutions\nsur deux lignes", lang.EN: "Institutions"},
			Citizens:     {lang.FR: "Citoyens", lang.EN: "Citizens"},
		},
		Sample: true,
	}
}

// Weekdays by number, to keep everyField readable.
const (
	time1 = 1 // Monday
	time2 = 2
	time3 = 3
	time6 = 6 // Saturday
)
