-- The directory of offices abroad: one row per office. Its data, nested
-- and always read whole (hours, closures, services, …), is one JSON
-- document whose shape store.EncodeOfficeDoc defines; the slug, the
-- version that a save names to detect a concurrent edit, and the time the
-- data last changed are columns of their own.
CREATE TABLE offices (
    slug       TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    doc        TEXT NOT NULL CHECK (json_valid(doc))
);
