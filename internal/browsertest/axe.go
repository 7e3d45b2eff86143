package browsertest

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeFiles holds the vendored axe-core (scripts/vendor-js writes axe/axe-core-<version>/). It is
// test-only: nothing under internal/web embeds it, so it is never served.
//
//go:embed axe
var axeFiles embed.FS

var axeSource = sync.OnceValues(func() (string, error) {
	matches, err := fs.Glob(axeFiles, "axe/axe-core-*/axe.min.js")
	if err != nil || len(matches) != 1 {
		return "", fmt.Errorf("want one vendored axe-core under internal/browsertest/axe, found %v (run scripts/vendor-js)", matches)
	}
	b, err := axeFiles.ReadFile(matches[0])
	return string(b), err
})

// AxeVersion is the folder name of the vendored axe-core, e.g. "axe-core-4.14.1".
func AxeVersion() string {
	matches, _ := fs.Glob(axeFiles, "axe/axe-core-*/axe.min.js")
	if len(matches) != 1 {
		return ""
	}
	return path.Base(path.Dir(matches[0]))
}

// Violation is one axe-core rule a page breaks: Rule is its ID (e.g. "label", "color-contrast"),
// Impact one of minor, moderate, serious, critical, Nodes the CSS selectors of the failing
// elements.
type Violation struct {
	Rule    string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Nodes   []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s — %s [%s]", v.Rule, v.Impact, v.Help, strings.Join(v.Nodes, ", "), v.HelpURL)
}

// Serious reports whether the violation's impact is serious or critical: the ones that fail a
// test.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// axeRun runs axe on the whole document (its default rules: WCAG 2.x A and AA and best
// practices) and answers the violations with their nodes' selectors flattened to strings
// (a selector inside a shadow root or frame is a list).
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : t).join(" >>> "))
})))`

// Axe injects the vendored axe-core into the page of the chromedp tab ctx (once per page) and
// returns every violation it finds, of any impact. An error means axe could not run.
func Axe(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	// The DevTools protocol's evaluation is not subject to the page's CSP, so axe runs on pages
	// with script-src 'self' without weakening them.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("axe: inject %s: %w", AxeVersion(), err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: run: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("axe: read its result: %w", err)
	}
	return vs, nil
}

// Axe runs axe-core on the current page and fails the test (without stopping it) if it finds a
// serious or critical violation, listing each with its rule, impact, help and the selectors
// of the failing elements. Minor and moderate ones are logged. It returns all violations.
func (b *Browser) Axe() []Violation {
	b.tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	vs, err := Axe(ctx)
	if err != nil {
		b.tb.Fatalf("browser: %v", err)
	}
	var bad, minor []string
	for _, v := range vs {
		if v.Serious() {
			bad = append(bad, "  "+v.String())
		} else {
			minor = append(minor, "  "+v.String())
		}
	}
	if len(minor) > 0 {
		b.tb.Logf("axe: %d minor or moderate violation(s):\n%s", len(minor), strings.Join(minor, "\n"))
	}
	if len(bad) > 0 {
		b.tb.Errorf("axe: %d serious or critical accessibility violation(s):\n%s", len(bad), strings.Join(bad, "\n"))
	}
	return vs
}
