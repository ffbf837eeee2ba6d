package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/privacy"
)

// Config is every setting of the binary, read once from the environment.
type Config struct {
	// DatabaseURL is the PostgreSQL server to use. Empty: the project's own
	// cluster in DataDir/pg, started and stopped by this process.
	DatabaseURL string
	// DatabaseReplicaURL, when set, is a streaming replica of that server:
	// the heavy read-only reports (AR aging, the .xlsx exports of invoices
	// and returns) read from it, everything else from DatabaseURL.
	DatabaseReplicaURL string
	// DataDir holds the local cluster when DatabaseURL is empty.
	DataDir string
	// HTTPAddr is where the server listens.
	HTTPAddr string
	// BaseURL is the address people use; cookies are Secure when it is https.
	BaseURL string
	// SMTPURL is the mail server; empty: mails are logged and shown at /admin/mail.
	SMTPURL string
	// MailFrom is the sender of every mail.
	MailFrom string
	// LogFormat is text or json.
	LogFormat string
	// DemoData loads the demo data into an empty database.
	DemoData bool
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// LoginRateLimit is how many login and reset posts one IP may make a minute.
	LoginRateLimit int
	// DBMaxConns caps the connection pool.
	DBMaxConns int
	// VIESURL is the VIES REST service; empty: VIES checks are off.
	VIESURL string
	// MemoryLimitMB is the soft memory limit of the server's Go runtime
	// (debug.SetMemoryLimit): near it the garbage collector runs sooner
	// and hands memory back; 0 leaves it to GOMEMLIMIT or none.
	MemoryLimitMB int
	// GCPercent is the garbage collector's GOGC of the server: 300 (a
	// heap three times the live one before it collects) unless GOGC is
	// set; the soft memory limit keeps the memory in bounds. On the pages
	// at scale it took a sixth off p50 for 5 MB of RSS (docs/BENCHMARKS.md).
	GCPercent int
	// MetricsToken is the bearer token that opens /metrics to scrapers on
	// other machines; empty: /metrics answers only to this machine.
	MetricsToken string
	// CPUProfile, when set, is a file the server writes a CPU profile of
	// its whole run to, when it stops (go tool pprof reads it): for
	// finding where a slow page's time goes, with bench pages -page.
	CPUProfile string
	// Retention are the periods of the daily retention job
	// (RETAIN_MAIL_DAYS, RETAIN_REJECTED_DAYS, RETAIN_STASH_DAYS,
	// RETAIN_LOGIN_DAYS; docs/PRIVACY.md).
	Retention privacy.Periods
}

func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:        getenv("DATABASE_URL"),
		DatabaseReplicaURL: getenv("DATABASE_REPLICA_URL"),
		DataDir:            or(getenv("DATA_DIR"), "var"),
		HTTPAddr:           or(getenv("HTTP_ADDR"), "localhost:8080"),
		SMTPURL:            getenv("SMTP_URL"),
		MailFrom:           or(getenv("MAIL_FROM"), "wholesale <noreply@wholesale.test>"),
		VIESURL:            getenv("VIES_URL"),
		MetricsToken:       strings.TrimSpace(getenv("METRICS_TOKEN")),
		CPUProfile:         getenv("CPU_PROFILE"),
	}
	c.BaseURL = or(getenv("BASE_URL"), "http://"+strings.Replace(c.HTTPAddr, "0.0.0.0", "localhost", 1))
	if strings.HasPrefix(c.HTTPAddr, ":") {
		c.BaseURL = or(getenv("BASE_URL"), "http://localhost"+c.HTTPAddr)
	}
	local := c.DatabaseURL == ""
	c.LogFormat = or(getenv("LOG_FORMAT"), map[bool]string{true: "text", false: "json"}[local])
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("LOG_FORMAT must be text or json, not %q", c.LogFormat)
	}
	var err error
	if c.DemoData, err = boolVar(getenv, "DEMO_DATA", local); err != nil {
		return c, err
	}
	if c.LoginRateLimit, err = intVar(getenv, "LOGIN_RATE_LIMIT", 20); err != nil {
		return c, err
	}
	if c.DBMaxConns, err = intVar(getenv, "DB_MAX_CONNS", 10); err != nil {
		return c, err
	}
	c.MemoryLimitMB = 256
	if v := getenv("MEMORY_LIMIT_MB"); v != "" {
		if c.MemoryLimitMB, err = strconv.Atoi(v); err != nil || (c.MemoryLimitMB != 0 && c.MemoryLimitMB < 64) {
			return c, fmt.Errorf("MEMORY_LIMIT_MB must be 0 (no limit) or a whole number from 64, not %q", v)
		}
	}
	if getenv("GOMEMLIMIT") != "" {
		c.MemoryLimitMB = 0 // the Go runtime's own setting wins
	}
	if getenv("GOGC") == "" {
		c.GCPercent = 300 // else the Go runtime's own setting holds
	}
	for _, r := range []struct {
		name string
		into *time.Duration
		def  time.Duration
	}{
		{"RETAIN_MAIL_DAYS", &c.Retention.Mail, privacy.DefaultPeriods.Mail},
		{"RETAIN_REJECTED_DAYS", &c.Retention.Rejected, privacy.DefaultPeriods.Rejected},
		{"RETAIN_STASH_DAYS", &c.Retention.Stash, privacy.DefaultPeriods.Stash},
		{"RETAIN_LOGIN_DAYS", &c.Retention.Logins, privacy.DefaultPeriods.Logins},
	} {
		days, err := intVar(getenv, r.name, int(r.def/privacy.Day))
		if err != nil {
			return c, err
		}
		*r.into = time.Duration(days) * privacy.Day
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return c, fmt.Errorf("METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24), not %d", len(c.MetricsToken))
	}
	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	return c, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func boolVar(getenv func(string) string, name string, def bool) (bool, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s must be true or false, not %q", name, v)
	}
	return b, nil
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s must be a positive whole number, not %q", name, v)
	}
	return n, nil
}
