package bcemu

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type customersAnswer struct {
	Data []Customer    `json:"data"`
	Meta customersMeta `json:"meta"`
}

type customersMeta struct {
	Pagination *pagination `json:"pagination"`
}

func TestSpecValidationBites(t *testing.T) {
	loadSpecs(t)
	bad := answer{status: 200, body: []byte(`{"data":[{"id":"seven","email":"x"}],"meta":{}}`)}
	if err := specV3.Validate("POST", "/customers", bad.status, bad.body); err == nil {
		t.Fatal("a string id passed the customers schema: the spec checks are not biting")
	}
}

func TestCustomersCreateUpdateListDelete(t *testing.T) {
	loadSpecs(t)
	h := newHarness(t, Options{})
	h.do("POST", "/v2/customer_groups", map[string]any{"name": "G1"})
	h.do("POST", "/v2/customer_groups", map[string]any{"name": "G2"})

	created := h.do("POST", "/v3/customers", []map[string]any{
		{"email": "Ann@Example.com", "first_name": "Ann", "last_name": "Lee", "phone": "555-123-4567", "company": "Acme", "customer_group_id": 1},
		{"email": "bob@example.com", "first_name": "Bob", "last_name": "Ng", "customer_group_id": 2, "channel_ids": []int{1}},
		{"email": "cy@example.com", "first_name": "Cy", "last_name": "Ott"},
	})
	if created.status != http.StatusOK {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	valid(t, specV3, "POST", "/customers", created)
	var ca customersAnswer
	created.json(t, &ca)
	if len(ca.Data) != 3 || ca.Data[0].ID != 1 || ca.Data[0].Email != "Ann@Example.com" || ca.Data[0].CustomerGroupID != 1 || ca.Data[2].ID != 3 {
		t.Fatalf("created = %+v", ca.Data)
	}

	upd := h.do("PUT", "/v3/customers", []map[string]any{{"id": 2, "last_name": "Nguyen", "customer_group_id": 1}})
	if upd.status != http.StatusOK {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	valid(t, specV3, "PUT", "/customers", upd)
	upd.json(t, &ca)
	if ca.Data[0].LastName != "Nguyen" || ca.Data[0].FirstName != "Bob" || ca.Data[0].CustomerGroupID != 1 {
		t.Errorf("updated = %+v, want only last_name and group changed", ca.Data[0])
	}

	lists := []struct {
		query string
		ids   []int
		total int
	}{
		{"", []int{1, 2, 3}, 3},
		{"?email:in=ann@example.com,nobody@example.com", []int{1}, 1},
		{"?email:in=BOB@EXAMPLE.COM", []int{2}, 1},
		{"?id:in=3,1", []int{1, 3}, 2},
		{"?customer_group_id:in=1", []int{1, 2}, 2},
		{"?customer_group_id:in=0", []int{3}, 1},
		{"?limit=2", []int{1, 2}, 3},
		{"?limit=2&page=2", []int{3}, 3},
		{"?limit=2&page=3", nil, 3},
	}
	for _, l := range lists {
		a := h.do("GET", "/v3/customers"+l.query, nil)
		if a.status != 200 {
			t.Errorf("%s: %d %s", l.query, a.status, a.body)
			continue
		}
		valid(t, specV3, "GET", "/customers", a)
		var got customersAnswer
		a.json(t, &got)
		var ids []int
		for _, c := range got.Data {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff(l.ids, ids); diff != "" {
			t.Errorf("%s ids (-want +got):\n%s", l.query, diff)
		}
		if got.Meta.Pagination == nil || got.Meta.Pagination.Total != l.total || got.Meta.Pagination.Count != len(l.ids) {
			t.Errorf("%s pagination = %+v, want total %d count %d", l.query, got.Meta.Pagination, l.total, len(l.ids))
		}
	}

	if a := h.do("DELETE", "/v3/customers", nil); a.status != http.StatusNoContent {
		t.Errorf("delete without id:in: %d", a.status)
	}
	if sn, _ := h.emu.Snapshot("abc123"); len(sn.Customers) != 3 {
		t.Errorf("delete without id:in deleted something")
	}
	if a := h.do("DELETE", "/v3/customers?id:in=1,3,99", nil); a.status != http.StatusNoContent || len(a.body) != 0 {
		t.Errorf("delete: %d %q", a.status, a.body)
	}
	sn, _ := h.emu.Snapshot("abc123")
	if len(sn.Customers) != 1 || sn.Customers[0].ID != 2 {
		t.Errorf("after delete: %+v", sn.Customers)
	}
	// the deleted email is free again
	if a := h.do("POST", "/v3/customers", []map[string]any{{"email": "ann@example.com", "first_name": "A", "last_name": "L"}}); a.status != 200 {
		t.Errorf("re-create a deleted email: %d %s", a.status, a.body)
	}
}

func TestCustomersRefused(t *testing.T) {
	loadSpecs(t)
	h := newHarness(t, Options{})
	if a := h.do("POST", "/v3/customers", []map[string]any{{"email": "taken@example.com", "first_name": "T", "last_name": "K"}}); a.status != 200 {
		t.Fatal(a.status, string(a.body))
	}
	ok := map[string]any{"email": "new@example.com", "first_name": "N", "last_name": "W"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	eleven := make([]map[string]any, 11)
	for i := range eleven {
		eleven[i] = with("email", fmt.Sprintf("u%d@example.com", i))
	}
	tests := []struct {
		name, method string
		body         any
		status       int
		key, mention string
	}{
		{"email taken", "POST", []any{with("email", "TAKEN@example.com")}, 422, "0.email", "already in use"},
		{"email twice in batch", "POST", []any{ok, with("first_name", "Other")}, 422, "1.email", "item 0"},
		{"no email", "POST", []any{with("email", nil)}, 422, "0.email", "required"},
		{"no first name", "POST", []any{with("first_name", nil)}, 422, "0.first_name", "required"},
		{"empty last name", "POST", []any{with("last_name", "")}, 422, "0.last_name", "1 to 100"},
		{"email too short", "POST", []any{with("email", "a@")}, 422, "0.email", "3 to 250"},
		{"email not an address", "POST", []any{with("email", "not-an-email")}, 422, "0.email", "not a valid email"},
		{"phone too long", "POST", []any{with("phone", strings.Repeat("5", 51))}, 422, "0.phone", "at most 50"},
		{"group missing", "POST", []any{with("customer_group_id", 9)}, 422, "0.customer_group_id", "does not exist"},
		{"group a string", "POST", []any{with("customer_group_id", "one")}, 422, "0.customer_group_id", "integer"},
		{"empty channel list", "POST", []any{with("channel_ids", []int{})}, 422, "0.channel_ids", "empty"},
		{"not an array", "POST", ok, 422, "body", "array"},
		{"empty array", "POST", []any{}, 422, "body", "empty"},
		{"eleven", "POST", eleven, 413, "body", "at most 10"},
		{"update without id", "PUT", []any{map[string]any{"first_name": "X"}}, 422, "0.id", "required"},
		{"update unknown id", "PUT", []any{map[string]any{"id": 42, "first_name": "X"}}, 422, "0.id", "does not exist"},
		{"update to taken email", "PUT", []any{map[string]any{"id": 1, "email": "taken@example.com"}, map[string]any{"id": 1, "first_name": "Y"}}, 422, "1.id", "also in item 0"},
		{"update eleven", "PUT", eleven, 413, "body", "at most 10"},
		{"list bad id:in", "GET", nil, 422, "id:in", "integers"},
		{"list bad limit", "GET", "?limit=-1", 422, "limit", "positive integer"},
		{"list bad page", "GET", "?page=zero", 422, "page", "positive integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, body := "/v3/customers", tt.body
			if tt.method == "GET" {
				path, body = path+"?id:in=1,x", nil
				if q, ok := tt.body.(string); ok {
					path = "/v3/customers" + q
				}
			}
			a := h.do(tt.method, path, body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.status == 422 {
				valid(t, specV3, tt.method, "/customers", a)
			}
			var e v3Error
			a.json(t, &e)
			if e.Status != tt.status || e.Title == "" || e.Type == "" || !strings.Contains(e.Errors[tt.key], tt.mention) {
				t.Errorf("body %s: want status %d, a title, a type and errors[%q] mentioning %q", a.body, tt.status, tt.key, tt.mention)
			}
		})
	}
	sn, _ := h.emu.Snapshot("abc123")
	if len(sn.Customers) != 1 || sn.Customers[0].Email != "taken@example.com" {
		t.Errorf("refused requests changed the store: %+v", sn.Customers)
	}
}

func TestCustomerUpdateKeepsOwnEmail(t *testing.T) {
	h := newHarness(t, Options{})
	h.do("POST", "/v3/customers", []map[string]any{{"email": "me@example.com", "first_name": "M", "last_name": "E"}})
	a := h.do("PUT", "/v3/customers", []map[string]any{{"id": 1, "email": "ME@example.com"}})
	if a.status != 200 {
		t.Fatalf("re-casing one's own email: %d %s", a.status, a.body)
	}
	a = h.do("PUT", "/v3/customers", []map[string]any{{"id": 1, "email": "other@example.com"}})
	if a.status != 200 {
		t.Fatal(a.status, string(a.body))
	}
	if a := h.do("POST", "/v3/customers", []map[string]any{{"email": "me@example.com", "first_name": "M", "last_name": "E"}}); a.status != 200 {
		t.Errorf("the old email is still held after the change: %d %s", a.status, a.body)
	}
}

// TestCustomerFieldBoundsFromSpec derives its cases from the spec: every
// string field of customer_Post and customer_Put with a maxLength is taken
// at that length and refused one past it, and every required field is
// refused when missing.
func TestCustomerFieldBoundsFromSpec(t *testing.T) {
	loadSpecs(t)
	for _, op := range []struct{ schema, method string }{{"customer_Post", "POST"}, {"customer_Put", "PUT"}} {
		sc := specV3.Schema(op.schema)
		if sc == nil {
			t.Fatalf("no %s in the spec", op.schema)
		}
		h := newHarness(t, Options{})
		if a := h.do("POST", "/v3/customers", []map[string]any{{"email": "base@example.com", "first_name": "B", "last_name": "C"}}); a.status != 200 {
			t.Fatal(a.status, string(a.body))
		}
		made := 0
		base := func() map[string]any {
			if op.method == "PUT" {
				return map[string]any{"id": 1}
			}
			made++
			return map[string]any{"email": fmt.Sprintf("new%d@example.com", made), "first_name": "N", "last_name": "W"}
		}
		// a string of n characters that is also a valid email when the field is one
		val := func(field string, n int) string {
			if field == "email" {
				const domain = "@example.com"
				return strings.Repeat("e", n-len(domain)) + domain
			}
			return strings.Repeat("x", n)
		}
		checked := 0
		for field, ref := range sc.Properties {
			p := ref.Value
			if p.Type == nil || !p.Type.Is("string") || p.MaxLength == nil {
				continue
			}
			n := int(*p.MaxLength)
			t.Run(op.schema+"/"+field, func(t *testing.T) {
				at := base()
				at[field] = val(field, n)
				if a := h.do(op.method, "/v3/customers", []any{at}); a.status != 200 {
					t.Errorf("%s of %d characters (the maximum): %d %s", field, n, a.status, a.body)
				}
				over := base()
				over[field] = val(field, n+1)
				a := h.do(op.method, "/v3/customers", []any{over})
				var e v3Error
				a.json(t, &e)
				if a.status != 422 || e.Errors["0."+field] == "" {
					t.Errorf("%s of %d characters: %d %s, want 422 naming 0.%s", field, n+1, a.status, a.body, field)
				}
			})
			checked++
		}
		for _, field := range sc.Required {
			in := base()
			delete(in, field)
			if op.method == "PUT" && field != "id" {
				continue
			}
			a := h.do(op.method, "/v3/customers", []any{in})
			var e v3Error
			a.json(t, &e)
			if a.status != 422 || !strings.Contains(e.Errors["0."+field], "required") {
				t.Errorf("%s without %s: %d %s", op.schema, field, a.status, a.body)
			}
			checked++
		}
		if checked < 6 {
			t.Errorf("%s: only %d spec constraints found: is the spec loaded?", op.schema, checked)
		}
	}
}
