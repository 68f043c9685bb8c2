package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key, err := LoadOrCreateKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := b.Seal([]byte("tok-123"), []byte("store 1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("tok-123")) {
		t.Fatal("the sealed value contains the plain text")
	}
	plain, err := b.Open(sealed, []byte("store 1"))
	if err != nil || string(plain) != "tok-123" {
		t.Fatalf("Open = %q, %v; want tok-123", plain, err)
	}
	if _, err := b.Open(sealed, []byte("store 2")); err == nil {
		t.Error("a value sealed for store 1 opened for store 2")
	}
	other, _ := New(bytes.Repeat([]byte{7}, KeySize))
	if _, err := other.Open(sealed, []byte("store 1")); err == nil {
		t.Error("a value opened with another key")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	if _, err := b.Open(tampered, []byte("store 1")); err == nil {
		t.Error("a tampered value opened")
	}
	if _, err := b.Open([]byte{1, 2}, nil); err == nil {
		t.Error("a short value opened")
	}
}

func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKeyFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKeyFile(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: %v; the key must be the one created first", err)
	}
}

func TestParseKey(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true},
		{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
		{" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", true},
		{"AAAA", false},
		{"not base64!", false},
	} {
		_, err := ParseKey(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseKey(%q) error %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}
