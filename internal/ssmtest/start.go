package ssmtest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/wellbase/wellbase/internal/testservers"
)

// Test credentials: the key pair the harness's shared credentials file holds.
const (
	TestAccessKeyID     = testservers.AccessKeyID
	TestSecretAccessKey = testservers.SecretAccessKey
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
