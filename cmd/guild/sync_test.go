package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/bcemu"
)

// TestCLISync connects a store with the CLI while serving: the key file is
// created 0600, the token is never printed nor stored in clear, the
// server's dispatcher runs the initial sync (the sync status shows it
// done), and the sync metrics are served.
func TestCLISync(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGuild(t)
	dataDir := t.TempDir()
	env := append(os.Environ(), "GUILD_DATA_DIR="+dataDir, "GUILD_DATABASE_URL=", "GUILD_SECRET_KEY=")
	guild := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := guild(args...)
		if err != nil {
			t.Fatalf("guild %v: %v\n%s", args, err, errOut)
		}
		return out
	}
	must("stores", "create", "--hash", "s1", "--name", "S1", "--default-customer-group-name", "Wholesale")

	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--sync-workers", "1")
	serve.Env = env
	var serveLog bytes.Buffer
	serve.Stderr = &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = serve.Process.Signal(os.Interrupt); _ = serve.Wait() }()
	base := "http://" + addr
	waitFor(t, base+"/readyz")

	emu, err := bcemu.New(bcemu.Options{StoreHash: "abc123", Token: "tok-SECRET-value"})
	if err != nil {
		t.Fatal(err)
	}
	bc := httptest.NewServer(emu)
	defer bc.Close()
	out := must("stores", "connect", "--hash", "s1", "--bigcommerce-store-hash", "abc123", "--bigcommerce-token", "tok-SECRET-value", "--bigcommerce-api-url", bc.URL)
	if !strings.Contains(out, "initial sync started") || strings.Contains(out, "tok-SECRET") {
		t.Errorf("stores connect printed:\n%s", out)
	}
	fi, err := os.Stat(filepath.Join(dataDir, "secret.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v, want mode 0600", fi, err)
	}
	db, err := os.ReadFile(filepath.Join(dataDir, "guild.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(dataDir, "guild.db-wal"))
	if bytes.Contains(db, []byte("tok-SECRET")) || bytes.Contains(wal, []byte("tok-SECRET")) {
		t.Error("the token is stored in clear")
	}
	if _, errOut, err := guild("stores", "connect", "--hash", "s1", "--bigcommerce-store-hash", "a b", "--bigcommerce-token", "t"); err == nil || !strings.Contains(errOut, "storeHash") {
		t.Errorf("a bad BigCommerce store hash: %v %s", err, errOut)
	}

	// The server's dispatcher prepares the initial sync within a poll or
	// two, and its connector delivers it: the store's default group.
	var status string
	for range 100 {
		status = must("sync", "status", "--store", "s1")
		if strings.Contains(status, "initial sync: done") && strings.Contains(status, "queue: 0 pending, 0 scheduled for retry, 0 being delivered, 0 dead") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{"connection: active, BigCommerce store abc123", "initial sync: done", "queue: 0 pending, 0 scheduled for retry, 0 being delivered, 0 dead"} {
		if !strings.Contains(status, want) {
			t.Errorf("sync status lacks %q:\n%s", want, status)
		}
	}
	if strings.Contains(status, "tok-SECRET") {
		t.Error("sync status printed the token")
	}
	if _, errOut, err := guild("sync", "retry", "--store", "s1", "--id", "999"); err == nil || !strings.Contains(errOut, "not a dead letter") {
		t.Errorf("retry of a row that is not dead: %v %s", err, errOut)
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`guild_sync_queue_depth{state="pending"} 0`, "guild_sync_deliveries_total 1"} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %s:\n%s", want, metrics)
		}
	}
	snap, err := emu.Snapshot("abc123")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Groups) != 1 || snap.Groups[0].Name != "Wholesale" {
		t.Errorf("BigCommerce has the groups %+v, want the store's default group Wholesale", snap.Groups)
	}
	must("stores", "disconnect", "--hash", "s1")
	if status := must("sync", "status", "--store", "s1"); !strings.Contains(status, "connection: disconnected") {
		t.Errorf("after disconnect:\n%s", status)
	}
}
