package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"gocloud.dev/blob"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/paramstore"
	"github.com/wellbase/wellbase/internal/ssmtest"
	"github.com/wellbase/wellbase/internal/testservers"
)

// client calls a running server's API.
type client struct {
	t    *testing.T
	base string
}

func (c client) call(want int, method, path, token string, body any) []byte {
	c.t.Helper()
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/octet-stream"
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %.300s", method, path, res.StatusCode, want, b)
	}
	return b
}

func (c client) json(want int, method, path, token string, body any) map[string]any {
	c.t.Helper()
	var v map[string]any
	json.Unmarshal(c.call(want, method, path, token, body), &v)
	return v
}

func (c client) waitJob(token, id string) map[string]any {
	c.t.Helper()
	for range 600 {
		j := c.json(200, "GET", "/api/v1/jobs/"+id, token, nil)
		if st := j["status"]; st == "succeeded" || st == "failed" || st == "cancelled" {
			return j
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("job %s did not end", id)
	return nil
}

// TestEndToEndAWSDrivers runs serve entirely on the production drivers, against real servers:
// MongoDB (FerretDB), S3 (versitygw) and KMS (local-kms). It onboards two tenants, uploads a LAS
// file, runs a job, reads back, exports, rotates the tenant's data key, and offboards.
func TestEndToEndAWSDrivers(t *testing.T) {
	mongoURL := testservers.MongoDBURL(t)
	s3URL := testservers.S3URL(t)
	kmsURL := testservers.KMSURL(t)
	lasPath := filepath.Join("..", "..", "..", "shared", "data", "las", "volve", "15-9-19_SR_COMP.LAS")
	las, err := os.ReadFile(lasPath)
	if err != nil {
		t.Skipf("shared data absent (%v): the end-to-end test reads ../shared/data", err)
	}
	ctx := context.Background()
	id := wellbase.NewID("e")
	suffix := strings.ToLower(id[len(id)-8:])
	dbName := "wbe2e_" + suffix
	t.Cleanup(func() { dropDatabase(t, mongoURL, dbName) })

	// The database URL is a secret: it lives in SSM Parameter Store (the protocol-level test
	// server, its SecureStrings encrypted by the KMS emulator) and the server is given only
	// --secrets and a secret:// reference.
	kmsEndpoint, _ := testservers.KMS(t)
	ssmEndpoint, _ := ssmtest.Start(t, kmsEndpoint)
	secretsURL := "awsparamstore:///wellbase/e2e-" + suffix + "?region=" + testservers.Region + "&endpoint=" + ssmEndpoint
	u, _ := url.Parse(secretsURL)
	ps, err := paramstore.OpenURL(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.Put(ctx, "database-url", []byte(mongoURL+"/"+dbName)); err != nil {
		t.Fatal(err)
	}
	m := &Main{Config: Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", Database: "secret://database-url", Files: s3URL, RootKey: kmsURL, Secrets: secretsURL},
		Logger: slog.New(slog.DiscardHandler)}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- m.Serve() }()
	defer func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		m.Close(sctx)
		<-served
	}()
	if _, err := os.Stat(filepath.Join(m.Config.DataDir, "root.key")); err == nil {
		t.Error("a local root key was made although the root key is in KMS")
	}
	c := client{t: t, base: "http://" + m.Addr()}

	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"operator", "create", "--data-dir", m.Config.DataDir, "--email", "ops@example.com",
		"--secrets", secretsURL, "--files", s3URL, "--root-key", kmsURL}, &stdout, &stderr); err != nil { // the database URL: the database-url secret
		t.Fatalf("operator create on the AWS drivers: %v: %s", err, stderr.String())
	}
	op := strings.TrimSpace(stdout.String())
	acmeID, globexID := "acme-"+suffix, "globex-"+suffix
	acme := c.json(201, "POST", "/api/v1/tenants", op, map[string]any{"id": acmeID, "name": "Acme", "admin_email": "a@acme.example"})["admin_token"].(string)
	globex := c.json(201, "POST", "/api/v1/tenants", op, map[string]any{"id": globexID, "name": "Globex", "admin_email": "g@globex.example"})["admin_token"].(string)

	log := c.json(201, "POST", "/api/v1/logs?name=15-9-19_SR_COMP.LAS", acme, las)
	logID := log["id"].(string)
	if log["rows"] != 29754.0 {
		t.Fatalf("log rows %v", log["rows"])
	}
	var gr struct{ Values []*float64 }
	json.Unmarshal(c.call(200, "GET", "/api/v1/logs/"+logID+"/curves/GR", acme, nil), &gr)
	if len(gr.Values) != 29754 {
		t.Fatalf("GR has %d values", len(gr.Values))
	}
	c.call(404, "GET", "/api/v1/logs/"+logID, globex, nil)
	job := c.json(202, "POST", "/api/v1/jobs", acme, map[string]any{"type": "petrophysics", "params": map[string]any{"log": logID}})
	if j := c.waitJob(acme, job["id"].(string)); j["status"] != "succeeded" {
		t.Fatalf("petrophysics job on the Mongo queue: %v", j)
	}

	// At rest: every object of the tenant in the bucket is ciphertext.
	bucket, err := blob.OpenBucket(ctx, s3URL)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	rawObjects := map[string][]byte{}
	it := bucket.List(&blob.ListOptions{Prefix: "tenants/" + acmeID + "/"})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := bucket.ReadAll(ctx, obj.Key)
		if err != nil {
			t.Fatal(err)
		}
		rawObjects[obj.Key] = b
		if bytes.Contains(b, []byte("15/9-19")) || bytes.Contains(b, []byte("~Curve")) {
			t.Errorf("plaintext in bucket object %s", obj.Key)
		}
	}
	if len(rawObjects) < 4 { // marker, original, curves, derived log
		t.Fatalf("%d objects under acme's prefix", len(rawObjects))
	}

	// Export, then key rotation with re-encryption, then the data still reads.
	exp := c.json(202, "POST", "/api/v1/tenants/"+acmeID+"/export", acme, nil)
	if j := c.waitJob(acme, exp["id"].(string)); j["status"] != "succeeded" {
		t.Fatalf("export: %v", j)
	}
	archive := c.call(200, "GET", "/api/v1/tenants/"+acmeID+"/exports/"+exp["id"].(string), op, nil)
	if !bytes.Contains(archive, []byte("manifest.json")) || len(archive) < len(las)/4 {
		t.Errorf("export archive of %d bytes", len(archive))
	}
	rot := c.json(202, "POST", "/api/v1/tenants/"+acmeID+"/rotate-key", op, nil)
	if j := c.waitJob(acme, rot["job"].(map[string]any)["id"].(string)); j["status"] != "succeeded" {
		t.Fatalf("re-encryption: %v", j)
	}
	if got := c.json(200, "GET", "/api/v1/logs/"+logID, acme, nil)["key_version"]; got != 2.0 {
		t.Errorf("key_version %v after rotation", got)
	}
	var gr2 struct{ Values []*float64 }
	json.Unmarshal(c.call(200, "GET", "/api/v1/logs/"+logID+"/curves/GR", acme, nil), &gr2)
	if len(gr2.Values) != len(gr.Values) || *gr2.Values[1000] != *gr.Values[1000] {
		t.Errorf("GR after re-encryption differs")
	}

	// Offboarding: keys destroyed in KMS-wrapped form, files and records gone.
	cert := c.json(200, "DELETE", "/api/v1/tenants/"+acmeID, op, nil)
	if keys := cert["data_keys_destroyed"].([]any); len(keys) != 2 || !strings.HasPrefix(keys[0].(map[string]any)["root_key"].(string), "awskms:///") {
		t.Errorf("certificate keys %v", cert["data_keys_destroyed"])
	}
	c.call(401, "GET", "/api/v1/wells", acme, nil)
	it = bucket.List(&blob.ListOptions{Prefix: "tenants/" + acmeID + "/"})
	if obj, err := it.Next(ctx); err != io.EOF {
		t.Errorf("object left after offboarding: %v %v", obj, err)
	}
	// The copies taken before cannot be decrypted: no wrapped data key of acme is left to unwrap.
	if keys, err := m.Store.Tenant(acmeID).DataKeys(ctx); err != nil || len(keys) != 0 {
		t.Errorf("acme's wrapped keys after offboarding: %d, %v", len(keys), err)
	}
	if _, err := m.DataKeys.Version(ctx, acmeID, 1); wellbase.ErrorCode(err) != wellbase.ENotFound {
		t.Errorf("a data key of acme is still available: %v", err)
	}
	c.call(200, "GET", "/api/v1/wells", globex, nil)
}

func dropDatabase(t *testing.T, url, name string) {
	cl, err := mongo.Connect(options.Client().ApplyURI(url))
	if err != nil {
		t.Logf("drop %s: %v", name, err)
		return
	}
	defer cl.Disconnect(context.Background())
	cl.Database(name).Drop(context.Background())
}
