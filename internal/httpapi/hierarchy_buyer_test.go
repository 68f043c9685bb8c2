package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBuyerHierarchyReach checks that permission levels follow the real
// account hierarchy in the buyer API: Top → Own → Sub → Grand, and Top →
// Sibling. A level-3 grant reaches Own's subsidiary and grandchild, never
// the sibling tree nor the parent; a level-2 grant reaches Own only; a
// detach takes effect on the next request.
func TestBuyerHierarchyReach(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		id := map[string]int64{}
		for _, n := range []string{"Top", "Own", "Sub", "Grand", "Sibling"} {
			id[n] = e.createCompany(map[string]any{"companyName": n})
		}
		for _, edge := range [][2]string{{"Own", "Top"}, {"Sub", "Own"}, {"Grand", "Sub"}, {"Sibling", "Top"}} {
			expect(t, e.attach(id[edge[0]], id[edge[1]]), 201)
		}
		role := func(name string, level int) int64 {
			r := e.do("POST", "/api/v3/io/companies/roles", map[string]any{"name": name, "permissions": []any{
				map[string]any{"code": "get_users", "permissionLevel": level},
			}})
			expect(t, r, 200)
			return jsonInt(r.data(t)["id"])
		}
		tokens := map[string]string{}
		for name, level := range map[string]int{"level 3": 3, "level 2": 2} {
			_, cust := e.createUser(id["Own"], 2, role("Users at "+name, level), "l"+fmt.Sprint(level))
			tokens[name] = e.buyerToken(cust)
		}
		_, adminCust := e.companyAdmin(id["Own"])
		tokens["admin"] = e.buyerToken(adminCust)

		usersOf := func(actor, company string) int {
			return e.buyer(tokens[actor], "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/users", id[company]), nil).status
		}
		cases := []struct {
			actor, company string
			want           int
		}{
			{"level 3", "Own", 200},
			{"level 3", "Sub", 200},
			{"level 3", "Grand", 200},
			{"level 3", "Sibling", 404},
			{"level 3", "Top", 404},
			{"level 2", "Own", 200},
			{"level 2", "Sub", 403},
			{"level 2", "Grand", 403},
			{"level 2", "Sibling", 404},
			{"admin", "Grand", 200},
		}
		for _, c := range cases {
			if got := usersOf(c.actor, c.company); got != c.want {
				t.Errorf("%s: GET %s/users answered %d, want %d", c.actor, c.company, got, c.want)
			}
		}

		// The companies a level-3 user acts for: the own one and below.
		r := e.buyer(tokens["level 3"], "GET", "/api/v3/buyer/companies", nil)
		expect(t, r, 200)
		var got []string
		for _, c := range dataArray(t, r) {
			m := c.(map[string]any)
			got = append(got, fmt.Sprintf("%s %s", m["companyName"], m["relation"]))
		}
		if diff := cmp.Diff([]string{"Own own", "Sub subsidiary", "Grand subsidiary"}, got); diff != "" {
			t.Errorf("level-3 user's companies (-want +got):\n%s", diff)
		}
		r = e.buyer(tokens["level 2"], "GET", "/api/v3/buyer/companies", nil)
		if n := len(dataArray(t, r)); n != 1 {
			t.Errorf("a level-2 user acts for %d companies, want their own only: %s", n, r.body)
		}

		// The admin's subsidiaries, nearest first.
		r = e.buyer(tokens["admin"], "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/subsidiaries", id["Own"]), nil)
		expect(t, r, 200)
		got = nil
		for _, c := range dataArray(t, r) {
			got = append(got, c.(map[string]any)["companyName"].(string))
		}
		if diff := cmp.Diff([]string{"Sub", "Grand"}, got); diff != "" {
			t.Errorf("subsidiaries (-want +got):\n%s", diff)
		}

		// Detaching Sub takes Sub and Grand out of reach at once.
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d/subsidiaries/%d", id["Own"], id["Sub"]), nil), 204)
		for _, c := range []string{"Sub", "Grand"} {
			if got := usersOf("level 3", c); got != 404 {
				t.Errorf("after the detach, level 3: GET %s/users answered %d, want 404", c, got)
			}
		}
	})
}
