package las

import (
	"fmt"
	"strconv"
)

// ParseError is the error [Read] returns for a file it cannot read. Line is the 1-based line of
// the decoded text the problem was found on (0 when it concerns the file as a whole); Msg says
// what was expected and what was found, in words a user can act on. Name is the source name
// given with [WithName], if any.
type ParseError struct {
	Name string
	Line int
	Msg  string
}

// Error returns "name: line N: msg", leaving out the parts that are unknown, for example
// "line 17: expected 5 values, found 4".
func (e *ParseError) Error() string {
	s := e.Msg
	if e.Line > 0 {
		s = "line " + strconv.Itoa(e.Line) + ": " + s
	}
	if e.Name != "" {
		s = e.Name + ": " + s
	}
	return s
}

// Warning is a recoverable oddity [Read] repaired or noted: a header line without a colon, a
// short data row read with NULLs, a STOP that disagrees with the data. Line is the 1-based line
// of the decoded text it concerns (0 for the file as a whole). Warnings are meant to be shown to
// the user who supplied the file.
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// String returns "line N: message".
func (w Warning) String() string {
	if w.Line <= 0 {
		return w.Message
	}
	return fmt.Sprintf("line %d: %s", w.Line, w.Message)
}
