-- A revision sent back to its author: who did, when, and what the author
-- should change. Kept after the revision moves on, as its history.
ALTER TABLE revisions ADD COLUMN returned_by TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN returned_at TIMESTAMPTZ;
ALTER TABLE revisions ADD COLUMN return_comment TEXT NOT NULL DEFAULT '';
