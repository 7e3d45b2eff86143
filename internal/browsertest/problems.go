package browsertest

import (
	"context"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ProblemKind says what a page reported.
type ProblemKind string

const (
	// ProblemCSP is a Content-Security-Policy violation: an inline script or style, or a
	// resource from another origin, that the browser refused.
	ProblemCSP ProblemKind = "csp"
	// ProblemConsole is a console error: console.error or an error the browser logged (a
	// resource that failed to load answers 4xx/5xx).
	ProblemConsole ProblemKind = "console"
	// ProblemException is an uncaught JavaScript exception or rejected promise.
	ProblemException ProblemKind = "exception"
)

// Problem is something a page reported that a correct page does not: Text is the browser's
// message, URL and Line where it came from when the browser says.
type Problem struct {
	Kind ProblemKind
	Text string
	URL  string
	Line int64
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s: %s", p.Kind, p.Text)
	if p.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", p.URL, p.Line)
	}
	return s
}

// listen runs on chromedp's read loop: it only records (see chromedp.Listen's rules).
func (b *report) listen(ev any) {
	var p Problem
	switch ev := ev.(type) {
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil {
			return
		}
		switch {
		case e.Source == log.EntrySourceSecurity && strings.Contains(e.Text, "Content Security Policy"):
			p = Problem{Kind: ProblemCSP, Text: e.Text, URL: e.URL, Line: e.LineNumber}
		case e.Source == log.EntrySourceNetwork && strings.HasSuffix(e.URL, "/favicon.ico"):
			// The browser asks for /favicon.ico by itself when a page names no icon; a
			// missing one is no fault of the page under test.
			return
		case e.Level == log.EntryLevelError:
			p = Problem{Kind: ProblemConsole, Text: e.Text, URL: e.URL, Line: e.LineNumber}
		default:
			return
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			switch {
			case a.Description != "":
				parts = append(parts, a.Description)
			case len(a.Value) > 0:
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			default:
				parts = append(parts, string(a.Type))
			}
		}
		p = Problem{Kind: ProblemConsole, Text: "console." + string(ev.Type) + ": " + strings.Join(parts, " ")}
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			p.URL, p.Line = ev.StackTrace.CallFrames[0].URL, ev.StackTrace.CallFrames[0].LineNumber+1
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + strings.SplitN(d.Exception.Description, "\n", 2)[0]
		}
		p = Problem{Kind: ProblemException, Text: text, URL: d.URL, Line: d.LineNumber + 1}
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, p)
	b.mu.Unlock()
}

// TakeProblems returns the problems the pages reported since the last call and forgets them, so
// a test that provokes one on purpose can check it and the end of the test does not fail on it.
func (b *Browser) TakeProblems() []Problem {
	// A round trip to the tab first: the browser sends the events a page caused before the
	// answer to a later command, and the listener has seen them by the time it returns.
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`0`)) // a closed tab has nothing new to report
	cancel()
	b.mu.Lock()
	defer b.mu.Unlock()
	ps := b.problems
	b.problems = nil
	return ps
}

// CheckProblems fails the test (without stopping it) if the pages reported problems since the
// last TakeProblems, listing them; the end of every test does the same.
func (b *Browser) CheckProblems() {
	b.tb.Helper()
	if ps := b.TakeProblems(); len(ps) > 0 {
		b.tb.Errorf("the browser reported %d problem(s):\n%s", len(ps), formatProblems(ps))
	}
}

func formatProblems(ps []Problem) string {
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString("  ")
		sb.WriteString(p.String())
		sb.WriteByte('\n')
	}
	return sb.String()
}
