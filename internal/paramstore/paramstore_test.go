package paramstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/paramstore"
	"github.com/wellbase/wellbase/internal/secretstore"
	"github.com/wellbase/wellbase/internal/secretstore/secretstoretest"
	"github.com/wellbase/wellbase/internal/ssmtest"
	"github.com/wellbase/wellbase/internal/testservers"
)

// recorder keeps the X-Amz-Target and body of every request it passes on.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	target string
	body   map[string]any
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(b))
	var m map[string]any
	json.Unmarshal(b, &m)
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Header.Get("X-Amz-Target"), m})
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *recorder) calls(target string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, c := range r.reqs {
		if c.target == "AmazonSSM."+target {
			out = append(out, c)
		}
	}
	return out
}

// fixture is an SSM test server backed by the real KMS emulator, with a request recorder.
type fixture struct {
	endpoint string
	srv      *ssmtest.Server
	rec      *recorder
	kms      *kms.Client
	alias    string
	n        atomic.Int64
}

func newFixture(t *testing.T) *fixture {
	kmsEndpoint, alias := testservers.KMS(t)
	testservers.UseTestCredentials(t)
	srv, err := ssmtest.New(ssmtest.Config{KMSEndpoint: kmsEndpoint, Credentials: aws.Credentials{AccessKeyID: ssmtest.TestAccessKeyID, SecretAccessKey: ssmtest.TestSecretAccessKey}})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv}
	hs := httptest.NewServer(rec)
	t.Cleanup(hs.Close)
	k := kms.New(kms.Options{Region: testservers.Region, BaseEndpoint: aws.String(kmsEndpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: ssmtest.TestAccessKeyID, SecretAccessKey: ssmtest.TestSecretAccessKey}, nil
		})})
	return &fixture{endpoint: hs.URL, srv: srv, rec: rec, kms: k, alias: alias}
}

// open returns a store on a fresh prefix, with the extra URL query.
func (f *fixture) open(t *testing.T, query string) (*paramstore.Store, string) {
	t.Helper()
	prefix := fmt.Sprintf("/wellbase/test-%d", f.n.Add(1))
	u, _ := url.Parse("awsparamstore://" + prefix + "?region=us-east-1&endpoint=" + url.QueryEscape(f.endpoint) + query)
	s, err := paramstore.OpenURL(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return s, prefix
}

func TestParamStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	t.Run("Conformance", func(t *testing.T) {
		t.Parallel()
		secretstoretest.Run(t, func(t *testing.T) secretstore.Store {
			s, _ := f.open(t, "&kms_key_id="+f.alias)
			return s
		})
	})

	// A secret is a SecureString under <prefix>/<name>, encrypted with the URL's KMS key; the
	// server keeps only ciphertext.
	t.Run("EncryptedAtRestWithTheKey", func(t *testing.T) {
		t.Parallel()
		key, err := f.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(f.alias)})
		if err != nil {
			t.Fatal(err)
		}
		s, prefix := f.open(t, "&kms_key_id="+f.alias)
		secret := []byte("mongodb+srv://app:hunter2@cluster0.example/wellbase")
		if err := s.Put(ctx, "database-url", secret); err != nil {
			t.Fatal(err)
		}
		p, ok := f.srv.Stored(prefix + "/database-url")
		if !ok || p.Type != "SecureString" || p.KeyID != aws.ToString(key.KeyMetadata.Arn) || p.Tier != "Standard" {
			t.Fatalf("stored %+v, want a SecureString under key %s", p, aws.ToString(key.KeyMetadata.Arn))
		}
		if len(p.Ciphertext) == 0 || bytes.Contains(p.Ciphertext, []byte("hunter2")) || p.Value != "" {
			t.Errorf("the server keeps the plaintext: %q %q", p.Ciphertext, p.Value)
		}
		if got, err := s.Get(ctx, "database-url"); err != nil || !bytes.Equal(got, secret) {
			t.Errorf("Get = %q, %v", got, err)
		}
		// More than 4 KB goes to the Advanced tier; more than 8 KB is refused before sending.
		if err := s.Put(ctx, "big", bytes.Repeat([]byte("k"), 5000)); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.srv.Stored(prefix + "/big"); p.Tier != "Advanced" {
			t.Errorf("5000-byte value in tier %q", p.Tier)
		}
	})

	// Without kms_key_id no KeyId is sent: Parameter Store's default key (alias/aws/ssm; here
	// the test server's stand-in) encrypts.
	t.Run("DefaultKey", func(t *testing.T) {
		t.Parallel()
		s, prefix := f.open(t, "")
		if err := s.Put(ctx, "session-key", []byte("k3y")); err != nil {
			t.Fatal(err)
		}
		for _, c := range f.rec.calls("PutParameter") {
			if c.body["Name"] == prefix+"/session-key" {
				if _, ok := c.body["KeyId"]; ok || c.body["Type"] != "SecureString" || c.body["Overwrite"] != true {
					t.Errorf("PutParameter %v", c.body)
				}
			}
		}
		if p, ok := f.srv.Stored(prefix + "/session-key"); !ok || p.KeyID == "" || len(p.Ciphertext) == 0 {
			t.Errorf("stored %+v", p)
		}
		if got, err := s.Get(ctx, "session-key"); err != nil || string(got) != "k3y" {
			t.Errorf("Get = %q, %v", got, err)
		}
	})

	// List pages through GetParametersByPath ten at a time and never asks for decryption.
	t.Run("ListPagesWithoutDecryption", func(t *testing.T) {
		t.Parallel()
		s, prefix := f.open(t, "&kms_key_id="+f.alias)
		for i := range 23 {
			if err := s.Put(ctx, fmt.Sprintf("k%02d", i), []byte("v")); err != nil {
				t.Fatal(err)
			}
		}
		infos, err := s.List(ctx)
		if err != nil || len(infos) != 23 || infos[0].Name != "k00" || infos[0].Bytes != -1 {
			t.Fatalf("List = %v, %v", infos, err)
		}
		pages := 0
		for _, c := range f.rec.calls("GetParametersByPath") {
			if c.body["Path"] != prefix {
				continue
			}
			pages++
			if c.body["WithDecryption"] != false || c.body["Recursive"] != true || c.body["MaxResults"] != 10.0 {
				t.Errorf("GetParametersByPath %v", c.body)
			}
		}
		if pages != 3 {
			t.Errorf("List read %d pages, want 3", pages)
		}
	})

	t.Run("ErrNotFoundNamesTheParameter", func(t *testing.T) {
		t.Parallel()
		s, prefix := f.open(t, "")
		_, err := s.Get(ctx, "nope")
		if wellbase.ErrorCode(err) != wellbase.ENotFound || wellbase.ErrorMessage(err) != "secret nope is not set (no parameter "+prefix+"/nope)" {
			t.Errorf("Get: %v", err)
		}
	})

	t.Run("ErrUnknownKMSKey", func(t *testing.T) {
		t.Parallel()
		s, _ := f.open(t, "&kms_key_id=alias/does-not-exist")
		err := s.Put(ctx, "database-url", []byte("hunter2"))
		if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), "InvalidKeyId") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Put with an unknown key: %v", err)
		}
	})

	t.Run("ErrValuesParameterStoreCannotHold", func(t *testing.T) {
		t.Parallel()
		s, _ := f.open(t, "")
		for _, v := range [][]byte{bytes.Repeat([]byte("h"), paramstore.MaxValueBytes+1), {0xff, 0xfe, 'h'}, {}} {
			err := s.Put(ctx, "database-url", v)
			if wellbase.ErrorCode(err) != wellbase.EInvalid || (len(v) > 0 && strings.Contains(err.Error(), string(v))) {
				t.Errorf("Put of %d bytes: %v", len(v), err)
			}
		}
		if err := s.Put(ctx, "a//b", []byte("v")); wellbase.ErrorCode(err) != wellbase.EInvalid {
			t.Errorf("Put(a//b): %v", err)
		}
	})
}

