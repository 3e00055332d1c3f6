// Package publishing is the staff side's pages and publishing area: the
// bilingual editor, the workflow of revisions (review, publication,
// schedule, archive, restore), their history and diffs, the lists of
// scheduled publications, reviews and translations, the dashboard's
// publishing to-do lists, and the public site's navigation.
//
// The workflow's rules are content.Decide's; the store applies each step
// in one transaction. Which role may reach each route is in Routes.
package publishing

import (
	"portail/internal/admin"
	"portail/internal/auth"
)

// Area is the publishing area, on the staff side's core.
type Area struct{ *admin.Admin }

// New returns the publishing area of core.
func New(core *admin.Admin) admin.Area { return &Area{core} }

// Routes are the publishing area's rows of the staff route table. Finer
// rules (nobody approves their own change; who may send back or archive
// what) are content.Decide's.
func (a *Area) Routes() []admin.Route {
	return []admin.Route{
		{Pattern: "GET /admin/pages", Perm: auth.ReadPages, Handler: a.pageList(), Nav: "admin.nav.pages"},
		{Pattern: "GET /admin/pages/new", Perm: auth.WritePages, Handler: a.newPageForm()},
		{Pattern: "POST /admin/pages/new", Perm: auth.WritePages, Handler: a.createPage()},
		{Pattern: "GET /admin/pages/{key}", Perm: auth.ReadPages, Handler: a.editor()},
		{Pattern: "POST /admin/pages/{key}", Perm: auth.WritePages, Handler: a.saveEditor()},
		{Pattern: "POST /admin/pages/{key}/preview/{lang}", Perm: auth.ReadPages, Handler: a.preview()},
		{Pattern: "GET /admin/pages/{key}/{lang}/history", Perm: auth.ReadPages, Handler: a.pageHistory()},
		{Pattern: "GET /admin/pages/{key}/{lang}/diff", Perm: auth.ReadPages, Handler: a.diff()},
		{Pattern: "GET /admin/revisions/{id}", Perm: auth.ReadPages, Handler: a.revision()},
		{Pattern: "POST /admin/revisions/{id}/submit", Perm: auth.WritePages, Handler: a.submitRevision()},
		{Pattern: "POST /admin/revisions/{id}/return", Perm: auth.ReadPages, Handler: a.returnRevision()},
		{Pattern: "POST /admin/revisions/{id}/publish", Perm: auth.PublishPages, Handler: a.publishRevision()},
		{Pattern: "POST /admin/revisions/{id}/publish-both", Perm: auth.PublishPages, Handler: a.publishBoth()},
		{Pattern: "POST /admin/revisions/{id}/schedule", Perm: auth.PublishPages, Handler: a.scheduleRevision()},
		{Pattern: "POST /admin/revisions/{id}/unschedule", Perm: auth.PublishPages, Handler: a.unscheduleRevision()},
		{Pattern: "POST /admin/revisions/{id}/archive", Perm: auth.ReadPages, Handler: a.archiveRevision()},
		{Pattern: "POST /admin/revisions/{id}/restore", Perm: auth.WritePages, Handler: a.restoreRevision()},
		{Pattern: "GET /admin/scheduled", Perm: auth.ReadPages, Handler: a.scheduled(), Nav: "admin.nav.scheduled"},
		{Pattern: "GET /admin/reviews", Perm: auth.ReadPages, Handler: a.reviews(), Nav: "admin.nav.reviews"},
		{Pattern: "GET /admin/translations", Perm: auth.ReadPages, Handler: a.translations(), Nav: "admin.nav.translations"},
		{Pattern: "GET " + navPath, Perm: auth.ManageNavigation, Handler: a.navigation(), Nav: "admin.nav.navigation"},
		{Pattern: "POST " + navPath + "/sections", Perm: auth.ManageNavigation, Handler: a.addSection()},
		{Pattern: "POST " + navPath + "/sections/{key}", Perm: auth.ManageNavigation, Handler: a.saveSection()},
		{Pattern: "POST " + navPath + "/footer", Perm: auth.ManageNavigation, Handler: a.saveFooterLink()},
		{Pattern: "POST " + navPath + "/footer/{id}", Perm: auth.ManageNavigation, Handler: a.saveFooterLink()},
		{Pattern: "POST " + navPath + "/footer/{id}/delete", Perm: auth.ManageNavigation, Handler: a.deleteFooterLink()},
	}
}
