package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/wellbase/wellbase"
)

// operatorDoc is a document of operators.
type operatorDoc struct {
	ID        string    `bson:"_id"`
	Email     string    `bson:"email"`
	CreatedAt time.Time `bson:"created_at"`
}

// CreateOperator inserts the platform operator o; EConflict if its ID exists.
func (db *DB) CreateOperator(ctx context.Context, o *wellbase.Operator) error {
	if err := ready(ctx, "create operator"); err != nil {
		return err
	}
	_, err := db.coll(colOperators).InsertOne(ctx, operatorDoc(*o))
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "operator %s already exists", o.ID)
	}
	return wrap("create operator", err)
}

// GetOperator returns operator id; ENotFound if there is none.
func (db *DB) GetOperator(ctx context.Context, id string) (*wellbase.Operator, error) {
	if err := ready(ctx, "get operator"); err != nil {
		return nil, err
	}
	var d operatorDoc
	err := findOne(ctx, db.coll(colOperators), bson.D{{Key: "_id", Value: id}}, &d)
	if isNoDoc(err) {
		return nil, notFound("operator", id)
	}
	if err != nil {
		return nil, wrap("get operator", err)
	}
	o := wellbase.Operator(d)
	return &o, nil
}

// CreateOperatorCredential stores c as an operator credential: its Kind is set to
// CredentialOperator and its TenantID to "" (the document's tenant, _id "/<id>"). EConflict if
// its ID or its hash exists.
func (db *DB) CreateOperatorCredential(ctx context.Context, c *wellbase.Credential) error {
	if err := ready(ctx, "create operator credential"); err != nil {
		return err
	}
	c.Kind, c.TenantID = wellbase.CredentialOperator, ""
	return db.insertCredential(ctx, c, "create operator credential")
}

// RevokeOperatorCredential marks the operator credential id revoked at time at; revoking twice
// keeps the first time (the update's filter wants revoked_at null). ENotFound if there is no
// operator credential id.
func (db *DB) RevokeOperatorCredential(ctx context.Context, id string, at time.Time) error {
	if err := ready(ctx, "revoke operator credential"); err != nil {
		return err
	}
	coll := db.coll(colCredentials)
	filter := bson.D{{Key: "_id", Value: "/" + id}, {Key: "tenant", Value: ""}, {Key: "kind", Value: string(wellbase.CredentialOperator)}}
	res, err := coll.UpdateOne(ctx, append(filter, bson.E{Key: "revoked_at", Value: nil}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: at}}}})
	if err != nil {
		return wrap("revoke operator credential", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	n, err := coll.CountDocuments(ctx, filter)
	if err != nil {
		return wrap("revoke operator credential", err)
	}
	if n == 0 {
		return notFound("operator credential", id)
	}
	return nil
}
