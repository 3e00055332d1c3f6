// Package cli implements the portail command: serve, migrate, and the
// subcommands added by later capabilities. Every subcommand takes -db.
package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"portail/internal/metrics"
	"portail/internal/schedule"
	"portail/internal/seed"
	"portail/internal/server"
	"portail/internal/store"
	"portail/internal/store/postgres"
	"portail/internal/store/sqlite"
	"portail/internal/web"
)

// Env carries the process's environment, so that tests can run commands
// side by side without touching globals.
type Env struct {
	Args   []string
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Ready, when set, receives the serving address once the server listens.
	Ready func(addr string)
	// MetricsReady, when set, receives the address of /metrics once it
	// listens (-metrics-addr).
	MetricsReady func(addr string)
}

// ErrUsage reports bad command-line usage; main exits with status 2.
var ErrUsage = errors.New("usage")

const usage = `usage: portail [command] [flags]

commands:
  serve     run the web site (default)
  migrate   apply database migrations and load the default content
  user      add, list or disable staff accounts (portail user for details)
  backup    copy the database, consistently, while it is in use: backup -db DB -out FILE
  restore   load a backup into a new, empty database: restore -from FILE -db DB
  copy      copy a whole database into an empty one, SQLite or PostgreSQL: copy -from DB -to DB
  offices   import or export the directory of offices abroad, CSV or JSON (portail offices for details)
  org       import or export the organization chart, CSV or JSON (portail org for details)

flags common to every command:
  -db DB    SQLite database file, or postgres://… for PostgreSQL
            (env PORTAIL_DB, default data/portail.db)
`

// Run executes the command named by env.Args.
func Run(ctx context.Context, env Env) error {
	args := env.Args
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, env, args)
	case "migrate":
		return migrateCmd(ctx, env, args)
	case "user":
		return userCmd(ctx, env, args)
	case "backup":
		return backupCmd(ctx, env, args)
	case "restore":
		return restoreCmd(ctx, env, args)
	case "copy":
		return copyCmd(ctx, env, args)
	case "offices":
		return officeFiles.run(ctx, env, args)
	case "org":
		return orgFiles.run(ctx, env, args)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	fmt.Fprintf(env.Stderr, "portail: unknown command %q\n\n%s", cmd, usage)
	return ErrUsage
}

