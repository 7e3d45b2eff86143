package ssmtest

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Test credentials: the key pair the harness's shared credentials file holds.
const (
	TestAccessKeyID     = "test"
	TestSecretAccessKey = "testsecret"
)

// Start runs a server for the test t on a loopback port, backed by the KMS at kmsEndpoint (""
// for none), and returns its endpoint (http://127.0.0.1:port) and the server. It accepts the
// credentials the AWS SDK's default chain finds in the test's environment, the same the code
// under test signs with (see [UseTestCredentials]); default KMS key: one created on first use.
func Start(t testing.TB, kmsEndpoint string) (endpoint string, s *Server) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatalf("ssmtest: load AWS config: %v", err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatalf("ssmtest: no AWS credentials in the test's environment (call ssmtest.UseTestCredentials): %v", err)
	}
	s, err = New(Config{KMSEndpoint: kmsEndpoint, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL, s
}

// UseTestCredentials points the AWS SDK's default credential chain, for the rest of the test,
// at a shared credentials file in a temporary folder holding [TestAccessKeyID] and
// [TestSecretAccessKey], and turns off the instance metadata service and any AWS_* keys or
// profile from the environment. It sets environment variables, so t must not be parallel
// (its subtests may be).
func UseTestCredentials(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	conf := filepath.Join(dir, "config")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+TestAccessKeyID+"\naws_secret_access_key = "+TestSecretAccessKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("[default]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(v, "") // restores the variable after the test
		os.Unsetenv(v)
	}
}
