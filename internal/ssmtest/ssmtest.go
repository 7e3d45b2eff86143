// Package ssmtest is a protocol-level stand-in for AWS Systems Manager Parameter Store, for tests
// of code that uses the real AWS SDK against it.
//
// No SSM emulator can run here (LocalStack and moto need Docker or Python packages this project
// does not use), so this package speaks SSM's wire protocol itself: an [http.Handler] for the AWS
// JSON 1.1 protocol (POST /, X-Amz-Target: AmazonSSM.<Operation>) that answers GetParameter,
// GetParametersByPath, PutParameter and DeleteParameter the way SSM does, with SSM's error shapes
// ({"__type": "ParameterNotFound", "message": …}, HTTP 400).
//
// # What it checks
//
//   - Every request is signed with AWS Signature Version 4 by the one key pair the server
//     accepts, for the server's region and the service "ssm": the signature is recomputed with
//     aws-sdk-go-v2's signer over the signed headers and the body, and the time must be within
//     15 minutes (MissingAuthenticationTokenException, UnrecognizedClientException,
//     InvalidSignatureException otherwise).
//   - Parameter names follow SSM's rules (characters, at most 15 levels, no "aws"/"ssm" prefix),
//     values are 1 byte to 4 KB (Standard) or 8 KB (Advanced, Intelligent-Tiering), MaxResults is
//     1 to 10, an existing parameter is replaced only with Overwrite.
//   - SecureString values are encrypted by a real KMS (the local-kms emulator, through the AWS
//     SDK's KMS client) with the requested KeyId, or the server's default key, and the
//     encryption context {"PARAMETER_ARN": arn}, as SSM does: Standard parameters with KMS
//     Encrypt, Advanced ones (over 4 KB) by envelope encryption with a KMS data key. Only
//     ciphertext is kept ([Server.Stored] shows it). GetParameter WithDecryption calls KMS Decrypt; without it,
//     and in GetParametersByPath without it, the value returned is the base64 ciphertext.
//
// # What it does not do
//
// No IAM policies, no KMS key policies or grants, no parameter policies, labels, version
// selectors (name:3), ARNs as names, tags, history, DescribeParameters, throttling or
// persistence: the parameters live in memory. The server's default key stands in for the AWS
// managed key alias/aws/ssm, which local-kms refuses to create (aliases under alias/aws/ are
// reserved); if none is configured, one is created in KMS on first use, as AWS does.
//
// [Start] runs it in a test; cmd/ssmtest-server runs it as a process for `make test` and the
// end-to-end checks.
package ssmtest

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// Defaults of [Config].
const (
	DefaultRegion  = "us-east-1"
	DefaultAccount = "111122223333"
)

