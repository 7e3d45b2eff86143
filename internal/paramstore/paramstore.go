// Package paramstore keeps Wellbase's secrets in AWS Systems Manager Parameter Store, as
// SecureString parameters encrypted with KMS: the secretstore.Store driver for production.
//
// # URL
//
//	awsparamstore:///<prefix>?region=us-east-1[&endpoint=http://…][&kms_key_id=alias/…]
//
// The prefix is a path of one or more levels (three slashes: the host part is empty), e.g.
// awsparamstore:///wellbase/prod; the secret NAME is the parameter <prefix>/<NAME>, so a task's
// IAM policy can be scoped to arn:aws:ssm:<region>:<account>:parameter/wellbase/prod/*.
// region defaults to the SDK's (AWS_REGION); endpoint is for emulators and test servers;
// kms_key_id picks the KMS key of new values (key ID, ARN or alias), default the AWS managed key
// alias/aws/ssm. Credentials come only from the AWS SDK's default chain (the ECS task role on
// AWS), never from the URL.
//
// # Parameter Store's limits
//
// Values are UTF-8 text of at most 8 KB: values over 4 KB are stored in the Advanced tier
// (Intelligent-Tiering), which AWS charges for. A name is at most 15 levels deep counting the
// prefix's, with no empty level.
//
// List reads the parameters under the prefix (GetParametersByPath, recursively, since names may
// have levels such as oidc/acme/client-secret) without decryption: their values stay KMS
// ciphertext and are dropped, so Info.Bytes is -1 there. Stat decrypts the one value to measure
// it. GetParametersByPath, unlike DescribeParameters, can be allowed on the prefix alone. Give
// each store a prefix of its own: List shows every parameter below it.
//
// Error messages name secrets and parameters, never values: Parameter Store's own messages,
// which may quote the value sent, are not passed on for PutParameter.
package paramstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/secretstore"
)

// Scheme is the URL scheme of this driver.
const Scheme = "awsparamstore"

// Parameter Store's limits.
const (
	MaxValueBytes = 8192 // Advanced tier; Standard holds 4096
	maxLevels     = 15
	maxPrefix     = 512
)

// Options says where the parameters are.
type Options struct {
	// Prefix is the path the parameters live under, e.g. /wellbase/prod.
	Prefix string
	// Region is the AWS region; empty: the SDK's default (AWS_REGION, the profile).
	Region string
	// Endpoint overrides the SSM endpoint (emulators, test servers).
	Endpoint string
	// KMSKeyID is the KMS key of new values; empty: Parameter Store's default, alias/aws/ssm.
	KMSKeyID string
}

// Store is the Parameter Store secret store.
type Store struct {
	client *ssm.Client
	prefix string
	keyID  string
}

var _ secretstore.Store = (*Store)(nil)

var prefixPattern = regexp.MustCompile(`^(/[a-zA-Z0-9_.-]+)+$`)

// validatePrefix checks a prefix by Parameter Store's naming rules.
func validatePrefix(p string) error {
	switch {
	case !prefixPattern.MatchString(p):
		return wellbase.Errorf(wellbase.EInvalid, "parameter prefix %q: want /level[/level…] of letters, digits and _ . - (e.g. /wellbase/prod)", p)
	case len(p) > maxPrefix:
		return wellbase.Errorf(wellbase.EInvalid, "parameter prefix is %d characters long; at most %d", len(p), maxPrefix)
	case strings.Count(p, "/") >= maxLevels:
		return wellbase.Errorf(wellbase.EInvalid, "parameter prefix %q has %d levels; Parameter Store allows %d including the secret's", p, strings.Count(p, "/"), maxLevels)
	}
	if first := strings.ToLower(strings.SplitN(p[1:], "/", 2)[0]); strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		return wellbase.Errorf(wellbase.EInvalid, "parameter prefix %q: names starting with aws or ssm are reserved by AWS", p)
	}
	return nil
}

