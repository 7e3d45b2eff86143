package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestLogUploadEncoding: a Cyrillic upload is decoded from its detected code page, or from the
// one ?encoding= names; the answer, the stored log and the LAS export carry it, in the request
// and through the background parse of a large upload; an unknown name is 422 on field encoding
// with nothing stored (issue 13 item 10).
func TestLogUploadEncoding(t *testing.T) {
	t.Parallel()
	text := smallLAS("Примерная-1", "КЗ-0001")
	cp1251, err := charmap.Windows1251.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	cp866, err := charmap.CodePage866.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, async := range []bool{false, true} {
		name := "InRequest"
		opt := harnessOptions{}
		status := 201
		if async {
			name, opt.asyncParseBytes, status = "ParsedByJob", 100, 202
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarnessWith(t, opt)
			acme := h.onboard("acme")
			for _, tt := range []struct {
				body          []byte
				query, want   string
				well, wantErr string
			}{
				{cp1251, "", "Windows-1251", "Примерная-1", ""},
				{cp866, "", "IBM866", "Примерная-1", ""},
				{cp866, "cp866", "IBM866", "Примерная-1", ""},
				{cp1251, "windows-1252", "Windows-1252", "Ïðèìåðíàÿ-1", ""},
			} {
				path := "/api/v1/logs?name=ru.las"
				if tt.query != "" {
					path += "&encoding=" + url.QueryEscape(tt.query)
				}
				up := h.must(status, "POST", path, acme, tt.body).json()
				l := up
				if async {
					var given any // while processing: the encoding given, none when it is to be detected
					if tt.query != "" {
						given = tt.want
					}
					if up["encoding"] != given {
						t.Errorf("staged log encoding %v, want %v", up["encoding"], given)
					}
					l = waitLog(t, h, acme, up["id"].(string))
				}
				if l["encoding"] != tt.want || l["well"].(map[string]any)["WELL"] != tt.well {
					t.Errorf("?encoding=%s: encoding %v WELL %v, want %s %s", tt.query, l["encoding"], l["well"], tt.want, tt.well)
				}
				got := h.must(200, "GET", "/api/v1/logs/"+l["id"].(string), acme, nil).json()
				if got["encoding"] != tt.want {
					t.Errorf("stored log encoding %v, want %s", got["encoding"], tt.want)
				}
				export := h.must(200, "GET", "/api/v1/logs/"+l["id"].(string)+"/data?format=las", acme, nil)
				if !strings.Contains(string(export.body), tt.well) {
					t.Errorf("LAS export (UTF-8) lacks WELL %s as read", tt.well)
				}
			}
			before := len(h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any))
			bad := h.must(422, "POST", "/api/v1/logs?name=ru.las&encoding=cp9999", acme, cp1251).json()
			if bad["field"] != "encoding" || !strings.Contains(bad["detail"].(string), "cp9999") {
				t.Errorf("unknown encoding answered %v", bad)
			}
			if after := len(h.must(200, "GET", "/api/v1/logs", acme, nil).json()["items"].([]any)); after != before {
				t.Errorf("%d logs after a rejected upload, %d before", after, before)
			}
		})
	}
}
