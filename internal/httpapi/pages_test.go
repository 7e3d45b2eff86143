package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/wellbase/wellbase"
)

// browser is a cookie-carrying client of the harness's pages that does not follow redirects.
type browser struct {
	h      *harness
	cookie string
}

type page struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (b *browser) get(path string) page { return b.send("GET", path, nil) }

func (b *browser) post(path string, form url.Values) page { return b.send("POST", path, form) }

func (b *browser) send(method, path string, form url.Values) page {
	b.h.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.h.srv.URL+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.h.srv.URL)
	}
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "wellbase_session", Value: b.cookie})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		b.h.tb.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.Name == "wellbase_session" {
			b.cookie = ck.Value
			if ck.MaxAge < 0 {
				b.cookie = ""
			}
		}
	}
	p := page{status: res.StatusCode, header: res.Header, body: string(raw)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = html.Parse(strings.NewReader(p.body)); err != nil {
			b.h.tb.Fatalf("%s %s: not HTML: %v", method, path, err)
		}
	}
	return p
}

// nodes returns the elements of p named tag, in document order.
func (p page) nodes(tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if p.doc != nil {
		walk(p.doc)
	}
	return out
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// links returns the hrefs of p's links.
func (p page) links() []string {
	var out []string
	for _, a := range p.nodes("a") {
		out = append(out, attr(a, "href"))
	}
	return out
}

// checkPage holds p to the rules of every page: the security headers, lang, one h1 and headings
// in order, a label for every visible input, no inline script or style.
func checkPage(t *testing.T, name string, p page) {
	t.Helper()
	if p.doc == nil {
		t.Errorf("%s: not an HTML page (%d %s)", name, p.status, p.header.Get("Content-Type"))
		return
	}
	csp := p.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: Content-Security-Policy %q lacks %s", name, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("%s: Content-Security-Policy allows unsafe sources: %q", name, csp)
	}
	if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("Referrer-Policy") == "" {
		t.Errorf("%s: headers %v", name, p.header)
	}
	if h := p.nodes("html"); len(h) != 1 || attr(h[0], "lang") == "" {
		t.Errorf("%s: no lang on <html>", name)
	}
	for _, s := range p.nodes("script") {
		if attr(s, "src") == "" {
			t.Errorf("%s: inline <script>", name)
		}
	}
	if len(p.nodes("style")) > 0 || strings.Contains(p.body, " style=") {
		t.Errorf("%s: inline style", name)
	}
	level := 0
	h1 := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
			l := int(n.Data[1] - '0')
			if l > level+1 {
				t.Errorf("%s: heading <%s> %q after h%d skips a level", name, n.Data, text(n), level)
			}
			if l == 1 {
				h1++
			}
			level = l
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.doc)
	if h1 != 1 {
		t.Errorf("%s: %d <h1>, want 1", name, h1)
	}
	labels := map[string]bool{}
	for _, l := range p.nodes("label") {
		labels[attr(l, "for")] = true
	}
	for _, tag := range []string{"input", "select"} {
		for _, in := range p.nodes(tag) {
			if typ := attr(in, "type"); typ == "hidden" || typ == "submit" {
				continue
			}
			if id := attr(in, "id"); id == "" || !labels[id] {
				t.Errorf("%s: <%s name=%q> has no <label for>", name, tag, attr(in, "name"))
			}
		}
	}
	for _, img := range p.nodes("img") {
		if attr(img, "alt") == "" {
			t.Errorf("%s: <img src=%q> without alt", name, attr(img, "src"))
		}
	}
}