// OpenURL opens the store an awsparamstore:// URL names (see the package doc).
func OpenURL(ctx context.Context, u *url.URL) (*Store, error) {
	if u.Scheme != Scheme {
		return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: scheme %q, want %s", u.Scheme, Scheme)
	}
	if u.User != nil {
		return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: credentials come from the AWS SDK's default chain, never from the URL")
	}
	if u.Host != "" {
		return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: the prefix must start with /: write %s:///%s%s (three slashes)", Scheme, u.Host, u.EscapedPath())
	}
	o := Options{Prefix: u.Path}
	for k, v := range u.Query() {
		if len(v) != 1 {
			return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: %s given %d times", k, len(v))
		}
		switch k {
		case "region":
			o.Region = v[0]
		case "endpoint":
			o.Endpoint = v[0]
		case "kms_key_id":
			o.KMSKeyID = v[0]
		default:
			return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: unknown parameter %q (want region, endpoint, kms_key_id)", k)
		}
	}
	return Open(ctx, o)
}

// Open opens the store o describes, with credentials from the AWS SDK's default chain. It sends
// no request.
func Open(ctx context.Context, o Options) (*Store, error) {
	if err := validatePrefix(o.Prefix); err != nil {
		return nil, err
	}
	if o.Endpoint != "" {
		if e, err := url.Parse(o.Endpoint); err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || e.User != nil {
			return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store endpoint: want http(s)://host[:port]")
		}
	}
	var opts []func(*config.LoadOptions) error
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, wellbase.Errorf(wellbase.EInvalid, "parameter store URL: no AWS region: add ?region=… (or set AWS_REGION)")
	}
	client := ssm.NewFromConfig(cfg, func(so *ssm.Options) {
		if o.Endpoint != "" {
			so.BaseEndpoint = aws.String(o.Endpoint)
		}
	})
	return &Store{client: client, prefix: o.Prefix, keyID: o.KMSKeyID}, nil
}

// parameter returns the parameter name of a secret, or EInvalid.
func (s *Store) parameter(name string) (string, error) {
	if err := secretstore.ValidateName(name); err != nil {
		return "", err
	}
	if strings.Contains(name, "//") || strings.HasSuffix(name, "/") {
		return "", wellbase.FieldError(wellbase.EInvalid, "name", "secret name %q is invalid in Parameter Store: no empty level (// or a trailing /)", name)
	}
	p := s.prefix + "/" + name
	if n := strings.Count(p, "/"); n > maxLevels {
		return "", wellbase.FieldError(wellbase.EInvalid, "name", "secret name %q makes parameter %s %d levels deep; Parameter Store allows %d", name, p, n, maxLevels)
	}
	return p, nil
}

// Put stores value as a SecureString, replacing any earlier value (a new version).
func (s *Store) Put(ctx context.Context, name string, value []byte) error {
	p, err := s.parameter(name)
	if err != nil {
		return err
	}
	if len(value) == 0 || len(value) > MaxValueBytes || !utf8.Valid(value) {
		return wellbase.Errorf(wellbase.EInvalid, "secret %s: Parameter Store holds values of 1 to %d bytes of UTF-8 text; this one has %d bytes", name, MaxValueBytes, len(value))
	}
	in := &ssm.PutParameterInput{
		Name:      aws.String(p),
		Value:     aws.String(string(value)),
		Type:      types.ParameterTypeSecureString,
		Overwrite: aws.Bool(true),
		Tier:      types.ParameterTierIntelligentTiering,
		DataType:  aws.String("text"),
	}
	if s.keyID != "" {
		in.KeyId = aws.String(s.keyID)
	}
	if _, err := s.client.PutParameter(ctx, in); err != nil {
		return s.translate("put", name, p, err, true)
	}
	return nil
}

// Get returns the decrypted value of name.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	p, err := s.parameter(name)
	if err != nil {
		return nil, err
	}
	out, err := s.client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(p), WithDecryption: aws.Bool(true)})
	if err != nil {
		return nil, s.translate("get", name, p, err, false)
	}
	return []byte(aws.ToString(out.Parameter.Value)), nil
}

