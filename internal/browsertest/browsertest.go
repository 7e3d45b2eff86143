// Package browsertest drives Debian's chromium, headless, from Go tests through the Chrome
// DevTools Protocol (github.com/chromedp/chromedp), for the web application's browser tests.
//
// # Use
//
//	b := browsertest.New(t)
//	b.Navigate(srv.URL + "/signin")
//	b.Fill("#email", "owner@acme.example")
//	b.Submit("form#signin")
//	b.WaitVisible("h1")
//	b.Screenshot("wells")
//	b.Axe()
//
// Every helper fails the test (t.Fatal) with the selector and the browser's error, so a test
// reads as the steps a user takes. Context gives the chromedp tab for anything the helpers do
// not cover.
//
// # What fails a test
//
// Console errors, uncaught exceptions, resources that failed to load and Content-Security-Policy
// violations are collected as the pages run; at the end of the test any that were not taken with
// TakeProblems fail it, listed. Axe runs the vendored axe-core (internal/browsertest/axe,
// scripts/vendor-js) on the page and fails on serious or critical violations.
//
// # Chromium
//
// The browser is WELLBASE_CHROMIUM, else chromium or chromium-browser on PATH; scripts/browser
// install puts Debian's chromium there. Without one, New fails the test when
// WELLBASE_TEST_SERVERS=required or CI is set (make test, CI) and skips it otherwise.
//
// # Screenshots
//
// Screenshot writes full-page PNGs to $WELLBASE_SCREENSHOTS/<test>/<name>.png, by default
// bin/screenshots/<test>/<name>.png at the repository root: CI keeps that folder as a build
// artifact, and people look at them.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds each helper's wait for the browser (a page load, a selector).
const DefaultTimeout = 30 * time.Second

// Browser is one headless chromium with one tab, owned by one test. Its methods must not be
// called from several goroutines at once (they share the tab).
type Browser struct {
	tb      testing.TB
	ctx     context.Context
	timeout time.Duration
	*report
}

// report holds what the pages reported, shared by the views WithT makes.
type report struct {
	mu       sync.Mutex
	problems []Problem
}

// Option configures New.
type Option func(*config)

type config struct {
	width, height int
	timeout       time.Duration
}

// WindowSize sets the viewport in CSS pixels (default 1280×900).
func WindowSize(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// Timeout sets how long each helper waits for the browser (default DefaultTimeout).
func Timeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// Chromium returns the path of the chromium to run: $WELLBASE_CHROMIUM, else chromium or
// chromium-browser on PATH; an error names how to install one.
func Chromium() (string, error) {
	for _, name := range []string{os.Getenv("WELLBASE_CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH (nor WELLBASE_CHROMIUM): run scripts/browser install (apt-get install chromium, as root)")
}

// required reports whether a missing browser must fail the test rather than skip it: under
// make test (WELLBASE_TEST_SERVERS=required) and in CI.
func required() bool {
	return os.Getenv("WELLBASE_TEST_SERVERS") == "required" || os.Getenv("CI") != ""
}

// New starts a headless chromium (a temporary profile, no GPU, no sandbox when running as root,
// which chromium's sandbox refuses) with one tab, and stops it when the test ends. Without a
// chromium it fails the test under make test or CI, and skips it otherwise. At the end of the
// test, problems the pages reported (see Problem) that were not taken fail the test.
func New(tb testing.TB, opts ...Option) *Browser {
	tb.Helper()
	cfg := config{width: 1280, height: 900, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	exe, err := Chromium()
	if err != nil {
		if required() {
			tb.Fatalf("browser test: %v", err)
		}
		tb.Skipf("browser test skipped: %v", err)
	}
	aopts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.DisableGPU,
		chromedp.WindowSize(cfg.width, cfg.height),
		// Screenshots must not depend on the machine's fonts' hinting or on scroll bars.
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
	)
	if os.Geteuid() == 0 {
		aopts = append(aopts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), aopts...)
	b := &Browser{tb: tb, timeout: cfg.timeout, report: &report{}}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen),
		chromedp.WithLogf(func(string, ...any) {}), chromedp.WithErrorf(func(string, ...any) {}))
	b.ctx = ctx
	tb.Cleanup(func() {
		cancel()
		acancel()
	})
	// Start the browser now, with no deadline: the context of the first Run owns its life.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("browser test: start %s: %v", exe, err)
	}
	tb.Cleanup(b.CheckProblems)
	return b
}

// WithT returns the same browser (tab, problems) reporting failures to tb, e.g. a subtest's t,
// so a failed step fails the subtest rather than its parent.
func (b *Browser) WithT(tb testing.TB) *Browser {
	c := *b
	c.tb = tb
	return &c
}

