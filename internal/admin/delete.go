package admin

import (
	"errors"
	"net/http"
	"strconv"

	"portail/internal/apperr"
)

// Deletion is the two-step deletion of a versioned record (an office, a
// policy document): the delete button posts the version the staff member
// saw, the area shows what is about to go and asks, and only the
// confirmed post deletes — at that version, so that a record someone
// changed meanwhile is shown again, as it now is, instead of going.
type Deletion struct {
	// Current is the record's stored version.
	Current int
	// Ask draws the confirmation page with status; stale says that the
	// record changed since the staff member saw it.
	Ask func(status int, stale bool)
	// Delete deletes the record if it is still at version; Reload reads
	// it again after a conflict, before Ask shows it.
	Delete func(version int) error
	Reload func() error
	// InvalidVersion is the message key of a post without a version.
	InvalidVersion string
	// Done is where the staff member goes once the record is deleted.
	Done string
}

// ConfirmDelete answers a post of a Deletion's delete button.
func (a *Admin) ConfirmDelete(w http.ResponseWriter, r *http.Request, d Deletion) {
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 1 {
		a.Errors.Invalid(w, r, d.InvalidVersion)
		return
	}
	if r.PostFormValue("confirm") == "" {
		if version != d.Current {
			d.Ask(http.StatusConflict, true)
			return
		}
		d.Ask(http.StatusOK, false)
		return
	}
	err = d.Delete(version)
	switch {
	case errors.Is(err, apperr.Conflict):
		if err := d.Reload(); err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Ask(http.StatusConflict, true)
	case err != nil:
		a.Fail(w, r, err)
	default:
		a.ShowChanges(r)
		http.Redirect(w, r, d.Done, http.StatusSeeOther)
	}
}
