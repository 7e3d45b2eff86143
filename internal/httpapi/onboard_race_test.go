package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestOnboardDuplicatesAtOnce sends the same onboarding request four times at once, as QA did
// against two serve processes: exactly one answers 201, with an admin token that works; the
// others answer 409, with Retry-After when the onboarding was still in progress; and the
// tenant's onboarding record has each step once.
func TestOnboardDuplicatesAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body, _ := json.Marshal(map[string]any{"id": "acme", "name": "Acme Oil", "tier": "standard", "admin_email": "admin@acme.example"})
	type answer struct {
		status     int
		retryAfter string
		body       []byte
		err        error
	}
	answers := make([]answer, 4)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			<-start
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/tenants", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+h.op)
			res, err := h.srv.Client().Do(req)
			if err != nil {
				answers[i].err = err
				return
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			answers[i] = answer{res.StatusCode, res.Header.Get("Retry-After"), b, err}
		})
	}
	close(start)
	wg.Wait()

	var token string
	for _, a := range answers {
		switch {
		case a.err != nil:
			t.Fatal(a.err)
		case a.status == 201:
			if token != "" {
				t.Errorf("a second 201: %s", a.body)
			}
			token = response{body: a.body}.str("admin_token")
		case a.status == 409:
			inProgress := strings.Contains(string(a.body), "being onboarded right now")
			if inProgress != (a.retryAfter != "") {
				t.Errorf("409 with Retry-After %q: %s", a.retryAfter, a.body)
			}
		default:
			t.Errorf("status %d: %s", a.status, a.body)
		}
	}
	if token == "" {
		t.Fatal("no onboarding answered 201")
	}
	h.must(200, "GET", "/api/v1/me", token, nil)

	var tn struct {
		Status     string `json:"status"`
		Onboarding []struct {
			Name string `json:"name"`
		} `json:"onboarding"`
	}
	if err := json.Unmarshal(h.must(200, "GET", "/api/v1/tenants/acme", h.op, nil).body, &tn); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range tn.Onboarding {
		steps = append(steps, s.Name)
	}
	if got, want := strings.Join(steps, ","), "record,data_key,file_prefix,admin,defaults,activate"; tn.Status != "active" || got != want {
		t.Errorf("tenant %s with onboarding record %s, want active with %s", tn.Status, got, want)
	}
}
