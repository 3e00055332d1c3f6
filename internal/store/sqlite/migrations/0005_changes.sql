-- The change feed: one row per write that changed what the public site
-- shows, appended in that write's transaction. Every instance polls it by
-- seq (the primary key, so a poll is one index lookup) and refreshes what
-- it serves when a row newer than what it shows appears.
CREATE TABLE changes (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    at    TEXT NOT NULL,
    topic TEXT NOT NULL,
    key   TEXT NOT NULL DEFAULT ''
);

-- The starting point, so that the instances on a database that predates
-- the feed agree on where they are and on the Last-Modified of what they
-- serve: the newest publication is the latest change the data records
-- (the zero time when there is none).
INSERT INTO changes (at, topic, key)
SELECT COALESCE(MAX(published_at), '0001-01-01T00:00:00.000000000Z'), 'start', '' FROM publications;
