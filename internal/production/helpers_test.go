package production_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/production"
)

// render writes a record on one line: "row code period date phase=value unit … h=hours".
func render(r production.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s %s %s", r.Row, r.Well.Code, r.Period, r.Date.Format("2006-01-02"))
	for _, p := range production.Phases() {
		if v, unit := r.Volume(p); v != nil {
			fmt.Fprintf(&b, " %s=%s", p, strconv.FormatFloat(*v, 'f', -1, 64))
			if unit != "" {
				b.WriteString(" " + unit)
			}
		}
	}
	if r.OnStreamHours != nil {
		fmt.Fprintf(&b, " h=%s", strconv.FormatFloat(*r.OnStreamHours, 'f', -1, 64))
	}
	return b.String()
}

// renderIssue writes an issue on one line: "row kind column: message".
func renderIssue(is production.Issue) string {
	s := fmt.Sprintf("%d %s", is.Row, is.Kind)
	if is.Sheet != "" {
		s = is.Sheet + " " + s
	}
	if is.Column != "" {
		s += " " + is.Column
	}
	return s + ": " + is.Message
}

// parseCase is one file of a table test: what it gives, or the error it gives.
type parseCase struct {
	name   string
	format string
	in     string
	opt    production.Options
	recs   []string // rendered records
	issues []string // rendered issues
	err    string   // a part of the EInvalid error message; "" for no error
	code   string   // the error code when not EInvalid
	check  func(t *testing.T, res *production.Result)
}

func (c parseCase) run(t *testing.T) {
	t.Helper()
	res, err := production.Parse(strings.NewReader(c.in), c.format, c.opt)
	if c.err != "" {
		code := c.code
		if code == "" {
			code = wellbase.EInvalid
		}
		var we *wellbase.Error
		if !errors.As(err, &we) || we.Code != code || !strings.Contains(we.Message, c.err) {
			t.Fatalf("error %v; want a %s error saying %q", err, code, c.err)
		}
		if res != nil {
			t.Errorf("a result with the error: %+v", res)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var recs, issues []string
	for _, r := range res.Records {
		recs = append(recs, render(r))
	}
	for _, is := range res.Issues {
		issues = append(issues, renderIssue(is))
	}
	if diff := cmp.Diff(c.recs, recs); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.issues, issues); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
	if c.check != nil {
		c.check(t, res)
	}
}