// Config configures a [Server].
type Config struct {
	// KMSEndpoint is the KMS (emulator) endpoint, e.g. http://127.0.0.1:8082. Without it,
	// requests about SecureString parameters fail with InternalServerError.
	KMSEndpoint string
	// Region and Account make up parameter ARNs and the signing scope; defaults us-east-1 and
	// 111122223333.
	Region  string
	Account string
	// Credentials is the only key pair the server accepts (and the one it calls KMS with).
	Credentials aws.Credentials
	// DefaultKeyID is the KMS key of SecureString parameters put without a KeyId (or with
	// alias/aws/ssm); empty: a key created in KMS on first use.
	DefaultKeyID string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server is the SSM Parameter Store stand-in; it is an http.Handler.
type Server struct {
	cfg    Config
	kms    *kms.Client
	signer *v4.Signer

	keyMu      sync.Mutex
	defaultKey string

	mu     sync.Mutex
	params map[string]*Stored
}

// Stored is a parameter as the server keeps it.
type Stored struct {
	Name string
	Type string // String or SecureString
	// Ciphertext is the KMS ciphertext of a SecureString's value; Value is a String's value.
	Ciphertext []byte
	Value      string
	// KeyID is the ARN of the KMS key that encrypted a SecureString, as KMS reported it.
	KeyID        string
	Version      int64
	Tier         string
	LastModified time.Time
}

// New returns a server; it makes no request until it serves one.
func New(cfg Config) (*Server, error) {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.Account == "" {
		cfg.Account = DefaultAccount
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Credentials.AccessKeyID == "" || cfg.Credentials.SecretAccessKey == "" {
		return nil, errors.New("ssmtest: Config.Credentials needs an access key ID and a secret access key")
	}
	s := &Server{cfg: cfg, signer: v4.NewSigner(), params: map[string]*Stored{}, defaultKey: cfg.DefaultKeyID}
	if cfg.KMSEndpoint != "" {
		creds := cfg.Credentials
		s.kms = kms.New(kms.Options{
			Region:       cfg.Region,
			BaseEndpoint: aws.String(cfg.KMSEndpoint),
			Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		})
	}
	return s, nil
}

// Stored returns a copy of the parameter name as the server keeps it.
func (s *Server) Stored(name string) (Stored, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.params[name]
	if !ok {
		return Stored{}, false
	}
	c := *p
	c.Ciphertext = bytes.Clone(p.Ciphertext)
	return c, true
}

// apiError is an SSM error response.
type apiError struct {
	status  int
	typ     string
	message string
}

func (e *apiError) Error() string { return e.typ + ": " + e.message }

func errorf(typ, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typ, message: fmt.Sprintf(format, args...)}
}

func validation(format string, args ...any) *apiError {
	return errorf("ValidationException", format, args...)
}

func internal(format string, args ...any) *apiError {
	return &apiError{status: http.StatusInternalServerError, typ: "InternalServerError", message: fmt.Sprintf(format, args...)}
}

const jsonContentType = "application/x-amz-json-1.1"

// ServeHTTP answers one SSM API call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out, err := s.serve(r)
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("ssmtest-%d", time.Now().UnixNano()))
	if err != nil {
		var e *apiError
		if !errors.As(err, &e) {
			e = internal("%v", err)
		}
		w.Header().Set("X-Amzn-Errortype", e.typ)
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.typ, "message": e.message})
		return
	}
	json.NewEncoder(w).Encode(out)
}

func (s *Server) serve(r *http.Request) (any, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return nil, &apiError{status: http.StatusNotFound, typ: "UnknownOperationException", message: r.Method + " " + r.URL.Path}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, errorf("SerializationException", "read body: %v", err)
	}
	if err := s.verify(r, body); err != nil {
		return nil, err
	}
	if ct := r.Header.Get("Content-Type"); ct != jsonContentType {
		return nil, errorf("SerializationException", "Content-Type %q, want %s", ct, jsonContentType)
	}
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AmazonSSM.")
	handlers := map[string]func(context.Context, []byte) (any, error){
		"GetParameter":        s.getParameter,
		"GetParametersByPath": s.getParametersByPath,
		"PutParameter":        s.putParameter,
		"DeleteParameter":     s.deleteParameter,
	}
	h := handlers[op]
	if !ok || h == nil {
		return nil, errorf("UnknownOperationException", "unknown operation %q", r.Header.Get("X-Amz-Target"))
	}
	return h(r.Context(), body)
}

// verify checks the request's SigV4 signature against the server's credentials.
func (s *Server) verify(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return errorf("MissingAuthenticationTokenException", "Request is missing Authentication Token")
	}
	const algorithm = "AWS4-HMAC-SHA256 "
	rest, ok := strings.CutPrefix(auth, algorithm)
	if !ok {
		return errorf("IncompleteSignatureException", "Authorization header requires the %s algorithm", strings.TrimSpace(algorithm))
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || fields["SignedHeaders"] == "" || fields["Signature"] == "" || scope[4] != "aws4_request" {
		return errorf("IncompleteSignatureException", "Authorization header requires Credential, SignedHeaders and Signature")
	}
	if scope[0] != s.cfg.Credentials.AccessKeyID {
		return errorf("UnrecognizedClientException", "The security token included in the request is invalid.")
	}
	if scope[2] != s.cfg.Region || scope[3] != "ssm" {
		return errorf("InvalidSignatureException", "Credential should be scoped to region %s and service ssm, not %s/%s", s.cfg.Region, scope[2], scope[3])
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || scope[1] != at.Format("20060102") {
		return errorf("IncompleteSignatureException", "X-Amz-Date missing or not matching the credential scope")
	}
	if d := s.cfg.Now().Sub(at); d > 15*time.Minute || d < -15*time.Minute {
		return errorf("InvalidSignatureException", "Signature expired: %s is more than 15 minutes from the server's time", at.Format(time.RFC3339))
	}
	// Sign a copy that holds only the signed headers, then compare.
	c, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return errorf("IncompleteSignatureException", "%v", err)
	}
	c.Host = r.Host
	c.ContentLength = 0
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		switch h {
		case "host":
		case "content-length":
			c.ContentLength = int64(len(body))
		default:
			for _, v := range r.Header.Values(h) {
				c.Header.Add(h, v)
			}
		}
	}
	sum := sha256.Sum256(body)
	if err := s.signer.SignHTTP(r.Context(), s.cfg.Credentials, c, hex.EncodeToString(sum[:]), "ssm", s.cfg.Region, at); err != nil {
		return internal("sign: %v", err)
	}
	if !hmac.Equal([]byte(c.Header.Get("Authorization")), []byte(auth)) {
		return errorf("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
	}
	return nil
}

