package mail_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// mailpitVersion is the mailpit the Makefile installs too.
const mailpitVersion = "v1.27.11"

// mailpitPath finds the mailpit binary: $MAILPIT, the repository's bin/, or
// PATH; when there is none it installs it into bin/ as `make tools` does.
func mailpitPath(t *testing.T) string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	root, _ := os.Getwd()
	for ; root != "/"; root = filepath.Dir(root) {
		if fileExists(filepath.Join(root, "go.mod")) {
			break
		}
	}
	bin := filepath.Join(root, "bin", "mailpit")
	if fileExists(bin) {
		return bin
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	cmd := exec.Command("go", "install", "github.com/axllent/mailpit@"+mailpitVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+filepath.Join(root, "bin"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mailpit is missing and could not be installed (make tools): %v\n%s", err, out)
	}
	return bin
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startMailpit runs a real SMTP server with an HTTP API for reading what it got.
func startMailpit(t *testing.T) (smtpURL, apiURL string) {
	bin := mailpitPath(t)
	smtpPort, httpPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--quiet")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	apiURL = fmt.Sprintf("http://127.0.0.1:%d/api/v1", httpPort)
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort))
		if err == nil {
			c.Close()
			if resp, err := http.Get(apiURL + "/messages"); err == nil {
				resp.Body.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("mailpit did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Sprintf("smtp://user:secret@127.0.0.1:%d?tls=none", smtpPort), apiURL
}

type mailpitList struct {
	Messages []struct {
		ID      string                     `json:"ID"`
		Subject string                     `json:"Subject"`
		From    struct{ Address string }   `json:"From"`
		To      []struct{ Address string } `json:"To"`
	} `json:"messages"`
}

func getJSON(t *testing.T, url string, v any) {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxDeliversToRealSMTPServer(t *testing.T) {
	t.Parallel()
	smtpURL, api := startMailpit(t)
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if err := mail.Enqueue(ctx, db, clk.Now(), i18n.NL, "Klant <inkoop@klant.nl>", "Orderbevestiging 1001", "Beste klant,\n\nUw order € 12,50 is ontvangen."); err != nil {
		t.Fatal(err)
	}
	tr, err := mail.NewSMTPTransport(smtpURL)
	if err != nil {
		t.Fatal(err)
	}
	s := &mail.Sender{DB: db, Transport: tr, From: "Wholesale <noreply@wholesale.test>", Clock: clk, Log: quiet}
	n, err := s.DeliverPending(ctx, 10)
	if err != nil || n != 1 {
		t.Fatalf("delivered %d: %v", n, err)
	}
	var list mailpitList
	getJSON(t, api+"/messages", &list)
	if len(list.Messages) != 1 {
		t.Fatalf("mailpit has %d messages", len(list.Messages))
	}
	got := list.Messages[0]
	if got.Subject != "Orderbevestiging 1001" || got.To[0].Address != "inkoop@klant.nl" || got.From.Address != "noreply@wholesale.test" {
		t.Fatalf("got %+v", got)
	}
	var full struct{ Text string }
	getJSON(t, api+"/message/"+got.ID, &full)
	if !strings.Contains(full.Text, "€ 12,50") || !strings.Contains(full.Text, "Wij vragen nooit om uw wachtwoord of betaalgegevens per e-mail of telefoon.") {
		t.Fatalf("body: %q", full.Text)
	}
	// Sent mail is marked and not sent again.
	msgs, _ := mail.List(ctx, db, 10)
	if msgs[0].SentAt == nil || *msgs[0].Transport != "smtp" {
		t.Fatalf("not marked sent: %+v", msgs[0])
	}
	if n, _ := s.DeliverPending(ctx, 10); n != 0 {
		t.Fatalf("sent again: %d", n)
	}
}

type flaky struct {
	fail atomic.Bool
	sent sync.Map
	n    atomic.Int64
}

func (f *flaky) Name() string { return "test" }
func (f *flaky) Send(_ context.Context, _ string, m *mail.Message) error {
	if f.fail.Load() {
		return errors.New("server said no")
	}
	if _, dup := f.sent.LoadOrStore(m.ID, true); dup {
		return fmt.Errorf("mail %d sent twice", m.ID)
	}
	f.n.Add(1)
	return nil
}

func TestFailedMailIsRetriedLater(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	mail.Enqueue(ctx, db, clk.Now(), i18n.NL, "a@b.nl", "s", "b")
	tr := &flaky{}
	tr.fail.Store(true)
	s := &mail.Sender{DB: db, Transport: tr, From: "x@y.nl", Clock: clk, Log: quiet}
	if n, err := s.DeliverPending(ctx, 10); n != 1 || err != nil {
		t.Fatalf("first try: %d %v", n, err)
	}
	msgs, _ := mail.List(ctx, db, 1)
	if msgs[0].SentAt != nil || msgs[0].Attempts != 1 || msgs[0].LastError == nil {
		t.Fatalf("after a failure: %+v", msgs[0])
	}
	tr.fail.Store(false)
	if n, _ := s.DeliverPending(ctx, 10); n != 0 {
		t.Fatal("retried before its pause ended")
	}
	clk.Advance(time.Minute)
	if n, _ := s.DeliverPending(ctx, 10); n != 1 || tr.n.Load() != 1 {
		t.Fatalf("not retried after the pause: %d", tr.n.Load())
	}
}

func TestSendersOnSeveralServersSendEachMailOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	for i := 0; i < 60; i++ {
		mail.Enqueue(ctx, db, clk.Now(), i18n.NL, fmt.Sprintf("c%d@b.nl", i), "s", "b")
	}
	tr := &flaky{}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &mail.Sender{DB: db, Transport: tr, From: "x@y.nl", Clock: clk, Log: quiet}
			if _, err := s.DeliverPending(ctx, 100); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if tr.n.Load() != 60 {
		t.Fatalf("sent %d of 60", tr.n.Load())
	}
	var unsent int
	db.NewSelect().Table("outbox").ColumnExpr("count(*)").Where("sent_at IS NULL").Scan(ctx, &unsent)
	if unsent != 0 {
		t.Fatalf("%d unsent", unsent)
	}
}

func TestSMTPURL(t *testing.T) {
	for _, bad := range []string{"http://x", "smtp://", "smtp://h:notaport", "smtp://h?tls=maybe"} {
		if _, err := mail.NewSMTPTransport(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"smtp://h", "smtps://u:p@h:465", "smtp://h:1025?tls=none"} {
		if _, err := mail.NewSMTPTransport(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}

func TestEnqueueRefusesBadRecipient(t *testing.T) {
	db := pgtest.New(t)
	if err := mail.Enqueue(context.Background(), db, time.Now(), i18n.NL, "not an address", "s", "b"); err == nil {
		t.Fatal("accepted")
	}
}

// TestMailEndsWithTheSafetyLineOfItsLanguage: a mail written in Dutch ends
// with the Dutch safety line, one in English with the English one.
func TestMailEndsWithTheSafetyLineOfItsLanguage(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	const nl, en = "Wij vragen nooit om uw wachtwoord of betaalgegevens per e-mail of telefoon.",
		"We never ask for your password or payment details by e-mail or telephone."
	if err := mail.Enqueue(ctx, db, now, i18n.NL, "inkoop@klant.nl", "Orderbevestiging 1001", "Beste klant,\n\nUw order is ontvangen.\n"); err != nil {
		t.Fatal(err)
	}
	b := postgres.NewBatch(db)
	if err := mail.EnqueueIn(b, db, now, i18n.EN, "buyer@customer.test", "Order 1002", "Dear customer,"); err != nil {
		t.Fatal(err)
	}
	if err := b.Exec(ctx, db); err != nil {
		t.Fatal(err)
	}
	msgs, err := mail.List(ctx, db, 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%d mails: %v", len(msgs), err)
	}
	for _, c := range []struct{ body, want string }{
		{msgs[1].Body, "Beste klant,\n\nUw order is ontvangen.\n\n--\n" + nl + "\n"},
		{msgs[0].Body, "Dear customer,\n\n--\n" + en + "\n"},
	} {
		if c.body != c.want {
			t.Errorf("body %q, want %q", c.body, c.want)
		}
	}
}

// TestMailStateReadsInTheReadersLanguage: the outbox says whether a mail
// went out, failed or waits, in the admin's language.
func TestMailStateReadsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	smtp, log, refused := "smtp", "log", "dial tcp: connection refused"
	for _, c := range []struct {
		m      mail.Message
		nl, en string
	}{
		{mail.Message{}, "wacht op verzending", "waiting"},
		{mail.Message{SentAt: &at, Transport: &smtp}, "verzonden 24-11-2026 10:00", "sent 24 Nov 2026 10:00"},
		{mail.Message{SentAt: &at, Transport: &log}, "gelogd 24-11-2026 10:00, niet verzonden", "logged 24 Nov 2026 10:00, not sent"},
		{mail.Message{Attempts: 2, LastError: &refused}, "2× mislukt: dial tcp: connection refused", "failed 2×: dial tcp: connection refused"},
	} {
		if got := i18n.For(i18n.NL).Text(c.m.State()); got != c.nl {
			t.Errorf("Dutch %q, want %q", got, c.nl)
		}
		if got := i18n.For(i18n.EN).Text(c.m.State()); got != c.en {
			t.Errorf("English %q, want %q", got, c.en)
		}
	}
}
