package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// desktopWidth and desktopHeight are the window the journeys run in;
// phoneWidth is the width every page they visit must fit as well.
const (
	desktopWidth  = 1280
	desktopHeight = 900
	phoneWidth    = 390
	phoneHeight   = 844
)

// browser is the one headless Chromium of the test binary; each journey
// works in tabs of its own, each tab in a browser context of its own (its
// own cookies), so journeys run in parallel.
type browser struct {
	ctx context.Context
	axe string // the source of axe.min.js, injected into the pages
}

// TestInBrowser starts Chromium once and runs every journey and page check
// in it, in parallel. Where Chromium or axe-core is missing it fails under
// CI=true and skips elsewhere, saying how to install them (make tools).
func TestInBrowser(t *testing.T) {
	b := startBrowser(t)
	for _, j := range []struct {
		name string
		run  func(*testing.T, *browser)
	}{
		{"order_entry", journeyOrderEntry},
		{"customer_confirms", journeyCustomerConfirms},
		{"sales_vetting_and_credit", journeySalesVetting},
		{"warehouse_delivery", journeyWarehouseDelivery},
		{"admin_audit_and_mail", journeyAdminAuditAndMail},
		{"applicant", journeyApplicant},
		{"dutch_customer", journeyDutchCustomer},
		{"customer_returns", journeyCustomerReturns},
		{"returns", journeyReturns},
		{"complaint_documents", journeyComplaintDocuments},
		{"main_pages_per_role", mainPagesPerRole},
	} {
		t.Run(j.name, func(t *testing.T) {
			t.Parallel()
			j.run(t, b)
		})
	}
}

// startBrowser starts headless Chromium with a fresh profile; it stops
// when the test ends.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	exe, err := chromiumPath()
	if err != nil {
		missing(t, err.Error())
	}
	axePath := os.Getenv("AXE")
	if axePath == "" {
		axePath = filepath.Join(repoRoot(t), "bin", "node_modules", "axe-core", "axe.min.js")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		missing(t, fmt.Sprintf("axe-core is missing (%v): 'make tools' installs it from npm", err))
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	)
	// chromedp makes a fresh user-data-dir for the browser and removes it
	// when the allocator's context ends.
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return &browser{ctx: ctx, axe: string(axe)}
}

// chromiumPath finds Chromium: $CHROMIUM, else chromium or chromium-browser
// on the PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("Chromium is missing: 'make tools' installs Debian's chromium (as root), or set CHROMIUM to its path")
}

// missing fails the test under CI=true, where the browser tests must run,
// and skips it elsewhere.
func missing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// repoRoot is the folder of go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// artifactsDir is where a failed journey leaves its screenshot and HTML:
// $E2E_ARTIFACTS, else internal/e2e/testdata/artifacts (ignored by git).
func artifactsDir(t testing.TB) string {
	if d := os.Getenv("E2E_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(t), "internal", "e2e", "testdata", "artifacts")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// fileName makes a test's name fit for a file name.
func fileName(s string) string {
	return strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_")
}
