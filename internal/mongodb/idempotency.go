package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// idempotencyDoc is a document of idempotency: the record of a request sent with an
// Idempotency-Key. Its scope is a tenant ID, or "operator:<id>" for a platform operator.
type idempotencyDoc struct {
	ID          string    `bson:"_id"` // "<scope>/<key>"
	Scope       string    `bson:"scope"`
	Key         string    `bson:"key"`
	Owner       string    `bson:"owner"`
	State       string    `bson:"state"`
	Fingerprint string    `bson:"fingerprint"`
	Status      int       `bson:"status"`
	ContentType string    `bson:"content_type"`
	Location    string    `bson:"location"`
	Body        []byte    `bson:"body"`
	CreatedAt   time.Time `bson:"created_at"`
	LeaseUntil  time.Time `bson:"lease_until"`
	// ExpiresAt carries the TTL index idempotency_expiry on MongoDB.
	ExpiresAt time.Time `bson:"expires_at"`
	Seed      string    `bson:"seed"`
}

func (d *idempotencyDoc) record() *wellbase.IdempotencyRecord {
	return &wellbase.IdempotencyRecord{Scope: d.Scope, Key: d.Key, Owner: d.Owner, State: wellbase.IdempotencyState(d.State),
		Fingerprint: d.Fingerprint, Status: d.Status, ContentType: d.ContentType, Location: d.Location, Body: d.Body,
		CreatedAt: d.CreatedAt, LeaseUntil: d.LeaseUntil, ExpiresAt: d.ExpiresAt, Seed: d.Seed}
}

// keepsSeed reports whether a claim that replaces d at now keeps d's seed: d is the claim of a
// request whose process died (in progress, not expired), which the new claim runs again.
func (d *idempotencyDoc) keepsSeed(now time.Time) bool {
	return d.State == string(wellbase.IdempotencyInProgress) && d.ExpiresAt.After(now) && d.Seed != ""
}

// idempotencyID is the _id of the record (scope, key). A scope has no "/"
// (wellbase.CheckIdempotencyID), so the first "/" ends it.
func idempotencyID(scope, key string) string { return scope + "/" + key }

// notLive returns the filter of records that no longer bind their key at now: expired, or in
// progress past their lease.
func notLive(now time.Time) bson.E {
	return bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "state", Value: string(wellbase.IdempotencyInProgress)}, {Key: "lease_until", Value: bson.D{{Key: "$lte", Value: now}}}},
	}}
}

// ClaimIdempotencyKey stores r as the in-progress record of (r.Scope, r.Key) unless a live
// record holds the key, which it returns. An insert claims a free key (the unique _id lets one
// of two inserts win); a record that is not live is replaced by a findAndModify whose filter
// holds that condition, so of two replicas taking over a dead claim only one matches; the seed
// of a dead claim is then set back on the new one (the only claim its owner holds). A record
// deleted between the steps (released, swept) is claimed again.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, r *wellbase.IdempotencyRecord, now time.Time) (*wellbase.IdempotencyRecord, error) {
	if err := ready(ctx, "claim idempotency key"); err != nil {
		return nil, err
	}
	if err := wellbase.CheckIdempotencyID(r.Scope, r.Key); err != nil {
		return nil, err
	}
	if r.Owner == "" || r.ExpiresAt.IsZero() || r.LeaseUntil.IsZero() {
		return nil, wellbase.Errorf(wellbase.EInvalid, "an idempotency claim needs an owner, a lease and an expiry")
	}
	id := idempotencyID(r.Scope, r.Key)
	unlock, err := db.lockDoc(ctx, colIdempotency, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	doc := &idempotencyDoc{ID: id, Scope: r.Scope, Key: r.Key, Owner: r.Owner, State: string(wellbase.IdempotencyInProgress),
		CreatedAt: r.CreatedAt, LeaseUntil: r.LeaseUntil, ExpiresAt: r.ExpiresAt, Seed: r.Seed}
	coll := db.coll(colIdempotency)
	for range 3 {
		_, err := coll.InsertOne(ctx, doc)
		if err == nil {
			r.State = wellbase.IdempotencyInProgress
			return nil, nil
		}
		if !isDup(err) {
			return nil, wrap("claim idempotency key", err)
		}
		if db.ferret {
			// Read by _id, check, replace by _id, under the lock (see byID).
			var held idempotencyDoc
			err := findOne(ctx, coll, bson.D{{Key: "_id", Value: id}}, &held)
			if isNoDoc(err) {
				continue // released or swept meanwhile
			}
			if err != nil {
				return nil, wrap("claim idempotency key: read the record holding it", err)
			}
			if held.live(now) {
				return held.record(), nil
			}
			if held.keepsSeed(now) {
				doc.Seed = held.Seed
			}
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc); err != nil {
				return nil, wrap("claim idempotency key", err)
			}
			r.State, r.Seed = wellbase.IdempotencyInProgress, doc.Seed
			return nil, nil
		}
		var old idempotencyDoc
		err = coll.FindOneAndReplace(ctx, bson.D{{Key: "_id", Value: id}, notLive(now)}, doc,
			options.FindOneAndReplace().SetReturnDocument(options.Before)).Decode(&old)
		if err != nil && !isNoDoc(err) {
			return nil, wrap("claim idempotency key", err)
		}
		if err == nil {
			if old.keepsSeed(now) {
				if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: r.Owner}},
					bson.D{{Key: "$set", Value: bson.D{{Key: "seed", Value: old.Seed}}}}); err != nil {
					return nil, wrap("claim idempotency key: keep the seed", err)
				}
				r.Seed = old.Seed
			}
			r.State = wellbase.IdempotencyInProgress
			return nil, nil
		}
		var held idempotencyDoc
		err = findOne(ctx, coll, bson.D{{Key: "_id", Value: id}}, &held)
		if err == nil {
			return held.record(), nil
		}
		if !isNoDoc(err) {
			return nil, wrap("claim idempotency key: read the record holding it", err)
		}
	}
	return nil, wellbase.Errorf(wellbase.EConflict, "Idempotency-Key %q is being claimed and released by other requests; retry", r.Key)
}

