package columnar

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"
)

// TestLayoutSurvey measures the layout choices behind defaultConfig: file
// size, write time, the time to read one curve and a 1000-row range, for
// each codec × numeric encoding and for page sizes, on the Volve 15/9-19
// composite log (and a 3 000 000-row synthetic log with
// COLUMNAR_SURVEY=big). It only logs; run it by hand:
//
//	COLUMNAR_SURVEY=1 go test -run TestLayoutSurvey -v ./internal/columnar/
func TestLayoutSurvey(t *testing.T) {
	if os.Getenv("COLUMNAR_SURVEY") == "" {
		t.Skip("set COLUMNAR_SURVEY=1 (or big) to measure layouts")
	}
	codecs := []struct {
		name  string
		codec compress.Codec
	}{
		{"none", &uncompressed.Codec{}},
		{"snappy", &snappy.Codec{}},
		{"zstd-fastest", &zstd.Codec{Level: zstd.SpeedFastest}},
		{"zstd-default", &zstd.Codec{Level: zstd.SpeedDefault}},
		{"zstd-better", &zstd.Codec{Level: zstd.SpeedBetterCompression}},
	}
	encodings := []struct {
		name string
		enc  encoding.Encoding
	}{{"plain", &parquet.Plain}, {"byte-stream-split", &parquet.ByteStreamSplit}}
	type dataset struct {
		name string
		cols []Column
	}
	datasets := []dataset{{"volve", loadVolve(t)}}
	if os.Getenv("COLUMNAR_SURVEY") == "big" {
		datasets = append(datasets, dataset{"synth3M", synthLog(t, 3_000_000, 8)})
	}
	for _, ds := range datasets {
		for _, c := range codecs {
			for _, e := range encodings {
				cfg := defaultConfig
				cfg.codec, cfg.float = c.codec, e.enc
				measureLayout(t, ds.name+"/"+c.name+"/"+e.name, ds.cols, &cfg)
			}
		}
		for _, pageRows := range []int{1024, 4096, 8192, 16384, 65536} {
			cfg := defaultConfig
			cfg.pageRows = pageRows
			measureLayout(t, fmt.Sprintf("%s/page%drows", ds.name, pageRows), ds.cols, &cfg)
		}
	}
}

func measureLayout(t *testing.T, name string, cols []Column, cfg *writeConfig) {
	var buf bytes.Buffer
	if err := writeWith(&buf, cols, cfg); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	write := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if err := writeWith(&countWriter{}, cols, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	f := openBytes(t, data)
	curve := cols[min(4, len(cols)-1)].Name
	read := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := f.Read([]string{curve}, 0, f.Rows()); err != nil {
				b.Fatal(err)
			}
		}
	})
	from := f.Rows()/2 + 123
	to := min(from+1000, f.Rows())
	rangeRead := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := f.Read([]string{curve}, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	raw := rawSize(cols)
	wt := time.Duration(write.NsPerOp())
	t.Logf("%-36s %9d bytes (%5.1f%% of raw)  write %8.2f ms (%4.0f MB/s)  read curve %7.3f ms  read 1000 rows %6.1f µs",
		name, len(data), 100*float64(len(data))/float64(raw), wt.Seconds()*1e3, float64(raw)/wt.Seconds()/1e6,
		float64(read.NsPerOp())/1e6, float64(rangeRead.NsPerOp())/1e3)
}
