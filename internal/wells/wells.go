// Package wells is the application service for a tenant's wells: creating, changing and
// deleting them with their audit events, matching what a file describes to a stored well (the
// rule of wellbase.WellIndex), and importing production volumes. The JSON API, the web pages and
// the log ingest all call it, so that each of these is done one way.
package wells

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wellbase/wellbase"
)

// Service changes a tenant's wells and imports production. Audit events name ctx's principal
// (see wellbase.NewAuditEvent) unless an actor is given.
type Service struct {
	Store wellbase.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Input is a new well's fields as a user gives them; text is trimmed of surrounding space.
type Input struct {
	Name      string   `json:"name"`
	UWI       string   `json:"uwi"`
	Field     string   `json:"field"`
	Operator  string   `json:"operator"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// Create stores a new well of tenant and appends its well.create audit event. Errors: EInvalid
// naming the field at fault (see wellbase.Well.Validate), the store's. Under a seeded request
// context (an Idempotency-Key retry, see wellbase.WithIDSeed) a well the dead run already
// stored is returned as it is, or EIdempotencyKeyReused if it has another name or UWI.
func (s *Service) Create(ctx context.Context, tenant string, in Input) (*wellbase.Well, error) {
	ts := s.Store.Tenant(tenant)
	now := s.now()
	w := &wellbase.Well{
		ID: wellbase.NewIDContext(ctx, "wel"), TenantID: tenant,
		Name: strings.TrimSpace(in.Name), UWI: strings.TrimSpace(in.UWI), Field: strings.TrimSpace(in.Field), Operator: strings.TrimSpace(in.Operator),
		Latitude: in.Latitude, Longitude: in.Longitude, CreatedAt: now, UpdatedAt: now,
	}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if err := ts.CreateWell(ctx, w); err != nil {
		if wellbase.ErrorCode(err) != wellbase.EConflict || !wellbase.SeededID(ctx) {
			return nil, err
		}
		made, gerr := ts.GetWell(ctx, w.ID)
		if gerr != nil {
			return nil, err
		}
		if made.Name != w.Name || made.UWI != w.UWI {
			return nil, wellbase.FieldError(wellbase.EIdempotencyKeyReused, "Idempotency-Key",
				"this Idempotency-Key was used for another request whose replica stopped before answering; use a new key for a new request")
		}
		return made, nil
	}
	return w, s.audit(ctx, tenant, "", "well.create", w.ID, map[string]any{"name": w.Name, "uwi": w.UWI})
}

// Update applies u to tenant's well id and appends a well.update audit event naming the fields
// set. Errors: ENotFound (also for another tenant's well), EInvalid naming the field.
func (s *Service) Update(ctx context.Context, tenant, id string, u wellbase.WellUpdate) (*wellbase.Well, error) {
	ts := s.Store.Tenant(tenant)
	well, err := ts.GetWell(ctx, id)
	if err != nil {
		return nil, err
	}
	updated := u.Apply(*well)
	updated.UpdatedAt = s.now()
	if err := updated.Validate(); err != nil {
		return nil, err
	}
	if err := ts.UpdateWell(ctx, &updated); err != nil {
		return nil, err
	}
	return &updated, s.audit(ctx, tenant, "", "well.update", well.ID, map[string]any{"fields": ChangedFields(u)})
}

// Delete deletes tenant's well id and appends a well.delete audit event. ENotFound if there is
// none.
func (s *Service) Delete(ctx context.Context, tenant, id string) error {
	if err := s.Store.Tenant(tenant).DeleteWell(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, tenant, "", "well.delete", id, nil)
}

// ChangedFields lists the fields u sets, for an audit event.
func ChangedFields(u wellbase.WellUpdate) []string {
	var f []string
	for name, set := range map[string]bool{"name": u.Name != nil, "uwi": u.UWI != nil, "field": u.Field != nil,
		"operator": u.Operator != nil, "latitude": u.Latitude != nil, "longitude": u.Longitude != nil} {
		if set {
			f = append(f, name)
		}
	}
	return f
}

// Matcher attaches what files describe to tenant's wells by the rule of wellbase.WellIndex,
// creating the wells it does not find. It reads the tenant's wells once; use one Matcher per
// import (it is not safe for concurrent use).
type Matcher struct {
	s      *Service
	tenant string
	ix     *wellbase.WellIndex
}

// Matcher reads tenant's wells into a Matcher.
func (s *Service) Matcher(ctx context.Context, tenant string) (*Matcher, error) {
	ws, err := wellbase.All(ctx, s.Store.Tenant(tenant).ListWells)
	if err != nil {
		return nil, fmt.Errorf("list wells to match: %w", err)
	}
	return &Matcher{s: s, tenant: tenant, ix: wellbase.NewWellIndex(ws...)}, nil
}

// Find returns the well ref names, or nil.
func (m *Matcher) Find(ref wellbase.WellRef) *wellbase.Well { return m.ix.Find(ref) }

// FindOrCreate returns the well ref names, or stores newWell (its ID, tenant and times are set
// here) with a well.create audit event by actor ("" for ctx's principal) with details beside
// the name and UWI, and reports created. newWell is checked with Validate; the error says it
// came from the file.
func (m *Matcher) FindOrCreate(ctx context.Context, ref wellbase.WellRef, newWell wellbase.Well, actor string, details map[string]any) (w *wellbase.Well, created bool, err error) {
	if w := m.ix.Find(ref); w != nil {
		return w, false, nil
	}
	now := m.s.now()
	w = &newWell
	w.ID, w.TenantID, w.CreatedAt, w.UpdatedAt = wellbase.NewIDContext(ctx, "wel"), m.tenant, now, now
	if err := w.Validate(); err != nil {
		return nil, false, err
	}
	if err := m.s.Store.Tenant(m.tenant).CreateWell(ctx, w); err != nil {
		return nil, false, err
	}
	d := map[string]any{"name": w.Name, "uwi": w.UWI}
	for k, v := range details {
		d[k] = v
	}
	if err := m.s.audit(ctx, m.tenant, actor, "well.create", w.ID, d); err != nil {
		return nil, false, err
	}
	m.ix.Add(w)
	return w, true, nil
}

// audit appends an event of ctx's principal, or of actor when given.
func (s *Service) audit(ctx context.Context, tenant, actor, action, target string, details map[string]any) error {
	e := wellbase.NewAuditEvent(ctx, s.now(), tenant, action, target, details)
	if actor != "" {
		e.Actor = actor
	}
	return wellbase.RecordAudit(ctx, s.Store, e)
}
