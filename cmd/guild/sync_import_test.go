package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// TestCLISyncImportReconcile imports an emulated BigCommerce store with
// `guild sync import` (twice: nothing twice) and reconciles it with
// `guild sync reconcile` (dry run, then the repair).
func TestCLISyncImportReconcile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	emu, err := bcemu.New(bcemu.Options{StoreHash: "bc1", Token: "bctoken", Quota: 10000, Window: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	bc, err := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: "bc1", Token: "bctoken"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var retail bigcommerce.CustomerGroup
	for _, name := range []string{"Retail", "Wholesale"} {
		if retail, err = bc.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(name)}); err != nil {
			t.Fatal(err)
		}
	}
	retail.ID-- // "Retail" was the first
	if _, err := bc.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: "a@bc.example", FirstName: "A", LastName: "One"}, {Email: "b@bc.example", FirstName: "B", LastName: "Two"}}); err != nil {
		t.Fatal(err)
	}

	bin := buildGuild(t)
	dataDir := t.TempDir()
	env := append(os.Environ(), "GUILD_DATA_DIR="+dataDir, "GUILD_DATABASE_URL=", "GUILD_SECRET_KEY=", "GUILD_BIGCOMMERCE_TOKEN=bctoken")
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
	// rows returns the output's lines with their runs of spaces made one.
	rows := func(out string) string {
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		return strings.Join(lines, "\n")
	}
	must("stores", "create", "--hash", "s1", "--name", "S1", "--default-customer-group-name", "Wholesale")
	if _, errOut, err := guild("sync", "import", "--store", "s1"); err == nil || !strings.Contains(errOut, "not connected to BigCommerce") {
		t.Errorf("import before connecting: %v %s", err, errOut)
	}

	// The server's upkeep runs the initial sync's queueing.
	addr := freePort(t)
	serve := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--sync-workers", "1")
	serve.Env = env
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = serve.Process.Signal(os.Interrupt); _ = serve.Wait() }()
	waitFor(t, "http://"+addr+"/readyz")
	must("stores", "connect", "--hash", "s1", "--bigcommerce-store-hash", "bc1", "--bigcommerce-api-url", srv.URL)
	// serve's connector delivers the initial sync: Guild's "Wholesale" is
	// linked to BigCommerce's group of that name, not made twice.
	delivered := false
	for range 150 {
		st := must("sync", "status", "--store", "s1")
		if strings.Contains(st, "initial sync: done") && strings.Contains(st, "queue: 0 pending, 0 scheduled for retry, 0 being delivered, 0 dead") {
			delivered = true
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !delivered {
		t.Fatalf("the initial sync was not delivered:\n%s", must("sync", "status", "--store", "s1"))
	}
	if groups, err := bc.ListCustomerGroups(ctx, bigcommerce.CustomerGroupFilter{Limit: bigcommerce.MaxPageSize}); err != nil || len(groups) != 2 {
		t.Errorf("BigCommerce's groups after the initial sync: %+v %v, want Retail and Wholesale only", groups, err)
	}

	out := rows(must("sync", "import", "--store", "s1"))
	for _, want := range []string{"imported from BigCommerce into store s1:", "CREATED LINKED UPDATED UNCHANGED KEPT",
		"customer groups 1 0 0 1 0", "customers 2 0 0 0 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("sync import lacks %q:\n%s", want, out)
		}
	}
	if out := rows(must("sync", "import", "--store", "s1")); !strings.Contains(out, "customer groups 0 0 0 2 0") || !strings.Contains(out, "customers 0 0 0 2 0") {
		t.Errorf("second import:\n%s", out)
	}

	// BigCommerce's "Retail" drifts from Guild's.
	if _, err := bc.UpdateCustomerGroup(ctx, retail.ID, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Retail 2")}); err != nil {
		t.Fatal(err)
	}
	out = rows(must("sync", "reconcile", "--store", "s1", "--dry-run"))
	for _, want := range []string{"checked 2 customer groups and 0 customers of users and super admins of store s1: 1 in sync, 1 drifted",
		`different customer_group 2 Retail 1 1 name: "Retail" ≠ "Retail 2" enqueue customer_group.updated`,
		"dry run: nothing was written"} {
		if !strings.Contains(out, want) {
			t.Errorf("reconcile --dry-run lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "BigCommerce also has") {
		t.Errorf("the imported customers are reported unknown:\n%s", out)
	}
	out = rows(must("sync", "reconcile", "--store", "s1"))
	if !strings.Contains(out, "repaired: 1 changes queued for BigCommerce, 0 remote ids fixed") {
		t.Errorf("reconcile:\n%s", out)
	}
	// serve's connector delivers the repair.
	for range 150 {
		if g, err := bc.GetCustomerGroup(ctx, retail.ID); err == nil && g.Name == "Retail" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out := rows(must("sync", "reconcile", "--store", "s1", "--dry-run")); !strings.Contains(out, "2 in sync, 0 drifted") {
		t.Errorf("reconcile after the repair was delivered:\n%s", out)
	}
}
