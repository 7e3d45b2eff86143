package keyring

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

func TestSeal_RoundTrip(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	for _, size := range []int{0, 1, 16, 1000, 1 << 20} {
		plain := randomBytes(t, size)
		aad := []byte("tenants/acme/secrets/smtp")
		sealed, err := dk.Seal(plain, aad)
		if err != nil {
			t.Fatalf("Seal(%d bytes): %v", size, err)
		}
		if len(sealed) != size+SealOverhead {
			t.Errorf("Seal(%d bytes) = %d bytes, want %d", size, len(sealed), size+SealOverhead)
		}
		got, err := dk.Open(sealed, aad)
		if err != nil {
			t.Fatalf("Open(%d bytes): %v", size, err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("Open(Seal(%d bytes)) differs", size)
		}
	}
	a, _ := dk.Seal([]byte("same"), nil)
	b, _ := dk.Seal([]byte("same"), nil)
	if bytes.Equal(a, b) {
		t.Error("two Seals of the same message are equal: nonce not random")
	}
}

func TestSeal_OpenErrors(t *testing.T) {
	t.Parallel()
	k := newTestKeyring(t)
	dk, _ := newTestDataKey(t, k, "acme")
	otherKey, _ := newTestDataKey(t, k, "acme")
	aad := []byte("tenants/acme/secrets/smtp")
	sealed, err := dk.Seal([]byte("password of the SMTP relay"), aad)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		key    *DataKey
		sealed []byte
		aad    []byte
	}{
		{"ErrWrongAAD", dk, sealed, []byte("tenants/acme/secrets/other")},
		{"ErrNilAAD", dk, sealed, nil},
		{"ErrWrongKey", otherKey, sealed, aad},
		{"ErrTruncated", dk, sealed[:len(sealed)-1], aad},
		{"ErrTooShort", dk, sealed[:SealOverhead-1], aad},
		{"ErrEmpty", dk, nil, aad},
		{"ErrAppended", dk, append(bytes.Clone(sealed), 0), aad},
		{"ErrZeroDataKey", &DataKey{}, sealed, aad},
		{"ErrNilDataKey", nil, sealed, aad},
	}
	for i := range sealed {
		b := bytes.Clone(sealed)
		b[i] ^= 0x80
		tests = append(tests, struct {
			name   string
			key    *DataKey
			sealed []byte
			aad    []byte
		}{fmt.Sprintf("ErrFlippedByte%d", i), dk, b, aad})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.key.Open(tt.sealed, tt.aad)
			if err == nil {
				t.Fatal("Open succeeded, want an error")
			}
			if got != nil {
				t.Errorf("Open returned %d bytes of plaintext with its error", len(got))
			}
		})
	}
}

func TestSeal_ZeroDataKey(t *testing.T) {
	t.Parallel()
	var zero DataKey
	if _, err := zero.Seal([]byte("x"), nil); err == nil {
		t.Error("Seal with a zero DataKey succeeded")
	}
	if _, err := zero.EncryptWriter(&bytes.Buffer{}, nil); err == nil {
		t.Error("EncryptWriter with a zero DataKey succeeded")
	}
	if _, err := zero.DecryptReader(&bytes.Buffer{}, nil); err == nil {
		t.Error("DecryptReader with a zero DataKey succeeded")
	}
}

func TestDataKey_FormatRedacted(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	key := dk.get().key[:]
	type holder struct {
		Exported   *DataKey
		Value      DataKey
		unexported *DataKey
		value      DataKey
	}
	h := holder{Exported: dk, Value: *dk, unexported: dk, value: *dk}

	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %p"} {
		for _, arg := range []any{dk, *dk, h, &h, []*DataKey{dk}, map[string]DataKey{"k": *dk}} {
			outputs = append(outputs, fmt.Sprintf(verb, arg))
		}
	}
	outputs = append(outputs, fmt.Sprint(dk), fmt.Sprintln(*dk), dk.String(), dk.GoString())
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("key", "dk", dk, "value", *dk)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "dk", dk, "holder", h)
	outputs = append(outputs, logged.String())
	if j, err := json.Marshal(h); err == nil {
		outputs = append(outputs, string(j))
	}

	// Any rendering of the key bytes would contain one of these.
	secrets := []string{
		hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key),
		strings.Trim(fmt.Sprint(key[:6]), "[]"),               // 12 34 56 …
		strings.Trim(fmt.Sprintf("%#v", key[:6]), "[]byte{}"), // 0xc, 0x22, …
		fmt.Sprintf("%q", key[:6])[1:6],
		hex.EncodeToString(key[:6]),
	}
	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("formatted output reveals key bytes %q: %s", s, out)
			}
		}
	}
	if !strings.Contains(fmt.Sprintf("%#v", dk), "REDACTED") || !strings.Contains(logged.String(), "REDACTED") {
		t.Errorf("DataKey does not print as REDACTED: %#v / %s", dk, logged.String())
	}
}

// reachableBytes appends every byte, and every uint32/uint64 in both byte orders, that reflection
// can reach from v through pointers, interfaces, structs, arrays, slices and maps — what a
// reflection-based printer or differ (spew, go-cmp with unexported fields) could show.
func reachableBytes(out []byte, v reflect.Value, seen map[uintptr]bool) []byte {
	switch v.Kind() {
	case reflect.Uint8:
		return append(out, byte(v.Uint()))
	case reflect.Uint32, reflect.Int32:
		x := uint32(v.Uint())
		return append(append(out, byte(x>>24), byte(x>>16), byte(x>>8), byte(x)), byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	case reflect.Uint64, reflect.Uint, reflect.Uintptr:
		x := v.Uint()
		for i := range 8 {
			out = append(out, byte(x>>(56-8*i)))
		}
		for i := range 8 {
			out = append(out, byte(x>>(8*i)))
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return out
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return out
			}
			seen[v.Pointer()] = true
		}
		return reachableBytes(out, v.Elem(), seen)
	case reflect.Struct:
		for i := range v.NumField() {
			out = reachableBytes(out, v.Field(i), seen)
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			out = reachableBytes(out, v.Index(i), seen)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			out = reachableBytes(reachableBytes(out, it.Key(), seen), it.Value(), seen)
		}
	}
	return out
}

// No reflection walk reaches the key, nor the AES round keys of the ciphers made from it.
func TestDataKey_KeyUnreachableByReflection(t *testing.T) {
	t.Parallel()
	dk, _ := newTestDataKey(t, newTestKeyring(t), "acme")
	key := dk.get().key[:]
	// Sanity check of the walker: it finds the key when given the material directly.
	if got := reachableBytes(nil, reflect.ValueOf(dk.get()), map[uintptr]bool{}); !bytes.Contains(got, key) {
		t.Fatal("walker does not find the key in the material: test is broken")
	}
	for _, v := range []any{dk, *dk, struct{ k *DataKey }{dk}} {
		got := reachableBytes(nil, reflect.ValueOf(v), map[uintptr]bool{})
		if bytes.Contains(got, key[:8]) {
			t.Errorf("reflection reaches the key from a %T", v)
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	dk, _ := newTestDataKey(b, newTestKeyring(b), "acme")
	plain := randomBytes(b, 1024)
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dk.Seal(plain, []byte("aad")); err != nil {
			b.Fatal(err)
		}
	}
}
