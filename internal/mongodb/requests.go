package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// requestsDoc is a document of requests: a tenant's API request count of one UTC day.
type requestsDoc struct {
	Key      string `bson:"_id"` // "<tenant>/<day>"
	TenantID string `bson:"tenant"`
	Day      string `bson:"day"` // "2006-01-02"
	Requests int64  `bson:"requests"`
}

// AddRequests adds n to the tenant's request count of day ("2006-01-02", UTC) with one $inc
// upsert, so that concurrent calls all count. An upsert that loses the race to create the day's
// document (a duplicate key error on FerretDB) is tried again, and then increments.
func (s *TenantDB) AddRequests(ctx context.Context, day string, n int64) error {
	if err := s.check(ctx, "add requests"); err != nil {
		return err
	}
	unlock, err := s.db.lockDoc(ctx, colRequests, s.key(day))
	if err != nil {
		return err
	}
	defer unlock()
	update := bson.D{
		{Key: "$inc", Value: bson.D{{Key: "requests", Value: n}}},
		// The tenant too: on FerretDB the filter is the _id alone (see byID).
		{Key: "$setOnInsert", Value: bson.D{{Key: "tenant", Value: s.tenant}, {Key: "day", Value: day}}},
	}
	opts := options.UpdateOne().SetUpsert(true)
	coll := s.db.coll(colRequests)
	_, err = coll.UpdateOne(ctx, s.byID(day), update, opts)
	if isDup(err) {
		_, err = coll.UpdateOne(ctx, s.byID(day), update, opts)
	}
	return wrap("add requests", err)
}

// Requests returns the tenant's request count of day; 0 if none was added.
func (s *TenantDB) Requests(ctx context.Context, day string) (int64, error) {
	if err := s.check(ctx, "requests"); err != nil {
		return 0, err
	}
	var d requestsDoc
	err := findOne(ctx, s.db.coll(colRequests), s.byID(day), &d)
	if isNoDoc(err) {
		return 0, nil
	}
	return d.Requests, wrap("requests", err)
}
