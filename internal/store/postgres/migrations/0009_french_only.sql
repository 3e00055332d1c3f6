-- A page written in French only by design (the access-to-information
-- section, say): its English is not a missing translation, and the
-- translation dashboard leaves it out. Editors set it in the editor.
ALTER TABLE pages ADD COLUMN french_only BOOLEAN NOT NULL DEFAULT false;

-- Until now the only French-only pages were those whose English path is
-- reserved, with no English revision: the public "available only in
-- French" notice lives there.
UPDATE pages SET french_only = true
WHERE key IN (SELECT t.page_key FROM translations t WHERE t.lang = 'en' AND t.revision_id IS NULL)
  AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.page_key = pages.key AND r.lang = 'en');
