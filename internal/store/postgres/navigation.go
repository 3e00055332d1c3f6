package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/change"
	"portail/internal/content"
	"portail/internal/lang"
)

func scanSection(sc scanner) (content.NavSection, error) {
	s := content.NavSection{Label: map[lang.Lang]string{}}
	var fr, en string
	err := sc.Scan(&s.Key, &s.Order, &fr, &en)
	s.Label[lang.FR], s.Label[lang.EN] = fr, en
	return s, err
}

// Sections implements store.Navigation.
func (d *DB) Sections(ctx context.Context) ([]content.NavSection, error) {
	out, err := queryAll(ctx, d.pool, scanSection, `SELECT key, sort, label_fr, label_en FROM sections ORDER BY sort, key`)
	if err != nil {
		return nil, fmt.Errorf("postgres: sections: %w", err)
	}
	return out, nil
}

// SaveSection implements store.Navigation.
func (d *DB) SaveSection(ctx context.Context, s content.NavSection, o audit.Origin) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("postgres: section %q: %w", s.Key, err)
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sections SET sort = $1, label_fr = $2, label_en = $3 WHERE key = $4`,
			s.Order, s.Label[lang.FR], s.Label[lang.EN], string(s.Key))
		if err != nil {
			return err
		}
		if res.RowsAffected() == 0 {
			return apperr.New(apperr.NotFound, "section %q", s.Key)
		}
		if err := appendChange(ctx, tx, d.clock(), change.Nav, string(s.Key)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.NavSectionEdit, string(s.Key), sectionDetail(s)))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: section %q: %w", s.Key, err)
	}
	return nil
}

func sectionDetail(s content.NavSection) string {
	return "order " + strconv.Itoa(s.Order) + "; fr: " + s.Label[lang.FR] + "; en: " + s.Label[lang.EN]
}

// AddSection implements store.Navigation.
func (d *DB) AddSection(ctx context.Context, n content.NewSection, o audit.Origin) error {
	if err := n.Validate(); err != nil {
		return fmt.Errorf("postgres: add section %q: %w", n.Section.Key, err)
	}
	now := d.clock()
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var count int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM sections`).Scan(&count); err != nil {
			return err
		}
		if count >= content.MaxSections {
			return &apperr.Error{Kind: apperr.Invalid, Msg: "too many sections", Problems: map[string]string{"section": "form.section.too_many"}}
		}
		s := n.Section
		_, err := tx.Exec(ctx, `INSERT INTO sections (key, sort, label_fr, label_en) VALUES ($1, $2, $3, $4)`,
			string(s.Key), s.Order, s.Label[lang.FR], s.Label[lang.EN])
		if isConstraint(err) {
			return &apperr.Error{Kind: apperr.Conflict, Msg: "section exists", Problems: map[string]string{"key": "form.key.taken"}}
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO pages (key, section, sort) VALUES ($1, $2, $3)`, n.Landing.Key, string(s.Key), n.Landing.Order)
		if isConstraint(err) {
			return &apperr.Error{Kind: apperr.Conflict, Msg: "page exists", Problems: map[string]string{"page": "form.key.taken"}}
		}
		if err != nil {
			return err
		}
		for _, r := range n.Drafts {
			r.Created = now
			if _, err := insertRevision(ctx, tx, r); err != nil {
				if apperr.ProblemsOf(err)["path"] != "" {
					return &apperr.Error{Kind: apperr.KindOf(err), Msg: "path taken", Problems: map[string]string{string(r.Lang) + ".path": apperr.ProblemsOf(err)["path"]}, Err: err}
				}
				return err
			}
		}
		if err := appendChange(ctx, tx, now, change.Nav, string(s.Key)); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.NavSectionAdd, string(s.Key), sectionDetail(s)+"; page "+n.Landing.Key))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: add section %q: %w", n.Section.Key, err)
	}
	return nil
}

func scanFooterLink(sc scanner) (content.FooterLink, error) {
	f := content.FooterLink{Label: map[lang.Lang]string{}, URL: map[lang.Lang]string{}}
	var lfr, len_, ufr, uen string
	err := sc.Scan(&f.ID, &f.Order, &lfr, &len_, &ufr, &uen)
	f.Label[lang.FR], f.Label[lang.EN], f.URL[lang.FR], f.URL[lang.EN] = lfr, len_, ufr, uen
	return f, err
}

// FooterLinks implements store.Navigation.
func (d *DB) FooterLinks(ctx context.Context) ([]content.FooterLink, error) {
	out, err := queryAll(ctx, d.pool, scanFooterLink, `SELECT id, sort, label_fr, label_en, url_fr, url_en FROM footer_links ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: footer links: %w", err)
	}
	return out, nil
}

// SaveFooterLink implements store.Navigation.
func (d *DB) SaveFooterLink(ctx context.Context, f content.FooterLink, o audit.Origin) (content.FooterLink, error) {
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("postgres: footer link: %w", err)
	}
	// Decided before the transaction, which may run more than once and
	// sets f.ID.
	add := f.ID == 0
	err := d.tx(ctx, func(tx pgx.Tx) error {
		if add {
			var count int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM footer_links`).Scan(&count); err != nil {
				return err
			}
			if count >= content.MaxFooter {
				return &apperr.Error{Kind: apperr.Invalid, Msg: "too many footer links", Problems: map[string]string{"footer": "form.footer.too_many"}}
			}
			err := tx.QueryRow(ctx, `INSERT INTO footer_links (sort, label_fr, label_en, url_fr, url_en) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				f.Order, f.Label[lang.FR], f.Label[lang.EN], f.URL[lang.FR], f.URL[lang.EN]).Scan(&f.ID)
			if err != nil {
				return err
			}
		} else {
			res, err := tx.Exec(ctx, `UPDATE footer_links SET sort = $1, label_fr = $2, label_en = $3, url_fr = $4, url_en = $5 WHERE id = $6`,
				f.Order, f.Label[lang.FR], f.Label[lang.EN], f.URL[lang.FR], f.URL[lang.EN], f.ID)
			if err != nil {
				return err
			}
			if res.RowsAffected() == 0 {
				return apperr.New(apperr.NotFound, "footer link %d", f.ID)
			}
		}
		if err := appendChange(ctx, tx, d.clock(), change.Nav, "footer"); err != nil {
			return err
		}
		_, err := d.appendAudit(ctx, tx, entry(o, audit.NavFooterEdit, "footer/"+strconv.FormatInt(f.ID, 10),
			"order "+strconv.Itoa(f.Order)+"; fr: "+f.Label[lang.FR]+" "+f.URL[lang.FR]+"; en: "+f.Label[lang.EN]+" "+f.URL[lang.EN]))
		return err
	})
	if err != nil {
		return f, fmt.Errorf("postgres: footer link %d: %w", f.ID, err)
	}
	return f, nil
}

// DeleteFooterLink implements store.Navigation.
func (d *DB) DeleteFooterLink(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		f, err := scanFooterLink(tx.QueryRow(ctx, `SELECT id, sort, label_fr, label_en, url_fr, url_en FROM footer_links WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "footer link")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM footer_links WHERE id = $1`, id); err != nil {
			return err
		}
		if err := appendChange(ctx, tx, d.clock(), change.Nav, "footer"); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.NavFooterDel, "footer/"+strconv.FormatInt(id, 10),
			"fr: "+f.Label[lang.FR]+" "+f.URL[lang.FR]+"; en: "+f.Label[lang.EN]+" "+f.URL[lang.EN]))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete footer link %d: %w", id, err)
	}
	return nil
}
