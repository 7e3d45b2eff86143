package mongodb

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url, want, code string
	}{
		{"mongodb://127.0.0.1:27017", DefaultDatabase, ""},
		{"mongodb://127.0.0.1:27017/", DefaultDatabase, ""},
		{"mongodb://user:secret@h1:27017,h2:27017/wb_prod?replicaSet=rs0&authSource=admin", "wb_prod", ""},
		{"mongodb+srv://cluster0.example.mongodb.net/wellbase-eu?retryWrites=true", "wellbase-eu", ""},
		{"mongodb://h/" + strings.Repeat("a", 63), strings.Repeat("a", 63), ""},
		{"mongodb://h/" + strings.Repeat("a", 64), "", wellbase.EInvalid},
		{"mongodb://h/a.b", "", wellbase.EInvalid},
		{"mongodb://h/a$b", "", wellbase.EInvalid},
		{"mongodb:///wellbase", "", wellbase.EInvalid},
		{"postgres://h/wellbase", "", wellbase.EInvalid},
		{"mongodb://user:p%zz@h/wellbase", "", wellbase.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := parseURL(tt.url)
			if code := wellbase.ErrorCode(err); code != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("parseURL: error code %q (%v), want %q", code, err, tt.code)
			}
			if got != tt.want {
				t.Errorf("parseURL = %q, want %q", got, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	rawURL := "mongodb://wb:p%40ss:w0rd@h1:27017/wellbase"
	got := redact(errors.New("error parsing uri "+rawURL+": password p@ss:w0rd refused"), rawURL)
	if strings.Contains(got, "p%40ss") || strings.Contains(got, "p@ss") {
		t.Errorf("redact = %q: the password shows", got)
	}
}

func TestClientOptionsServerSelectionTimeout(t *testing.T) {
	tests := []struct {
		url  string
		want time.Duration
	}{
		{"mongodb://127.0.0.1:27017/wellbase", ServerSelectionTimeout},
		{"mongodb://127.0.0.1:27017/wellbase?serverSelectionTimeoutMS=30000", 30 * time.Second},
		{"mongodb://127.0.0.1:27017/wellbase?serverselectiontimeoutms=250", 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got := clientOptions(tt.url).ServerSelectionTimeout
			if got == nil || *got != tt.want {
				t.Errorf("server selection timeout %v, want %v", got, tt.want)
			}
		})
	}
}