// TestPagesSignIn: / without a session leads to the sign-in form; the form signs in on the
// API's login rules; the header names tenant, user and role; signing out ends the session.
func TestPagesSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	owner := h.onboard("acme")
	h.must(201, "POST", "/api/v1/users", owner, map[string]any{"email": "eng@acme.example", "role": "engineer", "password": "a long enough password 1"})
	b := &browser{h: h}

	p := b.get("/")
	if p.status != 303 || p.header.Get("Location") != "/signin?next=%2F" {
		t.Fatalf("GET / without a session: %d Location %q, want 303 to /signin?next=%%2F", p.status, p.header.Get("Location"))
	}
	p = b.get("/signin?next=%2F")
	checkPage(t, "sign-in", p)
	want := map[string]string{"tenant": "organization", "email": "username", "password": "current-password"}
	for _, in := range p.nodes("input") {
		if ac, ok := want[attr(in, "name")]; ok {
			if attr(in, "autocomplete") != ac {
				t.Errorf("sign-in input %s: autocomplete %q, want %q", attr(in, "name"), attr(in, "autocomplete"), ac)
			}
			delete(want, attr(in, "name"))
		}
	}
	if len(want) > 0 {
		t.Errorf("sign-in form lacks inputs %v", want)
	}

	p = b.post("/signin", url.Values{"tenant": {"acme"}, "email": {"eng@acme.example"}, "password": {"not the password"}, "next": {"/"}})
	if p.status != 401 || !strings.Contains(p.body, "the tenant, email or password is wrong") || strings.Contains(p.body, "not the password") || b.cookie != "" {
		t.Errorf("wrong password: %d, cookie %q: %.200s", p.status, b.cookie, p.body)
	}
	checkPage(t, "sign-in failed", p)
	p = b.post("/signin", url.Values{"tenant": {"acme"}, "email": {"eng@acme.example"}, "password": {"a long enough password 1"}, "next": {"//evil.example/x"}})
	if p.status != 303 || p.header.Get("Location") != "/wells" || b.cookie == "" {
		t.Fatalf("sign-in with a foreign next: %d Location %q cookie %v, want 303 to /wells with a session", p.status, p.header.Get("Location"), b.cookie != "")
	}
	if p = b.get("/"); p.status != 303 || p.header.Get("Location") != "/wells" {
		t.Errorf("GET / signed in: %d %q, want 303 to /wells", p.status, p.header.Get("Location"))
	}
	p = b.get("/wells")
	checkPage(t, "wells", p)
	header := text(p.nodes("header")[0])
	for _, s := range []string{"acme Oil", "eng@acme.example", "engineer", "Sign out"} {
		if !strings.Contains(header, s) {
			t.Errorf("header %q does not show %q", header, s)
		}
	}
	ses := b.cookie
	if p = b.post("/signout", url.Values{}); p.status != 303 || b.cookie != "" {
		t.Errorf("sign out: %d, cookie still %q", p.status, b.cookie)
	}
	b.cookie = ses
	if p = b.get("/wells"); p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/signin") {
		t.Errorf("the signed-out session still opens /wells: %d", p.status)
	}
	if r := h.do("GET", "/api/v1/me", ses, nil); r.status != 401 {
		t.Errorf("the signed-out session still works on the API: %d", r.status)
	}
}

