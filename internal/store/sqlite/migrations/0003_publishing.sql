-- The editorial workflow: review-by dates, scheduled publication, approvals
-- and the log of publications that the public change history shows.

-- The date (YYYY-MM-DD) by which the page's owner must re-check it.
ALTER TABLE pages ADD COLUMN review_by TEXT;

-- A revision in review with publish_at set is approved for publication at
-- that time; the scheduler clears it in the transaction that publishes.
ALTER TABLE revisions ADD COLUMN publish_at TEXT;
ALTER TABLE revisions ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN approval_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX revisions_scheduled ON revisions (publish_at) WHERE publish_at IS NOT NULL;

-- One row per publication, never updated: updated = 1 when it moved the
-- page's "Last update" (a major change, or the first publication).
CREATE TABLE publications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    page_key     TEXT NOT NULL REFERENCES pages(key),
    lang         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    updated      INTEGER NOT NULL,
    change_note  TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    scheduled    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX publications_page ON publications (page_key, lang, id);

-- Revisions published before this migration get their row.
INSERT INTO publications (revision_id, page_key, lang, published_at, updated, change_note)
SELECT r.id, r.page_key, r.lang, r.published_at,
       r.major = 1 OR r.id = (SELECT min(f.id) FROM revisions f
                              WHERE f.page_key = r.page_key AND f.lang = r.lang AND f.published_at IS NOT NULL),
       r.change_note
FROM revisions r WHERE r.published_at IS NOT NULL ORDER BY r.published_at, r.id;
