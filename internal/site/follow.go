package site

import (
	"context"
	"portail/internal/store"
	"time"
)

// PollEvery is how often Follow asks the store for new changes: a change
// committed by any instance shows on this one within about that long.
const PollEvery = 250 * time.Millisecond

// maxRetry is the longest pause between two attempts while the store
// fails, so that a database that is down is not hammered nor the log
// flooded.
const maxRetry = 10 * time.Second

// pollBatch is how many new records a poll reads at most; any number of
// them leads to one rebuild.
const pollBatch = 100

// feed is this instance's place in the change feed.
type feed struct {
	// turn lets one refresh run at a time. It is a channel rather than a
	// mutex so that waiting for it ends with the waiter's context.
	turn chan struct{}
}

func newFeed() feed { return feed{turn: make(chan struct{}, 1)} }

// Follow keeps the public site up to date with the store's change feed
// until ctx ends: every interval it asks for the changes newer than those
// the index reflects (one indexed query) and, when there are some,
// rebuilds the index and empties the rendered-page cache. The request
// path never waits for it. Errors are logged and retried, with a pause
// that grows while they last. When the store announces its changes
// (store.ChangeNotifier), an announcement makes it ask at once; the
// polls remain, for announcements lost with a connection.
func (s *Site) Follow(ctx context.Context, every time.Duration) {
	t := time.NewTimer(every)
	defer t.Stop()
	var notices <-chan struct{} // nil, never ready, without a notifier
	if n, ok := s.store.(store.ChangeNotifier); ok {
		notices = n.ChangeNotices(ctx)
	}
	wait, failing := every, false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-notices:
		}
		switch err := s.poll(ctx); {
		case err == nil:
			if failing {
				s.log.Info("site: following the change feed again")
			}
			wait, failing = every, false
		case ctx.Err() != nil:
			return
		default:
			failing = true
			s.log.Error("site: following the change feed", "err", err, "retry_in", wait)
			wait = min(2*wait, maxRetry)
		}
		t.Reset(wait)
	}
}

// poll refreshes the site if the feed has moved past its index.
func (s *Site) poll(ctx context.Context) error {
	seq := s.index().seq
	cs, err := s.store.ChangesSince(ctx, seq, pollBatch)
	if err != nil || len(cs) == 0 {
		return err
	}
	s.log.Debug("site: changes", "after", seq, "count", len(cs), "newest", cs[len(cs)-1].Seq)
	return s.refresh(ctx)
}

// Sync returns once the public site of this instance reflects every
// change that the store had committed when Sync was called, refreshing it
// now rather than waiting for Follow's next poll. The staff side calls it
// after a publication so that the editor sees their own change at once;
// tests call it before reading what they have just written.
func (s *Site) Sync(ctx context.Context) error {
	last, err := s.store.LastChange(ctx)
	if err != nil {
		return err
	}
	if s.index().seq >= last.Seq {
		return nil
	}
	return s.refresh(ctx)
}

// refresh rebuilds the index from the store and empties the rendered-page
// cache, unless the index already reflects the newest change.
func (s *Site) refresh(ctx context.Context) error {
	select {
	case s.feed.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.feed.turn }()
	// The newest change is read before the pages, so the pages are at
	// least as new as the change the index is labelled with. Read after,
	// a change committed in between would label older pages as newer, and
	// no poll would ever rebuild them.
	last, err := s.store.LastChange(ctx)
	if err != nil {
		return err
	}
	if cur := s.index(); cur != nil && cur.seq >= last.Seq {
		return nil
	}
	ts, err := s.store.Translations(ctx)
	if err != nil {
		return err
	}
	secs, err := s.store.Sections(ctx)
	if err != nil {
		return err
	}
	footer, err := s.store.FooterLinks(ctx)
	if err != nil {
		return err
	}
	idx := newIndex(ts, last.Seq, last.At)
	idx.sections, idx.footer = secs, footer
	s.mu.Lock()
	s.idx = idx
	s.cache.Purge()
	s.mu.Unlock()
	return nil
}

// Purge empties the rendered-page cache without reading the store: each
// page is rendered again on its next request. Benchmarks of rendering
// use it.
func (s *Site) Purge() {
	s.mu.Lock()
	s.cache.Purge()
	s.mu.Unlock()
}

// CacheStats returns the hits and misses of the rendered-page cache since
// the site was made.
func (s *Site) CacheStats() (hits, misses uint64) { return s.cache.Stats() }

// Lag says how far this instance's public site is behind the store's
// change feed: how many records it has not applied yet, and when the
// oldest of them was committed (the zero time when none). The metrics
// read it at scrape time.
func (s *Site) Lag(ctx context.Context) (behind int64, oldest time.Time, err error) {
	seq := s.index().seq
	last, err := s.store.LastChange(ctx)
	if err != nil || last.Seq <= seq {
		return 0, time.Time{}, err
	}
	cs, err := s.store.ChangesSince(ctx, seq, 1)
	if err != nil || len(cs) == 0 {
		return last.Seq - seq, time.Time{}, err
	}
	return last.Seq - seq, cs[0].At, nil
}
