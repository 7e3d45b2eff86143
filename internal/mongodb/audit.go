package mongodb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/wellbase/wellbase"
)

// auditDoc is a document of audit (_id "<tenant>/<id>") and of control_audit (_id the ID).
// Details are JSON text, null if there are none.
type auditDoc struct {
	Key        string    `bson:"_id"`
	TenantID   string    `bson:"tenant"`
	ID         string    `bson:"id"`
	Time       time.Time `bson:"time"`
	Actor      string    `bson:"actor"`
	Action     string    `bson:"action"`
	Target     string    `bson:"target"`
	RequestID  string    `bson:"request_id"`
	RemoteAddr string    `bson:"remote_addr"`
	Details    *string   `bson:"details"`
}

// auditDocOf returns the document of e under the _id key. e.Details must encode as JSON.
func auditDocOf(key string, e *wellbase.AuditEvent) (*auditDoc, error) {
	d := &auditDoc{Key: key, TenantID: e.TenantID, ID: e.ID, Time: e.Time, Actor: e.Actor, Action: e.Action,
		Target: e.Target, RequestID: e.RequestID, RemoteAddr: e.RemoteAddr}
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return nil, fmt.Errorf("encode details: %w", err)
		}
		s := string(b)
		d.Details = &s
	}
	return d, nil
}

// event returns the audit event of d; d's details decode as JSON (numbers as float64).
func (d *auditDoc) event() (*wellbase.AuditEvent, error) {
	e := &wellbase.AuditEvent{ID: d.ID, TenantID: d.TenantID, Time: d.Time, Actor: d.Actor, Action: d.Action,
		Target: d.Target, RequestID: d.RequestID, RemoteAddr: d.RemoteAddr}
	if d.Details != nil {
		if err := json.Unmarshal([]byte(*d.Details), &e.Details); err != nil {
			return nil, fmt.Errorf("decode details of audit event %s: %w", d.ID, err)
		}
	}
	return e, nil
}

// AppendAudit appends e to the tenant's audit log, with its TenantID set to the store's tenant.
// e.Details must encode as JSON; it is stored as JSON text, null if empty. EConflict if e.ID
// exists in the tenant.
func (s *TenantDB) AppendAudit(ctx context.Context, e *wellbase.AuditEvent) error {
	if err := s.check(ctx, "append audit"); err != nil {
		return err
	}
	e.TenantID = s.tenant
	d, err := auditDocOf(s.key(e.ID), e)
	if err != nil {
		return wrap("append audit", err)
	}
	_, err = s.db.coll(colAudit).InsertOne(ctx, d)
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "audit event %s already exists in tenant %s", e.ID, s.tenant)
	}
	return wrap("append audit", err)
}

// ListAudit returns the tenant's audit events newest first.
func (s *TenantDB) ListAudit(ctx context.Context, page wellbase.Page) ([]*wellbase.AuditEvent, string, error) {
	if err := s.check(ctx, "list audit"); err != nil {
		return nil, "", err
	}
	list, next, err := listAudit(ctx, s.db.coll(colAudit), s.filter(), page, s.key(page.After))
	return list, next, wrap("list audit", err)
}

// AppendControlAudit appends e to the control-plane audit log (control_audit, _id e.ID), apart
// from the tenants' logs so that it outlives an offboarded tenant's; e.TenantID names the tenant
// concerned ("" for none). EConflict if e.ID exists.
func (db *DB) AppendControlAudit(ctx context.Context, e *wellbase.AuditEvent) error {
	if err := ready(ctx, "append control audit"); err != nil {
		return err
	}
	d, err := auditDocOf(e.ID, e)
	if err != nil {
		return wrap("append control audit", err)
	}
	_, err = db.coll(colControlAudit).InsertOne(ctx, d)
	if isDup(err) {
		return wellbase.Errorf(wellbase.EConflict, "control audit event %s already exists", e.ID)
	}
	return wrap("append control audit", err)
}

// ListControlAudit returns control-plane audit events newest first.
func (db *DB) ListControlAudit(ctx context.Context, page wellbase.Page) ([]*wellbase.AuditEvent, string, error) {
	if err := ready(ctx, "list control audit"); err != nil {
		return nil, "", err
	}
	list, next, err := listAudit(ctx, db.coll(colControlAudit), bson.D{}, page, page.After)
	return list, next, wrap("list control audit", err)
}

// listAudit returns a page of the events of coll that match filter, newest first.
func listAudit(ctx context.Context, coll *mongo.Collection, filter bson.D, page wellbase.Page, after string) ([]*wellbase.AuditEvent, string, error) {
	var bad error
	list, next, err := listPage(ctx, coll, filter, page, after, true, func(d *auditDoc) *wellbase.AuditEvent {
		e, err := d.event()
		if err != nil && bad == nil {
			bad = err
		}
		return e
	}, func(e *wellbase.AuditEvent) string { return e.ID })
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, "", err
	}
	return list, next, nil
}
