package mongodb

import (
	"context"
	"errors"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// Bulk export and import (Dump, Load), for backup and restore.
//
// There is no snapshot across collections without transactions, so Dump reads collection by
// collection, records that refer to others first (jobs before the forecasts and logs they make,
// logs and production before their wells, credentials before their users): a record created
// while the dump runs is either left out or dumped with what it refers to, unless that was
// deleted meanwhile. Load inserts, then replaces by _id what exists already (see load).

// ferretLoadBatch is how many documents Load sends in one bulk write on FerretDB,
// whose update command never answers when 100 or more of its statements replace existing
// documents (FerretDB 1.24.2, SQLite backend).
const ferretLoadBatch = 50

// loadBatch is how many documents Load sends in one bulk write.
func (db *DB) loadBatch() int {
	if db.ferret {
		return ferretLoadBatch
	}
	return upsertBatch
}

// collDump is how one kind is read for a dump: its collection, the filter beyond the tenant,
// and how a document becomes a record.
type collDump struct {
	kind   wellbase.RecordKind
	coll   string
	filter bson.D
	decode func(bson.Raw) (any, error)
}

// as returns a decode function of document type D converted by conv.
func as[D any](conv func(*D) (any, error)) func(bson.Raw) (any, error) {
	return func(raw bson.Raw) (any, error) {
		var d D
		if err := bson.Unmarshal(raw, &d); err != nil {
			return nil, err
		}
		return conv(&d)
	}
}

var controlDump = []collDump{
	{wellbase.KindOperatorCredential, colCredentials, bson.D{{Key: "tenant", Value: ""}}, as(func(d *credentialDoc) (any, error) { return d.credential(), nil })},
	{wellbase.KindOperator, colOperators, nil, as(func(d *operatorDoc) (any, error) { o := wellbase.Operator(*d); return &o, nil })},
	{wellbase.KindControlAudit, colControlAudit, nil, as(func(d *auditDoc) (any, error) { return d.event() })},
	{wellbase.KindTenant, colTenants, nil, as(func(d *tenantDoc) (any, error) { return d.tenant(), nil })},
}

// tenantDump is in the order of the package's consistency rule: what refers before what it
// refers to.
var tenantDump = []collDump{
	{wellbase.KindAudit, colAudit, nil, as(func(d *auditDoc) (any, error) { return d.event() })},
	{wellbase.KindRequests, colRequests, nil, as(func(d *requestsDoc) (any, error) {
		return &wellbase.RequestCount{TenantID: d.TenantID, Day: d.Day, Requests: d.Requests}, nil
	})},
	{wellbase.KindJob, colJobs, nil, as(func(d *jobDoc) (any, error) { return d.job(), nil })},
	{wellbase.KindForecast, colForecasts, nil, as(func(d *forecastDoc) (any, error) { return d.forecast(), nil })},
	{wellbase.KindProduction, colProduction, nil, as(func(d *productionDoc) (any, error) { return d.record(), nil })},
	{wellbase.KindLog, colLogs, nil, as(func(d *logDoc) (any, error) { return d.log(), nil })},
	{wellbase.KindCredential, colCredentials, nil, as(func(d *credentialDoc) (any, error) { return d.credential(), nil })},
	{wellbase.KindWell, colWells, nil, as(func(d *wellDoc) (any, error) { return d.well(), nil })},
	{wellbase.KindUser, colUsers, nil, as(func(d *userDoc) (any, error) { return d.user(), nil })},
	{wellbase.KindDataKey, colDataKeys, nil, as(func(d *dataKeyDoc) (any, error) { return d.key(), nil })},
}

// dump reads each of dumps in turn, the tenant's documents only if tenant is not "" (and its
// filter), ordered by _id, and calls fn with each record.
func (db *DB) dump(ctx context.Context, tenant string, dumps []collDump, fn wellbase.DumpFunc) error {
	for _, d := range dumps {
		filter := d.filter
		if tenant != "" {
			filter = append(bson.D{{Key: "tenant", Value: tenant}}, d.filter...)
		}
		if filter == nil {
			filter = bson.D{}
		}
		op := "dump " + string(d.kind)
		cur, err := db.coll(d.coll).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return wrap(op, err)
		}
		err = func() error {
			defer cur.Close(context.WithoutCancel(ctx))
			for cur.Next(ctx) {
				rec, err := d.decode(cur.Current)
				if err != nil {
					return wrap(op, err)
				}
				if err := fn(d.kind, rec); err != nil {
					return err
				}
			}
			return wrap(op, cur.Err())
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Dump calls fn with every control-plane record (see wellbase.Store).
func (db *DB) Dump(ctx context.Context, fn wellbase.DumpFunc) error {
	if err := ready(ctx, "dump"); err != nil {
		return err
	}
	return db.dump(ctx, "", controlDump, fn)
}

// Dump calls fn with every record of the tenant, collection by collection (see the comment at
// the top of this file and wellbase.TenantStore).
func (s *TenantDB) Dump(ctx context.Context, fn wellbase.DumpFunc) error {
	if err := s.check(ctx, "dump"); err != nil {
		return err
	}
	return s.db.dump(ctx, s.tenant, tenantDump, fn)
}

// doc is a document to load: its collection, its _id and the whole document.
type doc struct {
	coll string
	id   string
	doc  any
}

// controlDoc returns the document of control-plane record rec of kind.
func controlDoc(kind wellbase.RecordKind, rec any) (doc, error) {
	switch r := rec.(type) {
	case *wellbase.Tenant:
		if kind == wellbase.KindTenant {
			return doc{colTenants, r.ID, toTenantDoc(r)}, nil
		}
	case *wellbase.Operator:
		if kind == wellbase.KindOperator {
			return doc{colOperators, r.ID, operatorDoc(*r)}, nil
		}
	case *wellbase.Credential:
		if kind == wellbase.KindOperatorCredential {
			if r.Kind != wellbase.CredentialOperator {
				return doc{}, wellbase.Errorf(wellbase.EInvalid, "credential %s of kind %q is not an operator credential", r.ID, r.Kind)
			}
			r.TenantID = ""
			d := credentialDocOf("/"+r.ID, r)
			return doc{colCredentials, d.Key, d}, nil
		}
	case *wellbase.AuditEvent:
		if kind == wellbase.KindControlAudit {
			d, err := auditDocOf(r.ID, r)
			return doc{colControlAudit, r.ID, d}, err
		}
	}
	return doc{}, wellbase.RecordTypeError(kind, rec)
}

// loadDoc returns the document of the tenant's record rec of kind, its TenantID set to the
// store's tenant.
func (s *TenantDB) loadDoc(kind wellbase.RecordKind, rec any) (doc, error) {
	switch r := rec.(type) {
	case *wellbase.WrappedKey:
		if kind == wellbase.KindDataKey {
			r.TenantID = s.tenant
			wrapped := r.Wrapped
			if wrapped == nil {
				wrapped = []byte{}
			}
			id := strconv.Itoa(r.Version)
			return doc{colDataKeys, s.key(id), &dataKeyDoc{Key: s.key(id), TenantID: s.tenant, Version: r.Version,
				Wrapped: wrapped, CreatedAt: r.CreatedAt}}, nil
		}
	case *wellbase.User:
		if kind == wellbase.KindUser {
			r.TenantID = s.tenant
			return doc{colUsers, s.key(r.ID), &userDoc{Key: s.key(r.ID), TenantID: s.tenant, ID: r.ID, Email: r.Email,
				Role: string(r.Role), PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt, DisabledAt: r.DisabledAt}}, nil
		}
	case *wellbase.Credential:
		if kind == wellbase.KindCredential {
			if r.Kind == wellbase.CredentialOperator {
				return doc{}, wellbase.Errorf(wellbase.EInvalid, "an operator credential cannot belong to tenant %s", s.tenant)
			}
			r.TenantID = s.tenant
			return doc{colCredentials, s.key(r.ID), credentialDocOf(s.key(r.ID), r)}, nil
		}
	case *wellbase.Well:
		if kind == wellbase.KindWell {
			r.TenantID = s.tenant
			return doc{colWells, s.key(r.ID), s.wellDoc(r)}, nil
		}
	case *wellbase.WellLog:
		if kind == wellbase.KindLog {
			r.TenantID = s.tenant
			return doc{colLogs, s.key(r.ID), s.logDoc(r)}, nil
		}
	case *wellbase.ProductionRecord:
		if kind == wellbase.KindProduction {
			r.TenantID = s.tenant
			id := productionID(r)
			return doc{colProduction, s.key(id), &productionDoc{Key: s.key(id), TenantID: s.tenant, WellID: r.WellID,
				Period: r.Period, Date: day(r.Date), Oil: r.Oil, Gas: r.Gas, Water: r.Water, WaterInjected: r.WaterInjected,
				GasInjected: r.GasInjected, OnStreamHours: r.OnStreamHours, Units: unitsDoc(r.Units), ImportID: r.ImportID,
				UpdatedAt: r.UpdatedAt}}, nil
		}
	case *wellbase.Job:
		if kind == wellbase.KindJob {
			r.TenantID = s.tenant
			params := string(r.Params)
			if params == "" {
				params = "{}"
			}
			return doc{colJobs, s.key(r.ID), &jobDoc{Key: s.key(r.ID), TenantID: s.tenant, ID: r.ID, Type: r.Type,
				Params: params, Status: string(r.Status), Attempts: r.Attempts, MaxAttempts: r.MaxAttempts, Progress: r.Progress,
				Result: jsonText(r.Result), Error: r.Error, RunAt: r.RunAt, LeaseOwner: r.LeaseOwner, LeaseUntil: r.LeaseUntil,
				CancelRequested: r.CancelRequested, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
				FinishedAt: r.FinishedAt}}, nil
		}
	case *wellbase.Forecast:
		if kind == wellbase.KindForecast {
			r.TenantID = s.tenant
			return doc{colForecasts, s.key(r.ID), s.forecastDoc(r)}, nil
		}
	case *wellbase.AuditEvent:
		if kind == wellbase.KindAudit {
			r.TenantID = s.tenant
			d, err := auditDocOf(s.key(r.ID), r)
			return doc{colAudit, s.key(r.ID), d}, err
		}
	case *wellbase.RequestCount:
		if kind == wellbase.KindRequests {
			r.TenantID = s.tenant
			return doc{colRequests, s.key(r.Day), &requestsDoc{Key: s.key(r.Day), TenantID: s.tenant, Day: r.Day,
				Requests: r.Requests}}, nil
		}
	}
	return doc{}, wellbase.RecordTypeError(kind, rec)
}

// credentialDocOf returns the document of c under _id key.
func credentialDocOf(key string, c *wellbase.Credential) *credentialDoc {
	return &credentialDoc{Key: key, TenantID: c.TenantID, ID: c.ID, Kind: string(c.Kind), UserID: c.UserID, Name: c.Name,
		Hash: c.Hash, Prefix: c.Prefix, CreatedAt: c.CreatedAt, ExpiresAt: c.ExpiresAt, RevokedAt: c.RevokedAt}
}

// load writes docs, all of one collection, in batches of loadBatch: each batch is inserted
// (unordered), and the documents that exist already (a restore run again) are then replaced
// by _id. Inserting first is what makes a restore into an empty database fast on FerretDB,
// whose updates read the whole collection for a filter on anything but _id alone, and are
// slow even then (2000 upserts: 125 s filtered by tenant and _id, 14 s by _id, 0.2 s of
// inserts). A replacement is found by _id alone, which begins with the tenant ("<tenant>/…",
// see the package doc), so it cannot reach another tenant's document. what names the tenant
// (or the control plane) in errors.
func (db *DB) load(ctx context.Context, what string, kind wellbase.RecordKind, docs []doc) error {
	op := "load " + string(kind)
	conflict := func() error {
		return wellbase.Errorf(wellbase.EConflict, "load %s of %s: a record would take a unique value (an email, a token hash) of another record", kind, what)
	}
	size := db.loadBatch()
	for start := 0; start < len(docs); start += size {
		batch := docs[start:min(start+size, len(docs))]
		coll := db.coll(batch[0].coll)
		list := make([]any, len(batch))
		for i, d := range batch {
			list[i] = d.doc
		}
		_, err := coll.InsertMany(ctx, list, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		switch {
		case err == nil:
			continue
		case !errors.As(err, &bwe) || bwe.WriteConcernError != nil:
			return wrap(op, err)
		}
		var models []mongo.WriteModel
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 || we.Index < 0 || we.Index >= len(batch) {
				return wrap(op, err)
			}
			d := batch[we.Index]
			models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: d.id}}).SetReplacement(d.doc).SetUpsert(true))
		}
		_, err = coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		if isDup(err) {
			return conflict()
		}
		if err != nil {
			return wrap(op, err)
		}
	}
	return nil
}

// Load upserts control-plane records of kind (see wellbase.Store).
func (db *DB) Load(ctx context.Context, kind wellbase.RecordKind, recs ...any) error {
	if err := ready(ctx, "load"); err != nil {
		return err
	}
	if err := wellbase.CheckControlKind(kind); err != nil {
		return err
	}
	docs := make([]doc, len(recs))
	for i, rec := range recs {
		d, err := controlDoc(kind, rec)
		if err != nil {
			return err
		}
		docs[i] = d
	}
	return db.load(ctx, "the control plane", kind, docs)
}

// Load upserts the tenant's records of kind (see wellbase.TenantStore).
func (s *TenantDB) Load(ctx context.Context, kind wellbase.RecordKind, recs ...any) error {
	if err := s.check(ctx, "load"); err != nil {
		return err
	}
	if err := wellbase.CheckTenantKind(kind); err != nil {
		return err
	}
	docs := make([]doc, len(recs))
	for i, rec := range recs {
		d, err := s.loadDoc(kind, rec)
		if err != nil {
			return err
		}
		docs[i] = d
	}
	return s.db.load(ctx, "tenant "+s.tenant, kind, docs)
}
