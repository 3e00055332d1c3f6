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
