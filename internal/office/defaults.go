package office

import (
	"bytes"
	_ "embed"
)

// defaultsJSON is the network as FACTS.md §5 lists it, in the JSON file
// format. What the sources give is fact: each office's city, country,
// type and its changes, status, the countries it also covers, and the
// services their clienteles get, in general terms. Coordinates are the
// city's centre, approximately. Everything else is sample data, and each
// office says so with "sample": true: addresses (except Paris, 66 rue
// Pergolèse, and London, 59 Pall Mall, which the sources give; Tel Aviv
// and UNESCO name only the Canadian mission they sit in), phones (from
// the ranges set aside for fiction in North America, 555-0100 to
// 555-0199, and the United Kingdom, 020 7946 0xxx; elsewhere zeros),
// email addresses at example.org, hours, closures, and the head of
// office, "to be confirmed" rather than a made-up person.
//
// Choices where the sources stop short:
//   - Eight general delegations: the ninth of 2024 is not found, and not
//     guessed. Dakar is one with no date for its raising.
//   - Washington, Miami, Seoul and Singapore change from bureau to
//     delegation on 2024-03-22, the day the reform was announced; the
//     day it took effect is not in the sources. Miami's type before is
//     not given either (bureau here), and Miami is not among the nine
//     US offices that a list from before the reform (34 offices) names.
//   - Seattle is a planned delegation with no date: its opening day,
//     9999-12-31, keeps it planned until staff enter the real one.
//   - Hong Kong and Havana are to close "in 2024": closed from
//     2025-01-01, the latest that can be. Hong Kong's country is China,
//     as the sources have it, not the ISO code HK.
//   - Los Angeles, Houston and Silicon Valley are bureaus and
//     Philadelphia a trade office (the source calls it an "antenne"):
//     the other types are not found.
//   - Rome, Barcelona, Berlin, Mumbai and São Paulo are offices the
//     sources say were opened, as bureaus; their type and that they are
//     still open are not confirmed. Milan, Lafayette, Dallas, Santiago
//     and Moscow are left out, and so are the Chinese antennas (no city
//     given) and Stockholm (under study).
//   - The Francophone and Multilateral Affairs Delegation is placed in
//     Paris, the OIF's seat; the UNESCO representative too.
//   - Opening days are left empty (open before the directory's records):
//     the sources give years (New York 1940, Chicago 1969, UNESCO 2006,
//     Abidjan 2017) or months (Havana autumn 2017, Tel Aviv August 2023),
//     never days.
//   - English names are "Québec Government Office in …" for every type,
//     as the department writes them; French names say the type as of
//     2026 ("Délégation du Québec à Washington").
//   - Brussels' service to the European Union, Chicago's twelve Midwest
//     states and Mexico City's to Cuba since 2024 are said in the
//     services' text; Covers holds only countries.
//
//go:embed defaults.json
var defaultsJSON []byte

// Defaults returns the directory's default content: Québec's network
// abroad from the department's public sources, with sample contact
// details (see defaultsJSON). Each call returns new slices and maps.
func Defaults() []Office {
	offs, err := ReadJSON(bytes.NewReader(defaultsJSON))
	if err != nil {
		// defaults_test.go reads the same file: this cannot happen in
		// a binary whose tests passed.
		panic("office: defaults.json: " + err.Error())
	}
	return offs
}