// Context returns the chromedp context of the tab, for actions the helpers do not cover
// (chromedp.Run(b.Context(), …)). It has no deadline.
func (b *Browser) Context() context.Context { return b.ctx }

// do runs actions with the helper timeout, failing the test with what on error.
func (b *Browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.tb.Fatalf("browser: %s: %v", what, err)
	}
}

// run runs one action with the helper timeout and returns its value, failing the test on error.
func run[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.tb.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Navigate opens url and waits for its load event; it returns the HTTP status of the document.
func (b *Browser) Navigate(url string) int {
	b.tb.Helper()
	resp := run(b, "navigate to "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// WaitVisible waits until the element matching the CSS selector sel is visible.
func (b *Browser) WaitVisible(sel string) {
	b.tb.Helper()
	b.do("wait for "+sel+" to be visible", chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitGone waits until no element matches the CSS selector sel.
func (b *Browser) WaitGone(sel string) {
	b.tb.Helper()
	b.do("wait for "+sel+" to go", chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// Fill replaces the value of the field matching sel by typing value into it, so the page sees
// the key and input events a user's typing gives.
func (b *Browser) Fill(sel, value string) {
	b.tb.Helper()
	b.do("fill "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)),
		chromedp.SendKeys(chromedp.CSS(sel), value))
}

// Select chooses the option with value in the <select> matching sel and fires its change
// event.
func (b *Browser) Select(sel, value string) {
	b.tb.Helper()
	b.do("select "+value+" in "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.SetValue(chromedp.CSS(sel), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, sel)))
}

// Click clicks the element matching sel (scrolled into view, at its centre, as a mouse does).
func (b *Browser) Click(sel string) {
	b.tb.Helper()
	b.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// Submit clicks the submit button of the form matching sel (the form itself or an element in
// it) and waits for the page it leads to; it returns that document's HTTP status.
func (b *Browser) Submit(sel string) int {
	b.tb.Helper()
	button := fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		const form = el && (el.form || el.closest("form") || (el.tagName === "FORM" ? el : null));
		return form ? [form.querySelector('[type=submit], button:not([type])')].filter(Boolean) : [];
	})()`, sel)
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.JSPath(button)))
	if err != nil {
		b.tb.Fatalf("browser: submit the form of %s: %v", sel, err)
	}
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// SetFiles sets the files of the <input type=file> matching sel (absolute or relative paths)
// and fires its change event, as choosing them in the file dialog does.
func (b *Browser) SetFiles(sel string, paths ...string) {
	b.tb.Helper()
	abs := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			b.tb.Fatalf("browser: set files of %s: %v", sel, err)
		}
		if _, err := os.Stat(a); err != nil {
			b.tb.Fatalf("browser: set files of %s: %v", sel, err)
		}
		abs[i] = a
	}
	b.do("set files of "+sel, chromedp.WaitReady(chromedp.CSS(sel)), chromedp.SetUploadFiles(chromedp.CSS(sel), abs))
}

// Text returns the visible text of the element matching sel (its innerText), waiting for it to
// be visible.
func (b *Browser) Text(sel string) string {
	b.tb.Helper()
	b.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	return run(b, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON value into T.
func Eval[T any](b *Browser, expression string) T {
	b.tb.Helper()
	return run(b, "evaluate "+clip(expression), chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
}

// Keys sends keys (chromedp's kb notation: "+", kb.ArrowDown, …) to the element matching sel,
// focusing it first.
func (b *Browser) Keys(sel, keys string) {
	b.tb.Helper()
	b.do("send keys to "+sel, chromedp.Focus(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), keys))
}

// Screenshot saves a full-page PNG of the tab as <dir>/<test>/<name>.png (see the package
// documentation for dir) and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.tb.Helper()
	png := run(b, "screenshot "+name, chromedp.FullScreenshot(100))
	dir := filepath.Join(ScreenshotDir(), safeName(b.tb.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.tb.Fatalf("browser: screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, safeName(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.tb.Fatalf("browser: screenshot %s: %v", name, err)
	}
	b.tb.Logf("screenshot %s (%d KB)", path, len(png)/1024)
	return path
}

// ScreenshotDir is $WELLBASE_SCREENSHOTS, else bin/screenshots at the repository root (found
// from the working directory, which go test sets to the package's folder).
func ScreenshotDir() string {
	if d := os.Getenv("WELLBASE_SCREENSHOTS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("bin", "screenshots")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "bin", "screenshots")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "bin", "screenshots")
		}
	}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName turns a test or screenshot name into one path element.
func safeName(s string) string {
	return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_.")
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
