package bcemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestCustomersAgainstAModel runs random creates, updates and deletes of
// customers (emails drawn from a small pool, in random case, so they
// collide; groups that may not exist) against the emulator and a plain
// model: every answer is 200 exactly when the model says the batch is
// valid, a refused batch changes nothing, and the store always equals the
// model, with emails unique ignoring case.
func TestCustomersAgainstAModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		emu, err := New(Options{StoreHash: "s", Token: "t", Quota: 1 << 30})
		if err != nil {
			rt.Fatal(err)
		}
		call := func(method, path string, body any) int {
			b, _ := json.Marshal(body)
			req := httptest.NewRequest(method, "/stores/s"+path, bytes.NewReader(b))
			req.Header.Set("X-Auth-Token", "t")
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, req)
			return rec.Code
		}
		call("POST", "/v2/customer_groups", map[string]any{"name": "G1"})
		call("POST", "/v2/customer_groups", map[string]any{"name": "G2"})

		type cust struct {
			Email string
			Group int
		}
		model := map[int]cust{}
		nextID := 1
		pool := []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io"}
		email := rapid.Custom(func(t *rapid.T) string {
			e := rapid.SampledFrom(pool).Draw(t, "email")
			if rapid.Bool().Draw(t, "upper") {
				e = strings.ToUpper(e)
			}
			return e
		})
		group := rapid.SampledFrom([]int{0, 1, 2, 9})
		taken := func(e string, except int) bool {
			for id, c := range model {
				if id != except && strings.EqualFold(c.Email, e) {
					return true
				}
			}
			return false
		}

		for step := range rapid.IntRange(1, 30).Draw(rt, "steps") {
			switch rapid.IntRange(0, 2).Draw(rt, fmt.Sprint("op", step)) {
			case 0: // create
				n := rapid.IntRange(1, 3).Draw(rt, "n")
				var body []map[string]any
				ok := true
				seen := map[string]bool{}
				for range n {
					e, g := email.Draw(rt, "e"), group.Draw(rt, "g")
					body = append(body, map[string]any{"email": e, "first_name": "F", "last_name": "L", "customer_group_id": g})
					low := strings.ToLower(e)
					ok = ok && !taken(e, 0) && !seen[low] && g != 9
					seen[low] = true
				}
				st := call("POST", "/v3/customers", body)
				if (st == http.StatusOK) != ok {
					rt.Fatalf("create %v: %d, model says ok=%v", body, st, ok)
				}
				if ok {
					for _, b := range body {
						model[nextID] = cust{b["email"].(string), b["customer_group_id"].(int)}
						nextID++
					}
				}
			case 1: // update one customer
				id := rapid.IntRange(1, nextID).Draw(rt, "id")
				u := map[string]any{"id": id}
				c, exists := model[id]
				ok := exists
				if rapid.Bool().Draw(rt, "change email") {
					e := email.Draw(rt, "e")
					u["email"] = e
					ok = ok && !taken(e, id)
					c.Email = e
				}
				if rapid.Bool().Draw(rt, "change group") {
					g := group.Draw(rt, "g")
					u["customer_group_id"] = g
					ok = ok && g != 9
					c.Group = g
				}
				st := call("PUT", "/v3/customers", []any{u})
				if (st == http.StatusOK) != ok {
					rt.Fatalf("update %v: %d, model says ok=%v", u, st, ok)
				}
				if ok {
					model[id] = c
				}
			case 2: // delete some ids
				ids := rapid.SliceOfN(rapid.IntRange(1, nextID), 1, 3).Draw(rt, "ids")
				parts := make([]string, len(ids))
				for i, id := range ids {
					parts[i] = fmt.Sprint(id)
					delete(model, id)
				}
				if st := call("DELETE", "/v3/customers?id:in="+strings.Join(parts, ","), nil); st != http.StatusNoContent {
					rt.Fatalf("delete %v: %d", ids, st)
				}
			}

			sn, _ := emu.Snapshot("s")
			got := map[int]cust{}
			lower := map[string]bool{}
			for _, c := range sn.Customers {
				got[c.ID] = cust{c.Email, c.CustomerGroupID}
				if lower[strings.ToLower(c.Email)] {
					rt.Fatalf("email %s held twice", c.Email)
				}
				lower[strings.ToLower(c.Email)] = true
			}
			if diff := cmp.Diff(model, got); diff != "" {
				rt.Fatalf("store != model after step %d (-model +store):\n%s\nids %v", step, diff, slices.Sorted(maps.Keys(got)))
			}
		}
	})
}
