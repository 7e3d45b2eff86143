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

// TestAtlasIAMURL: the URL deploy/terraform/modules/atlas writes into the database-url secret
// (the private-endpoint SRV string, the database, MONGODB-AWS authentication) names the
// database, selects IAM authentication with no credential in it, and passes the check that
// refuses secrets in flags and environment variables (it could be given as one).
func TestAtlasIAMURL(t *testing.T) {
	const raw = "mongodb+srv://wellbase-pl-0.ab1cd.mongodb.net/wellbase?authSource=%24external&authMechanism=MONGODB-AWS&retryWrites=true&w=majority"
	name, err := parseURL(raw)
	if err != nil || name != "wellbase" {
		t.Fatalf("parseURL: %q, %v", name, err)
	}
	// The driver resolves a mongodb+srv host's DNS records while parsing, which this machine
	// cannot: the same options on the seed list the SRV record would give.
	opts := clientOptions(strings.Replace(strings.Replace(raw, "mongodb+srv://", "mongodb://", 1),
		"wellbase-pl-0.ab1cd.mongodb.net", "pl-0-eu-north-1.ab1cd.mongodb.net:1024", 1))
	if err := opts.Validate(); err != nil {
		t.Fatalf("options: %v", err)
	}
	if opts.Auth == nil || opts.Auth.AuthMechanism != "MONGODB-AWS" || opts.Auth.AuthSource != "$external" {
		t.Fatalf("auth options: %+v", opts.Auth)
	}
	if opts.Auth.Username != "" || opts.Auth.Password != "" || opts.Auth.PasswordSet {
		t.Errorf("the IAM URL carries a credential: user %q, password set %v", opts.Auth.Username, opts.Auth.PasswordSet)
	}
	if opts.RetryWrites == nil || !*opts.RetryWrites {
		t.Error("retryWrites is not on: a primary failover would fail writes")
	}
}
