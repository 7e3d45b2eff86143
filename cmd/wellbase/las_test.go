package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// cyrillicLAS is a small LAS 2.0 file whose ~W WELL value is Cyrillic.
const cyrillicLAS = "~VERSION INFORMATION\n VERS. 2.0 : Версия\n WRAP. NO : Одна строка на шаг\n" +
	"~WELL INFORMATION\n NULL. -999.25 : Пустое значение\n WELL. Примерная-1 : Скважина\n COMP. Нефтегазовая компания : Компания\n" +
	"~CURVE INFORMATION\n DEPT.M : Глубина\n GR.GAPI : Гамма-каротаж\n~A\n1000.0 50\n1000.5 51\n"

// TestLASCheckEncoding: `las check` detects the code page and names it, in the line and in
// --json, and --encoding overrides the detection (issue 13 item 10).
func TestLASCheckEncoding(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, cm *charmap.Charmap) string {
		b, err := cm.NewEncoder().Bytes([]byte(cyrillicLAS))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cp1251, cp866 := write("cp1251.las", charmap.Windows1251), write("cp866.las", charmap.CodePage866)

	run := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := lasCommand(t.Context(), append([]string{"check"}, args...), &out, &errb)
		return out.String() + errb.String(), err
	}
	tests := []struct {
		name         string
		args         []string
		well, enc    string
		detected     bool
		lineContains string
	}{
		{"DetectsWindows1251", []string{cp1251}, "Примерная-1", "Windows-1251", true, "encoding Windows-1251 (detected)"},
		{"DetectsCP866", []string{cp866}, "Примерная-1", "IBM866", true, "encoding IBM866 (detected)"},
		{"GivenEncoding", []string{"--encoding", "cp866", cp866}, "Примерная-1", "IBM866", false, "encoding IBM866 (as given)"},
		{"GivenWrongEncoding", []string{"--encoding", "windows-1252", cp1251}, "Ïðèìåðíàÿ-1", "Windows-1252", false, "encoding Windows-1252 (as given)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := run(tt.args...)
			if err != nil || !strings.Contains(out, tt.lineContains) || !strings.Contains(out, "2 rows, 2 curves") {
				t.Errorf("las check %v: %v\n%s", tt.args, err, out)
			}
			out, err = run(append([]string{"--json"}, tt.args...)...)
			if err != nil {
				t.Fatal(err, out)
			}
			var s struct {
				Encoding         string            `json:"encoding"`
				EncodingDetected bool              `json:"encoding_detected"`
				Well             map[string]string `json:"well"`
			}
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatal(err, out)
			}
			if s.Encoding != tt.enc || s.EncodingDetected != tt.detected || s.Well["WELL"] != tt.well {
				t.Errorf("--json: encoding %q detected %v WELL %q, want %q %v %q", s.Encoding, s.EncodingDetected, s.Well["WELL"], tt.enc, tt.detected, tt.well)
			}
		})
	}
	t.Run("UnknownEncoding", func(t *testing.T) {
		t.Parallel()
		_, err := run("--encoding", "cp9999", cp1251)
		if err == nil || !strings.Contains(err.Error(), `"cp9999"`) || !strings.Contains(err.Error(), "windows-1251") {
			t.Errorf("error %v, want one naming the encoding and the accepted names", err)
		}
	})
}
