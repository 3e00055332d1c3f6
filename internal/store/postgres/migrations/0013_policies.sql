-- The international policy's documents: one row per policy or update.
-- Its thrusts, objectives and measures, always read whole, are one JSON
-- document whose shape store.EncodePolicyDoc defines; the ID, the version
-- that a save names to detect a concurrent edit, and the time the data
-- last changed are columns of their own.
CREATE TABLE policies (
    id         TEXT COLLATE "C" PRIMARY KEY,
    version    INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    doc        JSONB NOT NULL
);
