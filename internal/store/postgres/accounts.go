package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
	var created pgtype.Timestamptz
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Lang, &u.Disabled, &u.MustChangePassword, &u.PasswordHash, &created)
	u.Created = utc(created)
	return u, err
}

// appendAudit writes one audit entry inside tx at the store's time.
func (d *DB) appendAudit(ctx context.Context, tx pgx.Tx, e audit.Entry) (audit.Entry, error) {
	if e.Actor == "" || e.Action == "" {
		return audit.Entry{}, apperr.New(apperr.Invalid, "postgres: audit entry needs an actor and an action")
	}
	e.Time = d.clock()
	err := tx.QueryRow(ctx, `INSERT INTO audit (at, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		e.Time, e.Actor, string(e.Action), e.Target, e.Detail, e.IP).Scan(&e.ID)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("postgres: audit: %w", err)
	}
	return e, nil
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
		return auth.User{}, fmt.Errorf("postgres: create user: %w", err)
	}
	if u.PasswordHash == "" {
		return auth.User{}, apperr.New(apperr.Invalid, "postgres: create user %s: no password hash", u.Email)
	}
	u.Created = d.clock()
	err := d.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (email, name, role, lang, disabled, must_change, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.MustChangePassword, u.PasswordHash, u.Created).Scan(&u.ID)
		if isConstraint(err) {
			return &apperr.Error{Kind: apperr.Conflict, Msg: "email " + u.Email + " in use", Problems: map[string]string{"email": "form.email.taken"}}
		}
		if err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserCreate, u.Email, string(u.Role)))
		return err
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("postgres: create user: %w", err)
	}
	return u, nil
}

// User implements store.Accounts.
func (d *DB) User(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(d.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err != nil {
		return auth.User{}, fmt.Errorf("postgres: user %d: %w", id, notFound(err, "user"))
	}
	return u, nil
}

// UserByEmail implements store.Accounts.
func (d *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	u, err := scanUser(d.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, auth.NormalizeEmail(email)))
	if err != nil {
		return auth.User{}, fmt.Errorf("postgres: user %q: %w", email, notFound(err, "user"))
	}
	return u, nil
}

// Users implements store.Accounts.
func (d *DB) Users(ctx context.Context) ([]auth.User, error) {
	out, err := queryAll(ctx, d.pool, scanUser, `SELECT `+userCols+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	return out, nil
}

// userEmail returns the email of account id inside tx, or NotFound.
func userEmail(ctx context.Context, tx pgx.Tx, id int64) (string, error) {
	var email string
	err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, id).Scan(&email)
	return email, notFound(err, "user")
}

// SetRole implements store.Accounts.
func (d *DB) SetRole(ctx context.Context, id int64, r auth.Role, o audit.Origin) error {
	if !r.Valid() {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "postgres: unknown role " + string(r), Problems: map[string]string{"role": "form.role.invalid"}}
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var email, old string
		err := tx.QueryRow(ctx, `SELECT email, role FROM users WHERE id = $1`, id).Scan(&email, &old)
		if err != nil {
			return notFound(err, "user")
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = $1 WHERE id = $2`, string(r), id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserRole, email, old+" → "+string(r)))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: set role of user %d: %w", id, err)
	}
	return nil
}

// DisableUser implements store.Accounts.
func (d *DB) DisableUser(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = true WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserDisable, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: disable user %d: %w", id, err)
	}
	return nil
}

// EnableUser implements store.Accounts.
func (d *DB) EnableUser(ctx context.Context, id int64, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var email string
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT email, disabled FROM users WHERE id = $1`, id).Scan(&email, &disabled)
		if err != nil {
			return notFound(err, "user")
		}
		if !disabled {
			return apperr.New(apperr.Conflict, "account %s is not disabled", email)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = false WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserEnable, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: enable user %d: %w", id, err)
	}
	return nil
}

// ResetPassword implements store.Accounts.
func (d *DB) ResetPassword(ctx context.Context, id int64, hash string, o audit.Origin) error {
	if hash == "" {
		return apperr.New(apperr.Invalid, "postgres: reset password of user %d: empty hash", id)
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change = true WHERE id = $2`, hash, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.UserReset, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: reset password of user %d: %w", id, err)
	}
	return nil
}

