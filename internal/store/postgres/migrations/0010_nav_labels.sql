-- The default navigation's labels with typographic apostrophes and the
-- department's own English name of its declaration of services. Labels
-- an administrator changed since are left as they are.
UPDATE sections SET label_fr = 'Représentations à l’étranger' WHERE key = 'offices' AND label_fr = 'Représentations à l''étranger';
UPDATE sections SET label_fr = 'Accès à l’information' WHERE key = 'access' AND label_fr = 'Accès à l''information';
UPDATE sections SET label_en = 'Declaration of services' WHERE key = 'services' AND label_en = 'Statement of services';