// Parameter names: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
var (
	namePattern     = regexp.MustCompile(`^(/[a-zA-Z0-9_.-]+)+$|^[a-zA-Z0-9_.-]+$`)
	reservedPattern = regexp.MustCompile(`(?i)^/?(aws|ssm)`)
)

const (
	maxNameLength = 1011
	maxLevels     = 15
	standardLimit = 4096
	advancedLimit = 8192
)

func (s *Server) checkName(name string) error {
	switch {
	case name == "":
		return validation("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1")
	case len(name) > maxNameLength:
		return validation("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to %d", maxNameLength)
	case !namePattern.MatchString(name):
		return validation("Parameter name must be a fully qualified name: only a-zA-Z0-9_.- and / separating levels, got %q", name)
	case reservedPattern.MatchString(name):
		return validation("No access to reserved parameter name: %s.", name)
	case strings.Count(name, "/") > maxLevels:
		return errorf("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of %d levels.", maxLevels)
	}
	return nil
}

func (s *Server) arn(name string) string {
	return fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", s.cfg.Region, s.cfg.Account, strings.TrimPrefix(name, "/"))
}

// decode reads a request body into v, as SerializationException when malformed.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return errorf("SerializationException", "%v", err)
	}
	return nil
}

// parameter is SSM's Parameter shape.
type parameter struct {
	ARN              string  `json:"ARN"`
	DataType         string  `json:"DataType"`
	LastModifiedDate float64 `json:"LastModifiedDate"` // epoch seconds
	Name             string  `json:"Name"`
	Type             string  `json:"Type"`
	Value            string  `json:"Value"`
	Version          int64   `json:"Version"`
}

// view renders p, decrypting a SecureString only when decrypt is set.
func (s *Server) view(ctx context.Context, p Stored, decrypt bool) (parameter, error) {
	out := parameter{
		ARN: s.arn(p.Name), DataType: "text", Name: p.Name, Type: p.Type, Version: p.Version,
		LastModifiedDate: float64(p.LastModified.UnixMilli()) / 1e3,
		Value:            p.Value,
	}
	if p.Type != "SecureString" {
		return out, nil
	}
	if !decrypt {
		out.Value = base64.StdEncoding.EncodeToString(p.Ciphertext)
		return out, nil
	}
	if s.kms == nil {
		return out, internal("ssmtest: no KMS endpoint configured")
	}
	plain, err := s.decrypt(ctx, p)
	if err != nil {
		return out, err
	}
	out.Value = string(plain)
	return out, nil
}

