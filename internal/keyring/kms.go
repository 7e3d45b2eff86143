package keyring

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	gcaws "gocloud.dev/aws"
	"gocloud.dev/secrets"
	"gocloud.dev/secrets/awskms"
)

// kmsRoot is a root key in AWS KMS. Each wrap and unwrap names its purpose in the KMS
// encryption context (AWS KMS Developer Guide, "Encryption context"): a tenant's data key is
// wrapped with {"wellbase:tenant": <id>, "wellbase:use": "data-key"}, so KMS itself refuses to
// unwrap it for another tenant, and every KMS call in CloudTrail names the tenant. Keepers are
// made per context over one shared client and kept.
type kmsRoot struct {
	client *kms.Client
	keyID  string

	mu      sync.Mutex
	keepers map[string]*secrets.Keeper
}

// openKMS opens "awskms:///<key id, alias or ARN>?region=…[&endpoint=…]". AWS credentials come
// from the SDK's default chain (task role on ECS, shared credentials file locally), never from
// the URL. Encryption context parameters (context_*) are refused: Wellbase sets its own.
func openKMS(ctx context.Context, u *url.URL) (*kmsRoot, error) {
	keyID := strings.TrimPrefix(path.Join(u.Host, u.Path), "/")
	if keyID == "" {
		return nil, fmt.Errorf("open root key awskms://: the URL names no key: use awskms:///alias/<name>?region=<region>")
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "context_") {
			return nil, fmt.Errorf("open root key awskms:///%s: parameter %s is not allowed: Wellbase sets the encryption context itself", keyID, k)
		}
	}
	cfg, err := gcaws.V2ConfigFromURLParams(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("open root key awskms:///%s: %w", keyID, err)
	}
	client, err := awskms.Dial(cfg)
	if err != nil {
		return nil, fmt.Errorf("open root key awskms:///%s: %w", keyID, err)
	}
	return &kmsRoot{client: client, keyID: keyID, keepers: map[string]*secrets.Keeper{}}, nil
}

// keeper returns the keeper that encrypts under encryption context ec.
func (r *kmsRoot) keeper(ec map[string]string) *secrets.Keeper {
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var id strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&id, "%q=%q;", k, ec[k])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, ok := r.keepers[id.String()]; ok {
		return k
	}
	k := awskms.OpenKeeper(r.client, r.keyID, &awskms.KeeperOptions{EncryptionContext: ec})
	r.keepers[id.String()] = k
	return k
}

func (r *kmsRoot) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first error
	for id, k := range r.keepers {
		if err := k.Close(); err != nil && first == nil {
			first = err
		}
		delete(r.keepers, id)
	}
	return first
}

// Encryption contexts of the root key's two uses.
func dataKeyContext(tenantID string) map[string]string {
	return map[string]string{"wellbase:tenant": tenantID, "wellbase:use": "data-key"}
}

func secretContext(name string) map[string]string {
	return map[string]string{"wellbase:secret": name, "wellbase:use": "secret"}
}
