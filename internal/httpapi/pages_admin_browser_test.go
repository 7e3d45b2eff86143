package httpapi_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase/internal/browsertest"
)

// look takes the page's screenshot and runs Axe on it (no serious or critical violation).
func look(b *browsertest.Browser, name string) {
	b.Screenshot(name)
	b.Axe()
}

// expected takes the browser's report of the error statuses a step meant to get (a 4xx
// document is a console error in chromium) and fails on any other problem.
func expected(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	for _, p := range b.TakeProblems() {
		if s := p.String(); !strings.Contains(s, "Failed to load resource: the server responded with a status of 4") {
			t.Errorf("browser problem: %s", s)
		}
	}
}

// reloadUntil loads url until the JavaScript condition cond holds (a job's status shown on a
// page that says "reload to see it finish"), for up to 30 s.
func reloadUntil(t *testing.T, b *browsertest.Browser, url, what, cond string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		b.Navigate(url)
		if browsertest.Eval[bool](b, cond) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting 30 s for %s at %s: %s is still false", what, url, cond)
		}
	}
}

// signIn signs a tenant user in through the sign-in form.
func signIn(t *testing.T, b *browsertest.Browser, base, tenant, email, password string) {
	t.Helper()
	b.Navigate(base + "/signin?tenant=" + tenant)
	b.Fill("#email", email)
	b.Fill("#password", password)
	if st := b.Submit("#password"); st != 200 {
		t.Fatalf("sign in %s of %s: status %d", email, tenant, st)
	}
}

