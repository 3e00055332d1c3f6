package audit

// The publishing workflow's audited actions. Their Target is
// "page-key/lang" and their Detail names the revision.
const (
	PagePublish    Action = "page.publish"
	PageSchedule   Action = "page.schedule"
	PageUnschedule Action = "page.unschedule"
	PageArchive    Action = "page.archive"
	PageReturn     Action = "page.return" // sent back to its author; Detail has the comment
)

// The navigation's audited actions. Their Target is the section's key or
// "footer/ID".
const (
	NavSectionAdd  Action = "nav.section.add"
	NavSectionEdit Action = "nav.section.edit"
	NavFooterEdit  Action = "nav.footer.edit"
	NavFooterDel   Action = "nav.footer.delete"
)
