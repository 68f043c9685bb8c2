package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/api"
	"github.com/guild-b2b/guild/internal/secret"
)

// testSecrets is a Box with a fresh key.
func testSecrets(t *testing.T) *secret.Box {
	t.Helper()
	key, err := secret.LoadOrCreateKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	guildSpecOnce sync.Once
	guildSpec     *openapi3.T
	guildSpecErr  error
)

// conformGuild fails the test unless the answer matches Guild's own
// OpenAPI document (for Guild's extensions).
func conformGuild(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	guildSpecOnce.Do(func() { guildSpec, guildSpecErr = openapi3.NewLoader().LoadFromData(api.OpenAPI()) })
	if guildSpecErr != nil {
		t.Fatal(guildSpecErr)
	}
	item := guildSpec.Paths.Value(pathTemplate)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("api/openapi.yaml has no %s %s", method, pathTemplate)
	}
	resp := item.GetOperation(method).Responses.Value(fmt.Sprint(r.status))
	if resp == nil {
		t.Fatalf("api/openapi.yaml defines no %d answer for %s %s", r.status, method, pathTemplate)
	}
	mt := resp.Value.Content.Get("application/json")
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s %s %d does not match api/openapi.yaml: %v\n%s", method, pathTemplate, r.status, err, r.body)
	}
}