// TestBrowserOperatorAndAdmin drives the control plane and the admin pages in chromium: an
// operator signs in with their token, onboards a tenant through the form and sees each step's
// duration, suspends and resumes it and overrides a limit; the tenant's owner signs in, adds
// users and an API token (shown once: a reload shows it no more), reads the audit log and the
// usage; a viewer sees no admin link and gets 403 pages; another tenant's admin sees none of
// acme's users, tokens or events, and a tenant session gets 404 on the operator pages. Every
// page is screenshot and checked with Axe.
func TestBrowserOperatorAndAdmin(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, harnessOptions{worker: true}) // re-encryption and export jobs run
	base := h.srv.URL
	const ownerPW, engPW, viewerPW = "owner password 0123", "engineer password 0123", "viewer password 0123"

	// The operator.
	op := browsertest.New(t)
	op.Navigate(base + "/operator/tenants")
	if got := op.Text("h1"); got != "Operator sign-in" {
		t.Fatalf("without a session /operator/tenants shows %q, want the operator sign-in", got)
	}
	look(op, "op-signin")
	op.Fill("#token", "wbo_wrong-token-000000000000000000000000000")
	if st := op.Submit("#token"); st != 401 || !strings.Contains(op.Text("[role=alert]"), "not a valid operator token") {
		t.Fatalf("a wrong operator token: status %d", st)
	}
	expected(t, op)
	op.Fill("#token", h.op)
	op.Submit("#token")
	if got := op.Text("h1"); got != "Tenants" {
		t.Fatalf("after the operator's sign-in: h1 %q", got)
	}
	if strings.Contains(browsertest.Eval[string](op, "document.documentElement.outerHTML"), h.op) {
		t.Error("the operator token is in the page after sign-in")
	}
	look(op, "op-tenants-empty")

	op.Navigate(base + "/operator/tenants/new")
	op.Fill("#f-id", "acme")
	op.Fill("#f-name", "Acme Oil AS")
	op.Select("#f-tier", "standard")
	op.Fill("#f-admin_email", "owner@acme.example")
	op.Fill("#f-admin_password", ownerPW)
	op.Fill("#f-admin_password2", "a different password 1")
	if st := op.Submit("#f-id"); st != 422 || !strings.Contains(op.Text("#e-admin_password2"), "differ") {
		t.Fatalf("onboarding with two different passwords: status %d", st)
	}
	expected(t, op)
	look(op, "op-onboard-form-error")
	op.Fill("#f-admin_password", ownerPW)
	op.Fill("#f-admin_password2", ownerPW)
	if st := op.Submit("#f-id"); st != 201 {
		t.Fatalf("onboarding: status %d", st)
	}
	steps := browsertest.Eval[[]string](op, `[...document.querySelectorAll("table.steps tbody tr")].map(r => r.innerText)`)
	if len(steps) != 6 {
		t.Fatalf("onboarding result lists %d steps, want 6: %q", len(steps), steps)
	}
	for i, want := range []string{"record", "data_key", "file_prefix", "admin", "defaults", "activate"} {
		if !strings.HasPrefix(steps[i], want) || !strings.Contains(steps[i], " ms") {
			t.Errorf("step %d: %q, want %s with its duration in ms", i, steps[i], want)
		}
	}
	if tok := browsertest.Eval[string](op, `document.querySelector("#admin-token").value`); !strings.HasPrefix(tok, "wbt_") {
		t.Errorf("the owner's onboarding token is not shown: %q", tok)
	}
	look(op, "op-onboarded")

	op.Navigate(base + "/operator/tenants/acme")
	op.Submit(`form[action$="/suspend"]`)
	if got := op.Text("h1 .status"); got != "suspended" {
		t.Fatalf("after suspend the status is %q", got)
	}
	look(op, "op-tenant-suspended")
	// Suspended: the owner cannot sign in.
	owner := browsertest.New(t)
	owner.Navigate(base + "/signin?tenant=acme")
	owner.Fill("#email", "owner@acme.example")
	owner.Fill("#password", ownerPW)
	if st := owner.Submit("#password"); st != 403 {
		t.Errorf("the owner of a suspended tenant signs in: status %d, want 403", st)
	}
	expected(t, owner)
	op.Submit(`form[action$="/resume"]`)
	if got := op.Text("h1 .status"); got != "active" {
		t.Fatalf("after resume the status is %q", got)
	}
	op.Fill("#l-max_users", "7")
	op.Submit("#l-max_users")
	if got := op.Text(".notice"); got != "Limits saved." {
		t.Fatalf("after saving the limits: %q", got)
	}
	if got := browsertest.Eval[string](op, `document.querySelector("#l-max_users").closest("tr").lastElementChild.innerText`); got != "7" {
		t.Errorf("max_users in force after the override: %q, want 7", got)
	}
	look(op, "op-tenant")
	op.Fill("#confirm", "acm")
	if st := op.Submit("#confirm"); st != 422 || !strings.Contains(op.Text("[role=alert]"), "type the tenant ID acme") {
		t.Errorf("offboarding with a wrong confirmation: status %d", st)
	}
	expected(t, op)

	// Data key rotation: the page shows the new version and the re-encryption job, which ends.
	tenantURL := base + "/operator/tenants/acme"
	op.Navigate(tenantURL)
	if got := op.Text("#key-version"); got != "1" {
		t.Errorf("data key version before the rotation: %q, want 1", got)
	}
	op.Submit(`form[action$="/rotate-key"]`)
	note := op.Text(".notice")
	if !strings.Contains(note, "Data key version 2 made") {
		t.Fatalf("after the rotation the notice is %q", note)
	}
	if got := op.Text("#key-version"); got != "2" {
		t.Errorf("data key version after the rotation: %q, want 2", got)
	}
	if job := op.Text("table.reencrypt tbody th code"); !strings.HasPrefix(job, "job_") || !strings.Contains(note, job) {
		t.Errorf("the re-encryption job listed (%q) is not the one the notice names: %q", job, note)
	}
	reloadUntil(t, op, tenantURL, "the re-encryption job ends", `document.querySelector("table.reencrypt tbody .status").textContent === "succeeded"`)
	look(op, "op-tenant-rotated")

	// Export: the job ends and the download link answers the ZIP archive.
	op.Submit(`form[action$="/export"]`)
	if note := op.Text(".notice"); !strings.Contains(note, "queued") {
		t.Fatalf("after the export request the notice is %q", note)
	}
	reloadUntil(t, op, tenantURL, "the export ends", `!!document.querySelector("a[href^='/operator/tenants/acme/exports/']")`)
	look(op, "op-tenant-exported")
	dl := browsertest.Eval[[]string](op, `fetch(document.querySelector("a[href^='/operator/tenants/acme/exports/']").href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer()); let s = "";
		for (const x of b) s += String.fromCharCode(x);
		return [String(r.status), r.headers.get("Content-Type"), btoa(s)];
	})`)
	archive, err := base64.StdEncoding.DecodeString(dl[2])
	if err != nil || dl[0] != "200" || dl[1] != "application/zip" || !bytes.HasPrefix(archive, []byte("PK")) {
		t.Fatalf("export download: status %s, Content-Type %s, %d bytes starting %.2q (%v)", dl[0], dl[1], len(archive), archive, err)
	}
	if zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive))); err != nil || len(zr.File) == 0 {
		t.Errorf("the export is not a ZIP archive with files: %v", err)
	}

	// Offboarding a throwaway tenant: type its ID, see the certificate; it leaves the list and
	// its user's session stops working.
	tmpTok := h.onboard("tmp-co")
	h.session(tmpTok, "tmp-co", "user@tmp-co.example", "admin")
	tmpUser := browsertest.New(t)
	signIn(t, tmpUser, base, "tmp-co", "user@tmp-co.example", "a long enough password 1")
	if st := tmpUser.Navigate(base + "/wells"); st != 200 {
		t.Fatalf("the throwaway tenant's user on /wells: status %d", st)
	}
	op.Navigate(base + "/operator/tenants/tmp-co")
	op.Fill("#confirm", "tmp-co")
	if st := op.Submit("#confirm"); st != 200 || op.Text("h1") != "Deletion certificate: tmp-co" {
		t.Fatalf("offboarding tmp-co: status %d, h1 %q", st, op.Text("h1"))
	}
	if keys := browsertest.Eval[[]string](op, `[...document.querySelectorAll("table.data tbody th code")].map(e => e.textContent)`); !slices.Contains(keys, "tmp-co/data-key/v1") {
		t.Errorf("the certificate lists the destroyed keys %q, want tmp-co/data-key/v1", keys)
	}
	look(op, "op-certificate")
	op.Navigate(base + "/operator/tenants")
	ids := browsertest.Eval[[]string](op, `[...document.querySelectorAll("table.data tbody th")].map(e => e.textContent)`)
	if slices.Contains(ids, "tmp-co") || !slices.Contains(ids, "acme") {
		t.Errorf("tenants listed after offboarding tmp-co: %q", ids)
	}
	look(op, "op-tenants-after-offboard")
	tmpUser.Navigate(base + "/wells")
	if path, h1 := browsertest.Eval[string](tmpUser, "location.pathname"), tmpUser.Text("h1"); path == "/wells" || h1 != "Sign in to Wellbase" {
		t.Errorf("the offboarded tenant's user on /wells: at %s, h1 %q; want the sign-in page", path, h1)
	}
	expected(t, tmpUser)
	look(tmpUser, "offboarded-user")
	if r := h.do("GET", "/api/v1/me", tmpTok, nil); r.status < 400 {
		t.Errorf("the offboarded tenant's token still works: %d", r.status)
	}
	op.Navigate(base + "/operator/audit")
	audit := op.Text("table.data tbody")
	for _, want := range []string{"operator.signin", "tenant.onboard", "tenant.suspend", "tenant.resume", "tenant.update", "tenant.rotate_key"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the control-plane audit log lacks %s", want)
		}
	}
	look(op, "op-audit")

	// The owner.
	signIn(t, owner, base, "acme", "owner@acme.example", ownerPW)
	if got := owner.Text(".nav-admin"); got != "Admin" {
		t.Fatalf("the owner's header has no Admin link: %q", got)
	}
	owner.Click(".nav-admin")
	owner.WaitVisible("#f-email")
	for _, u := range []struct{ email, role, pw string }{{"eng@acme.example", "engineer", engPW}, {"viewer@acme.example", "viewer", viewerPW}} {
		owner.Fill("#f-email", u.email)
		owner.Select("#f-role", u.role)
		owner.Fill("#f-password", u.pw)
		owner.Fill("#f-password2", u.pw)
		owner.Submit("#f-email")
		if got := owner.Text(".notice"); got != "Added "+u.email+" as "+u.role+"." {
			t.Fatalf("adding %s: notice %q", u.email, got)
		}
	}
	look(owner, "admin-users")

	owner.Navigate(base + "/admin/tokens")
	owner.Fill("#f-name", "acme-only nightly job")
	owner.Fill("#f-days", "30")
	owner.Submit("#f-name")
	secret := browsertest.Eval[string](owner, `document.querySelector("#secret").value`)
	if !strings.HasPrefix(secret, "wbt_") {
		t.Fatalf("the new token is not shown: %q", secret)
	}
	look(owner, "admin-token-created")
	if r := h.do("GET", "/api/v1/me", secret, nil); r.status != 200 {
		t.Errorf("the token shown does not work: %d", r.status)
	}
	owner.Navigate(base + "/admin/tokens")
	if html := browsertest.Eval[string](owner, "document.documentElement.outerHTML"); strings.Contains(html, secret) || strings.Contains(html, `id="secret"`) {
		t.Error("a reload of the tokens page shows the token again")
	}
	if !strings.Contains(owner.Text("table.data tbody"), "acme-only nightly job") {
		t.Error("the tokens list lacks the new token")
	}
	look(owner, "admin-tokens")

	owner.Navigate(base + "/admin/audit")
	events := owner.Text("table.data tbody")
	for _, want := range []string{"user.create", "token.create", "session.create", "tenant.onboard"} {
		if !strings.Contains(events, want) {
			t.Errorf("the tenant's audit log lacks %s", want)
		}
	}
	owner.Fill("#action", "token.")
	owner.Submit("#action")
	for _, row := range browsertest.Eval[[]string](owner, `[...document.querySelectorAll("table.data tbody th")].map(r => r.innerText)`) {
		if !strings.HasPrefix(row, "token.") {
			t.Errorf("filtered by action token., the log shows %q", row)
		}
	}
	look(owner, "admin-audit")

	owner.Navigate(base + "/admin/usage")
	usage := owner.Text(".bars")
	if !strings.Contains(usage, "3 of 7 users") {
		t.Errorf("usage: users bar %q lacks \"3 of 7 users\" (owner, engineer, viewer; limit overridden to 7)", usage)
	}
	if n := browsertest.Eval[int](owner, `document.querySelectorAll(".bars meter").length`); n != 3 {
		t.Errorf("usage shows %d bars, want 3 (storage, users, jobs)", n)
	}
	look(owner, "admin-usage")

	// A viewer: no Admin link, 403 on the admin pages.
	viewer := browsertest.New(t)
	signIn(t, viewer, base, "acme", "viewer@acme.example", viewerPW)
	if n := browsertest.Eval[int](viewer, `document.querySelectorAll(".nav-admin, a[href^='/admin']").length`); n != 0 {
		t.Errorf("a viewer's page has %d admin links", n)
	}
	for _, path := range []string{"/admin/users", "/admin/tokens", "/admin/audit", "/admin/usage"} {
		if st := viewer.Navigate(base + path); st != 403 {
			t.Errorf("viewer GET %s: status %d, want 403", path, st)
		}
	}
	expected(t, viewer)
	look(viewer, "viewer-admin-403")
	if st := viewer.Navigate(base + "/operator/tenants"); st != 404 {
		t.Errorf("a tenant session on /operator/tenants: status %d, want 404", st)
	}
	expected(t, viewer)
	look(viewer, "tenant-on-operator-404")

	// Another tenant's admin sees none of acme's users, tokens or events.
	globex := h.onboard("globex")
	h.session(globex, "globex", "admin2@globex.example", "admin")
	other := browsertest.New(t)
	signIn(t, other, base, "globex", "admin2@globex.example", "a long enough password 1")
	for _, path := range []string{"/admin/users", "/admin/tokens", "/admin/audit", "/admin/usage"} {
		if st := other.Navigate(base + path); st != 200 {
			t.Errorf("globex's admin GET %s: status %d", path, st)
		}
		html := browsertest.Eval[string](other, "document.documentElement.outerHTML")
		for _, m := range []string{"acme.example", "acme-only nightly job", "Acme Oil"} {
			if strings.Contains(html, m) {
				t.Errorf("globex's admin sees acme's %q on %s", m, path)
			}
		}
	}
	look(other, "other-tenant-admin")
}
