-- The organization chart: one row per unit. Its periods (parent, kind,
-- names, head, contacts, each from one day to another) are one JSON
-- document whose shape store.EncodeOrgUnitDoc defines; the ID, the
-- version that a save names to detect a concurrent edit, and the time the
-- data last changed are columns of their own. The parents are not
-- foreign keys: they are dated, and the whole chart is checked
-- (orgchart.Check) inside every write's transaction instead.
CREATE TABLE org_units (
    id         TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    doc        TEXT NOT NULL CHECK (json_valid(doc))
);