// encrypt encrypts a SecureString value as Parameter Store does: a Standard parameter with KMS
// Encrypt (at most 4 KB), an Advanced one by envelope encryption (KMS GenerateDataKey, then
// AES-256-GCM here), both with the encryption context {"PARAMETER_ARN": arn}. It returns the
// stored blob and the ARN of the key KMS used.
func (s *Server) encrypt(ctx context.Context, key, name, tier string, value []byte) ([]byte, string, error) {
	ec := map[string]string{"PARAMETER_ARN": s.arn(name)}
	if tier != "Advanced" {
		res, err := s.kms.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(key), Plaintext: value, EncryptionContext: ec})
		if err != nil {
			return nil, "", kmsError(err)
		}
		return res.CiphertextBlob, aws.ToString(res.KeyId), nil
	}
	dk, err := s.kms.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(key), KeySpec: kmstypes.DataKeySpecAes256, EncryptionContext: ec})
	if err != nil {
		return nil, "", kmsError(err)
	}
	gcm, err := newGCM(dk.Plaintext)
	if err != nil {
		return nil, "", internal("%v", err)
	}
	// blob: length of the wrapped data key (2 bytes, big-endian), the wrapped key, nonce, sealed value.
	blob := binary.BigEndian.AppendUint16(nil, uint16(len(dk.CiphertextBlob)))
	blob = append(blob, dk.CiphertextBlob...)
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", internal("%v", err)
	}
	blob = append(blob, nonce...)
	return gcm.Seal(blob, nonce, value, []byte(name)), aws.ToString(dk.KeyId), nil
}

// decrypt reverses encrypt.
func (s *Server) decrypt(ctx context.Context, p Stored) ([]byte, error) {
	ec := map[string]string{"PARAMETER_ARN": s.arn(p.Name)}
	if p.Tier != "Advanced" {
		res, err := s.kms.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: p.Ciphertext, EncryptionContext: ec})
		if err != nil {
			return nil, kmsError(err)
		}
		return res.Plaintext, nil
	}
	blob := p.Ciphertext
	n := int(binary.BigEndian.Uint16(blob))
	res, err := s.kms.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob[2 : 2+n], EncryptionContext: ec})
	if err != nil {
		return nil, kmsError(err)
	}
	gcm, err := newGCM(res.Plaintext)
	if err != nil {
		return nil, internal("%v", err)
	}
	rest := blob[2+n:]
	plain, err := gcm.Open(nil, rest[:gcm.NonceSize()], rest[gcm.NonceSize():], []byte(p.Name))
	if err != nil {
		return nil, internal("decrypt %s: %v", p.Name, err)
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// kmsError translates a KMS failure as SSM reports it.
func kmsError(err error) error {
	var nf *kmstypes.NotFoundException
	var disabled *kmstypes.DisabledException
	if errors.As(err, &nf) || errors.As(err, &disabled) {
		return errorf("InvalidKeyId", "KMS: %v", err)
	}
	return internal("KMS: %v", err)
}

func (s *Server) getParameter(ctx context.Context, body []byte) (any, error) {
	var in struct {
		Name           string
		WithDecryption bool
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := s.checkName(in.Name); err != nil {
		return nil, err
	}
	p, ok := s.Stored(in.Name)
	if !ok {
		return nil, errorf("ParameterNotFound", "")
	}
	v, err := s.view(ctx, p, in.WithDecryption)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Parameter": v}, nil
}

func (s *Server) getParametersByPath(ctx context.Context, body []byte) (any, error) {
	var in struct {
		Path             string
		Recursive        bool
		WithDecryption   bool
		MaxResults       *int
		NextToken        string
		ParameterFilters []json.RawMessage
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.ParameterFilters) > 0 {
		return nil, validation("ssmtest does not support ParameterFilters")
	}
	if !strings.HasPrefix(in.Path, "/") || (in.Path != "/" && s.checkName(strings.TrimSuffix(in.Path, "/")) != nil) {
		return nil, validation("The parameter path %q is not valid: a path starts with / and has at most %d levels", in.Path, maxLevels)
	}
	limit := 10
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 10 {
			return nil, validation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 10", *in.MaxResults)
		}
		limit = *in.MaxResults
	}
	after := ""
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, validation("The NextToken is not valid.")
		}
		after = string(b)
	}
	base := strings.TrimSuffix(in.Path, "/") + "/"
	s.mu.Lock()
	var match []Stored
	for name, p := range s.params {
		rest, ok := strings.CutPrefix(name, base)
		if !ok || name <= after || (!in.Recursive && strings.Contains(rest, "/")) {
			continue
		}
		c := *p
		c.Ciphertext = bytes.Clone(p.Ciphertext)
		match = append(match, c)
	}
	s.mu.Unlock()
	sort.Slice(match, func(i, j int) bool { return match[i].Name < match[j].Name })
	out := map[string]any{}
	if len(match) > limit {
		match = match[:limit]
		out["NextToken"] = base64.RawURLEncoding.EncodeToString([]byte(match[limit-1].Name))
	}
	params := make([]parameter, 0, len(match))
	for _, p := range match {
		v, err := s.view(ctx, p, in.WithDecryption)
		if err != nil {
			return nil, err
		}
		params = append(params, v)
	}
	out["Parameters"] = params
	return out, nil
}

