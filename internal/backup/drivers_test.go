package backup_test

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wellbase/wellbase"
	"github.com/wellbase/wellbase/internal/app"
	"github.com/wellbase/wellbase/internal/backup"
	"github.com/wellbase/wellbase/internal/keyring"
	"github.com/wellbase/wellbase/internal/mongodb"
	"github.com/wellbase/wellbase/internal/testservers"
)

// TestAcrossDrivers moves a platform from the embedded default (SQLite, a folder, a local root
// key) to MongoDB + S3 + KMS (FerretDB, versitygw, local-kms), through a backup in a folder,
// and back to the embedded default through a backup in S3: after each move every record, file
// and token is as it was.
func TestAcrossDrivers(t *testing.T) {
	mongoURL := testservers.MongoDBURL(t)
	s3URL := testservers.S3URL(t)
	kmsURL := testservers.KMSURL(t)
	endpoint, bucket := testservers.S3(t)
	t.Parallel()
	ctx := context.Background()
	id := wellbase.NewID("x")
	suffix := strings.ToLower(id[len(id)-8:])
	// Tenants of their own: the bucket is shared with other tests and runs.
	acmeID, globexID := "acme-"+suffix, "globex-"+suffix

	src := embedded(t)
	acme, globex := seed(t, src, acmeID, 2), seed(t, src, globexID, 1)
	want := records(t, src)
	folderLoc := folder(t)
	if _, err := backup.Backup(ctx, src.from(), folderLoc, backup.Options{}); err != nil {
		t.Fatal(err)
	}

	// Embedded → MongoDB + S3 + KMS: the data keys are rewrapped by KMS.
	u, _ := url.Parse(mongoURL)
	u.Path = "/wbbackup_" + suffix
	aws := openEnv(t, app.Config{DataDir: filepath.Join(t.TempDir(), "data"), Database: u.String(), Files: s3URL, RootKey: kmsURL})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		aws.Store.(*mongodb.DB).Drop(ctx)
	})
	rep, err := backup.Restore(ctx, aws.into(), folderLoc, backup.RestoreOptions{FromRootKey: rootKeyOf(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rewrapped != 2 || !strings.HasPrefix(rep.RootKey, "awskms:///") {
		t.Errorf("restore into KMS: %+v", rep)
	}
	sameRecords(t, want, records(t, aws))
	sameFiles(t, aws, acme)
	sameFiles(t, aws, globex)
	tokenWorks(t, aws, acmeID, acme.token)

	// MongoDB + S3 + KMS → a backup in S3 → the embedded default.
	s3Loc := "s3://" + bucket + "/backups-" + suffix + "?region=" + testservers.Region + "&endpoint=" + endpoint + "&use_path_style=true"
	m, err := backup.Backup(ctx, aws.from(), s3Loc, backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Source.RootKey, "awskms:///") || len(m.Tenants) != 2 {
		t.Errorf("manifest of the AWS backup: %+v", m)
	}
	kms, err := keyring.Open(ctx, kmsURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer kms.Close()
	back := embedded(t)
	if _, err := backup.Restore(ctx, back.into(), s3Loc, backup.RestoreOptions{}); err == nil || !strings.Contains(err.Error(), "--from-root-key") {
		t.Errorf("restore of KMS-wrapped keys under a local root key without --from-root-key: %v", err)
	}
	if _, err := backup.Restore(ctx, back.into(), s3Loc, backup.RestoreOptions{FromRootKey: kms}); err != nil {
		t.Fatal(err)
	}
	sameRecords(t, want, records(t, back))
	sameFiles(t, back, acme)
	sameFiles(t, back, globex)
	tokenWorks(t, back, globexID, globex.token)
}
