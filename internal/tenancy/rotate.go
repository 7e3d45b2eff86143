package tenancy

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/keyring"
)

// ReencryptJob is the job type that re-encrypts a tenant's files with its newest data key
// version after a rotation.
const ReencryptJob = "data-key-reencrypt"

// RootRotation reports a root key rotation.
type RootRotation struct {
	From           string `json:"from"`
	To             string `json:"to"`
	Tenants        int    `json:"tenants"`
	Rewrapped      int    `json:"rewrapped"`
	AlreadyCurrent int    `json:"already_current"`
}

// RotateRoot rewraps every data key of every tenant, wrapped under from's root key, with to's
// (from may be to, e.g. a KMS key whose backing key rotated: KMS then wraps under its newest
// version). A key that from cannot unwrap but to can is counted as already current, so a rotation
// interrupted half-way is finished by running it again. Deleted tenants have no keys. The
// rotation is recorded in the control-plane audit log by actor. No file is re-encrypted: the data
// keys themselves are unchanged.
func RotateRoot(ctx context.Context, store wellbase.Store, from, to *keyring.Keyring, actor string) (*RootRotation, error) {
	rep := &RootRotation{From: from.ID(), To: to.ID()}
	for t, err := range wellbase.Each(ctx, store.ListTenants) {
		if err != nil {
			return rep, err
		}
		ts := store.Tenant(t.ID)
		keys, err := ts.DataKeys(ctx)
		if err != nil {
			return rep, fmt.Errorf("data keys of tenant %s: %w", t.ID, err)
		}
		if len(keys) > 0 {
			rep.Tenants++
		}
		for _, k := range keys {
			w, err := to.Rewrap(ctx, t.ID, k.Wrapped, from)
			if err != nil {
				if from != to {
					if _, cerr := to.UnwrapDataKey(ctx, t.ID, k.Wrapped); cerr == nil {
						rep.AlreadyCurrent++
						continue
					}
				}
				return rep, fmt.Errorf("tenant %s data key version %d: %w", t.ID, k.Version, err)
			}
			if err := ts.RewrapDataKey(ctx, &wellbase.WrappedKey{Version: k.Version, Wrapped: w}); err != nil {
				return rep, fmt.Errorf("tenant %s data key version %d: %w", t.ID, k.Version, err)
			}
			rep.Rewrapped++
		}
	}
	details := map[string]any{"from": rep.From, "to": rep.To, "tenants": rep.Tenants, "rewrapped": rep.Rewrapped, "already_current": rep.AlreadyCurrent}
	err := store.AppendControlAudit(ctx, &wellbase.AuditEvent{ID: wellbase.NewID("cae"), Time: time.Now().UTC(), Actor: actor,
		Action: "keys.rotate_root", Target: rep.To, Details: details})
	return rep, err
}

// KeyRotation reports a tenant data key rotation.
type KeyRotation struct {
	Tenant     string `json:"tenant"`
	NewVersion int    `json:"new_version"`
	// Job re-encrypts the tenant's files with the new version; older versions stay for reading
	// until it has.
	Job *wellbase.Job `json:"job"`
}

// RotateTenantKey makes a new data key version for tenant, used for every new write from now,
// and queues the job that re-encrypts the tenant's files with it (enqueue, e.g. jobs.Queue's).
// The rotation is audited in the tenant's log and the control-plane log.
func RotateTenantKey(ctx context.Context, store wellbase.Store, kr *keyring.Keyring, tenant, actor string,
	enqueue func(ctx context.Context, tenant, typ string, params json.RawMessage, createdBy string) (*wellbase.Job, error)) (*KeyRotation, error) {
	t, err := store.GetTenant(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if t.Status != wellbase.TenantActive && t.Status != wellbase.TenantSuspended {
		return nil, wellbase.Errorf(wellbase.EConflict, "tenant %s is %s; only an active or suspended tenant's key can be rotated", tenant, t.Status)
	}
	ts := store.Tenant(tenant)
	for attempt := 0; ; attempt++ {
		keys, err := ts.DataKeys(ctx)
		if err != nil {
			return nil, err
		}
		next := 1
		if len(keys) > 0 {
			next = keys[len(keys)-1].Version + 1
		}
		_, wrapped, err := kr.NewDataKey(ctx, tenant)
		if err != nil {
			return nil, err
		}
		err = ts.PutDataKey(ctx, &wellbase.WrappedKey{Version: next, Wrapped: wrapped, CreatedAt: time.Now().UTC()})
		if wellbase.ErrorCode(err) == wellbase.EConflict && attempt < 3 {
			continue // a concurrent rotation took that version
		} else if err != nil {
			return nil, err
		}
		j, err := enqueue(ctx, tenant, ReencryptJob, json.RawMessage(`{}`), actor)
		if err != nil {
			return nil, fmt.Errorf("data key version %d made; queue re-encryption: %w", next, err)
		}
		if err := wellbase.AppendAuditWithControl(ctx, store, &wellbase.AuditEvent{ID: wellbase.NewID("aud"), TenantID: tenant,
			Time: time.Now().UTC(), Actor: actor, Action: "tenant.rotate_key", Target: tenant,
			Details: map[string]any{"version": next, "job": j.ID}}); err != nil {
			return nil, err
		}
		return &KeyRotation{Tenant: tenant, NewVersion: next, Job: j}, nil
	}
}