func (s *Server) putParameter(ctx context.Context, body []byte) (any, error) {
	var in struct {
		Name      string
		Value     *string
		Type      string
		KeyId     string
		Overwrite bool
		Tier      string
		DataType  string
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := s.checkName(in.Name); err != nil {
		return nil, err
	}
	if in.Value == nil || *in.Value == "" {
		return nil, validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	value := *in.Value
	if in.DataType != "" && in.DataType != "text" {
		return nil, validation("ssmtest supports DataType text only, not %q", in.DataType)
	}
	s.mu.Lock()
	old, exists := s.params[in.Name]
	var oldVersion int64
	oldTier := ""
	if exists {
		oldVersion, oldTier = old.Version, old.Tier
	}
	s.mu.Unlock()
	if exists && !in.Overwrite {
		return nil, errorf("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	}
	if in.Type == "" && exists {
		in.Type = old.Type
	}
	tier := in.Tier
	switch tier {
	case "", "Standard":
		tier = "Standard"
		if oldTier == "Advanced" {
			return nil, validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.")
		}
	case "Advanced":
	case "Intelligent-Tiering":
		tier = "Standard"
		if len(value) > standardLimit || oldTier == "Advanced" {
			tier = "Advanced"
		}
	default:
		return nil, validation("1 validation error detected: Value '%s' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]", tier)
	}
	if limit := map[string]int{"Standard": standardLimit, "Advanced": advancedLimit}[tier]; len(value) > limit {
		// AWS's validation messages quote the offending value; so does this one, so that tests see
		// whether a client repeats server messages that may hold a secret.
		return nil, validation("1 validation error detected: Value '%s' at 'value' failed to satisfy constraint: Member must have length less than or equal to %d", value, limit)
	}
	p := &Stored{Name: in.Name, Type: in.Type, Tier: tier, LastModified: s.cfg.Now().UTC()}
	switch in.Type {
	case "String":
		if in.KeyId != "" {
			return nil, validation("KeyId is only valid for SecureString parameters.")
		}
		p.Value = value
	case "SecureString":
		key, err := s.keyFor(ctx, in.KeyId)
		if err != nil {
			return nil, err
		}
		if p.Ciphertext, p.KeyID, err = s.encrypt(ctx, key, in.Name, tier, []byte(value)); err != nil {
			return nil, err
		}
	case "StringList":
		return nil, validation("ssmtest does not support StringList")
	default:
		return nil, validation("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", in.Type)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.params[in.Name]; ok {
		if !in.Overwrite {
			return nil, errorf("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		}
		oldVersion = cur.Version
	}
	p.Version = oldVersion + 1
	s.params[in.Name] = p
	return map[string]any{"Version": p.Version, "Tier": p.Tier}, nil
}

// keyFor returns the KMS key a SecureString is encrypted with: requested, else the default key.
func (s *Server) keyFor(ctx context.Context, requested string) (string, error) {
	if s.kms == nil {
		return "", internal("ssmtest: no KMS endpoint configured")
	}
	if requested != "" && requested != "alias/aws/ssm" {
		return requested, nil
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.defaultKey == "" {
		res, err := s.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("ssmtest: stands in for the AWS managed key alias/aws/ssm")})
		if err != nil {
			return "", kmsError(err)
		}
		s.defaultKey = aws.ToString(res.KeyMetadata.Arn)
	}
	return s.defaultKey, nil
}

func (s *Server) deleteParameter(ctx context.Context, body []byte) (any, error) {
	var in struct{ Name string }
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := s.checkName(in.Name); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.params[in.Name]; !ok {
		return nil, errorf("ParameterNotFound", "")
	}
	delete(s.params, in.Name)
	return struct{}{}, nil
}
