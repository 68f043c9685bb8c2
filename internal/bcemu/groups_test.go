package bcemu

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGroupsCRUD(t *testing.T) {
	loadSpecs(t)
	h := newHarness(t, Options{})

	empty := h.do("GET", "/v2/customer_groups", nil)
	if empty.status != http.StatusNoContent || len(empty.body) != 0 {
		t.Fatalf("empty list: %d %q, want 204 and no body", empty.status, empty.body)
	}

	created := h.do("POST", "/v2/customer_groups", map[string]any{"name": "Wholesale", "is_default": true})
	if created.status != http.StatusOK {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	valid(t, specV2, "POST", "/customer_groups", created)
	var g Group
	created.json(t, &g)
	want := Group{ID: 1, Name: "Wholesale", IsDefault: true, CategoryAccess: CategoryAccess{Type: "all"}, DiscountRules: []DiscountRule{},
		DateCreated: g.DateCreated, DateModified: g.DateModified}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("created group (-want +got):\n%s", diff)
	}

	second := h.do("POST", "/v2/customer_groups", map[string]any{"name": "Retail", "is_default": true,
		"discount_rules": []map[string]any{{"type": "price_list", "price_list_id": 3}}})
	if second.status != http.StatusOK {
		t.Fatalf("create second: %d %s", second.status, second.body)
	}
	valid(t, specV2, "POST", "/customer_groups", second)

	got := h.do("GET", "/v2/customer_groups/1", nil)
	valid(t, specV2, "GET", "/customer_groups/{customer_group_id}", got)
	got.json(t, &g)
	if g.IsDefault {
		t.Errorf("group 1 is still default after group 2 became the default")
	}

	upd := h.do("PUT", "/v2/customer_groups/1", map[string]any{"name": "Wholesale EU"})
	if upd.status != http.StatusOK {
		t.Fatalf("update: %d %s", upd.status, upd.body)
	}
	valid(t, specV2, "PUT", "/customer_groups/{customer_group_id}", upd)
	upd.json(t, &g)
	if g.Name != "Wholesale EU" {
		t.Errorf("updated name = %q", g.Name)
	}

	list := h.do("GET", "/v2/customer_groups", nil)
	valid(t, specV2, "GET", "/customer_groups", list)
	var groups []Group
	list.json(t, &groups)
	if len(groups) != 2 || groups[0].ID != 1 || groups[1].ID != 2 {
		t.Errorf("list = %+v, want groups 1 and 2 in id order", groups)
	}

	if del := h.do("DELETE", "/v2/customer_groups/1", nil); del.status != http.StatusNoContent || len(del.body) != 0 {
		t.Errorf("delete: %d %q, want 204", del.status, del.body)
	}
	gone := h.do("GET", "/v2/customer_groups/1", nil)
	if gone.status != http.StatusNotFound {
		t.Errorf("get deleted: %d, want 404", gone.status)
	}
	var errs []v2Error
	gone.json(t, &errs)
	if len(errs) != 1 || errs[0].Status != 404 || errs[0].Message == "" {
		t.Errorf("404 body = %s, want the v2 error array", gone.body)
	}
	if again := h.do("DELETE", "/v2/customer_groups/1", nil); again.status != http.StatusNotFound {
		t.Errorf("delete again: %d, want 404", again.status)
	}
}

func TestGroupsPaging(t *testing.T) {
	h := newHarness(t, Options{})
	for i := range 5 {
		if a := h.do("POST", "/v2/customer_groups", map[string]any{"name": fmt.Sprint("g", i)}); a.status != 200 {
			t.Fatal(a.status, string(a.body))
		}
	}
	tests := []struct {
		query  string
		status int
		ids    []int
	}{
		{"?limit=2", 200, []int{1, 2}},
		{"?limit=2&page=2", 200, []int{3, 4}},
		{"?limit=2&page=3", 200, []int{5}},
		{"?limit=2&page=4", 204, nil},
		{"?limit=999", 200, []int{1, 2, 3, 4, 5}},
		{"?name=g3", 200, []int{4}},
		{"?limit=0", 400, nil},
		{"?page=x", 400, nil},
	}
	for _, tt := range tests {
		a := h.do("GET", "/v2/customer_groups"+tt.query, nil)
		if a.status != tt.status {
			t.Errorf("%s: status %d, want %d (%s)", tt.query, a.status, tt.status, a.body)
			continue
		}
		if tt.status != 200 {
			continue
		}
		var gs []Group
		a.json(t, &gs)
		var ids []int
		for _, g := range gs {
			ids = append(ids, g.ID)
		}
		if diff := cmp.Diff(tt.ids, ids); diff != "" {
			t.Errorf("%s ids (-want +got):\n%s", tt.query, diff)
		}
	}
}

func TestGroupsBadInput(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name, method, path string
		body               string
		status             int
		mentions           string
	}{
		{"no name", "POST", "/v2/customer_groups", `{"is_default":true}`, 400, "'name'"},
		{"blank name", "POST", "/v2/customer_groups", `{"name":"  "}`, 400, "'name'"},
		{"not JSON", "POST", "/v2/customer_groups", `{"name":`, 400, "JSON"},
		{"name a number", "POST", "/v2/customer_groups", `{"name":5}`, 400, "name"},
		{"bad access", "POST", "/v2/customer_groups", `{"name":"a","category_access":{"type":"some"}}`, 400, "category_access.type"},
		{"two price lists", "POST", "/v2/customer_groups", `{"name":"a","discount_rules":[{"type":"price_list","price_list_id":1},{"type":"all","method":"percent","amount":"5"}]}`, 400, "only rule"},
		{"update missing", "PUT", "/v2/customer_groups/77", `{"name":"x"}`, 404, "77"},
		{"id not a number", "GET", "/v2/customer_groups/abc", ``, 404, "not found"},
		{"wrong method", "PATCH", "/v2/customer_groups/1", `{}`, 405, "allowed"},
		{"unknown route", "GET", "/v2/products", ``, 404, "customer_groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.do(tt.method, tt.path, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			var errs []v2Error
			a.json(t, &errs)
			if len(errs) != 1 || errs[0].Status != tt.status || !strings.Contains(errs[0].Message, tt.mentions) {
				t.Errorf("body %s: want one v2 error with status %d mentioning %q", a.body, tt.status, tt.mentions)
			}
		})
	}
	if sn, _ := h.emu.Snapshot("abc123"); len(sn.Groups) != 0 {
		t.Errorf("refused creates left groups: %+v", sn.Groups)
	}
}

func TestDeletingGroupUnassignsCustomers(t *testing.T) {
	h := newHarness(t, Options{})
	h.do("POST", "/v2/customer_groups", map[string]any{"name": "G"})
	c := h.do("POST", "/v3/customers", []map[string]any{{"email": "a@example.com", "first_name": "A", "last_name": "B", "customer_group_id": 1}})
	if c.status != 200 {
		t.Fatal(c.status, string(c.body))
	}
	h.do("DELETE", "/v2/customer_groups/1", nil)
	sn, _ := h.emu.Snapshot("abc123")
	if sn.Customers[0].CustomerGroupID != 0 {
		t.Errorf("customer still in deleted group: %+v", sn.Customers[0])
	}
}
