package orgchart

import (
	"bytes"
	_ "embed"
)

// defaultsJSON is the department's structure as its public sources give
// it (FACTS.md §6 and the department's own page), in the JSON file
// format:
//   - the minister's office at the top, the deputy minister's under it;
//   - under the deputy minister, the five sectors "that encompass all
//     the directorates as well as the teams reporting to the deputy
//     minister": Francophone and multilateral policies and affairs,
//     bilateral affairs, coordination of international action and
//     protocol, department and employee services, and the teams
//     reporting to the deputy minister, worded in French as the
//     department words its units;
//   - the units that the department's documents name: the Secrétariat
//     général et performance, the Direction de l'audit interne and the
//     Direction des communications, placed among the teams reporting to
//     the deputy minister, where such units usually sit (the sources do
//     not say where); and the Direction de la Francophonie et de la
//     Solidarité internationale, in the Francophone and multilateral
//     sector. The Direction des communications has its real address,
//     communication@mri.gouv.qc.ca; its street address (Édifice
//     Hector-Fabre, 525, boulevard René-Lévesque Est, Québec) is not a
//     field of a unit.
//
// Everything else is sample data, and each such unit says so with
// "sample": true: the directorates of the bilateral, protocol and
// services sectors (plausible ones, not found in the sources), and the
// history that gives the "as of a date" view and the list of recent
// changes something to show: the international organisations
// directorate moved from the coordination sector to the Francophone and
// multilateral one on 2026-04-01, the Asia and Oceania directorate
// renamed Indo-Pacific on 2026-10-01 (after the redeployment to the
// Indo-Pacific announced in 2024), and a project office of the 2024
// network reform, open from 2024-04-01 to its closing on 2026-11-01.
// As time passes these leave the "last 90 days"; the staff's own changes
// take their place.
//
// The current structure starts on 2024-01-01: the sources give it
// without a date of creation, so the chart's records start at the
// beginning of the year of the network reform (FACTS.md §6, 2024) rather
// than at an invented older date; the chart shows nothing before it.
//
// No person is named: every head is "Nom à confirmer / To be confirmed"
// with the title of the post, as in the offices' defaults. No telephone
// number is given, none being in the sources.
//
//go:embed defaults.json
var defaultsJSON []byte

// Defaults returns the chart's default content: the department's
// structure from its public sources, with sample directorates and
// history (see defaultsJSON). Each call returns new slices and maps.
func Defaults() []Unit {
	units, err := ReadJSON(bytes.NewReader(defaultsJSON))
	if err != nil {
		// defaults_test.go reads the same file: this cannot happen in
		// a binary whose tests passed.
		panic("orgchart: defaults.json: " + err.Error())
	}
	return units
}
