package las

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds Read arbitrary bytes, seeded from the real files (read from the shared folder
// when the seeds are built; nothing is copied). Read must not panic or hang, must return either
// a *ParseError or a File whose curves all have Rows samples, and what it returns must
// summarize to JSON (Check giving the same summary) and write as LAS 2.0 that reads back with
// the same number of rows.
//
//	go test -fuzz FuzzRead -fuzztime 60s ./internal/las
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"data/las", "cases/las"} {
		root := filepath.Join(sharedDir, dir)
		if _, err := os.Stat(root); err != nil {
			continue
		}
		for _, rel := range lasFiles(f, root) {
			b, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil {
				f.Fatal(err)
			}
			if len(b) > 4<<10 { // the head of a big file is seed enough, and quick to minimize
				b = b[:4<<10]
			}
			f.Add(b)
		}
	}
	f.Add([]byte("~V\n VERS. 3.0 :\n DLM. COMMA :\n~Log_Definition\n A. :\n B. :\n~Log_Data\n1,\"x\ny\",2\n"))
	f.Add([]byte("~V\n WRAP. YES :\n~C\n A. :\n B. :\n C. :\n~A\n1\n2 3\n4\n5 6 7 8\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sameCheck(t, b) // Check summarizes as Read and Summarize do
		file, err := Read(bytes.NewReader(b))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		rows := file.Rows()
		for i := range file.Curves {
			c := &file.Curves[i]
			if c.Len() != rows {
				t.Fatalf("curve %s has %d samples, file %d rows", c.Mnemonic, c.Len(), rows)
			}
			if (c.Kind == KindText) != (c.Text != nil) || (c.Kind == KindNumber) != (c.Values != nil) {
				t.Fatalf("curve %s: kind %v with Values %v Text %v", c.Mnemonic, c.Kind, c.Values != nil, c.Text != nil)
			}
		}
		for i := range file.Sections {
			s := &file.Sections[i]
			for j := range s.Curves {
				if s.Curves[j].Len() != s.Rows() {
					t.Fatalf("section %s curve %s has %d samples, %d rows", s.Name, s.Curves[j].Mnemonic, s.Curves[j].Len(), s.Rows())
				}
			}
		}
		if _, err := json.Marshal(Summarize(file)); err != nil {
			t.Fatalf("summary does not marshal: %v", err)
		}
		var out bytes.Buffer
		if err := Write(&out, file); err != nil {
			t.Fatalf("Write: %v", err)
		}
		back, err := Read(&out)
		if err != nil {
			t.Fatalf("written file does not read back: %v\n%s", err, out.String())
		}
		if back.Rows() != rows || len(back.Curves) != len(file.Curves) {
			t.Fatalf("read back %d rows %d curves, want %d rows %d curves\n%s", back.Rows(), len(back.Curves), rows, len(file.Curves), out.String())
		}
	})
}