// live reports whether the record binds its key at now: the opposite of notLive.
func (d *idempotencyDoc) live(now time.Time) bool {
	if !d.ExpiresAt.After(now) {
		return false
	}
	return d.State != string(wellbase.IdempotencyInProgress) || d.LeaseUntil.After(now)
}

// heldFilter returns the filter of the in-progress record (scope, key) held by owner. On
// FerretDB it reads the record by _id under the caller's lock and checks the owner and state
// itself (see byID): the filter is then the _id alone, or nil if owner does not hold it.
func (db *DB) heldFilter(ctx context.Context, scope, key, owner string) (bson.D, error) {
	id := idempotencyID(scope, key)
	if !db.ferret {
		return bson.D{{Key: "_id", Value: id}, {Key: "owner", Value: owner},
			{Key: "state", Value: string(wellbase.IdempotencyInProgress)}}, nil
	}
	var d idempotencyDoc
	err := findOne(ctx, db.coll(colIdempotency), bson.D{{Key: "_id", Value: id}}, &d)
	if isNoDoc(err) || err == nil && (d.Owner != owner || d.State != string(wellbase.IdempotencyInProgress)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return bson.D{{Key: "_id", Value: id}}, nil
}

// lostClaim is the error of an update by an owner that no longer holds the record.
func lostClaim(key string) error {
	return wellbase.Errorf(wellbase.EConflict, "the claim of Idempotency-Key %q was lost: its lease lapsed and another request took it", key)
}

// RenewIdempotencyKey extends owner's lease of the in-progress record (scope, key).
func (db *DB) RenewIdempotencyKey(ctx context.Context, scope, key, owner string, leaseUntil time.Time) error {
	if err := ready(ctx, "renew idempotency key"); err != nil {
		return err
	}
	if err := wellbase.CheckIdempotencyID(scope, key); err != nil {
		return err
	}
	unlock, err := db.lockDoc(ctx, colIdempotency, idempotencyID(scope, key))
	if err != nil {
		return err
	}
	defer unlock()
	filter, err := db.heldFilter(ctx, scope, key, owner)
	if err != nil {
		return wrap("renew idempotency key", err)
	}
	if filter == nil {
		return lostClaim(key)
	}
	res, err := db.coll(colIdempotency).UpdateOne(ctx, filter,
		bson.D{{Key: "$set", Value: bson.D{{Key: "lease_until", Value: leaseUntil}}}})
	if err != nil {
		return wrap("renew idempotency key", err)
	}
	if res.MatchedCount == 0 {
		return lostClaim(key)
	}
	return nil
}

// CompleteIdempotencyKey stores r's answer in the in-progress record r.Owner holds.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, r *wellbase.IdempotencyRecord) error {
	if err := ready(ctx, "complete idempotency key"); err != nil {
		return err
	}
	if err := wellbase.CheckIdempotencyID(r.Scope, r.Key); err != nil {
		return err
	}
	if len(r.Body) > wellbase.MaxIdempotencyBody {
		return wellbase.Errorf(wellbase.EInvalid, "an idempotency record holds at most %d bytes of answer, got %d", wellbase.MaxIdempotencyBody, len(r.Body))
	}
	unlock, err := db.lockDoc(ctx, colIdempotency, idempotencyID(r.Scope, r.Key))
	if err != nil {
		return err
	}
	defer unlock()
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	filter, err := db.heldFilter(ctx, r.Scope, r.Key, r.Owner)
	if err != nil {
		return wrap("complete idempotency key", err)
	}
	if filter == nil {
		return lostClaim(r.Key)
	}
	res, err := db.coll(colIdempotency).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
		{Key: "state", Value: string(wellbase.IdempotencyDone)}, {Key: "fingerprint", Value: r.Fingerprint},
		{Key: "status", Value: r.Status}, {Key: "content_type", Value: r.ContentType}, {Key: "location", Value: r.Location},
		{Key: "body", Value: body}}}})
	if err != nil {
		return wrap("complete idempotency key", err)
	}
	if res.MatchedCount == 0 {
		return lostClaim(r.Key)
	}
	return nil
}

