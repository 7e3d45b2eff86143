package backup

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wellbase/wellbase"
)

// Records are stored one JSON object per line (JSON Lines), in the domain types' JSON forms,
// plus the fields those forms leave out because the API must never show them: a user's
// password_hash, a credential's token hash and a data key's wrapped bytes (base64). They are
// what a restore needs for passwords and tokens to keep working and for files to stay readable;
// none of them is a secret that opens anything by itself (hashes, and a key wrapped by the
// root key).

type userLine struct {
	*wellbase.User
	PasswordHash string `json:"password_hash"`
}

type credentialLine struct {
	*wellbase.Credential
	Hash string `json:"hash"`
}

type dataKeyLine struct {
	*wellbase.WrappedKey
	Wrapped []byte `json:"wrapped"`
}

// encodeRecord returns the line of rec, without its newline.
func encodeRecord(rec any) ([]byte, error) {
	var v any = rec
	switch r := rec.(type) {
	case *wellbase.User:
		v = userLine{r, r.PasswordHash}
	case *wellbase.Credential:
		v = credentialLine{r, r.Hash}
	case *wellbase.WrappedKey:
		v = dataKeyLine{r, r.Wrapped}
	}
	return json.Marshal(v)
}

// decodeRecord decodes a line of a file of kind. A field the record type does not have is an
// error: a backup made by a newer Wellbase may hold data this one would drop.
func decodeRecord(kind wellbase.RecordKind, line []byte) (any, error) {
	rec, err := wellbase.NewRecord(kind)
	if err != nil {
		return nil, err
	}
	var v any = rec
	switch r := rec.(type) {
	case *wellbase.User:
		v = &userLine{User: r}
	case *wellbase.Credential:
		v = &credentialLine{Credential: r}
	case *wellbase.WrappedKey:
		v = &dataKeyLine{WrappedKey: r}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("a %s record: %w", kind, err)
	}
	switch l := v.(type) {
	case *userLine:
		l.User.PasswordHash = l.PasswordHash
	case *credentialLine:
		l.Credential.Hash = l.Hash
	case *dataKeyLine:
		l.WrappedKey.Wrapped = l.Wrapped
	}
	if j, ok := rec.(*wellbase.Job); ok && string(j.Params) == "null" {
		j.Params = nil
	}
	return rec, nil
}
