package store

import (
	"context"

	"portail/internal/change"
)

// Changes is the change feed: every write that changes what the public
// site shows (a publication, a withdrawal, a reserved path…) appends one
// change.Change in its own transaction, so a record exists exactly when
// its write committed. Each instance follows the feed to refresh its
// public site.
type Changes interface {
	// LastChange returns the newest record, or the zero Change when the
	// feed is empty. It returns no error kind of its own: any error is
	// Internal.
	LastChange(ctx context.Context) (change.Change, error)

	// ChangesSince returns, oldest first, at most limit records whose Seq
	// is greater than seq (0 for all). Returns Invalid when limit is not
	// positive; any other error is Internal.
	ChangesSince(ctx context.Context, seq int64, limit int) ([]change.Change, error)
}

// ChangeNotifier is what a store that can announce its changes offers
// besides the feed (PostgreSQL's LISTEN/NOTIFY). A follower still polls
// the feed, as a safety net for announcements lost with a connection.
type ChangeNotifier interface {
	// ChangeNotices returns a channel that receives a value soon after a
	// change record commits, on any instance, until ctx ends. Several
	// changes may give one value; one also comes whenever listening
	// starts again after a lost connection, for what it may have missed.
	ChangeNotices(ctx context.Context) <-chan struct{}
}
