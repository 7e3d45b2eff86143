package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collections. The tenant collections are tenantCollections; the others are the control plane.
const (
	colTenants      = "tenants"
	colOperators    = "operators"
	colControlAudit = "control_audit"

	colUsers       = "users"
	colCredentials = "credentials"
	colWells       = "wells"
	colLogs        = "logs"
	colJobs        = "jobs"
	colProduction  = "production"
	colForecasts   = "forecasts"
	colAudit       = "audit"
	colRequests    = "requests"
	colDataKeys    = "data_keys"

	// colIdempotency holds idempotency records; scope, not tenant, says whose (a tenant ID, or
	// "operator:<id>").
	colIdempotency = "idempotency"
)

// index is an index of a collection.
type index struct {
	name   string
	keys   bson.D
	unique bool
}

// asc returns the keys of an ascending index on fields, in order.
func asc(fields ...string) bson.D {
	d := make(bson.D, len(fields))
	for i, f := range fields {
		d[i] = bson.E{Key: f, Value: 1}
	}
	return d
}

// indexes are the indexes of each collection, but _id's. Every index of a tenant collection has
// the tenant first, except credentials_hash: the token hash, by which a request's tenant is found.
var indexes = map[string][]index{
	colUsers: {
		{"users_tenant", asc("tenant", "_id"), false},
		{"users_email", asc("tenant", "email"), true},
	},
	colCredentials: {
		{"credentials_kind", asc("tenant", "kind", "_id"), false},
		{"credentials_hash", asc("hash"), true},
	},
	colWells: {
		{"wells_tenant", asc("tenant", "_id"), false},
	},
	colLogs: {
		{"logs_tenant", asc("tenant", "_id"), false},
		{"logs_well", asc("tenant", "well_id", "_id"), false},
	},
	colJobs: {
		{"jobs_tenant", asc("tenant", "_id"), false},
		// RunnableJobs: the tenants with queued or running jobs, each one's oldest queued job,
		// its running jobs.
		{"jobs_status", asc("tenant", "status", "_id"), false},
	},
	colProduction: {
		{"production_key", asc("tenant", "well_id", "period", "date"), true},
	},
	colForecasts: {
		{"forecasts_tenant", asc("tenant", "_id"), false},
	},
	colAudit: {
		{"audit_tenant", asc("tenant", "_id"), false},
	},
	colRequests: {
		{"requests_tenant", asc("tenant", "_id"), false},
	},
	colDataKeys: {
		{"data_keys_version", asc("tenant", "version"), true},
	},
	// Purge of a tenant's records. The TTL index on expires_at, across scopes, is made by
	// createTTLIndex.
	colIdempotency: {
		{"idempotency_scope", asc("scope", "_id"), false},
	},
}

// createIndexes creates the indexes that do not exist, one createIndexes command per
// collection (on FerretDB one per index: see the package doc). An index that exists with the
// same name and keys is left as it is.
func (db *DB) createIndexes(ctx context.Context) error {
	for coll, list := range indexes {
		models := make([]mongo.IndexModel, len(list))
		for i, ix := range list {
			opts := options.Index().SetName(ix.name)
			if ix.unique {
				opts.SetUnique(true)
			}
			models[i] = mongo.IndexModel{Keys: ix.keys, Options: opts}
		}
		batches := [][]mongo.IndexModel{models}
		if db.ferret {
			batches = batches[:0]
			for _, m := range models {
				batches = append(batches, []mongo.IndexModel{m})
			}
		}
		for _, b := range batches {
			if _, err := db.coll(coll).Indexes().CreateMany(ctx, b); err != nil {
				return wrap("create indexes of "+coll, err)
			}
		}
	}
	return nil
}