// Stat describes name; it decrypts the value to measure it and drops it.
func (s *Store) Stat(ctx context.Context, name string) (secretstore.Info, error) {
	p, err := s.parameter(name)
	if err != nil {
		return secretstore.Info{}, err
	}
	out, err := s.client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(p), WithDecryption: aws.Bool(true)})
	if err != nil {
		return secretstore.Info{}, s.translate("stat", name, p, err, false)
	}
	return secretstore.Info{Name: name, Bytes: len(aws.ToString(out.Parameter.Value)), UpdatedAt: aws.ToTime(out.Parameter.LastModifiedDate).UTC()}, nil
}

// List describes the parameters under the prefix, at any depth, sorted by name; Bytes is -1.
// It pages through GetParametersByPath ten at a time without decryption.
func (s *Store) List(ctx context.Context) ([]secretstore.Info, error) {
	pages := ssm.NewGetParametersByPathPaginator(s.client, &ssm.GetParametersByPathInput{
		Path:           aws.String(s.prefix),
		Recursive:      aws.Bool(true),
		WithDecryption: aws.Bool(false),
		MaxResults:     aws.Int32(10),
	})
	var out []secretstore.Info
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, s.translate("list", "", s.prefix, err, false)
		}
		for _, p := range page.Parameters {
			name, ok := strings.CutPrefix(aws.ToString(p.Name), s.prefix+"/")
			if !ok {
				continue
			}
			out = append(out, secretstore.Info{Name: name, Bytes: -1, UpdatedAt: aws.ToTime(p.LastModifiedDate).UTC()})
		}
	}
	secretstore.SortInfos(out)
	return out, nil
}

// Delete removes name (all its versions).
func (s *Store) Delete(ctx context.Context, name string) error {
	p, err := s.parameter(name)
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(p)}); err != nil {
		return s.translate("delete", name, p, err, false)
	}
	return nil
}

// Close does nothing: the client holds no connection that needs closing.
func (s *Store) Close() error { return nil }

// translate turns an SSM failure into a wellbase error naming the secret. With scrub (requests
// that carried a value) the service's message is dropped: only its error code is kept.
func (s *Store) translate(op, name, param string, err error, scrub bool) error {
	what := "secret " + name
	if name == "" {
		what = "secrets under " + param
	}
	var nf *types.ParameterNotFound
	if errors.As(err, &nf) {
		return wellbase.Errorf(wellbase.ENotFound, "secret %s is not set (no parameter %s)", name, param)
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		// No answer from the service (no credentials, no connection, a timeout): these texts
		// name the endpoint and the cause, never the request's body.
		return fmt.Errorf("%s %s in Parameter Store: %w", op, what, err)
	}
	code := api.ErrorCode()
	msg := fmt.Sprintf("%s %s: Parameter Store answered %s", op, what, code)
	var cause error = err
	if scrub {
		// The SDK's error text holds the service's message; keep neither.
		cause = fmt.Errorf("SSM %s: %s", op, code)
	} else if m := api.ErrorMessage(); m != "" {
		msg += ": " + m
	}
	switch code {
	case "ValidationException", "ParameterPatternMismatchException", "HierarchyLevelLimitExceededException",
		"HierarchyTypeMismatchException", "ParameterLimitExceeded", "ParameterMaxVersionLimitExceeded",
		"InvalidKeyId", "UnsupportedParameterType", "InvalidAllowedPatternException":
		return &wrapped{err: wellbase.Errorf(wellbase.EInvalid, "%s", msg), cause: cause}
	case "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
		"ExpiredTokenException", "MissingAuthenticationTokenException", "IncompleteSignatureException":
		return &wrapped{err: wellbase.Errorf(wellbase.EForbidden, "%s", msg), cause: cause}
	case "ThrottlingException", "TooManyUpdates", "InternalServerError", "ServiceUnavailable":
		return &wrapped{err: wellbase.Errorf(wellbase.EUnavailable, "%s", msg), cause: cause}
	}
	return &wrapped{err: wellbase.Errorf(wellbase.EInternal, "%s", msg), cause: cause}
}

// wrapped is a wellbase error that keeps its cause for errors.Is/As and logs. Error() is the
// wellbase message only.
type wrapped struct {
	err   *wellbase.Error
	cause error
}

func (w *wrapped) Error() string   { return w.err.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.err, w.cause} }
