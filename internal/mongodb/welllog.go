package mongodb

import (
	"context"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/wellbase/wellbase"
)

// logDoc is a document of logs: a wellbase.WellLog with its summary as subdocuments.
type logDoc struct {
	Key         string       `bson:"_id"` // "<tenant>/<id>"
	TenantID    string       `bson:"tenant"`
	ID          string       `bson:"id"`
	WellID      string       `bson:"well_id"`
	FileName    string       `bson:"file_name"`
	Status      string       `bson:"status"`
	Error       string       `bson:"error"`
	Version     string       `bson:"version"`
	Encoding    string       `bson:"encoding,omitempty"`
	Wrap        bool         `bson:"wrap"`
	Null        *float64     `bson:"null"`
	Well        []wellItem   `bson:"well"` // the ~W items, by mnemonic
	Index       logIndexDoc  `bson:"index"`
	Rows        int          `bson:"rows"`
	Curves      []curveDoc   `bson:"curves"`
	Warnings    []warningDoc `bson:"warnings"`
	SizeBytes   int64        `bson:"size_bytes"`
	StoredBytes int64        `bson:"stored_bytes"`
	KeyVersion  int          `bson:"key_version"`
	CreatedAt   time.Time    `bson:"created_at"`
}

// wellItem is an item of a log's ~W section. The items are an array rather than a document
// keyed by mnemonic: a field name may not hold every string a LAS file may (on FerretDB no '.'
// and no leading '$').
type wellItem struct {
	Mnemonic string `bson:"mnemonic"`
	Value    string `bson:"value"`
}

// logIndexDoc is wellbase.LogIndex.
type logIndexDoc struct {
	Mnemonic string  `bson:"mnemonic"`
	Unit     string  `bson:"unit"`
	Start    float64 `bson:"start"`
	Stop     float64 `bson:"stop"`
	Step     float64 `bson:"step"`
}

// curveDoc is wellbase.CurveSummary.
type curveDoc struct {
	Mnemonic    string   `bson:"mnemonic"`
	Unit        string   `bson:"unit"`
	Description string   `bson:"description"`
	Kind        string   `bson:"kind"`
	Count       int      `bson:"count"`
	Min         *float64 `bson:"min"`
	Max         *float64 `bson:"max"`
	Mean        *float64 `bson:"mean"`
}

// warningDoc is wellbase.LogWarning.
type warningDoc struct {
	Line    int    `bson:"line"`
	Message string `bson:"message"`
}

func (s *TenantDB) logDoc(l *wellbase.WellLog) *logDoc {
	d := &logDoc{
		Key: s.key(l.ID), TenantID: s.tenant, ID: l.ID, WellID: l.WellID, FileName: l.FileName, Status: string(l.Status),
		Error: l.Error, Version: l.Version, Wrap: l.Wrap, Null: l.Null, Index: logIndexDoc(l.Index), Rows: l.Rows,
		SizeBytes: l.SizeBytes, StoredBytes: l.StoredBytes, KeyVersion: l.KeyVersion, CreatedAt: l.CreatedAt,
		Encoding: l.Encoding,
	}
	for _, k := range slices.Sorted(maps.Keys(l.Well)) {
		d.Well = append(d.Well, wellItem{k, l.Well[k]})
	}
	for _, c := range l.Curves {
		d.Curves = append(d.Curves, curveDoc(c))
	}
	for _, w := range l.Warnings {
		d.Warnings = append(d.Warnings, warningDoc(w))
	}
	return d
}

