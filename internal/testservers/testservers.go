// Package testservers gives tests the addresses of the real servers that `make test` starts
// (scripts/testservers): a MongoDB-protocol server (FerretDB), an S3-compatible server
// (versitygw), a KMS emulator (local-kms) and Wellbase's own SSM Parameter Store test server;
// and the Lambda runtime interface emulator, which a test starts for the function it builds
// (StartLambda).
//
// Under `make test` WELLBASE_TEST_SERVERS=required is set, and a test whose server is missing
// fails. A plain `go test ./...` without the servers skips those tests with a message saying
// how to run them.
//
// AWS credentials for the emulators come from the SDK's default chain, as in production: the
// harness writes a shared credentials file and sets AWS_SHARED_CREDENTIALS_FILE.
package testservers

import (
	"os"
	"path/filepath"
	"testing"
)

// Environment variables set by the harness.
const (
	// EnvRequired is "required" under make test: missing servers fail tests instead of skipping.
	EnvRequired = "WELLBASE_TEST_SERVERS"
	// EnvMongoDB is a mongodb:// URL without a database path, e.g. mongodb://127.0.0.1:41234.
	EnvMongoDB = "WELLBASE_TEST_MONGODB_URL"
	// EnvS3Endpoint is the S3 server's endpoint, e.g. http://127.0.0.1:41235.
	EnvS3Endpoint = "WELLBASE_TEST_S3_ENDPOINT"
	// EnvS3Bucket is a bucket that exists on the S3 server.
	EnvS3Bucket = "WELLBASE_TEST_S3_BUCKET"
	// EnvKMSEndpoint is the KMS emulator's endpoint, e.g. http://127.0.0.1:41236.
	EnvKMSEndpoint = "WELLBASE_TEST_KMS_ENDPOINT"
	// EnvKMSAlias is a KMS key alias that exists in the emulator, e.g. alias/wellbase-test.
	EnvKMSAlias = "WELLBASE_TEST_KMS_ALIAS"
)

// Region is the AWS region the emulators are addressed in.
const Region = "us-east-1"

// The credentials the emulators accept (the harness's shared credentials file holds them too).
const (
	AccessKeyID     = "test"
	SecretAccessKey = "testsecret"
)

func need(t testing.TB, what string, names ...string) []string {
	t.Helper()
	vals := make([]string, len(names))
	for i, n := range names {
		vals[i] = os.Getenv(n)
		if vals[i] == "" {
			if os.Getenv(EnvRequired) == "required" {
				t.Fatalf("%s test server missing: %s is not set although %s=required", what, n, EnvRequired)
			}
			t.Skipf("no %s test server (%s unset): run `make test` to start the real servers", what, n)
		}
	}
	return vals
}

// MongoDBURL returns the MongoDB server's URL (no database path), or skips/fails the test.
func MongoDBURL(t testing.TB) string {
	t.Helper()
	return need(t, "MongoDB", EnvMongoDB)[0]
}

// S3 returns the S3 server's endpoint and an existing bucket, or skips/fails the test.
func S3(t testing.TB) (endpoint, bucket string) {
	t.Helper()
	v := need(t, "S3", EnvS3Endpoint, EnvS3Bucket)
	return v[0], v[1]
}

// S3URL returns a gocloud s3:// bucket URL for the S3 server.
func S3URL(t testing.TB) string {
	t.Helper()
	endpoint, bucket := S3(t)
	return "s3://" + bucket + "?region=" + Region + "&endpoint=" + endpoint + "&use_path_style=true"
}

// KMS returns the KMS emulator's endpoint and an existing key alias, or skips/fails the test.
func KMS(t testing.TB) (endpoint, alias string) {
	t.Helper()
	v := need(t, "KMS", EnvKMSEndpoint, EnvKMSAlias)
	return v[0], v[1]
}

// KMSURL returns a gocloud awskms:// root key URL for the KMS emulator.
func KMSURL(t testing.TB) string {
	t.Helper()
	endpoint, alias := KMS(t)
	return "awskms:///" + alias + "?region=" + Region + "&endpoint=" + endpoint
}

// UseTestCredentials points the AWS SDK's default credential chain, for the rest of the test,
// at a shared credentials file in a temporary folder holding [AccessKeyID] and
// [SecretAccessKey], and turns off the instance metadata service and any AWS_* keys or
// profile from the environment. It sets environment variables, so t must not be parallel
// (its subtests may be).
func UseTestCredentials(t testing.TB) {
	t.Helper()
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	conf := filepath.Join(dir, "config")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+AccessKeyID+"\naws_secret_access_key = "+SecretAccessKey+"\n"), 0o600); err != nil {
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
