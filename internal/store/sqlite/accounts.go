package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"portail/internal/apperr"
	"portail/internal/audit"
	"portail/internal/auth"
	"portail/internal/lang"
)

const (
	userCols  = `id, email, name, role, lang, disabled, must_change, password_hash, created_at`
	userColsU = `u.id, u.email, u.name, u.role, u.lang, u.disabled, u.must_change, u.password_hash, u.created_at`
)

func scanUser(row scanner) (auth.User, error) {
	var u auth.User
	var created string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Lang, &u.Disabled, &u.MustChangePassword, &u.PasswordHash, &created)
	u.Created = parseTime(created)
	return u, err
}

// appendAudit writes one audit entry inside tx at the store's time.
func (d *DB) appendAudit(ctx context.Context, tx *sql.Tx, e audit.Entry) (audit.Entry, error) {
	if e.Actor == "" || e.Action == "" {
		return audit.Entry{}, apperr.New(apperr.Invalid, "sqlite: audit entry needs an actor and an action")
	}
	e.Time = d.now().UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)`,
		fmtTime(e.Time), e.Actor, string(e.Action), e.Target, e.Detail, e.IP)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("sqlite: audit: %w", err)
	}
	e.ID, err = res.LastInsertId()
	return e, err
}

func entry(o audit.Origin, a audit.Action, target, detail string) audit.Entry {
	return audit.Entry{Actor: o.Actor, IP: o.IP, Action: a, Target: target, Detail: detail}
}

// CreateUser implements store.Accounts.
func (d *DB) CreateUser(ctx context.Context, u auth.User, o audit.Origin) (auth.User, error) {
	u.Email = auth.NormalizeEmail(u.Email)
	if u.Lang == "" {
		u.Lang = lang.FR
	}
	if err := u.Validate().Err(); err != nil {
		return auth.User{}, fmt.Errorf("sqlite: create user: %w", err)
	}
	if u.PasswordHash == "" {
		return auth.User{}, apperr.New(apperr.Invalid, "sqlite: create user %s: no password hash", u.Email)
	}
	u.Created = d.now().UTC()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, role, lang, disabled, must_change, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.MustChangePassword, u.PasswordHash, fmtTime(u.Created))
		if isConstraint(err) {
			return &apperr.Error{Kind: apperr.Conflict, Msg: "email " + u.Email + " in use", Problems: map[string]string{"email": "form.email.taken"}}
		}
		if err != nil {
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserCreate, u.Email, string(u.Role)))
		return err
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("sqlite: create user: %w", err)
	}
	return u, nil
}

// User implements store.Accounts.
func (d *DB) User(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return auth.User{}, fmt.Errorf("sqlite: user %d: %w", id, notFound(err, "user"))
	}
	return u, nil
}

// UserByEmail implements store.Accounts.
func (d *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, auth.NormalizeEmail(email)))
	if err != nil {
		return auth.User{}, fmt.Errorf("sqlite: user %q: %w", email, notFound(err, "user"))
	}
	return u, nil
}

// Users implements store.Accounts.
func (d *DB) Users(ctx context.Context) ([]auth.User, error) {
	out, err := queryAll(ctx, d.db, scanUser, `SELECT `+userCols+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	return out, nil
}

// userEmail returns the email of account id inside tx, or NotFound.
func userEmail(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var email string
	err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, id).Scan(&email)
	return email, notFound(err, "user")
}

// SetRole implements store.Accounts.
func (d *DB) SetRole(ctx context.Context, id int64, r auth.Role, o audit.Origin) error {
	if !r.Valid() {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "sqlite: unknown role " + string(r), Problems: map[string]string{"role": "form.role.invalid"}}
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var email, old string
		err := tx.QueryRowContext(ctx, `SELECT email, role FROM users WHERE id = ?`, id).Scan(&email, &old)
		if err != nil {
			return notFound(err, "user")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(r), id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserRole, email, old+" → "+string(r)))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set role of user %d: %w", id, err)
	}
	return nil
}

// DisableUser implements store.Accounts.
func (d *DB) DisableUser(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserDisable, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: disable user %d: %w", id, err)
	}
	return nil
}

// EnableUser implements store.Accounts.
func (d *DB) EnableUser(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var email string
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT email, disabled FROM users WHERE id = ?`, id).Scan(&email, &disabled)
		if err != nil {
			return notFound(err, "user")
		}
		if !disabled {
			return apperr.New(apperr.Conflict, "account %s is not disabled", email)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserEnable, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: enable user %d: %w", id, err)
	}
	return nil
}

