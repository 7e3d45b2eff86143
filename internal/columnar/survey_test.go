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

func TestSurvey(t *testing.T) {
	if os.Getenv("COLUMNAR_SURVEY") == "" {
		t.Skip("set COLUMNAR_SURVEY=1")
	}
	codecs := []struct {
		n string
		c compress.Codec
	}{{"none", &uncompressed.Codec{}}, {"snappy", &snappy.Codec{}}, {"zstd-fast", &zstd.Codec{Level: zstd.SpeedFastest}}, {"zstd-def", &zstd.Codec{Level: zstd.SpeedDefault}}, {"zstd-better", &zstd.Codec{Level: zstd.SpeedBetterCompression}}}
	encs := []struct {
		n string
		e encoding.Encoding
	}{{"plain", &parquet.Plain}, {"bss", &parquet.ByteStreamSplit}}
	datasets := []struct {
		n    string
		cols []Column
	}{{"volve", loadVolve(t)}}
	if os.Getenv("COLUMNAR_SURVEY") == "big" {
		datasets = append(datasets, struct {
			n    string
			cols []Column
		}{"synth3M", synthLog(t, 3000000, 8)})
	}
	for _, ds := range datasets {
		raw := rawSize(ds.cols)
		for _, c := range codecs {
			if os.Getenv("SURVEY_CODECS") == "" {
				break
			}
			for _, e := range encs {
				cfg := defaultConfig
				cfg.codec, cfg.float = c.c, e.e
				measure(t, ds.n+"/"+c.n+"/"+e.n, ds.cols, &cfg, raw)
			}
		}
		for _, pb := range []int{8 << 10, 32 << 10, 128 << 10, 512 << 10, 1 << 20} {
			for _, rg := range []int{64 << 10, 256 << 10} {
				cfg := defaultConfig
				cfg.float = &parquet.Plain
				cfg.pageBytes, cfg.rowGroupRows = pb, rg
				measure(t, fmt.Sprintf("%s/page%dK/rg%dK", ds.n, pb>>10, rg>>10), ds.cols, &cfg, raw)
			}
		}
	}
}

func measure(t *testing.T, name string, cols []Column, cfg *writeConfig, raw int64) {
	var buf bytes.Buffer
	if err := writeWith(&buf, cols, cfg); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	wr := testing.Benchmark(func(b *testing.B) {
		var w bytes.Buffer
		for b.Loop() {
			w.Reset()
			if err := writeWith(&w, cols, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	f := openBytes(t, data)
	rd := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := f.Read([]string{cols[4].Name}, 0, f.Rows()); err != nil {
				b.Fatal(err)
			}
		}
	})
	mid := f.Rows()/2 + 123
	to := min(mid+1000, f.Rows())
	rr := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := f.Read([]string{cols[4].Name}, mid, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	wt := time.Duration(wr.NsPerOp())
	t.Logf("%-28s size %9d (%5.1f%% of raw)  write %8.2fms (%4.0f MB/s)  read1col %7.3fms  range1000 %6.1fµs",
		name, len(data), 100*float64(len(data))/float64(raw), wt.Seconds()*1e3, float64(raw)/wt.Seconds()/1e6,
		float64(rd.NsPerOp())/1e6, float64(rr.NsPerOp())/1e3)
}
