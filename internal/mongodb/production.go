package mongodb

import (
	"context"
	"errors"
	"net/url"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// productionDoc is a document of production, one per (tenant, well, period, date), its _id made
// of them: "<tenant>/<well>/<period>/<date>", the well and period percent-encoded (so that a "/"
// in them cannot make two keys one). Upserts find the record by _id, which FerretDB looks up by
// index where it would read the whole collection for a filter on other fields; queries by date
// use production_key. A volume never imported is absent (or null in documents stored before
// imports merged).
type productionDoc struct {
	Key           string    `bson:"_id"`
	TenantID      string    `bson:"tenant"`
	WellID        string    `bson:"well_id"`
	Period        string    `bson:"period"`
	Date          time.Time `bson:"date"` // UTC midnight
	Oil           *float64  `bson:"oil"`
	Gas           *float64  `bson:"gas"`
	Water         *float64  `bson:"water"`
	WaterInjected *float64  `bson:"water_injected"`
	GasInjected   *float64  `bson:"gas_injected"`
	OnStreamHours *float64  `bson:"on_stream_hours"`
	Units         unitsDoc  `bson:"units"`
	ImportID      string    `bson:"import_id"`
	UpdatedAt     time.Time `bson:"updated_at"`
}

// unitsDoc is wellbase.ProductionUnits.
type unitsDoc struct {
	Oil           string `bson:"oil"`
	Gas           string `bson:"gas"`
	Water         string `bson:"water"`
	WaterInjected string `bson:"water_injected"`
	GasInjected   string `bson:"gas_injected"`
}

// day returns the UTC midnight of t's UTC date: how a production date is stored.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (d *productionDoc) record() *wellbase.ProductionRecord {
	return &wellbase.ProductionRecord{
		TenantID: d.TenantID, WellID: d.WellID, Date: d.Date, Period: d.Period, Oil: d.Oil, Gas: d.Gas, Water: d.Water,
		WaterInjected: d.WaterInjected, GasInjected: d.GasInjected, OnStreamHours: d.OnStreamHours,
		Units: wellbase.ProductionUnits(d.Units), ImportID: d.ImportID, UpdatedAt: d.UpdatedAt,
	}
}

// upsertBatch is how many records UpsertProduction sends in one bulk write (on FerretDB: reads
// and inserts at once).
const upsertBatch = 1000

// UpsertProduction stores records under the tenant (their TenantID is set to it), each merged
// into the record with the same (well, period, date): a volume, on-stream hours or unit the new
// record has replaces the stored one, and what it lacks (nil, "") keeps the stored value, so
// that a re-import of a file with fewer columns loses nothing (see wellbase.TenantStore). One
// upsert ($set of the fields present) per record, sent in unordered batches of up to 1000, one
// bulk write each (on FerretDB see upsertProductionFerret). It returns how many it stored; a
// batch is not atomic, and on an error the count says how many were stored before it. An upsert
// that loses a race with another upsert of the same key (a duplicate key error; FerretDB does
// not retry it itself) is tried once more, and then merges.
func (s *TenantDB) UpsertProduction(ctx context.Context, records []*wellbase.ProductionRecord) (int, error) {
	if err := s.check(ctx, "upsert production"); err != nil {
		return 0, err
	}
	upsert := s.upsertProduction
	if s.db.ferret {
		stored, err := s.storedProduction(ctx, records)
		if err != nil {
			return 0, wrap("upsert production", err)
		}
		upsert = func(ctx context.Context, batch []*wellbase.ProductionRecord) (int, error) {
			return s.upsertProductionFerret(ctx, batch, stored)
		}
	}
	n := 0
	for start := 0; start < len(records); start += upsertBatch {
		stored, err := upsert(ctx, records[start:min(start+upsertBatch, len(records))])
		n += stored
		if err != nil {
			return n, wrap("upsert production", err)
		}
	}
	return n, nil
}

// upsertProduction upserts batch in one bulk write and returns how many it stored.
func (s *TenantDB) upsertProduction(ctx context.Context, batch []*wellbase.ProductionRecord) (int, error) {
	models := make([]mongo.WriteModel, len(batch))
	for i, r := range batch {
		r.TenantID = s.tenant
		filter, update := s.productionUpdate(r)
		models[i] = mongo.NewUpdateOneModel().SetFilter(filter).SetUpdate(update).SetUpsert(true)
	}
	coll := s.db.coll(colProduction)
	_, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err == nil || !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		if err != nil {
			return 0, err
		}
		return len(batch), nil
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return len(batch) - len(bwe.WriteErrors), err
		}
	}
	stored := len(batch) - len(bwe.WriteErrors)
	for _, we := range bwe.WriteErrors {
		filter, update := s.productionUpdate(batch[we.Index])
		if _, err := coll.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true)); err != nil {
			return stored, err
		}
		stored++
	}
	return stored, nil
}