// TestPagesRoles: a viewer sees no create or edit buttons and those routes are 403 pages; an
// engineer creates and edits a well through the forms, with messages beside bad fields.
func TestPagesRoles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	owner := h.onboard("acme")
	viewer := &browser{h: h, cookie: h.session(owner, "acme", "viewer@acme.example", "viewer")}
	eng := &browser{h: h, cookie: h.session(owner, "acme", "eng@acme.example", "engineer")}

	p := eng.post("/wells", url.Values{"name": {"  "}, "latitude": {"north"}, "longitude": {"2"}})
	checkPage(t, "well form with errors", p)
	if p.status != 422 || !strings.Contains(p.body, "latitude must be a number") {
		t.Errorf("bad latitude: %d: %.300s", p.status, p.body)
	}
	p = eng.post("/wells", url.Values{"name": {" "}})
	if p.status != 422 || !strings.Contains(p.body, `aria-invalid="true"`) || !strings.Contains(strings.ToLower(p.body), "name") {
		t.Errorf("blank name: %d: %.300s", p.status, p.body)
	}
	p = eng.post("/wells", url.Values{"name": {"15/9-19 bar"}, "uwi": {"NO 15/9-19"}, "latitude": {"58.44"}, "longitude": {"1.88"}})
	if p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/wells/wel_") {
		t.Fatalf("create: %d %q: %.300s", p.status, p.header.Get("Location"), p.body)
	}
	wellPath := p.header.Get("Location")
	p = eng.get(wellPath)
	checkPage(t, "well", p)
	if !strings.Contains(p.body, "15/9-19 bar") || !slices.Contains(p.links(), wellPath+"/edit") {
		t.Errorf("well page of an engineer: no name or no edit link: %v", p.links())
	}
	checkPage(t, "edit form", eng.get(wellPath+"/edit"))
	if p = eng.post(wellPath, url.Values{"name": {"15/9-19 A"}, "uwi": {"NO 15/9-19 A"}, "latitude": {"58.44"}, "longitude": {""}}); p.status != 422 {
		t.Errorf("latitude without longitude: %d", p.status)
	}
	if p = eng.post(wellPath, url.Values{"name": {"15/9-19 A"}, "uwi": {"NO 15/9-19 A"}}); p.status != 303 {
		t.Errorf("edit: %d %.300s", p.status, p.body)
	}
	id := strings.TrimPrefix(wellPath, "/wells/")
	if got := h.must(200, "GET", "/api/v1/wells/"+id, owner, nil).json(); got["name"] != "15/9-19 A" || got["uwi"] != "NO 15/9-19 A" || got["latitude"] != 58.44 {
		t.Errorf("well after the edit: %v", got)
	}
	audit := string(h.must(200, "GET", "/api/v1/audit", owner, nil).body)
	if !strings.Contains(audit, `"well.create"`) || !strings.Contains(audit, `"well.update"`) {
		t.Errorf("the forms' changes are not audited: %s", audit)
	}

	p = viewer.get("/wells")
	checkPage(t, "wells (viewer)", p)
	if slices.Contains(p.links(), "/wells/new") || !slices.Contains(p.links(), wellPath) {
		t.Errorf("viewer's wells list: links %v (want the well, no New well)", p.links())
	}
	p = viewer.get(wellPath)
	if slices.Contains(p.links(), wellPath+"/edit") {
		t.Errorf("viewer's well page has an edit link")
	}
	for _, r := range []struct{ method, path string }{{"GET", "/wells/new"}, {"GET", wellPath + "/edit"}, {"POST", "/wells"}, {"POST", wellPath}} {
		var form url.Values
		if r.method == "POST" {
			form = url.Values{"name": {"viewer was here"}}
		}
		p := viewer.send(r.method, r.path, form)
		if p.status != 403 || p.doc == nil {
			t.Errorf("viewer %s %s: %d %s, want a 403 page", r.method, r.path, p.status, p.header.Get("Content-Type"))
		}
	}
	checkPage(t, "403", viewer.get("/wells/new"))
	checkPage(t, "404", viewer.get("/wells/wel_00000000000000000000000000"))
}

// TestPagesWellsList: search by name, UWI or field; sort; every well once across the pages of
// both orders, following the Next links.
func TestPagesWellsList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	owner := h.onboard("acme")
	for i := range 120 {
		field := "VOLVE"
		if i%3 == 0 {
			field = "BRAGE"
		}
		h.must(201, "POST", "/api/v1/wells", owner, map[string]any{"name": fmt.Sprintf("W-%03d", 119-i), "uwi": fmt.Sprintf("UWI-%03d", i), "field": field})
	}
	b := &browser{h: h, cookie: h.session(owner, "acme", "v@acme.example", "viewer")}
	walk := func(first string) []string {
		var names []string
		next := first
		for range 10 {
			p := b.get(next)
			if p.status != 200 {
				t.Fatalf("GET %s: %d", next, p.status)
			}
			for _, th := range p.nodes("th") {
				if attr(th, "scope") == "row" {
					names = append(names, text(th))
				}
			}
			next = ""
			for _, a := range p.nodes("a") {
				if attr(a, "rel") == "next" {
					next = attr(a, "href")
				}
			}
			if next == "" {
				break
			}
		}
		return names
	}
	for _, tc := range []struct {
		name, url string
		n         int
		sorted    bool
	}{
		{"StoreOrder", "/wells", 120, false},
		{"ByName", "/wells?sort=name", 120, true},
		{"SearchField", "/wells?q=brage", 40, false},
		{"SearchFieldByName", "/wells?q=brage&sort=name", 40, true},
		{"SearchUWI", "/wells?q=uwi-00", 10, false},
		{"SearchName", "/wells?q=+w-11", 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names := walk(tc.url)
			seen := map[string]bool{}
			for _, n := range names {
				if seen[n] {
					t.Errorf("%s shown twice", n)
				}
				seen[n] = true
			}
			if len(names) != tc.n {
				t.Errorf("%d wells over the pages, want %d", len(names), tc.n)
			}
			if tc.sorted && !slices.IsSorted(names) {
				t.Errorf("not sorted by name: %v", names)
			}
			if !tc.sorted && len(names) > 1 && slices.IsSorted(names) {
				t.Errorf("store order looks sorted by name (the names were made in reverse): %v", names[:2])
			}
		})
	}
	if p := b.get("/wells?sort=color"); p.status != 400 || p.doc == nil {
		t.Errorf("unknown sort: %d", p.status)
	}
	if p := b.get("/wells?cursor=%27%20OR"); p.status != 400 {
		t.Errorf("malformed cursor: %d", p.status)
	}
}