func TestPlatformConnectionAPI(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{groupName: "Wholesale"})
		const conn = "/api/v3/io/platform-connection"

		r := e.do("GET", conn, nil)
		expect(t, r, 404)
		conformGuild(t, r, "GET", conn)
		r = e.do("GET", "/api/v3/io/sync/status", nil)
		expect(t, r, 200)
		conformGuild(t, r, "GET", "/api/v3/io/sync/status")
		if got := r.data(t)["connection"]; got != nil {
			t.Errorf("connection of a store never connected: %v", got)
		}

		for _, tc := range []struct {
			body  string
			field string
		}{
			{`{"accessToken":"tok"}`, "storeHash"},
			{`{"storeHash":"abc","accessToken":""}`, "accessToken"},
			{`{"storeHash":"abc","accessToken":"tok","apiUrl":"ftp://x"}`, "apiUrl"},
			{`{"storeHash":["abc"],"accessToken":"tok"}`, "storeHash"},
			{`{"storeHash":"abc","accessToken":"tok","resync":"maybe"}`, "resync"},
		} {
			r := e.do("PUT", conn, tc.body)
			expect(t, r, 422)
			conformGuild(t, r, "PUT", conn)
			if !strings.Contains(string(r.body), tc.field) {
				t.Errorf("PUT %s: the error does not name %s: %s", tc.body, tc.field, r.body)
			}
		}
		expect(t, e.do("PUT", conn, `[1]`), 422)
		expect(t, e.do("PUT", conn, `{`), 400)
		if st, _ := e.app.Store().PlatformConnection(context.Background(), e.tenant.ID); st.StoreHash != "" {
			t.Fatal("a refused request connected the store")
		}

		r = e.do("PUT", conn, map[string]any{"storeHash": "abc123", "accessToken": "very-secret-token", "apiUrl": "http://127.0.0.1:9/"})
		expect(t, r, 200)
		conformGuild(t, r, "PUT", conn)
		if bytes.Contains(r.body, []byte("very-secret-token")) {
			t.Fatal("the answer shows the token")
		}
		d := r.data(t)
		want := map[string]any{"platform": "bigcommerce", "storeHash": "abc123", "apiUrl": "http://127.0.0.1:9", "state": "active",
			"initialSyncStarted": true, "supersededChanges": float64(1)}
		for k, v := range want {
			if diff := cmp.Diff(v, d[k]); diff != "" {
				t.Errorf("%s (-want +got):\n%s", k, diff)
			}
		}
		if is := d["initialSync"].(map[string]any); is["state"] != "running" || is["stage"] != "customer_group" {
			t.Errorf("initialSync: %v", is)
		}

		r = e.do("GET", conn, nil)
		expect(t, r, 200)
		conformGuild(t, r, "GET", conn)
		if bytes.Contains(r.body, []byte("very-secret-token")) || bytes.Contains(r.body, []byte("oken\"")) {
			t.Fatalf("GET shows the token: %s", r.body)
		}

		// Run the initial sync: the default group is queued.
		for more := true; more; {
			var err error
			if more, err = e.app.AdvanceInitialSyncs(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		r = e.do("GET", "/api/v3/io/sync/status", nil)
		expect(t, r, 200)
		conformGuild(t, r, "GET", "/api/v3/io/sync/status")
		q := r.data(t)["queue"].(map[string]any)
		if q["pending"] != float64(1) || q["dead"] != float64(0) {
			t.Errorf("queue: %v, want the default group pending", q)
		}
		path := fmt.Sprintf("/api/v3/io/sync/entities/customer_group/%d", e.tenant.DefaultCustomerGroupID)
		r = e.do("GET", path, nil)
		expect(t, r, 200)
		conformGuild(t, r, "GET", "/api/v3/io/sync/entities/{type}/{id}")
		if s := r.data(t)["state"]; s != "pending" {
			t.Errorf("state of the queued group: %v", s)
		}
		r = e.do("GET", "/api/v3/io/sync/entities/company/999", nil)
		expect(t, r, 404)
		conformGuild(t, r, "GET", "/api/v3/io/sync/entities/{type}/{id}")
		r = e.do("GET", "/api/v3/io/sync/entities/orders/1", nil)
		expect(t, r, 422)
		conformGuild(t, r, "GET", "/api/v3/io/sync/entities/{type}/{id}")
		expect(t, e.do("GET", "/api/v3/io/sync/entities/company/x", nil), 422)

		// A dead letter shows in the status and the entity's state, and
		// is requeued by id.
		ctx := context.Background()
		claim, err := e.app.Store().ClaimOutbox(ctx, guild.ClaimRequest{Owner: "test", Now: time.Now(), LeaseFor: time.Minute, Limit: 10})
		if err != nil || len(claim.Rows) != 1 {
			t.Fatalf("claim: %+v, %v", claim, err)
		}
		dead := claim.Rows[0]
		if err := e.app.Store().FinishOutbox(ctx, "test", e.tenant.ID, []guild.OutboxResult{{ID: dead.ID, Status: guild.OutboxDead, Error: "422: name taken"}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		r = e.do("GET", "/api/v3/io/sync/status", nil)
		expect(t, r, 200)
		conformGuild(t, r, "GET", "/api/v3/io/sync/status")
		var st struct {
			Data struct {
				Queue       map[string]int64 `json:"queue"`
				DeadLetters []map[string]any `json:"deadLetters"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &st); err != nil {
			t.Fatal(err)
		}
		wantDead := []map[string]any{{"id": float64(dead.ID), "topic": "customer_group.created", "entityType": "customer_group",
			"entityId": float64(e.tenant.DefaultCustomerGroupID), "attempts": float64(1), "lastError": "422: name taken", "createdAt": float64(dead.CreatedAt.Unix())}}
		if diff := cmp.Diff(wantDead, st.Data.DeadLetters); diff != "" {
			t.Errorf("dead letters (-want +got):\n%s", diff)
		}
		if st.Data.Queue["dead"] != 1 || st.Data.Queue["pending"] != 0 {
			t.Errorf("queue: %v", st.Data.Queue)
		}
		r = e.do("GET", path, nil)
		expect(t, r, 200)
		if d := r.data(t); d["state"] != "failed" || d["lastError"] != "422: name taken" || d["deadLetters"] != float64(1) {
			t.Errorf("state of the dead group: %v", d)
		}
		r = e.do("POST", "/api/v3/io/sync/retry", fmt.Sprintf(`{"id": "%d"}`, dead.ID))
		expect(t, r, 200)
		if n := r.data(t)["requeued"]; n != float64(1) {
			t.Errorf("requeued %v, want 1", n)
		}
		if d := e.do("GET", path, nil).data(t); d["state"] != "pending" {
			t.Errorf("state after the retry: %v", d)
		}

		r = e.do("POST", "/api/v3/io/sync/retry", `{}`)
		expect(t, r, 422)
		conformGuild(t, r, "POST", "/api/v3/io/sync/retry")
		r = e.do("POST", "/api/v3/io/sync/retry", `{"id": 12345}`)
		expect(t, r, 404)
		conformGuild(t, r, "POST", "/api/v3/io/sync/retry")
		r = e.do("POST", "/api/v3/io/sync/retry", `{"all": true}`)
		expect(t, r, 200)
		conformGuild(t, r, "POST", "/api/v3/io/sync/retry")

		r = e.do("DELETE", conn, nil)
		expect(t, r, 200)
		conformGuild(t, r, "DELETE", conn)
		r = e.do("DELETE", conn, nil)
		expect(t, r, 404)
		conformGuild(t, r, "DELETE", conn)
		if s := e.do("GET", conn, nil).data(t)["state"]; s != "disconnected" {
			t.Errorf("state after DELETE: %v", s)
		}
	})
}

// TestPlatformConnectionWithoutSecretKey: a server started without a secret
// key (PostgreSQL replicas need one) refuses to store a connection with a
// 409 that says how to fix it, not a 500.
func TestPlatformConnectionWithoutSecretKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{groupName: "Wholesale", noSecrets: true})
		const conn = "/api/v3/io/platform-connection"
		r := e.do("PUT", conn, `{"storeHash":"abc","accessToken":"tok"}`)
		expect(t, r, 409)
		conformGuild(t, r, "PUT", conn)
		if !strings.Contains(string(r.body), "--secret-key") {
			t.Errorf("the answer does not say how to fix it: %s", r.body)
		}
		expect(t, e.do("GET", conn, nil), 404)
	})
}
