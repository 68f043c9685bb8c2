package bcemu

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAssignments(t *testing.T) {
	loadSpecs(t)
	h := newHarness(t, Options{})
	for _, n := range []string{"A", "B", "C"} {
		h.do("POST", "/v2/customer_groups", map[string]any{"name": n})
	}
	created := h.do("POST", "/v3/pricelists/assignments", []map[string]any{
		{"price_list_id": 7, "customer_group_id": 1, "channel_id": 1},
		{"price_list_id": 7, "customer_group_id": 2},
		{"price_list_id": 8, "customer_group_id": 1, "channel_id": 2},
	})
	if created.status != http.StatusOK {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	valid(t, specPL, "POST", "/pricelists/assignments", created)

	lists := []struct {
		query string
		want  []Assignment
	}{
		{"", []Assignment{{1, 7, 1, 1}, {2, 7, 2, 1}, {3, 8, 1, 2}}},
		{"?customer_group_id=1", []Assignment{{1, 7, 1, 1}, {3, 8, 1, 2}}},
		{"?price_list_id=7&channel_id=1", []Assignment{{1, 7, 1, 1}, {2, 7, 2, 1}}},
		{"?customer_group_id:in=2,3", []Assignment{{2, 7, 2, 1}}},
		{"?id:in=3", []Assignment{{3, 8, 1, 2}}},
		{"?channel_id:in=2&price_list_id:in=8", []Assignment{{3, 8, 1, 2}}},
		{"?limit=1&page=2", []Assignment{{2, 7, 2, 1}}},
		{"?customer_group_id=3", []Assignment{}},
	}
	for _, l := range lists {
		a := h.do("GET", "/v3/pricelists/assignments"+l.query, nil)
		if a.status != 200 {
			t.Errorf("%s: %d %s", l.query, a.status, a.body)
			continue
		}
		valid(t, specPL, "GET", "/pricelists/assignments", a)
		var got struct {
			Data []Assignment `json:"data"`
			Meta struct {
				Pagination pagination `json:"pagination"`
			} `json:"meta"`
		}
		a.json(t, &got)
		if diff := cmp.Diff(l.want, got.Data); diff != "" {
			t.Errorf("%s (-want +got):\n%s", l.query, diff)
		}
	}

	refused := []struct {
		name   string
		body   any
		status int
		key    string
		msg    string
	}{
		{"group already has one on the channel", []map[string]any{{"price_list_id": 9, "customer_group_id": 1, "channel_id": 1}}, 422, "0.customer_group_id", "already has a price list"},
		{"same pair twice", []map[string]any{{"price_list_id": 9, "customer_group_id": 3}, {"price_list_id": 10, "customer_group_id": 3}}, 422, "1.customer_group_id", "item 0"},
		{"no price list", []map[string]any{{"customer_group_id": 3}}, 422, "0.price_list_id", "required"},
		{"unknown group", []map[string]any{{"price_list_id": 9, "customer_group_id": 44}}, 422, "0.customer_group_id", "does not exist"},
		{"channel zero", []map[string]any{{"price_list_id": 9, "customer_group_id": 3, "channel_id": 0}}, 422, "0.channel_id", "positive"},
		{"price list a string", []map[string]any{{"price_list_id": "9"}}, 422, "0.price_list_id", "integer"},
		{"twenty-six", make([]map[string]any, 26), 413, "body", "at most 25"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			a := h.do("POST", "/v3/pricelists/assignments", tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.status == 422 {
				valid(t, specPL, "POST", "/pricelists/assignments", a)
			}
			var e batchError
			a.json(t, &e)
			if e.Status != tt.status || !strings.Contains(e.Errors[tt.key], tt.msg) {
				t.Errorf("body %s: want errors[%q] mentioning %q", a.body, tt.key, tt.msg)
			}
		})
	}
	if sn, _ := h.emu.Snapshot("abc123"); len(sn.Assignments) != 3 {
		t.Errorf("refused batches saved something: %+v", sn.Assignments)
	}

	if a := h.do("DELETE", "/v3/pricelists/assignments", nil); a.status != 422 || !strings.Contains(string(a.body), "filter is required") {
		t.Errorf("delete without a filter: %d %s", a.status, a.body)
	}
	if a := h.do("DELETE", "/v3/pricelists/assignments?customer_group_id=x", nil); a.status != 422 {
		t.Errorf("delete with a bad filter: %d %s", a.status, a.body)
	}
	if a := h.do("DELETE", "/v3/pricelists/assignments?customer_group_id=1&channel_id=2", nil); a.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", a.status, a.body)
	}
	sn, _ := h.emu.Snapshot("abc123")
	if diff := cmp.Diff([]Assignment{{1, 7, 1, 1}, {2, 7, 2, 1}}, sn.Assignments); diff != "" {
		t.Errorf("after delete (-want +got):\n%s", diff)
	}
	// the freed pair can be assigned again
	if a := h.do("POST", "/v3/pricelists/assignments", []map[string]any{{"price_list_id": 9, "customer_group_id": 1, "channel_id": 2}}); a.status != 200 {
		t.Errorf("re-assign: %d %s", a.status, a.body)
	}
}
