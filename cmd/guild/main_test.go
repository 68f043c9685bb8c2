package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildGuild builds the binary once per test run.
func buildGuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "guild")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestCLIWhileServing walks the README: serve on the embedded default, then
// create a store and a token with the CLI while the server runs, call the
// API with it, revoke it, and stop the server with SIGTERM.
func TestCLIWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildGuild(t)
	dataDir := t.TempDir()
	env := append(os.Environ(), "GUILD_DATA_DIR="+dataDir, "GUILD_DATABASE_URL=")
	guild := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			return stdout.String(), fmt.Errorf("guild %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), nil
	}

	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr)
	serve.Env = env
	var serveLog bytes.Buffer
	serve.Stderr = &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	waitFor(t, base+"/readyz")

	if _, err := guild("stores", "create", "--hash", "cli-store", "--name", "CLI store", "--default-customer-group-name", "Wholesale"); err != nil {
		t.Fatal(err)
	}
	if _, err := guild("stores", "create", "--hash", "cli-store", "--name", "again"); err == nil {
		t.Error("a duplicate store hash was accepted")
	}
	// A store's own hierarchy limits.
	for _, c := range []struct {
		args []string
		want string // in the output; "" when the command must fail
	}{
		{[]string{"stores", "create", "--hash", "cli-hier", "--name", "H", "--max-hierarchy-depth", "3", "--max-hierarchy-size", "40"}, "at most 3 layers and 40 companies"},
		{[]string{"stores", "update", "--hash", "cli-hier", "--max-hierarchy-depth", "0"}, "at most 5 layers and 40 companies"},
		{[]string{"stores", "update", "--hash", "cli-hier", "--max-hierarchy-depth", "17"}, ""},
		{[]string{"stores", "update", "--hash", "cli-hier", "--max-hierarchy-size", "-1"}, ""},
	} {
		out, err := guild(c.args...)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("guild %v was accepted: %s", c.args, out)
		case c.want != "" && (err != nil || !strings.Contains(out, c.want)):
			t.Errorf("guild %v: %q %v, want it to say %q", c.args, out, err, c.want)
		}
	}
	token, err := guild("tokens", "create", "--store", "cli-store", "--name", "tests")
	if err != nil {
		t.Fatal(err)
	}
	token = strings.TrimSpace(token)
	if !strings.HasPrefix(token, "guild_") || strings.ContainsAny(token, " \n") {
		t.Fatalf("tokens create printed %q, want the token alone", token)
	}

	get := func(path string) int {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("authToken", token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	if got := get("/api/v3/io/companies"); got != 200 {
		t.Fatalf("a token made by the CLI while serving: %d", got)
	}
	list, err := guild("tokens", "list", "--store", "cli-store")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(list, token) {
		t.Error("tokens list printed a secret")
	}
	if _, err := guild("tokens", "revoke", "--store", "cli-store", "--id", "1"); err != nil {
		t.Fatal(err)
	}
	if got := get("/api/v3/io/companies"); got != 401 {
		t.Errorf("a revoked token answered %d, want 401", got)
	}

	for _, p := range []string{"/healthz", "/metrics", "/api/v3/io/openapi.yaml"} {
		res, err := http.Get(base + p)
		if err != nil || res.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", p, res, err)
		}
	}

	if err := serve.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGINT\n%s", err, serveLog.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not stop after SIGINT\n%s", serveLog.String())
	}
	if !strings.Contains(serveLog.String(), "request_id") {
		t.Errorf("the access log has no request ids:\n%s", serveLog.String())
	}
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}