// SetPassword implements store.Accounts.
func (d *DB) SetPassword(ctx context.Context, id int64, hash, keep string, o audit.Origin) error {
	if hash == "" {
		return apperr.New(apperr.Invalid, "postgres: set password of user %d: empty hash", id)
	}
	err := d.tx(ctx, func(tx pgx.Tx) error {
		email, err := userEmail(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change = false WHERE id = $2`, hash, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND hash <> $2`, id, keep); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, entry(o, audit.PasswordSet, email, ""))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: set password of user %d: %w", id, err)
	}
	return nil
}

// SetLang implements store.Accounts.
func (d *DB) SetLang(ctx context.Context, id int64, l lang.Lang) error {
	if _, ok := lang.Parse(string(l)); !ok {
		return &apperr.Error{Kind: apperr.Invalid, Msg: "postgres: unknown language", Problems: map[string]string{"lang": "form.lang.invalid"}}
	}
	res, err := d.pool.Exec(ctx, `UPDATE users SET lang = $1 WHERE id = $2`, string(l), id)
	if err != nil {
		return fmt.Errorf("postgres: set lang of user %d: %w", id, err)
	}
	if res.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "postgres: user %d", id)
	}
	return nil
}

// CreateSession implements store.Accounts.
func (d *DB) CreateSession(ctx context.Context, s auth.Session, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var email string
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT email, disabled FROM users WHERE id = $1`, s.UserID).Scan(&email, &disabled)
		if err != nil {
			return notFound(err, "user")
		}
		if disabled {
			return apperr.New(apperr.Forbidden, "account %s is disabled", email)
		}
		// Sessions that ended without a sign-out are swept here, so that
		// the table holds only live ones and a few stragglers.
		now := pgTime(d.clock())
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR idle_until <= $2`, now, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO sessions (hash, user_id, created_at, idle_until, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			s.Hash, s.UserID, pgTime(s.Created), pgTime(s.IdleUntil), pgTime(s.Expires))
		if err != nil {
			return err
		}
		// The account signs in: it is the actor, whoever o names.
		_, err = d.appendAudit(ctx, tx, audit.Entry{Actor: email, IP: o.IP, Action: audit.Login})
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// Session implements store.Accounts.
func (d *DB) Session(ctx context.Context, hash string) (auth.Session, auth.User, error) {
	row := d.pool.QueryRow(ctx, `SELECT s.hash, s.user_id, s.created_at, s.idle_until, s.expires_at, `+userColsU+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1`, hash)
	var s auth.Session
	var created, idle, expires pgtype.Timestamptz
	var u auth.User
	var ucreated pgtype.Timestamptz
	err := row.Scan(&s.Hash, &s.UserID, &created, &idle, &expires,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.Lang, &u.Disabled, &u.MustChangePassword, &u.PasswordHash, &ucreated)
	if err != nil {
		return auth.Session{}, auth.User{}, fmt.Errorf("postgres: session: %w", notFound(err, "session"))
	}
	s.Created, s.IdleUntil, s.Expires, u.Created = utc(created), utc(idle), utc(expires), utc(ucreated)
	if !s.Live(d.clock()) || u.Disabled {
		if _, err := d.pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
			return auth.Session{}, auth.User{}, fmt.Errorf("postgres: session: %w", err)
		}
		return auth.Session{}, auth.User{}, apperr.New(apperr.NotFound, "postgres: session expired")
	}
	return s, u, nil
}

// TouchSession implements store.Accounts.
func (d *DB) TouchSession(ctx context.Context, hash string, idleUntil time.Time) error {
	res, err := d.pool.Exec(ctx, `UPDATE sessions SET idle_until = LEAST($1, expires_at) WHERE hash = $2`, pgTime(idleUntil), hash)
	if err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	if res.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "postgres: session")
	}
	return nil
}

// EndSession implements store.Accounts.
func (d *DB) EndSession(ctx context.Context, hash string, o audit.Origin) error {
	err := d.tx(ctx, func(tx pgx.Tx) error {
		var email string
		err := tx.QueryRow(ctx, `SELECT u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1`, hash).Scan(&email)
		if err != nil {
			return notFound(err, "session")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
			return err
		}
		_, err = d.appendAudit(ctx, tx, audit.Entry{Actor: email, IP: o.IP, Action: audit.Logout})
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: end session: %w", err)
	}
	return nil
}
