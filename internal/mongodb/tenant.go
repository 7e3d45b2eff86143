package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// tenantDoc is a document of tenants.
type tenantDoc struct {
	ID         string      `bson:"_id"`
	Name       string      `bson:"name"`
	Tier       string      `bson:"tier"`
	Status     string      `bson:"status"`
	AdminEmail string      `bson:"admin_email"`
	Limits     limitsDoc   `bson:"limits"`     // a document, never null: UpdateTenant sets its fields
	Settings   settingsDoc `bson:"settings"`   //
	Onboarding []stepDoc   `bson:"onboarding"` // an array, never null: UpdateTenant pushes to it
	CreatedAt  time.Time   `bson:"created_at"`
	UpdatedAt  time.Time   `bson:"updated_at"`
}

// limitsDoc is wellbase.LimitOverrides; an override that is not set is absent.
type limitsDoc struct {
	RequestsPerSecond *float64 `bson:"requests_per_second,omitempty"`
	Burst             *int     `bson:"burst,omitempty"`
	StorageBytes      *int64   `bson:"storage_bytes,omitempty"`
	MaxUsers          *int     `bson:"max_users,omitempty"`
	ConcurrentJobs    *int     `bson:"concurrent_jobs,omitempty"`
	UploadBytes       *int64   `bson:"upload_bytes,omitempty"`
}

// settingsDoc is wellbase.TenantSettings.
type settingsDoc struct {
	DepthUnit  string `bson:"depth_unit"`
	VolumeUnit string `bson:"volume_unit"`
	TimeZone   string `bson:"time_zone"`
}

// stepDoc is wellbase.OnboardingStep.
type stepDoc struct {
	Name       string    `bson:"name"`
	DurationMS float64   `bson:"duration_ms"`
	DoneAt     time.Time `bson:"done_at"`
}

func toTenantDoc(t *wellbase.Tenant) *tenantDoc {
	steps := make([]stepDoc, len(t.Onboarding))
	for i, s := range t.Onboarding {
		steps[i] = stepDoc(s)
	}
	return &tenantDoc{
		ID: t.ID, Name: t.Name, Tier: string(t.Tier), Status: string(t.Status), AdminEmail: t.AdminEmail,
		Limits: limitsDoc(t.Limits), Settings: settingsDoc(t.Settings), Onboarding: steps,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}

func (d *tenantDoc) tenant() *wellbase.Tenant {
	var steps []wellbase.OnboardingStep
	for _, s := range d.Onboarding {
		steps = append(steps, wellbase.OnboardingStep(s))
	}
	return &wellbase.Tenant{
		ID: d.ID, Name: d.Name, Tier: wellbase.Tier(d.Tier), Status: wellbase.TenantStatus(d.Status), AdminEmail: d.AdminEmail,
		Limits: wellbase.LimitOverrides(d.Limits), Settings: wellbase.TenantSettings(d.Settings), Onboarding: steps,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
}

// CreateTenant inserts t; EConflict if its ID exists.
func (db *DB) CreateTenant(ctx context.Context, t *wellbase.Tenant) error {
	if err := ready(ctx, "create tenant"); err != nil {
		return err
	}
	_, err := db.coll(colTenants).InsertOne(ctx, toTenantDoc(t))
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "tenant %s already exists", t.ID)
	}
	return wrap("create tenant", err)
}

// GetTenant returns tenant id; ENotFound if there is none.
func (db *DB) GetTenant(ctx context.Context, id string) (*wellbase.Tenant, error) {
	if err := ready(ctx, "get tenant"); err != nil {
		return nil, err
	}
	var d tenantDoc
	err := findOne(ctx, db.coll(colTenants), bson.D{{Key: "_id", Value: id}}, &d)
	if isNoDoc(err) {
		return nil, notFound("tenant", id)
	}
	if err != nil {
		return nil, wrap("get tenant", err)
	}
	return d.tenant(), nil
}

// ListTenants returns tenants ordered by ID, after page.After, and the cursor of the next page.
func (db *DB) ListTenants(ctx context.Context, page wellbase.Page) ([]*wellbase.Tenant, string, error) {
	if err := ready(ctx, "list tenants"); err != nil {
		return nil, "", err
	}
	list, next, err := listPage(ctx, db.coll(colTenants), bson.D{}, page, page.After, false,
		(*tenantDoc).tenant, func(t *wellbase.Tenant) string { return t.ID })
	return list, next, wrap("list tenants", err)
}

// UpdateTenant applies u to the tenant and returns the result, with UpdatedAt the time of the
// update (to the millisecond); ENotFound if there is no tenant id. It is one findAndModify: the
// fields u sets are $set one by one, each limit override of u.Limits on its own (a nil override
// keeps the tenant's, and concurrent updates of different overrides are all kept), and u.Step is
// $pushed to the onboarding steps, so concurrent updates are all kept.
func (db *DB) UpdateTenant(ctx context.Context, id string, u wellbase.TenantUpdate) (*wellbase.Tenant, error) {
	if err := ready(ctx, "update tenant"); err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	fields := bson.D{{Key: "updated_at", Value: now}}
	if u.Name != nil {
		fields = append(fields, bson.E{Key: "name", Value: *u.Name})
	}
	if u.Tier != nil {
		fields = append(fields, bson.E{Key: "tier", Value: string(*u.Tier)})
	}
	if u.Status != nil {
		fields = append(fields, bson.E{Key: "status", Value: string(*u.Status)})
	}
	if u.Settings != nil {
		fields = append(fields, bson.E{Key: "settings", Value: settingsDoc(*u.Settings)})
	}
	if u.Limits != nil {
		// The overrides that are set, as "limits.<name>" fields (limitsDoc omits the others).
		limits, err := set(limitsDoc(*u.Limits))
		if err != nil {
			return nil, wrap("update tenant", err)
		}
		for _, e := range limits[0].Value.(bson.D) {
			fields = append(fields, bson.E{Key: "limits." + e.Key, Value: e.Value})
		}
	}
	update := bson.D{{Key: "$set", Value: fields}}
	if u.Step != nil {
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "onboarding", Value: stepDoc(*u.Step)}}})
	}
	unlock, err := db.lockDoc(ctx, colTenants, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var d tenantDoc
	err = db.coll(colTenants).FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if isNoDoc(err) {
		return nil, notFound("tenant", id)
	}
	if err != nil {
		return nil, wrap("update tenant", err)
	}
	return d.tenant(), nil
}