func (d *logDoc) log() *wellbase.WellLog {
	l := &wellbase.WellLog{
		ID: d.ID, TenantID: d.TenantID, WellID: d.WellID, FileName: d.FileName, Status: wellbase.LogStatus(d.Status),
		Error: d.Error, Version: d.Version, Wrap: d.Wrap, Null: d.Null, Index: wellbase.LogIndex(d.Index), Rows: d.Rows,
		SizeBytes: d.SizeBytes, StoredBytes: d.StoredBytes, KeyVersion: d.KeyVersion, CreatedAt: d.CreatedAt,
		Encoding: d.Encoding,
	}
	if len(d.Well) > 0 {
		l.Well = make(map[string]string, len(d.Well))
		for _, it := range d.Well {
			l.Well[it.Mnemonic] = it.Value
		}
	}
	// Empty lists, not nil: the API shows "curves": [] and "warnings": [] on every driver.
	l.Curves = make([]wellbase.CurveSummary, 0, len(d.Curves))
	for _, c := range d.Curves {
		l.Curves = append(l.Curves, wellbase.CurveSummary(c))
	}
	l.Warnings = make([]wellbase.LogWarning, 0, len(d.Warnings))
	for _, w := range d.Warnings {
		l.Warnings = append(l.Warnings, wellbase.LogWarning(w))
	}
	return l
}

// CreateLog inserts l with its TenantID set to the store's tenant; EConflict if its ID exists.
func (s *TenantDB) CreateLog(ctx context.Context, l *wellbase.WellLog) error {
	if err := s.check(ctx, "create log"); err != nil {
		return err
	}
	l.TenantID = s.tenant
	_, err := s.db.coll(colLogs).InsertOne(ctx, s.logDoc(l))
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "log %s already exists in tenant %s", l.ID, s.tenant)
	}
	return wrap("create log", err)
}

// GetLog returns the tenant's log id; ENotFound if there is none.
func (s *TenantDB) GetLog(ctx context.Context, id string) (*wellbase.WellLog, error) {
	if err := s.check(ctx, "get log"); err != nil {
		return nil, err
	}
	var d logDoc
	err := findOne(ctx, s.db.coll(colLogs), s.byID(id), &d)
	if isNoDoc(err) {
		return nil, notFound("log", id)
	}
	if err != nil {
		return nil, wrap("get log", err)
	}
	return d.log(), nil
}

// ListLogs returns the logs of the tenant's well wellID, or of all its wells for "", in
// creation order.
func (s *TenantDB) ListLogs(ctx context.Context, wellID string, page wellbase.Page) ([]*wellbase.WellLog, string, error) {
	if err := s.check(ctx, "list logs"); err != nil {
		return nil, "", err
	}
	filter := s.filter()
	if wellID != "" {
		filter = s.filter(bson.E{Key: "well_id", Value: wellID})
	}
	list, next, err := listPage(ctx, s.db.coll(colLogs), filter, page, s.key(page.After), false,
		(*logDoc).log, func(l *wellbase.WellLog) string { return l.ID })
	return list, next, wrap("list logs", err)
}

// UpdateLog replaces the tenant's log l.ID with l (all but its creation time); l.TenantID is set
// to the store's tenant. ENotFound if there is no such log.
func (s *TenantDB) UpdateLog(ctx context.Context, l *wellbase.WellLog) error {
	if err := s.check(ctx, "update log"); err != nil {
		return err
	}
	l.TenantID = s.tenant
	return s.replace(ctx, colLogs, "update log", "log", l.ID, s.logDoc(l))
}

// DeleteLog deletes the tenant's log id; ENotFound if there is none.
func (s *TenantDB) DeleteLog(ctx context.Context, id string) error {
	if err := s.check(ctx, "delete log"); err != nil {
		return err
	}
	return s.delete(ctx, colLogs, "delete log", "log", id)
}

// StoredBytes returns the sum of the tenant's logs' stored bytes, in one aggregation
// ($match on the tenant, $group with $sum).
func (s *TenantDB) StoredBytes(ctx context.Context) (int64, error) {
	if err := s.check(ctx, "stored bytes"); err != nil {
		return 0, err
	}
	cur, err := s.db.coll(colLogs).Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: s.filter()}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: nil}, {Key: "bytes", Value: bson.D{{Key: "$sum", Value: "$stored_bytes"}}}}}},
	})
	if err != nil {
		return 0, wrap("stored bytes", err)
	}
	var sums []struct {
		Bytes int64 `bson:"bytes"`
	}
	if err := cur.All(ctx, &sums); err != nil {
		return 0, wrap("stored bytes", err)
	}
	if len(sums) == 0 {
		return 0, nil
	}
	return sums[0].Bytes, nil
}
