package mongodb

import (
	"context"
	"encoding/json"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// findAll returns the documents of coll that match filter, decoded as D.
func findAll[D any](ctx context.Context, coll *mongo.Collection, filter bson.D, opts ...options.Lister[options.FindOptions]) ([]D, error) {
	cur, err := coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// findOne decodes into doc the document of coll that matches filter; mongo.ErrNoDocuments if
// none does.
func findOne(ctx context.Context, coll *mongo.Collection, filter bson.D, doc any) error {
	return coll.FindOne(ctx, filter).Decode(doc)
}

// listPage returns one page of the documents of coll that match filter, ordered by _id, oldest
// first or (desc) newest first, and the cursor of the next page. after is the _id of the page's
// cursor (page.After as a key, "" for the first page); toItem converts a document and id returns
// an item's ID, the cursor of the page that follows it. It asks for one document more than the
// page, which tells whether another page follows.
func listPage[D any, T any](ctx context.Context, coll *mongo.Collection, filter bson.D, page wellbase.Page, after string, desc bool,
	toItem func(*D) T, id func(T) string) ([]T, string, error) {
	dir, op := 1, "$gt"
	if desc {
		dir, op = -1, "$lt"
	}
	if page.After != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: op, Value: after}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: dir}}).SetLimit(int64(page.Size() + 1))
	docs, err := findAll[D](ctx, coll, filter, opts)
	if err != nil {
		return nil, "", err
	}
	items := make([]T, len(docs))
	for i := range docs {
		items[i] = toItem(&docs[i])
	}
	if len(items) <= page.Size() {
		return items, "", nil
	}
	items = items[:page.Size()]
	return items, id(items[len(items)-1]), nil
}

// set returns the $set document of the fields of doc (a document struct), but those named in
// skip. Updates that replace a record but a few fields (its ID, tenant, creation time) use it.
func set(doc any, skip ...string) (bson.D, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, err
	}
	elems, err := bson.Raw(raw).Elements()
	if err != nil {
		return nil, err
	}
	fields := make(bson.D, 0, len(elems))
next:
	for _, e := range elems {
		for _, s := range skip {
			if e.Key() == s {
				continue next
			}
		}
		fields = append(fields, bson.E{Key: e.Key(), Value: e.Value()})
	}
	return bson.D{{Key: "$set", Value: fields}}, nil
}

// jsonText returns b as stored: JSON text, or nil (null) if empty.
func jsonText(b json.RawMessage) *string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	return &s
}

// rawJSON returns stored JSON text as a json.RawMessage, nil for null.
func rawJSON(s *string) json.RawMessage {
	if s == nil {
		return nil
	}
	return json.RawMessage(*s)
}