// flags returns a flag set with the -db flag every command shares.
func flags(env Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("portail "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	db := fs.String("db", getenv(env, "PORTAIL_DB", "data/portail.db"), "database: SQLite file path, or postgres://… URL")
	return fs, db
}

func getenv(env Env, key, def string) string {
	if env.Getenv != nil {
		if v := env.Getenv(key); v != "" {
			return v
		}
	}
	return def
}

// openStore opens the database named by dsn, a postgres:// URL or a
// SQLite file path, and loads the default content into it if it lacks
// any.
func openStore(ctx context.Context, dsn string, log *slog.Logger) (store.Store, error) {
	var db store.Store
	var err error
	if isPostgres(dsn) {
		db, err = postgres.Open(ctx, dsn)
	} else {
		db, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	n, err := seed.Load(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("loaded default content", "pages", n)
	}
	return db, nil
}

// logger returns the process's logger, writing to standard error in
// format: "text" (key=value, for people) or "json" (one object a line,
// for log collectors).
func logger(env Env, format string) (*slog.Logger, error) {
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(env.Stderr, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(env.Stderr, nil)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want json or text", format)
}

// envLogger is the logger of the commands without -log-format, in the
// format PORTAIL_LOG_FORMAT names (text when it names none).
func envLogger(env Env) *slog.Logger {
	log, err := logger(env, getenv(env, "PORTAIL_LOG_FORMAT", "text"))
	if err != nil {
		log, _ = logger(env, "text")
	}
	return log
}

func migrateCmd(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "migrate")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	db, err := openStore(ctx, *dsn, envLogger(env))
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "database is up to date")
	return db.Close()
}

func serve(ctx context.Context, env Env, args []string) error {
	fs, dsn := flags(env, "serve")
	addr := fs.String("addr", getenv(env, "PORTAIL_ADDR", "localhost:8080"), "address to listen on")
	adminEmail := fs.String("admin-email", getenv(env, "PORTAIL_ADMIN_EMAIL", "admin@localhost"), "first administrator's email, created on a database without accounts")
	maxUpload := fs.Int64("max-upload", 0, "media upload limit in MiB (env PORTAIL_MAX_UPLOAD, default 20)")
	trusted := fs.String("trusted-proxies", getenv(env, "PORTAIL_TRUSTED_PROXIES", ""),
		"comma-separated CIDR prefixes of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed")
	baseURL := fs.String("base-url", getenv(env, "PORTAIL_BASE_URL", ""),
		"public address of the site (https://www.example.org), for canonical and hreflang links; empty derives it from -addr, for local use only")
	logFormat := fs.String("log-format", getenv(env, "PORTAIL_LOG_FORMAT", "text"), "log format: text or json")
	metricsAddr := fs.String("metrics-addr", getenv(env, "PORTAIL_METRICS_ADDR", ""),
		"address to serve /metrics on (localhost:9090); empty serves no metrics")
	signature := fs.String("signature", getenv(env, "PORTAIL_SIGNATURE", ""),
		"the department's logo (SVG or PNG file) for the header; empty shows its name as text")
	scheduleEvery := fs.Duration("schedule-every", schedule.Every, "how often to look for scheduled publications that fell due")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *scheduleEvery <= 0 {
		fmt.Fprintln(env.Stderr, "portail serve: -schedule-every must be a positive duration")
		return ErrUsage
	}
	if *baseURL != "" {
		if _, err := server.ParseBaseURL(*baseURL); err != nil {
			fmt.Fprintf(env.Stderr, "portail serve: -base-url: %v\n", err)
			return ErrUsage
		}
	}
	proxies, err := web.ParseProxies(*trusted)
	if err != nil {
		fmt.Fprintf(env.Stderr, "portail serve: -trusted-proxies: %v\n", err)
		return ErrUsage
	}
	if *maxUpload == 0 {
		fmt.Sscan(getenv(env, "PORTAIL_MAX_UPLOAD", "20"), maxUpload)
	}
	if *maxUpload <= 0 {
		fmt.Fprintln(env.Stderr, "portail serve: -max-upload must be a positive number of MiB")
		return ErrUsage
	}
	log, err := logger(env, *logFormat)
	if err != nil {
		fmt.Fprintf(env.Stderr, "portail serve: %v\n", err)
		return ErrUsage
	}
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := firstAdmin(ctx, db, *adminEmail, log); err != nil {
		return err
	}
	// Listen before building the server, so that a base URL derived
	// from the address has its real port (-addr with port 0).
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if *baseURL == "" {
		*baseURL = localBaseURL(*addr, ln.Addr())
		log.Warn("no -base-url: canonical and hreflang links name this local address, which search engines cannot reach; set -base-url (PORTAIL_BASE_URL) to the public address",
			"base_url", *baseURL)
	}
	// The one metrics registry of the process, for /metrics. Publications
	// are counted where every one of them passes, the store's Apply.
	reg := prometheus.NewRegistry()
	counted, err := metrics.CountPublications(reg, db)
	if err != nil {
		return err
	}
	if sq, ok := db.(interface{ SQL() *sql.DB }); ok {
		// Read from sql.DB.Stats at scrape time: the pool's open, in-use
		// and idle connections, and the waits for one.
		if err := reg.Register(collectors.NewDBStatsCollector(sq.SQL(), "portail")); err != nil {
			return err
		}
	}
	if pg, ok := db.(interface{ Pool() *pgxpool.Pool }); ok {
		// pgxpool's own figures, read at scrape time.
		if err := reg.Register(metrics.NewPoolCollector(func() metrics.Pool {
			s := pg.Pool().Stat()
			return metrics.Pool{InUse: s.AcquiredConns(), Idle: s.IdleConns(), Max: s.MaxConns(),
				Acquires: s.AcquireCount(), AcquireWait: s.AcquireDuration()}
		})); err != nil {
			return err
		}
	}
	srv, err := server.New(ctx, server.Config{Store: counted, Log: log, MaxUpload: *maxUpload << 20, TrustedProxies: proxies, Metrics: reg,
		BaseURL: *baseURL, Signature: *signature})
	if err != nil {
		return err
	}
	// The server follows the database's change feed until it is closed,
	// after the HTTP server has drained and before the database closes.
	defer srv.Close()
	// The scheduler's first tick publishes what fell due while the server
	// was down; it stops with ctx, before the database closes.
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		schedule.New(counted, log, time.Now).Run(schedCtx, *scheduleEvery)
	}()
	defer func() { stopSched(); <-schedDone }()
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 2)
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("portail serve: -metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.Metrics)
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		defer ms.Close()
		log.Info("metrics", "addr", "http://"+mln.Addr().String()+"/metrics")
		if env.MetricsReady != nil {
			env.MetricsReady(mln.Addr().String())
		}
		go func() { errc <- ms.Serve(mln) }()
	}
	log.Info("listening", "addr", "http://"+ln.Addr().String(), "base_url", *baseURL, "db", *dsn, "trusted_proxies", proxies.String())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(shutCtx)
}

// localBaseURL is the base URL when none is set: the listening address,
// named "localhost" when it is every interface or a loopback one, since
// that is the name a browser on this machine uses.
func localBaseURL(addr string, ln net.Addr) string {
	host, _, _ := net.SplitHostPort(addr)
	_, port, _ := net.SplitHostPort(ln.String())
	if ip := net.ParseIP(host); host == "" || ip != nil && (ip.IsUnspecified() || ip.IsLoopback()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
