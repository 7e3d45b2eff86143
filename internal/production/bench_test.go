package production_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wellbase/wellbase/internal/production"
)

func readVolve(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(volveDir, name))
	if err != nil {
		b.Skipf("Volve production data not available: %v", err)
	}
	return data
}

// BenchmarkParseVolveXLSX reads the Volve workbook (2.3 MB; 15 634 daily and 526 monthly rows).
func BenchmarkParseVolveXLSX(b *testing.B) {
	data := readVolve(b, volveXLSX)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := production.ParseXLSX(bytes.NewReader(data), production.Options{})
		if err != nil || len(res.Records) != 16160 {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVolveCSV reads the daily Volve CSV (3.1 MB, 15 634 rows).
func BenchmarkParseVolveCSV(b *testing.B) {
	data := readVolve(b, volveDailyCSV)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := production.ParseCSV(bytes.NewReader(data), production.Options{Units: sm3})
		if err != nil || len(res.Records) != 15634 {
			b.Fatal(err)
		}
	}
}
