-- A file is on the public site (/fichiers/{id}/{name}, /files/{id}/{name})
-- while published_at is set: when it was last published. NULL means
-- staff-only: never published, or withdrawn.
ALTER TABLE media ADD COLUMN published_at TIMESTAMPTZ;
