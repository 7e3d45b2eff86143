package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// userDoc is a document of users.
type userDoc struct {
	Key          string     `bson:"_id"` // "<tenant>/<id>"
	TenantID     string     `bson:"tenant"`
	ID           string     `bson:"id"`
	Email        string     `bson:"email"`
	Role         string     `bson:"role"`
	PasswordHash string     `bson:"password_hash"`
	CreatedAt    time.Time  `bson:"created_at"`
	DisabledAt   *time.Time `bson:"disabled_at,omitempty"`
}

func (d *userDoc) user() *wellbase.User {
	return &wellbase.User{ID: d.ID, TenantID: d.TenantID, Email: d.Email, Role: wellbase.Role(d.Role),
		PasswordHash: d.PasswordHash, CreatedAt: d.CreatedAt, DisabledAt: d.DisabledAt}
}

// CreateUser inserts u with its TenantID set to the store's tenant; EConflict if its ID or its
// email exists in the tenant.
func (s *TenantDB) CreateUser(ctx context.Context, u *wellbase.User) error {
	if err := s.check(ctx, "create user"); err != nil {
		return err
	}
	u.TenantID = s.tenant
	coll := s.db.coll(colUsers)
	_, err := coll.InsertOne(ctx, &userDoc{Key: s.key(u.ID), TenantID: s.tenant, ID: u.ID, Email: u.Email,
		Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt, DisabledAt: u.DisabledAt})
	if !isDup(err) {
		return wrap("create user", err)
	}
	// Which key is taken: the ID, or else the email. (FerretDB does not name the index.)
	n, err := coll.CountDocuments(ctx, s.byID(u.ID))
	switch {
	case err != nil:
		return wrap("create user", err)
	case n == 0:
		return wellbase.Errorf(wellbase.EConflict, "user with email %s already exists in tenant %s", u.Email, s.tenant)
	}
	return wellbase.Errorf(wellbase.EConflict, "user %s already exists in tenant %s", u.ID, s.tenant)
}

// GetUser returns the tenant's user id; ENotFound if there is none.
func (s *TenantDB) GetUser(ctx context.Context, id string) (*wellbase.User, error) {
	if err := s.check(ctx, "get user"); err != nil {
		return nil, err
	}
	return s.getUser(ctx, s.byID(id), notFound("user", id))
}

// UserByEmail returns the tenant's user with email (compared exactly, as stored); ENotFound if
// there is none.
func (s *TenantDB) UserByEmail(ctx context.Context, email string) (*wellbase.User, error) {
	if err := s.check(ctx, "user by email"); err != nil {
		return nil, err
	}
	return s.getUser(ctx, s.filter(bson.E{Key: "email", Value: email}),
		wellbase.Errorf(wellbase.ENotFound, "user with email %s not found", email))
}

// getUser returns the user that filter matches, or missing if none does.
func (s *TenantDB) getUser(ctx context.Context, filter bson.D, missing error) (*wellbase.User, error) {
	var d userDoc
	err := findOne(ctx, s.db.coll(colUsers), filter, &d)
	if isNoDoc(err) {
		return nil, missing
	}
	if err != nil {
		return nil, wrap("get user", err)
	}
	return d.user(), nil
}

// ListUsers returns the tenant's users in creation order.
func (s *TenantDB) ListUsers(ctx context.Context, page wellbase.Page) ([]*wellbase.User, string, error) {
	if err := s.check(ctx, "list users"); err != nil {
		return nil, "", err
	}
	list, next, err := listPage(ctx, s.db.coll(colUsers), s.filter(), page, s.key(page.After), false,
		(*userDoc).user, func(u *wellbase.User) string { return u.ID })
	return list, next, wrap("list users", err)
}

// CountUsers returns the number of the tenant's users.
func (s *TenantDB) CountUsers(ctx context.Context) (int, error) {
	return s.count(ctx, "count users", colUsers)
}

// UpdateUser applies u to the tenant's user id and returns the result; ENotFound if there is no
// user id. Disabling twice keeps the first time. Updates of one user are serialized (lockDoc),
// so the read of the current disabled time and the write are one step.
func (s *TenantDB) UpdateUser(ctx context.Context, id string, u wellbase.UserUpdate) (*wellbase.User, error) {
	if err := s.check(ctx, "update user"); err != nil {
		return nil, err
	}
	unlock, err := s.db.lockDoc(ctx, colUsers, s.key(id))
	if err != nil {
		return nil, err
	}
	defer unlock()
	cur, err := s.getUser(ctx, s.byID(id), notFound("user", id))
	if err != nil {
		return nil, err
	}
	set, unset := bson.D{}, bson.D{}
	if u.Role != nil {
		set = append(set, bson.E{Key: "role", Value: string(*u.Role)})
	}
	if u.Disabled != nil {
		switch {
		case *u.Disabled && cur.DisabledAt == nil:
			set = append(set, bson.E{Key: "disabled_at", Value: u.At.UTC()})
		case !*u.Disabled:
			unset = append(unset, bson.E{Key: "disabled_at", Value: ""})
		}
	}
	update := bson.D{}
	if len(set) > 0 {
		update = append(update, bson.E{Key: "$set", Value: set})
	}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	if len(update) == 0 {
		return cur, nil
	}
	var d userDoc
	err = s.db.coll(colUsers).FindOneAndUpdate(ctx, s.byID(id), update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if isNoDoc(err) {
		return nil, notFound("user", id)
	}
	if err != nil {
		return nil, wrap("update user", err)
	}
	return d.user(), nil
}
