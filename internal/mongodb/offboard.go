package mongodb

import (
	"context"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/wellbase/wellbase"
)

// RewrapDataKey replaces the wrapped form of data key version k.Version (root key rotation) and
// sets k.TenantID to the store's tenant; ENotFound if the tenant has no such version, EInvalid if
// k.Wrapped is empty.
func (s *TenantDB) RewrapDataKey(ctx context.Context, k *wellbase.WrappedKey) error {
	if err := s.check(ctx, "rewrap data key"); err != nil {
		return err
	}
	if len(k.Wrapped) == 0 {
		return wellbase.Errorf(wellbase.EInvalid, "rewrap data key version %d of tenant %s: empty wrapped key", k.Version, s.tenant)
	}
	id := strconv.Itoa(k.Version)
	unlock, err := s.db.lockDoc(ctx, colDataKeys, s.key(id))
	if err != nil {
		return err
	}
	defer unlock()
	res, err := s.db.coll(colDataKeys).UpdateOne(ctx, s.byID(id),
		bson.D{{Key: "$set", Value: bson.D{{Key: "wrapped", Value: k.Wrapped}}}})
	if err != nil {
		return wrap("rewrap data key", err)
	}
	if res.MatchedCount == 0 {
		return wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key version %d", s.tenant, k.Version)
	}
	k.TenantID = s.tenant
	return nil
}

// DeleteDataKey deletes data key version version of the tenant; ENotFound if it has none.
func (s *TenantDB) DeleteDataKey(ctx context.Context, version int) error {
	if err := s.check(ctx, "delete data key"); err != nil {
		return err
	}
	res, err := s.db.coll(colDataKeys).DeleteOne(ctx, s.filter(bson.E{Key: "_id", Value: s.key(strconv.Itoa(version))}))
	if err != nil {
		return wrap("delete data key", err)
	}
	if res.DeletedCount == 0 {
		return wellbase.Errorf(wellbase.ENotFound, "tenant %s has no data key version %d", s.tenant, version)
	}
	return nil
}

// DeleteDataKeys deletes the tenant's wrapped data keys (crypto-shredding) and returns them,
// oldest version first; none if there were none. It deletes the keys it read by _id, and reads
// again until none is left, so that it returns exactly the keys it deleted, a key stored
// meanwhile included.
func (s *TenantDB) DeleteDataKeys(ctx context.Context) ([]*wellbase.WrappedKey, error) {
	if err := s.check(ctx, "delete data keys"); err != nil {
		return nil, err
	}
	var deleted []*wellbase.WrappedKey
	for {
		keys, err := s.DataKeys(ctx)
		if err != nil || len(keys) == 0 {
			return deleted, err
		}
		ids := make(bson.A, len(keys))
		for i, k := range keys {
			ids[i] = s.key(strconv.Itoa(k.Version))
		}
		if _, err := s.db.coll(colDataKeys).DeleteMany(ctx, s.filter(bson.E{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}})); err != nil {
			return nil, wrap("delete data keys", err)
		}
		deleted = append(deleted, keys...)
	}
}

// purged are the collections Purge empties, by the name of the kind of record it counts (the
// names the SQLite driver counts too). Data keys go first, as with DeleteDataKeys: if the purge
// stops half-way, the records left can no longer be decrypted, and a retry deletes them.
var purged = []struct{ kind, coll string }{
	{"data_keys", colDataKeys},
	{"credentials", colCredentials},
	{"users", colUsers},
	{"jobs", colJobs},
	{"logs", colLogs},
	{"production", colProduction},
	{"forecasts", colForecasts},
	{"wells", colWells},
	{"audit_events", colAudit},
	{"request_counts", colRequests},
}

// Purge deletes every record of the tenant but the tenant record and the control-plane audit
// log, one deleteMany per collection (there is no transaction: a purge that fails part-way is
// finished by a retry), and returns how many it deleted of each kind.
func (s *TenantDB) Purge(ctx context.Context) (map[string]int64, error) {
	if err := s.check(ctx, "purge"); err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(purged))
	for _, p := range purged {
		res, err := s.db.coll(p.coll).DeleteMany(ctx, s.filter())
		if err != nil {
			return nil, wrap("purge "+p.coll, err)
		}
		counts[p.kind] = res.DeletedCount
	}
	// Idempotency records are keyed by scope, which for a tenant's requests is its ID.
	res, err := s.db.coll(colIdempotency).DeleteMany(ctx, bson.D{{Key: "scope", Value: s.tenant}})
	if err != nil {
		return nil, wrap("purge "+colIdempotency, err)
	}
	counts["idempotency_keys"] = res.DeletedCount
	return counts, nil
}
