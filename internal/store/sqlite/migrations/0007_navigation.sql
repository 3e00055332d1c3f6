-- The public site's navigation as data: its sections, their order and
-- menu labels, and the footer's links. The six sections that the code
-- held until now are kept, with the labels it showed.
CREATE TABLE sections (
    key      TEXT PRIMARY KEY,
    sort     INTEGER NOT NULL DEFAULT 0,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL
);
INSERT INTO sections (key, sort, label_fr, label_en) VALUES
    ('home', 0, 'Accueil', 'Home'),
    ('department', 1, 'Ministère', 'Department'),
    ('offices', 2, 'Représentations à l''étranger', 'Offices abroad'),
    ('policy', 3, 'Politique internationale', 'International policy'),
    ('services', 4, 'Déclaration de services', 'Statement of services'),
    ('access', 5, 'Accès à l''information', 'Access to information');

CREATE TABLE footer_links (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    sort     INTEGER NOT NULL DEFAULT 0,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    url_fr   TEXT NOT NULL,
    url_en   TEXT NOT NULL
);