// TestPagesWell: a well page shows its logs with their curves and plot links, its production
// with the rate plot, and its forecasts with EUR.
func TestPagesWell(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	owner := h.onboard("acme")
	well := h.must(201, "POST", "/api/v1/wells", owner, map[string]any{"name": "15/9-F-14", "uwi": "NO 15/9-F-14 H"}).json()
	id := well["id"].(string)
	log := h.must(201, "POST", "/api/v1/logs?well="+id+"&name=f14.las", owner, []byte(smallLAS("15/9-F-14", "NO 15/9-F-14 H"))).json()
	h.must(201, "POST", "/api/v1/production?format=csv", owner, []byte("date,well,uwi,oil[Sm3],gas[Sm3],water[Sm3]\n2020-01-01,15/9-F-14,NO 15/9-F-14 H,1000,50000,10\n2020-02-01,15/9-F-14,NO 15/9-F-14 H,2500,90000,20\n"))
	ts := h.store.Tenant("acme")
	fc := &wellbase.Forecast{ID: wellbase.NewID("fc"), WellID: id, Phase: "oil", Unit: "Sm3", Model: "hyperbolic", Qi: 80, B: 0.5, DiEffectivePerYear: 0.4, EUR: 123456,
		History: []wellbase.RatePoint{{Date: "2020-01-01", Rate: 80}}, Series: []wellbase.RatePoint{{Date: "2021-01-01", Rate: 50}}, CreatedAt: time.Now()}
	if err := ts.CreateForecast(t.Context(), fc); err != nil {
		t.Fatal(err)
	}
	params, _ := json.Marshal(map[string]any{"well": id, "phase": "oil"})
	result, _ := json.Marshal(map[string]any{"forecast_id": fc.ID})
	now := time.Now().UTC()
	if err := ts.CreateJob(t.Context(), &wellbase.Job{ID: wellbase.NewID("job"), TenantID: "acme", Type: "decline-fit", Params: params, Result: result,
		Status: wellbase.JobSucceeded, MaxAttempts: 5, RunAt: now, CreatedBy: "user:x", CreatedAt: now, UpdatedAt: now, FinishedAt: &now}); err != nil {
		t.Fatal(err)
	}
	b := &browser{h: h, cookie: h.session(owner, "acme", "v@acme.example", "viewer")}
	p := b.get("/wells/" + id)
	checkPage(t, "well", p)
	for _, s := range []string{"f14.las", "GR", "gAPI", "RDEP", "ohm·m", "3 500", "Sm3", "123 456", "hyperbolic", "monthly records from 2020-01-01 to 2020-02-01"} {
		if !strings.Contains(strings.ReplaceAll(text(p.doc), "\u202f", " "), s) {
			t.Errorf("well page does not show %q", s)
		}
	}
	for _, l := range []string{"/api/v1/logs/" + log["id"].(string) + "/plot.svg", "/api/v1/forecasts/" + fc.ID + "/plot.svg"} {
		if !slices.Contains(p.links(), l) {
			t.Errorf("well page has no link to %s: %v", l, p.links())
		}
	}
	imgs := p.nodes("img")
	if len(imgs) != 1 || !strings.HasPrefix(attr(imgs[0], "src"), "/api/v1/wells/"+id+"/production/plot.svg?period=month&phase=oil,gas,water") {
		t.Fatalf("well page's production plot: %v", imgs)
	}
	// The plot the page embeds answers to the page's own session cookie.
	if img := b.get(attr(imgs[0], "src")); img.status != 200 || !strings.HasPrefix(img.header.Get("Content-Type"), "image/svg+xml") {
		t.Errorf("the embedded plot answers %d %s", img.status, img.header.Get("Content-Type"))
	}
	// Numbers are right-aligned in their own cells.
	eur := 0
	for _, td := range p.nodes("td") {
		if s := strings.ReplaceAll(text(td), "\u202f", " "); s == "123 456" {
			eur++
			if attr(td, "class") != "num" {
				t.Errorf("EUR cell is not right-aligned: class %q", attr(td, "class"))
			}
		}
	}
	if eur != 1 {
		t.Errorf("%d EUR cells, want 1", eur)
	}
}
