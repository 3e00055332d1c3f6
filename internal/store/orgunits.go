package store

import (
	"fmt"
	"slices"
	"strconv"

	"portail/internal/apperr"
	"portail/internal/lang"
	"portail/internal/orgchart"
)

// CheckOrgUnitSave decides a save of u (see OrgUnits.SaveOrgUnit) from
// held, the chart as the save's transaction reads it: Conflict
// "id" when adding an ID that exists, NotFound when changing one that
// does not, Conflict "version" when the unit changed since u.Version,
// then Invalid with the problems of orgchart.CheckChange for the chart
// the save would leave. nil: the save may be written, on condition that
// the unit is still at u.Version (which the transaction guarantees).
// u must have passed Validate.
func CheckOrgUnitSave(held []orgchart.Unit, u orgchart.Unit) error {
	i := slices.IndexFunc(held, func(h orgchart.Unit) bool { return h.ID == u.ID })
	found := i >= 0
	switch {
	case u.Version == 0 && found:
		return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("unit %q exists", u.ID),
			Problems: map[string]string{"id": "form.orgunit.duplicate"}}
	case u.Version != 0 && !found:
		return apperr.New(apperr.NotFound, "unit %q", u.ID)
	case found && held[i].Version != u.Version:
		return StaleOrgUnit(u.ID, u.Version, held[i].Version)
	}
	after := slices.Clone(held)
	if found {
		after[i] = u
	} else {
		after = append(after, u)
	}
	return orgchart.CheckChange(after, u.ID)
}

// StaleOrgUnit is the Conflict of a save named from a version that is no
// longer the unit's.
func StaleOrgUnit(id string, named, current int) error {
	return &apperr.Error{Kind: apperr.Conflict, Msg: fmt.Sprintf("unit %q is at version %d, not %d", id, current, named),
		Problems: map[string]string{"version": "form.orgunit.stale"}}
}

// OrgUnitDetail is the audit detail of a save of u at version: "version
// 3: Direction des communications", its last French name.
func OrgUnitDetail(u orgchart.Unit, version int) string {
	name := ""
	if n := len(u.Periods); n > 0 {
		name = u.Periods[n-1].Name[lang.FR]
	}
	return "version " + strconv.Itoa(version) + ": " + name
}