// TestPutNeverRepeatsTheServersMessage: Parameter Store's validation messages may quote the value
// sent; the driver keeps only the error code.
func TestPutNeverRepeatsTheServersMessage(t *testing.T) {
	testservers.UseTestCredentials(t)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Value string }
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": "ValidationException", "message": "Value '" + in.Value + "' at 'value' failed to satisfy constraint"})
	}))
	defer hs.Close()
	u, _ := url.Parse("awsparamstore:///wellbase/prod?region=us-east-1&endpoint=" + url.QueryEscape(hs.URL))
	s, err := paramstore.OpenURL(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Put(context.Background(), "database-url", []byte("hunter2"))
	if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), "ValidationException") {
		t.Fatalf("Put: %v", err)
	}
	walk(err, func(e error) {
		if strings.Contains(e.Error(), "hunter2") {
			t.Errorf("the error or its cause repeats the value: %v", e)
		}
	})
}

// walk calls visit on err and every error in its tree.
func walk(err error, visit func(error)) {
	if err == nil {
		return
	}
	visit(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walk(e, visit)
		}
	}
}

func TestOpenURL(t *testing.T) {
	testservers.UseTestCredentials(t)
	t.Setenv("AWS_REGION", "")
	ctx := context.Background()
	for _, tc := range []struct{ name, url, want string }{
		{"ErrHostForm", "awsparamstore://wellbase/prod?region=us-east-1", "awsparamstore:///wellbase/prod (three slashes)"},
		{"ErrNoPrefix", "awsparamstore://?region=us-east-1", "prefix"},
		{"ErrTrailingSlash", "awsparamstore:///wellbase/?region=us-east-1", "prefix"},
		{"ErrReservedPrefix", "awsparamstore:///aws/x?region=us-east-1", "reserved"},
		{"ErrBadCharacters", "awsparamstore:///well%20base?region=us-east-1", "prefix"},
		{"ErrTooDeep", "awsparamstore://" + strings.Repeat("/a", 15) + "?region=us-east-1", "levels"},
		{"ErrUnknownParameter", "awsparamstore:///wellbase?region=us-east-1&kms_key=alias/x", `unknown parameter "kms_key"`},
		{"ErrUserInfo", "awsparamstore://AKIA:hunter2@/wellbase?region=us-east-1", "default chain"},
		{"ErrEndpoint", "awsparamstore:///wellbase?region=us-east-1&endpoint=localhost:1", "endpoint"},
		{"ErrNoRegion", "awsparamstore:///wellbase", "region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			_, err = paramstore.OpenURL(ctx, u)
			if wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("OpenURL(%s) = %v, want invalid mentioning %q", tc.url, err, tc.want)
			}
		})
	}
	u, _ := url.Parse("awsparamstore:///wellbase/" + strings.Repeat("a/", 12) + "b?region=us-east-1")
	s, err := paramstore.OpenURL(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	// 14 levels of prefix leave room for a one-level name only.
	if err := s.Put(ctx, "x/y", []byte("v")); wellbase.ErrorCode(err) != wellbase.EInvalid || !strings.Contains(err.Error(), "levels") {
		t.Errorf("Put of a name past 15 levels: %v", err)
	}
}
