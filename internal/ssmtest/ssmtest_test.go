package ssmtest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/wellbase/wellbase/internal/ssmtest"
	"github.com/wellbase/wellbase/internal/testservers"
)

// client returns an SSM client for endpoint signing with the given key pair and region.
func client(endpoint, akid, secret, region string) *ssm.Client {
	return ssm.New(ssm.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

func testClient(endpoint string) *ssm.Client {
	return client(endpoint, ssmtest.TestAccessKeyID, ssmtest.TestSecretAccessKey, ssmtest.DefaultRegion)
}

func errCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

// TestMain-free setup: every test here starts its own server with the test key pair (no
// environment needed for String parameters).
func start(t *testing.T, kmsEndpoint string) (string, *ssmtest.Server) {
	t.Helper()
	testservers.UseTestCredentials(t)
	return ssmtest.Start(t, kmsEndpoint)
}

// TestSignature: only requests signed (SigV4) by the server's key pair, for its region and
// "ssm", with an untouched body, are answered.
func TestSignature(t *testing.T) {
	endpoint, _ := start(t, "")
	ctx := context.Background()
	put := &ssm.PutParameterInput{Name: aws.String("/app/region"), Value: aws.String("us-east-1"), Type: types.ParameterTypeString, Overwrite: aws.Bool(true)}
	for _, tc := range []struct {
		name, akid, secret, region, want string
	}{
		{"OK", ssmtest.TestAccessKeyID, ssmtest.TestSecretAccessKey, "us-east-1", ""},
		{"ErrUnknownAccessKey", "AKIAOTHER", ssmtest.TestSecretAccessKey, "us-east-1", "UnrecognizedClientException"},
		{"ErrWrongSecretKey", ssmtest.TestAccessKeyID, "not-the-secret", "us-east-1", "InvalidSignatureException"},
		{"ErrWrongRegion", ssmtest.TestAccessKeyID, ssmtest.TestSecretAccessKey, "eu-west-1", "InvalidSignatureException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := client(endpoint, tc.akid, tc.secret, tc.region).PutParameter(ctx, put)
			if got := errCode(err); got != tc.want {
				t.Errorf("PutParameter: %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("ErrUnsigned", func(t *testing.T) {
		t.Parallel()
		req, _ := http.NewRequest("POST", endpoint, strings.NewReader(`{"Name":"/app/region"}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AmazonSSM.GetParameter")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 400 || !strings.Contains(string(b), `"__type":"MissingAuthenticationTokenException"`) {
			t.Errorf("unsigned request: %d %s", res.StatusCode, b)
		}
	})
	t.Run("ErrBodyChangedAfterSigning", func(t *testing.T) {
		t.Parallel()
		var hc tamperingClient
		c := ssm.New(ssm.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), HTTPClient: &hc, RetryMaxAttempts: 1,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: ssmtest.TestAccessKeyID, SecretAccessKey: ssmtest.TestSecretAccessKey}, nil
			})})
		_, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/region")})
		if got := errCode(err); got != "InvalidSignatureException" {
			t.Errorf("tampered request: %v", err)
		}
	})
}

// tamperingClient changes the body of a signed request (keeping its length) before sending it.
type tamperingClient struct{}

func (tamperingClient) Do(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	b = bytes.Replace(b, []byte("/app/region"), []byte("/app/regiox"), 1)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return http.DefaultClient.Do(r)
}

// TestProtocol: String parameters through the real SDK, SSM's rules and error shapes.
func TestProtocol(t *testing.T) {
	endpoint, srv := start(t, "")
	ctx := context.Background()
	c := testClient(endpoint)
	put := func(name, value string, overwrite bool) error {
		_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: types.ParameterTypeString, Overwrite: aws.Bool(overwrite)})
		return err
	}
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("/app/k%02d", i)
		if i%4 == 0 {
			name = fmt.Sprintf("/app/nested/k%02d", i)
		}
		if err := put(name, fmt.Sprint(i), false); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
	}
	if err := put("/other/k", "x", false); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrParameterAlreadyExists", func(t *testing.T) {
		if err := put("/app/k01", "again", false); errCode(err) != "ParameterAlreadyExists" {
			t.Errorf("Put without Overwrite: %v", err)
		}
		if err := put("/app/k01", "1", true); err != nil {
			t.Errorf("Put with Overwrite: %v", err)
		}
		if p, _ := srv.Stored("/app/k01"); p.Version != 2 || p.Value != "1" {
			t.Errorf("after overwrite: %+v", p)
		}
	})
	t.Run("GetParametersByPathPages", func(t *testing.T) {
		for _, recursive := range []bool{false, true} {
			var got []string
			pages := 0
			p := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{Path: aws.String("/app"), Recursive: aws.Bool(recursive), MaxResults: aws.Int32(4)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, prm := range page.Parameters {
					got = append(got, aws.ToString(prm.Name))
					if prm.LastModifiedDate == nil || aws.ToInt64(&prm.Version) < 1 {
						t.Errorf("parameter %+v", prm)
					}
				}
			}
			n := 0
			for _, w := range want {
				if recursive || !strings.Contains(w, "/nested/") {
					n++
				}
			}
			if len(got) != n || pages != (n+3)/4 {
				t.Errorf("recursive=%v: %d parameters in %d pages, want %d: %v", recursive, len(got), pages, n, got)
			}
		}
	})
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"ErrParameterNotFound", func() error {
			_, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/nope")})
			var nf *types.ParameterNotFound
			if err != nil && !errors.As(err, &nf) {
				return fmt.Errorf("not a *types.ParameterNotFound: %w", err)
			}
			return err
		}, "ParameterNotFound"},
		{"ErrDeleteNotFound", func() error {
			_, err := c.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/app/nope")})
			return err
		}, "ParameterNotFound"},
		{"ErrReservedName", func() error { return put("/aws/x", "v", true) }, "ValidationException"},
		{"ErrBadName", func() error { return put("/app//x", "v", true) }, "ValidationException"},
		{"ErrTooDeep", func() error { return put(strings.Repeat("/a", 16), "v", true) }, "HierarchyLevelLimitExceededException"},
		{"ErrTooLarge", func() error { return put("/app/big", strings.Repeat("v", 4097), true) }, "ValidationException"},
		{"ErrMaxResults", func() error {
			_, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/app"), MaxResults: aws.Int32(11)})
			return err
		}, "ValidationException"},
		{"ErrNoKMS", func() error {
			_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/s"), Value: aws.String("v"), Type: types.ParameterTypeSecureString})
			return err
		}, "InternalServerError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); errCode(err) != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
	t.Run("ErrUnknownOperation", func(t *testing.T) {
		// A signed request for an operation the server does not know.
		_, err := c.DescribeParameters(ctx, &ssm.DescribeParametersInput{})
		if errCode(err) != "UnknownOperationException" {
			t.Errorf("DescribeParameters: %v", err)
		}
	})
}

// TestSecureString: values are encrypted by the real KMS emulator with the requested key and
// the parameter's ARN as encryption context; the server keeps only ciphertext.
func TestSecureString(t *testing.T) {
	kmsEndpoint, alias := testservers.KMS(t)
	endpoint, srv := start(t, kmsEndpoint)
	ctx := context.Background()
	c := testClient(endpoint)
	k := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(kmsEndpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: ssmtest.TestAccessKeyID, SecretAccessKey: ssmtest.TestSecretAccessKey}, nil
		})})
	key, err := k.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if err != nil {
		t.Fatal(err)
	}
	const secret = "mongodb+srv://app:hunter2@cluster0.example/wellbase"
	for _, tc := range []struct {
		name, keyID string
		aliasKey    bool
	}{{"/app/with-alias", alias, true}, {"/app/default-key", "", false}} {
		in := &ssm.PutParameterInput{Name: aws.String(tc.name), Value: aws.String(secret), Type: types.ParameterTypeSecureString}
		if tc.keyID != "" {
			in.KeyId = aws.String(tc.keyID)
		}
		if _, err := c.PutParameter(ctx, in); err != nil {
			t.Fatal(err)
		}
		p, ok := srv.Stored(tc.name)
		if !ok || bytes.Contains(p.Ciphertext, []byte("hunter2")) || p.Value != "" || len(p.Ciphertext) < len(secret) {
			t.Fatalf("%s stored as %+v", tc.name, p)
		}
		if (p.KeyID == aws.ToString(key.KeyMetadata.Arn)) != tc.aliasKey || p.KeyID == "" {
			t.Errorf("%s encrypted with key %s; alias %s is key %s", tc.name, p.KeyID, alias, aws.ToString(key.KeyMetadata.Arn))
		}
		got, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(tc.name), WithDecryption: aws.Bool(true)})
		if err != nil || aws.ToString(got.Parameter.Value) != secret || got.Parameter.Type != types.ParameterTypeSecureString {
			t.Errorf("GetParameter WithDecryption: %v %v", got, err)
		}
		got, err = c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(tc.name)})
		if err != nil || aws.ToString(got.Parameter.Value) != base64.StdEncoding.EncodeToString(p.Ciphertext) {
			t.Errorf("GetParameter without decryption should return the ciphertext: %v %v", got, err)
		}
		// The ciphertext is bound to the parameter: KMS refuses it under another name's context.
		if _, err := k.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: p.Ciphertext, EncryptionContext: map[string]string{"PARAMETER_ARN": "arn:aws:ssm:us-east-1:111122223333:parameter/app/other"}}); err == nil {
			t.Error("KMS decrypted the value under another parameter's encryption context")
		}
	}
	// Over 4 KB: the Advanced tier, envelope-encrypted with a KMS data key.
	big := strings.Repeat("hunter2 ", 1000)
	if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/big/value"), Value: aws.String(big), Type: types.ParameterTypeSecureString, KeyId: aws.String(alias), Tier: types.ParameterTierIntelligentTiering}); err != nil {
		t.Fatal(err)
	}
	if p, _ := srv.Stored("/big/value"); p.Tier != "Advanced" || bytes.Contains(p.Ciphertext, []byte("hunter2")) || p.KeyID != aws.ToString(key.KeyMetadata.Arn) {
		t.Errorf("/big/value stored as tier %s with key %s", p.Tier, p.KeyID)
	}
	if got, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/big/value"), WithDecryption: aws.Bool(true)}); err != nil || aws.ToString(got.Parameter.Value) != big {
		t.Errorf("GetParameter of an Advanced SecureString: %v", err)
	}
	list, err := c.GetParametersByPath(ctx, &ssm.GetParametersByPathInput{Path: aws.String("/app")})
	if err != nil || len(list.Parameters) != 2 || strings.Contains(fmt.Sprint(aws.ToString(list.Parameters[0].Value), aws.ToString(list.Parameters[1].Value)), "hunter2") {
		t.Errorf("GetParametersByPath without decryption: %v", err)
	}
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/x"), Value: aws.String("v"), Type: types.ParameterTypeSecureString, KeyId: aws.String("alias/does-not-exist")})
	var bad *types.InvalidKeyId
	if !errors.As(err, &bad) {
		t.Errorf("unknown KMS key: %v, want InvalidKeyId", err)
	}
}