// ReleaseIdempotencyKey deletes the in-progress record (scope, key) if owner holds it.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, scope, key, owner string) error {
	if err := ready(ctx, "release idempotency key"); err != nil {
		return err
	}
	if err := wellbase.CheckIdempotencyID(scope, key); err != nil {
		return err
	}
	unlock, err := db.lockDoc(ctx, colIdempotency, idempotencyID(scope, key))
	if err != nil {
		return err
	}
	defer unlock()
	filter, err := db.heldFilter(ctx, scope, key, owner)
	if err != nil || filter == nil {
		return wrap("release idempotency key", err)
	}
	_, err = db.coll(colIdempotency).DeleteOne(ctx, filter)
	return wrap("release idempotency key", err)
}

// DeleteExpiredIdempotencyKeys deletes the records that are not live at now, in every scope.
// On MongoDB the TTL index idempotency_expiry deletes expired records too (within a minute or
// so of their expiry); this sweep also removes lapsed claims, and is all there is on FerretDB.
// There a delete by filter reads, then deletes by _id, so it could remove a lapsed claim that a
// retry took over in between: each record found is deleted under its document lock, by a
// filter checked again then.
func (db *DB) DeleteExpiredIdempotencyKeys(ctx context.Context, now time.Time) (int, error) {
	if err := ready(ctx, "delete expired idempotency keys"); err != nil {
		return 0, err
	}
	coll := db.coll(colIdempotency)
	if !db.ferret {
		res, err := coll.DeleteMany(ctx, bson.D{notLive(now)})
		if err != nil {
			return 0, wrap("delete expired idempotency keys", err)
		}
		return int(res.DeletedCount), nil
	}
	docs, err := findAll[struct {
		ID string `bson:"_id"`
	}](ctx, coll, bson.D{notLive(now)}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, wrap("delete expired idempotency keys", err)
	}
	n := 0
	for _, d := range docs {
		deleted, err := db.deleteIfNotLive(ctx, d.ID, now)
		if err != nil {
			return n, err
		}
		n += deleted
	}
	return n, nil
}

// deleteIfNotLive deletes the idempotency record id under its lock if it is still not live at
// now (FerretDB: read, checked and deleted by _id, see byID).
func (db *DB) deleteIfNotLive(ctx context.Context, id string, now time.Time) (int, error) {
	unlock, err := db.lockDoc(ctx, colIdempotency, id)
	if err != nil {
		return 0, err
	}
	defer unlock()
	coll := db.coll(colIdempotency)
	var d idempotencyDoc
	err = findOne(ctx, coll, bson.D{{Key: "_id", Value: id}}, &d)
	if isNoDoc(err) || err == nil && d.live(now) {
		return 0, nil
	}
	if err != nil {
		return 0, wrap("delete expired idempotency keys", err)
	}
	res, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return 0, wrap("delete expired idempotency keys", err)
	}
	return int(res.DeletedCount), nil
}

// createTTLIndex creates idempotency_expiry, the TTL index that makes MongoDB delete an
// idempotency record once its expires_at has passed. FerretDB has no TTL indexes; there the
// sweep (DeleteExpiredIdempotencyKeys) alone deletes them, and an index on expires_at serves it.
func (db *DB) createTTLIndex(ctx context.Context) error {
	opts := options.Index().SetName("idempotency_expiry")
	if !db.ferret {
		opts.SetExpireAfterSeconds(0)
	}
	_, err := db.coll(colIdempotency).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: asc("expires_at"), Options: opts})
	return wrap("create index idempotency_expiry", err)
}
