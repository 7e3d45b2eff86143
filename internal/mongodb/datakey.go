package mongodb

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// dataKeyDoc is a document of data_keys, _id "<tenant>/<version>".
type dataKeyDoc struct {
	Key       string    `bson:"_id"`
	TenantID  string    `bson:"tenant"`
	Version   int       `bson:"version"`
	Wrapped   []byte    `bson:"wrapped"` // BSON binary
	CreatedAt time.Time `bson:"created_at"`
}

func (d *dataKeyDoc) key() *wellbase.WrappedKey {
	return &wellbase.WrappedKey{TenantID: d.TenantID, Version: d.Version, Wrapped: d.Wrapped, CreatedAt: d.CreatedAt}
}

// PutDataKey stores the wrapped data key version k.Version of the tenant, with k.TenantID set to
// the store's tenant; EConflict if the tenant has that version.
func (s *TenantDB) PutDataKey(ctx context.Context, k *wellbase.WrappedKey) error {
	if err := s.check(ctx, "put data key"); err != nil {
		return err
	}
	k.TenantID = s.tenant
	wrapped := k.Wrapped
	if wrapped == nil {
		wrapped = []byte{} // null otherwise
	}
	_, err := s.db.coll(colDataKeys).InsertOne(ctx, &dataKeyDoc{Key: s.key(strconv.Itoa(k.Version)), TenantID: s.tenant,
		Version: k.Version, Wrapped: wrapped, CreatedAt: k.CreatedAt})
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "data key version %d already exists in tenant %s", k.Version, s.tenant)
	}
	return wrap("put data key", err)
}

// DataKeys returns the tenant's wrapped data keys, oldest version first.
func (s *TenantDB) DataKeys(ctx context.Context) ([]*wellbase.WrappedKey, error) {
	if err := s.check(ctx, "list data keys"); err != nil {
		return nil, err
	}
	docs, err := findAll[dataKeyDoc](ctx, s.db.coll(colDataKeys), s.filter(), options.Find().SetSort(bson.D{{Key: "version", Value: 1}}))
	if err != nil {
		return nil, wrap("list data keys", err)
	}
	keys := make([]*wellbase.WrappedKey, len(docs))
	for i := range docs {
		keys[i] = docs[i].key()
	}
	return keys, nil
}
