package las

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameCheck fails unless Check(b) gives what Summarize(Read(b)) gives, or the same error.
func sameCheck(tb testing.TB, b []byte) {
	tb.Helper()
	f, rerr := Read(bytes.NewReader(b))
	s, cerr := Check(bytes.NewReader(b))
	if (rerr == nil) != (cerr == nil) || (rerr != nil && rerr.Error() != cerr.Error()) {
		tb.Fatalf("Read error %v, Check error %v", rerr, cerr)
	}
	if rerr != nil {
		return
	}
	want, err := json.Marshal(Summarize(f))
	if err != nil {
		tb.Fatal(err)
	}
	got, err := json.Marshal(s)
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		tb.Fatalf("Check differs from Summarize(Read):\n%s", firstDiff(string(indent(want)), string(indent(got))))
	}
}

func indent(b []byte) []byte {
	var out bytes.Buffer
	_ = json.Indent(&out, b, "", " ")
	return out.Bytes()
}

// TestCheck: on every real file and on the small inputs of the other tests, Check gives the
// summary Read and Summarize give.
func TestCheck(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"data/las", "cases/las"} {
		root := sharedPath(t, set)
		for _, rel := range lasFiles(t, root) {
			t.Run(filepath.ToSlash(filepath.Join(set, rel)), func(t *testing.T) {
				t.Parallel()
				b, err := os.ReadFile(filepath.Join(root, rel))
				if err != nil {
					t.Fatal(err)
				}
				sameCheck(t, b)
			})
		}
	}
	for _, in := range []string{lasText, wrapped, las3, strings.Replace(wrapped, "WRAP. YES", "WRAP. NO", 1),
		data("D A B", "1 10 100\n2 20\n3 x 300\n4 - 400\n"), data("D DATE", "1 2018-05-22\n2 -999.25\n"),
		data("D A", "-999.25 1\n#N/A 2\n3 3\n"), data("D", "1 10 100\n2 20 200\n")} {
		sameCheck(t, []byte(in))
	}
}

// Check reads only what a summary needs.
func ExampleCheck() {
	s, err := Check(strings.NewReader(lasText), WithName("orsta.las"))
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(s.Curves[1])
	os.Stdout.Write(append(b, '\n'))
	// Output:
	// {"mnemonic":"TEMP","unit":"°C","description":"temperature","kind":"number","count":2,"min":20.5,"max":21.5,"mean":21}
}
