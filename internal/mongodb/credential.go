package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/wellbase/wellbase"
)

// credentialDoc is a document of credentials. Operator credentials have tenant "".
type credentialDoc struct {
	Key       string     `bson:"_id"` // "<tenant>/<id>"
	TenantID  string     `bson:"tenant"`
	ID        string     `bson:"id"`
	Kind      string     `bson:"kind"`
	UserID    string     `bson:"user_id"`
	Name      string     `bson:"name"`
	Hash      string     `bson:"hash"`
	Prefix    string     `bson:"prefix"`
	CreatedAt time.Time  `bson:"created_at"`
	ExpiresAt time.Time  `bson:"expires_at"`
	RevokedAt *time.Time `bson:"revoked_at"` // null until revoked
}

func (d *credentialDoc) credential() *wellbase.Credential {
	return &wellbase.Credential{
		ID: d.ID, Kind: wellbase.CredentialKind(d.Kind), TenantID: d.TenantID, UserID: d.UserID, Name: d.Name,
		Hash: d.Hash, Prefix: d.Prefix, CreatedAt: d.CreatedAt, ExpiresAt: d.ExpiresAt, RevokedAt: d.RevokedAt,
	}
}

// insertCredential inserts c as it is; EConflict if its ID (in its tenant) or its hash exists.
// Other errors are wrapped with op.
func (db *DB) insertCredential(ctx context.Context, c *wellbase.Credential, op string) error {
	key := c.TenantID + "/" + c.ID
	_, err := db.coll(colCredentials).InsertOne(ctx, &credentialDoc{
		Key: key, TenantID: c.TenantID, ID: c.ID, Kind: string(c.Kind), UserID: c.UserID, Name: c.Name, Hash: c.Hash,
		Prefix: c.Prefix, CreatedAt: c.CreatedAt, ExpiresAt: c.ExpiresAt, RevokedAt: c.RevokedAt,
	})
	if !isDup(err) {
		return wrap(op, err)
	}
	// Which key is taken: the ID, or else the hash. (FerretDB does not name the index.)
	n, cerr := db.coll(colCredentials).CountDocuments(ctx, bson.D{{Key: "tenant", Value: c.TenantID}, {Key: "_id", Value: key}})
	switch {
	case cerr != nil:
		return wrap(op, cerr)
	case n == 0:
		return wellbase.Errorf(wellbase.EConflict, "a credential with this token hash already exists")
	case c.TenantID == "":
		return wellbase.Errorf(wellbase.EConflict, "operator credential %s already exists", c.ID)
	}
	return wellbase.Errorf(wellbase.EConflict, "credential %s already exists in tenant %s", c.ID, c.TenantID)
}

// CredentialByHash finds a credential of any kind and tenant, revoked and expired ones included,
// by its token hash (index credentials_hash, the one across tenants); ENotFound if none.
func (db *DB) CredentialByHash(ctx context.Context, hash string) (*wellbase.Credential, error) {
	if err := ready(ctx, "credential by hash"); err != nil {
		return nil, err
	}
	var d credentialDoc
	err := findOne(ctx, db.coll(colCredentials), bson.D{{Key: "hash", Value: hash}}, &d)
	if isNoDoc(err) {
		return nil, wellbase.Errorf(wellbase.ENotFound, "credential not found")
	}
	if err != nil {
		return nil, wrap("credential by hash", err)
	}
	return d.credential(), nil
}

// CreateCredential stores the tenant credential c (an API token or a session) with its TenantID
// set to the store's tenant. EInvalid for an operator credential; EConflict if its ID (in the
// tenant) or its hash (in any tenant) exists.
func (s *TenantDB) CreateCredential(ctx context.Context, c *wellbase.Credential) error {
	if err := s.check(ctx, "create credential"); err != nil {
		return err
	}
	if c.Kind == wellbase.CredentialOperator {
		return wellbase.Errorf(wellbase.EInvalid, "an operator credential cannot belong to tenant %s", s.tenant)
	}
	c.TenantID = s.tenant
	return s.db.insertCredential(ctx, c, "create credential")
}

// ListCredentials returns the tenant's credentials of kind, newest first.
func (s *TenantDB) ListCredentials(ctx context.Context, kind wellbase.CredentialKind, page wellbase.Page) ([]*wellbase.Credential, string, error) {
	if err := s.check(ctx, "list credentials"); err != nil {
		return nil, "", err
	}
	list, next, err := listPage(ctx, s.db.coll(colCredentials), s.filter(bson.E{Key: "kind", Value: string(kind)}),
		page, s.key(page.After), true, (*credentialDoc).credential, func(c *wellbase.Credential) string { return c.ID })
	return list, next, wrap("list credentials", err)
}

// GetCredential returns the tenant's credential id; ENotFound if there is none.
func (s *TenantDB) GetCredential(ctx context.Context, id string) (*wellbase.Credential, error) {
	if err := s.check(ctx, "get credential"); err != nil {
		return nil, err
	}
	var d credentialDoc
	err := findOne(ctx, s.db.coll(colCredentials), s.byID(id), &d)
	if isNoDoc(err) {
		return nil, notFound("credential", id)
	}
	if err != nil {
		return nil, wrap("get credential", err)
	}
	return d.credential(), nil
}

// RevokeCredential marks the tenant's credential id revoked at time at; revoking twice keeps the
// first time (the update's filter wants revoked_at null). ENotFound if there is no credential id.
func (s *TenantDB) RevokeCredential(ctx context.Context, id string, at time.Time) error {
	if err := s.check(ctx, "revoke credential"); err != nil {
		return err
	}
	unlock, err := s.db.lockDoc(ctx, colCredentials, s.key(id))
	if err != nil {
		return err
	}
	defer unlock()
	coll := s.db.coll(colCredentials)
	res, err := coll.UpdateOne(ctx, s.byID(id, bson.E{Key: "revoked_at", Value: nil}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: at}}}})
	if err != nil {
		return wrap("revoke credential", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	// Revoked already, or missing.
	n, err := coll.CountDocuments(ctx, s.byID(id))
	if err != nil {
		return wrap("revoke credential", err)
	}
	if n == 0 {
		return notFound("credential", id)
	}
	return nil
}

// CountCredentials counts the tenant's credentials of kind that are usable at time now: not
// revoked, and expiring after now.
func (s *TenantDB) CountCredentials(ctx context.Context, kind wellbase.CredentialKind, now time.Time) (int, error) {
	return s.count(ctx, "count credentials", colCredentials, bson.E{Key: "kind", Value: string(kind)},
		bson.E{Key: "revoked_at", Value: nil}, bson.E{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now}}})
}