// storedProduction returns the tenant's stored production records of the wells of records, by
// _id: one query, which FerretDB answers by reading the collection once.
func (s *TenantDB) storedProduction(ctx context.Context, records []*wellbase.ProductionRecord) (map[string]*productionDoc, error) {
	var wells bson.A
	seen := map[string]bool{}
	for _, r := range records {
		if !seen[r.WellID] {
			seen[r.WellID] = true
			wells = append(wells, r.WellID)
		}
	}
	docs, err := findAll[productionDoc](ctx, s.db.coll(colProduction), s.filter(bson.E{Key: "well_id", Value: bson.D{{Key: "$in", Value: wells}}}))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*productionDoc, len(docs))
	for i := range docs {
		byID[docs[i].Key] = &docs[i]
	}
	return byID, nil
}

// upsertProductionFerret is upsertProduction on FerretDB, where every upsert reads the whole
// collection (see the package doc: an import of the Volve workbook's 16 000 records took over
// 15 minutes). Given the records stored before the import (storedProduction), it inserts the
// batch's new records in one insert (one SQLite transaction), updates the ones the merge changes
// one by one (by _id), and leaves alone the ones it would not change, whose import_id and
// updated_at stay those of the import that last changed them (a re-import of the same file
// writes nothing). A record another import inserted meanwhile (a duplicate key) is upserted as
// on MongoDB, and then merges.
func (s *TenantDB) upsertProductionFerret(ctx context.Context, batch []*wellbase.ProductionRecord, byID map[string]*productionDoc) (int, error) {
	coll := s.db.coll(colProduction)
	ids := make([]string, len(batch))
	for i, r := range batch {
		r.TenantID = s.tenant
		ids[i] = s.key(productionID(r))
	}
	var inserts []any
	var insertIdx []int
	n := 0
	for i, r := range batch {
		filter, update := s.productionUpdate(r)
		old, ok := byID[ids[i]]
		switch {
		case !ok:
			inserts = append(inserts, newProductionDoc(ids[i], r))
			insertIdx = append(insertIdx, i)
			continue
		case !mergeChanges(old, r):
			n++
			continue
		}
		if _, err := coll.UpdateOne(ctx, filter, update); err != nil {
			return n, err
		}
		merge(old, r) // a later record of the import with the same key compares with this
		n++
	}
	if len(inserts) == 0 {
		return n, nil
	}
	_, err := coll.InsertMany(ctx, inserts, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err != nil && (!errors.As(err, &bwe) || bwe.WriteConcernError != nil) {
		return n, err
	}
	n += len(inserts) - len(bwe.WriteErrors)
	for _, i := range insertIdx {
		d := &productionDoc{Key: ids[i]}
		merge(d, batch[i])
		byID[ids[i]] = d
	}
	for _, we := range bwe.WriteErrors {
		delete(byID, ids[insertIdx[we.Index]]) // merged by the server: unknown here
		if we.Code != 11000 {
			return n, err
		}
		filter, update := s.productionUpdate(batch[insertIdx[we.Index]])
		if _, err := coll.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// newProductionDoc returns the document an upsert of r into no record stores: the fields r has.
func newProductionDoc(id string, r *wellbase.ProductionRecord) bson.D {
	doc := bson.D{{Key: "_id", Value: id}, {Key: "tenant", Value: r.TenantID}, {Key: "well_id", Value: r.WellID},
		{Key: "period", Value: r.Period}, {Key: "date", Value: day(r.Date)}, {Key: "import_id", Value: r.ImportID},
		{Key: "updated_at", Value: r.UpdatedAt}}
	for _, v := range []struct {
		field string
		v     *float64
	}{{"oil", r.Oil}, {"gas", r.Gas}, {"water", r.Water}, {"water_injected", r.WaterInjected}, {"gas_injected", r.GasInjected},
		{"on_stream_hours", r.OnStreamHours}} {
		if v.v != nil {
			doc = append(doc, bson.E{Key: v.field, Value: *v.v})
		}
	}
	var units bson.D
	for _, u := range []struct{ field, unit string }{{"oil", r.Units.Oil}, {"gas", r.Units.Gas}, {"water", r.Units.Water},
		{"water_injected", r.Units.WaterInjected}, {"gas_injected", r.Units.GasInjected}} {
		if u.unit != "" {
			units = append(units, bson.E{Key: u.field, Value: u.unit})
		}
	}
	if units != nil {
		doc = append(doc, bson.E{Key: "units", Value: units})
	}
	return doc
}

// mergeChanges reports whether merging r into old changes a volume, the on-stream hours or a
// unit.
func mergeChanges(old *productionDoc, r *wellbase.ProductionRecord) bool {
	differs := func(stored, v *float64) bool { return v != nil && (stored == nil || *stored != *v) }
	unit := func(stored, u string) bool { return u != "" && stored != u }
	return differs(old.Oil, r.Oil) || differs(old.Gas, r.Gas) || differs(old.Water, r.Water) ||
		differs(old.WaterInjected, r.WaterInjected) || differs(old.GasInjected, r.GasInjected) ||
		differs(old.OnStreamHours, r.OnStreamHours) || unit(old.Units.Oil, r.Units.Oil) || unit(old.Units.Gas, r.Units.Gas) ||
		unit(old.Units.Water, r.Units.Water) || unit(old.Units.WaterInjected, r.Units.WaterInjected) ||
		unit(old.Units.GasInjected, r.Units.GasInjected)
}

// merge applies the merge of r to d, as the upsert of r does to the stored record.
func merge(d *productionDoc, r *wellbase.ProductionRecord) {
	for _, v := range []struct {
		stored **float64
		v      *float64
	}{{&d.Oil, r.Oil}, {&d.Gas, r.Gas}, {&d.Water, r.Water}, {&d.WaterInjected, r.WaterInjected}, {&d.GasInjected, r.GasInjected},
		{&d.OnStreamHours, r.OnStreamHours}} {
		if v.v != nil {
			x := *v.v
			*v.stored = &x
		}
	}
	for _, u := range []struct {
		stored *string
		unit   string
	}{{&d.Units.Oil, r.Units.Oil}, {&d.Units.Gas, r.Units.Gas}, {&d.Units.Water, r.Units.Water},
		{&d.Units.WaterInjected, r.Units.WaterInjected}, {&d.Units.GasInjected, r.Units.GasInjected}} {
		if u.unit != "" {
			*u.stored = u.unit
		}
	}
}

// productionID is the tenant-relative ID of r's record: "<well>/<period>/<date>", escaped.
func productionID(r *wellbase.ProductionRecord) string {
	return url.PathEscape(r.WellID) + "/" + url.PathEscape(r.Period) + "/" + day(r.Date).Format(time.DateOnly)
}

// productionUpdate returns the filter of r's key in the tenant and the update that merges r
// into the stored record: $set of the key fields, import and time, and of each volume, the
// on-stream hours and each unit that r has (not nil, not ""); the others keep their stored
// values (absent in a new document: nil and "").
func (s *TenantDB) productionUpdate(r *wellbase.ProductionRecord) (bson.D, bson.D) {
	date := day(r.Date)
	set := bson.D{{Key: "tenant", Value: s.tenant}, {Key: "well_id", Value: r.WellID}, {Key: "period", Value: r.Period},
		{Key: "date", Value: date}, {Key: "import_id", Value: r.ImportID}, {Key: "updated_at", Value: r.UpdatedAt}}
	for _, v := range []struct {
		field string
		v     *float64
	}{{"oil", r.Oil}, {"gas", r.Gas}, {"water", r.Water}, {"water_injected", r.WaterInjected}, {"gas_injected", r.GasInjected},
		{"on_stream_hours", r.OnStreamHours}} {
		if v.v != nil {
			set = append(set, bson.E{Key: v.field, Value: *v.v})
		}
	}
	for _, u := range []struct{ field, unit string }{{"oil", r.Units.Oil}, {"gas", r.Units.Gas}, {"water", r.Units.Water},
		{"water_injected", r.Units.WaterInjected}, {"gas_injected", r.Units.GasInjected}} {
		if u.unit != "" {
			set = append(set, bson.E{Key: "units." + u.field, Value: u.unit})
		}
	}
	return s.byID(productionID(r)), bson.D{{Key: "$set", Value: set}}
}

// Production returns a well's records of one period within q's dates (the UTC dates of q.From
// and q.To, both included; a zero time leaves that end open), oldest first.
func (s *TenantDB) Production(ctx context.Context, q wellbase.ProductionQuery) ([]*wellbase.ProductionRecord, error) {
	if err := s.check(ctx, "production"); err != nil {
		return nil, err
	}
	dates := bson.D{}
	if !q.From.IsZero() {
		dates = append(dates, bson.E{Key: "$gte", Value: day(q.From)})
	}
	if !q.To.IsZero() {
		dates = append(dates, bson.E{Key: "$lte", Value: day(q.To)})
	}
	filter := s.filter(bson.E{Key: "well_id", Value: q.WellID}, bson.E{Key: "period", Value: q.Period})
	if len(dates) > 0 {
		filter = append(filter, bson.E{Key: "date", Value: dates})
	}
	docs, err := findAll[productionDoc](ctx, s.db.coll(colProduction), filter, options.Find().SetSort(bson.D{{Key: "date", Value: 1}}))
	if err != nil {
		return nil, wrap("production", err)
	}
	records := make([]*wellbase.ProductionRecord, len(docs))
	for i := range docs {
		records[i] = docs[i].record()
	}
	return records, nil
}
