-- Password checks, counted for the sign-in limit (auth.Limits) in the
-- transaction that decides whether the next one may go ahead. A row is a
-- failure, or an attempt under way that counts as one until it is
-- settled; cleared rows no longer count against their account (it signed
-- in since), only against their address. Rows older than the window are
-- deleted as new ones come.
CREATE TABLE attempts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    ip      TEXT NOT NULL,
    cleared INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attempts_account ON attempts (account, ip, at);
CREATE INDEX attempts_ip ON attempts (ip, at);
CREATE INDEX attempts_at ON attempts (at);

-- Attempts refused by the limit, one counter per address and window: the
-- audit log gets only the first refusal of each, so that refused requests
-- cost bounded storage.
CREATE TABLE refusals (
    ip     TEXT NOT NULL,
    win    TEXT NOT NULL, -- the start of the window
    n      INTEGER NOT NULL,
    PRIMARY KEY (ip, win)
);
