package columnar

import (
	"bytes"
	"math"
	"testing"
)

// corruptSample is a small file with two row groups' worth of structure:
// numeric and text columns, NULLs and a dictionary page.
func corruptSample(tb testing.TB) []byte {
	tb.Helper()
	cols := append(synthLog(tb, 300, 3), depthText(300)[1])
	return writeBytes(tb, cols)
}

// exercise opens data and calls every read method; it returns the first
// error. A panic fails the calling test.
func exercise(data []byte) error {
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	_ = f.Columns()
	if _, err := f.Read(nil, 0, f.Rows()); err != nil {
		return err
	}
	if f.Rows() > 2 {
		if _, err := f.Read(nil, f.Rows()/2, f.Rows()-1); err != nil {
			return err
		}
	}
	_, _, err = f.IndexRange(-math.MaxFloat64, 150)
	return err
}

func TestCorrupt(t *testing.T) {
	t.Parallel()
	good := corruptSample(t)
	if err := exercise(good); err != nil {
		t.Fatalf("sample file: %v", err)
	}
	t.Run("Truncated", func(t *testing.T) {
		t.Parallel()
		for n := 0; n < len(good); n++ {
			if err := exercise(good[:n]); err == nil {
				t.Fatalf("file truncated to %d of %d bytes: no error", n, len(good))
			}
		}
	})
	t.Run("NotParquet", func(t *testing.T) {
		t.Parallel()
		for _, data := range [][]byte{nil, []byte("PAR1"), []byte("PAR1PAR1"), []byte("~VERSION INFORMATION\nVERS. 2.0:\n"), bytes.Repeat([]byte{0}, 100)} {
			if err := exercise(data); err == nil {
				t.Errorf("%q: no error", data)
			}
		}
	})
	t.Run("FlippedByte", func(t *testing.T) {
		t.Parallel()
		// Every byte flipped in turn: the result must be an error or a
		// successful read (some bytes, such as statistics, are not checked),
		// never a panic. Page bytes are covered by CRC-32 and must fail.
		failed := 0
		for i := range good {
			data := bytes.Clone(good)
			data[i] ^= 0xff
			if exercise(data) != nil {
				failed++
			}
		}
		t.Logf("%d of %d single-byte corruptions detected", failed, len(good))
		if failed < len(good)/2 {
			t.Errorf("only %d of %d single-byte corruptions detected", failed, len(good))
		}
	})
	t.Run("PageBodyChecksum", func(t *testing.T) {
		t.Parallel()
		// Byte 200 lies inside the first data page of the index column.
		data := bytes.Clone(good)
		data[200] ^= 0x01
		if err := exercise(data); err == nil {
			t.Fatal("corrupted page body read without error")
		}
	})
}

// FuzzOpen checks that no input makes Open, Read or IndexRange panic.
func FuzzOpen(f *testing.F) {
	f.Add(corruptSample(f))
	f.Add(writeBytes(f, []Column{{Name: "DEPT", Float: []float64{}}}))
	f.Add(writeBytes(f, depthText(20)))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = exercise(data)
	})
}
