CREATE TABLE pages (
    key        TEXT PRIMARY KEY,
    section    TEXT NOT NULL,
    sort       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    page_key    TEXT NOT NULL REFERENCES pages(key),
    lang        TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    path        TEXT NOT NULL,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL CHECK (state IN ('draft', 'review', 'published', 'archived')),
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    major       INTEGER NOT NULL DEFAULT 0,
    change_note TEXT NOT NULL DEFAULT '',
    published_at TEXT
);
CREATE INDEX revisions_page ON revisions (page_key, lang, id);

-- The public view: one row per page and language. revision_id is NULL while
-- the path is only reserved (the French-only notice is shown there).
CREATE TABLE translations (
    page_key    TEXT NOT NULL REFERENCES pages(key),
    lang        TEXT NOT NULL,
    path        TEXT NOT NULL,
    revision_id INTEGER REFERENCES revisions(id),
    updated_at  TEXT,
    PRIMARY KEY (page_key, lang),
    UNIQUE (lang, path)
);

CREATE TABLE redirects (
    lang     TEXT NOT NULL,
    path     TEXT NOT NULL,
    page_key TEXT NOT NULL REFERENCES pages(key),
    PRIMARY KEY (lang, path)
);
