package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

// TestEmulateBigCommerce runs `guild emulate bigcommerce` in process with
// its flags parsed by kong, calls it, switches a fault on through the admin
// API, and stops it.
func TestEmulateBigCommerce(t *testing.T) {
	addr := freePort(t)
	var cli CLI
	parser, err := kong.New(&cli, kong.Name("guild"), kong.Exit(func(int) { t.Fatal("kong exited") }))
	if err != nil {
		t.Fatal(err)
	}
	kctx, err := parser.Parse([]string{"emulate", "bigcommerce", "--addr", addr, "--store-hash", "sbx", "--token", "tok",
		"--quota", "3", "--window", "1m", "--fault-5xx", "0", "--slow-delay", "10ms"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	kctx.BindTo(ctx, (*context.Context)(nil))
	done := make(chan error, 1)
	go func() { done <- kctx.Run(&cli.Globals, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	base := "http://" + addr
	get := func(path, token string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("X-Auth-Token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		req, _ := http.NewRequest("GET", base+"/_emulator/faults", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the emulator did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := get("/stores/sbx/v3/customers", "tok"); r.StatusCode != 200 || r.Header.Get("X-Rate-Limit-Requests-Quota") != "3" || r.Header.Get("X-Rate-Limit-Time-Window-Ms") != "60000" {
		t.Errorf("list: %d quota %q window %q", r.StatusCode, r.Header.Get("X-Rate-Limit-Requests-Quota"), r.Header.Get("X-Rate-Limit-Time-Window-Ms"))
	}
	if r := get("/stores/sbx/v3/customers", "wrong"); r.StatusCode != 401 {
		t.Errorf("wrong token: %d", r.StatusCode)
	}
	setFaults := func(body string) {
		t.Helper()
		req, _ := http.NewRequest("PUT", base+"/_emulator/faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("set faults %s: %d", body, resp.StatusCode)
		}
	}
	setFaults(`{"share_5xx":1}`)
	if r := get("/stores/sbx/v2/customer_groups", "tok"); r.StatusCode != 500 && r.StatusCode != 503 {
		t.Errorf("with share_5xx 1: %d", r.StatusCode)
	}
	setFaults(`{"share_5xx":0}`)
	if r := get("/stores/sbx/v3/customers", "tok"); r.StatusCode != 200 || r.Header.Get("X-Rate-Limit-Requests-Left") != "0" {
		t.Errorf("third request of a quota of 3: %d left %q", r.StatusCode, r.Header.Get("X-Rate-Limit-Requests-Left"))
	}
	if r := get("/stores/sbx/v3/customers", "tok"); r.StatusCode != 429 || r.Header.Get("X-Retry-After") == "" {
		t.Errorf("fourth request of a quota of 3: %d", r.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the emulator did not stop")
	}
}
