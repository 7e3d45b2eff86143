package mongodb

import (
	"context"
	"time"

	"github.com/wellbase/wellbase"
)

// wellDoc is a document of wells. A missing latitude or longitude is null.
type wellDoc struct {
	Key       string    `bson:"_id"` // "<tenant>/<id>"
	TenantID  string    `bson:"tenant"`
	ID        string    `bson:"id"`
	Name      string    `bson:"name"`
	UWI       string    `bson:"uwi"`
	Field     string    `bson:"field"`
	Operator  string    `bson:"operator"`
	Latitude  *float64  `bson:"latitude"`
	Longitude *float64  `bson:"longitude"`
	CreatedAt time.Time `bson:"created_at"`
	UpdatedAt time.Time `bson:"updated_at"`
}

func (s *TenantDB) wellDoc(w *wellbase.Well) *wellDoc {
	return &wellDoc{Key: s.key(w.ID), TenantID: s.tenant, ID: w.ID, Name: w.Name, UWI: w.UWI, Field: w.Field,
		Operator: w.Operator, Latitude: w.Latitude, Longitude: w.Longitude, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

func (d *wellDoc) well() *wellbase.Well {
	return &wellbase.Well{ID: d.ID, TenantID: d.TenantID, Name: d.Name, UWI: d.UWI, Field: d.Field, Operator: d.Operator,
		Latitude: d.Latitude, Longitude: d.Longitude, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// CreateWell inserts w with its TenantID set to the store's tenant; EConflict if its ID exists in
// the tenant.
func (s *TenantDB) CreateWell(ctx context.Context, w *wellbase.Well) error {
	if err := s.check(ctx, "create well"); err != nil {
		return err
	}
	w.TenantID = s.tenant
	_, err := s.db.coll(colWells).InsertOne(ctx, s.wellDoc(w))
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "well %s already exists in tenant %s", w.ID, s.tenant)
	}
	return wrap("create well", err)
}

// GetWell returns the tenant's well id; ENotFound if there is none.
func (s *TenantDB) GetWell(ctx context.Context, id string) (*wellbase.Well, error) {
	if err := s.check(ctx, "get well"); err != nil {
		return nil, err
	}
	var d wellDoc
	err := findOne(ctx, s.db.coll(colWells), s.byID(id), &d)
	if isNoDoc(err) {
		return nil, notFound("well", id)
	}
	if err != nil {
		return nil, wrap("get well", err)
	}
	return d.well(), nil
}

// ListWells returns the tenant's wells in creation order.
func (s *TenantDB) ListWells(ctx context.Context, page wellbase.Page) ([]*wellbase.Well, string, error) {
	if err := s.check(ctx, "list wells"); err != nil {
		return nil, "", err
	}
	list, next, err := listPage(ctx, s.db.coll(colWells), s.filter(), page, s.key(page.After), false,
		(*wellDoc).well, func(w *wellbase.Well) string { return w.ID })
	return list, next, wrap("list wells", err)
}

// UpdateWell replaces the tenant's well w.ID with w, all fields but CreatedAt (a well's creation
// time does not change); w.TenantID is set to the store's tenant. ENotFound if there is no such
// well.
func (s *TenantDB) UpdateWell(ctx context.Context, w *wellbase.Well) error {
	if err := s.check(ctx, "update well"); err != nil {
		return err
	}
	w.TenantID = s.tenant
	return s.replace(ctx, colWells, "update well", "well", w.ID, s.wellDoc(w))
}

// DeleteWell deletes the tenant's well id; ENotFound if there is none.
func (s *TenantDB) DeleteWell(ctx context.Context, id string) error {
	if err := s.check(ctx, "delete well"); err != nil {
		return err
	}
	return s.delete(ctx, colWells, "delete well", "well", id)
}

// CountWells returns the number of the tenant's wells.
func (s *TenantDB) CountWells(ctx context.Context) (int, error) {
	return s.count(ctx, "count wells", colWells)
}

// replace sets every field of the tenant's record id in coll to doc's (a document struct), but
// its _id, tenant, id and creation time; ENotFound (of resource) if there is no such record.
func (s *TenantDB) replace(ctx context.Context, coll, op, resource, id string, doc any) error {
	update, err := set(doc, "_id", "tenant", "id", "created_at")
	if err != nil {
		return wrap(op, err)
	}
	unlock, err := s.db.lockDoc(ctx, coll, s.key(id))
	if err != nil {
		return err
	}
	defer unlock()
	res, err := s.db.coll(coll).UpdateOne(ctx, s.byID(id), update)
	if err != nil {
		return wrap(op, err)
	}
	if res.MatchedCount == 0 {
		return notFound(resource, id)
	}
	return nil
}

// delete deletes the tenant's record id of coll; ENotFound (of resource) if there is none.
func (s *TenantDB) delete(ctx context.Context, coll, op, resource, id string) error {
	res, err := s.db.coll(coll).DeleteOne(ctx, s.byID(id))
	if err != nil {
		return wrap(op, err)
	}
	if res.DeletedCount == 0 {
		return notFound(resource, id)
	}
	return nil
}