// ResetPassword implements store.Accounts.
func (d *DB) ResetPassword(ctx context.Context, id int64, hash string, o audit.Origin) error {
	if hash == "" {
		return apperr.New(apperr.Invalid, "sqlite: reset password of user %d: empty hash", id)
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change = 1 WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserReset, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: reset password of user %d: %w", id, err)
	}
	return nil
}

// SetPassword implements store.Accounts.
func (d *DB) SetPassword(ctx context.Context, id int64, hash, keep string, o audit.Origin) error {
	if hash == "" {
		return apperr.New(apperr.Invalid, "sqlite: set password of user %d: empty hash", id)
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change = 0 WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND hash <> ?`, id, keep); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PasswordSet, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: set password of user %d: %w", id, err)
	}
	return nil
}

// SetLang implements store.Accounts.
func (d *DB) SetLang(ctx context.Context, id int64, l lang.Lang) error {
	if _, ok := lang.Parse(string(l)); !ok {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "sqlite: unknown language", Problems: map[string]string{"lang": "form.lang.invalid"}}
	}
	res, err := d.db.ExecContext(ctx, `UPDATE users SET lang = ? WHERE id = ?`, string(l), id)
	if err != nil {
		return fmt.Errorf("sqlite: set lang of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "sqlite: user %d", id)
	}
	return nil
}

// CreateSession implements store.Accounts.
func (d *DB) CreateSession(ctx context.Context, s auth.Session, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var email string
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT email, disabled FROM users WHERE id = ?`, s.UserID).Scan(&email, &disabled)
		if err != nil {
			return notFound(err, "user")
		}
		if disabled {
			return apperr.New(apperr.Forbidden, "account %s is disabled", email)
		}
		// Sessions that ended without a sign-out are swept here, so that
		// the table holds only live ones and a few stragglers.
		now := fmtTime(d.now())
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR idle_until <= ?`, now, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, idle_until, expires_at) VALUES (?, ?, ?, ?, ?)`,
			s.Hash, s.UserID, fmtTime(s.Created), fmtTime(s.IdleUntil), fmtTime(s.Expires))
		if err != nil {
			return err
		}
		// The account signs in: it is the actor, whoever o names.
		_, err = d.appendAudit(ctx, tx, audit.Entry{Actor: email, IP: o.IP, Action: audit.Login})
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	return nil
}

// Session implements store.Accounts.
func (d *DB) Session(ctx context.Context, hash string) (auth.Session, auth.User, error) {
	row := d.db.QueryRowContext(ctx, `SELECT s.hash, s.user_id, s.created_at, s.idle_until, s.expires_at, `+userColsU+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash)
	var s auth.Session
	var created, idle, expires string
	var u auth.User
	var ucreated string
	err := row.Scan(&s.Hash, &s.UserID, &created, &idle, &expires,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.Lang, &u.Disabled, &u.MustChangePassword, &u.PasswordHash, &ucreated)
	if err != nil {
		return auth.Session{}, auth.User{}, fmt.Errorf("sqlite: session: %w", notFound(err, "session"))
	}
	s.Created, s.IdleUntil, s.Expires, u.Created = parseTime(created), parseTime(idle), parseTime(expires), parseTime(ucreated)
	if !s.Live(d.now()) || u.Disabled {
		if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
			return auth.Session{}, auth.User{}, fmt.Errorf("sqlite: session: %w", err)
		}
		return auth.Session{}, auth.User{}, apperr.New(apperr.NotFound, "sqlite: session expired")
	}
	return s, u, nil
}

// TouchSession implements store.Accounts.
func (d *DB) TouchSession(ctx context.Context, hash string, idleUntil time.Time) error {
	res, err := d.db.ExecContext(ctx, `UPDATE sessions SET idle_until = min(?, expires_at) WHERE hash = ?`, fmtTime(idleUntil), hash)
	if err != nil {
		return fmt.Errorf("sqlite: touch session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "sqlite: session")
	}
	return nil
}

// EndSession implements store.Accounts.
func (d *DB) EndSession(ctx context.Context, hash string, o audit.Origin) error {
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var email string
		err := tx.QueryRowContext(ctx, `SELECT u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash).Scan(&email)
		if err != nil {
			return notFound(err, "session")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, audit.Entry{Actor: email, IP: o.IP, Action: audit.Logout})
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: end session: %w", err)
	}
	return nil
}
