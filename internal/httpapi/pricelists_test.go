package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCompanyPriceLists checks priceListAssign (per channel, dependent
// companies) and PUT /catalogs: each change writes exactly one
// price_list_assignment.updated row, carrying the company's whole set, beside
// its company.updated row; a change that changes nothing writes nothing.
func TestCompanyPriceLists(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{dependent: true})
		r := e.do("POST", "/api/v3/io/companies", func() map[string]any {
			c := validCompany("pl")
			c["catalogId"] = 7
			return c
		}())
		expect(t, r, 200)
		id := jsonInt(r.data(t)["companyId"])
		group := jsonInt(r.data(t)["customerGroupId"])
		other := e.createCompany(nil)
		var otherGroup int64
		fmt.Sscan(e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", other), nil).data(t)["bcGroupId"].(string), &otherGroup)
		path := fmt.Sprintf("/api/v3/io/companies/%d", id)
		row := func(company, grp, catalog int64, assignments string) string {
			return fmt.Sprintf(`price_list_assignment.updated customer_group:%d {"companyId":%d,"customerGroupId":%d,"catalogId":%d,"assignments":[%s]}`,
				grp, company, grp, catalog, assignments)
		}
		updated := func(company int64, field string) string {
			return fmt.Sprintf(`company.updated company:%d {"companyId":%d,"changed":["%s"]}`, company, company, field)
		}
		detail := func(want string) {
			t.Helper()
			r := e.do("GET", path, nil)
			expect(t, r, 200)
			conform(t, r, "GET", "/companies/{companyId}")
			var got []string
			for _, l := range r.data(t)["priceListAssign"].([]any) {
				m := l.(map[string]any)
				got = append(got, fmt.Sprintf("%v:%v", m["channelId"], m["priceListId"]))
			}
			if diff := cmp.Diff(want, strings.Join(got, " ")); diff != "" {
				t.Errorf("detail's priceListAssign (-want +got):\n%s", diff)
			}
		}
		steps := []struct {
			name, method, path string
			body               any
			status             int
			rows               []string
			detail             string
		}{
			{"assign channel 1", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 1, "priceListId": 3}}}, 200,
				[]string{row(id, group, 7, `{"channelId":1,"priceListId":3}`), updated(id, "priceListAssign")}, "1:3"},
			{"the same again", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": "1", "priceListId": "3"}}}, 200, nil, "1:3"},
			{"an empty list changes nothing", "PUT", path, map[string]any{"priceListAssign": []any{}}, 200, nil, "1:3"},
			{"add channel 2; channel 1 stays", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 2, "priceListId": 5}}}, 200,
				[]string{row(id, group, 7, `{"channelId":1,"priceListId":3},{"channelId":2,"priceListId":5}`), updated(id, "priceListAssign")}, "1:3 2:5"},
			{"priceListId 0 removes channel 1", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 1, "priceListId": 0}}}, 200,
				[]string{row(id, group, 7, `{"channelId":2,"priceListId":5}`), updated(id, "priceListAssign")}, "2:5"},
			{"a channel twice", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 4, "priceListId": 1}, map[string]any{"channelId": 4, "priceListId": 2}}}, 422, nil, "2:5"},
			{"channel 0", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 0, "priceListId": 1}}}, 422, nil, "2:5"},
			{"a negative price list", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 3, "priceListId": -1}}}, 422, nil, "2:5"},
			{"a price list that is no number", "PUT", path, map[string]any{"priceListAssign": []any{map[string]any{"channelId": 3, "priceListId": "x"}}}, 422, nil, "2:5"},
			{"catalog 9", "PUT", path + "/catalogs", map[string]any{"catalogId": "9"}, 200,
				[]string{updated(id, "catalogId"), row(id, group, 9, `{"channelId":2,"priceListId":5}`)}, "2:5"},
			{"catalog 9 again", "PUT", path + "/catalogs", map[string]any{"catalogId": 9}, 200, nil, "2:5"},
			{"bulk: one company changes, one does not", "PUT", "/api/v3/io/companies/bulk", []any{
				map[string]any{"companyId": id, "priceListAssign": []any{map[string]any{"channelId": 2, "priceListId": 5}}},
				map[string]any{"companyId": other, "priceListAssign": []any{map[string]any{"channelId": 1, "priceListId": 8}}},
			}, 200, []string{row(other, otherGroup, 0, `{"channelId":1,"priceListId":8}`), updated(other, "priceListAssign")}, "2:5"},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				before := lastOutboxID(t, e)
				r := e.do(s.method, s.path, s.body)
				expect(t, r, s.status)
				if s.status == 200 && s.method == "PUT" && !strings.HasSuffix(s.path, "bulk") {
					template := "/companies/{companyId}"
					if strings.HasSuffix(s.path, "/catalogs") {
						template += "/catalogs"
					}
					conform(t, r, "PUT", template)
				}
				if diff := cmp.Diff(s.rows, outboxSummary(outboxAfter(t, e, before)), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("outbox rows (-want +got):\n%s", diff)
				}
				detail(s.detail)
			})
		}
	})
}

// TestIndependentCompanyPriceLists: with independent companies a company's
// price list comes from its customer group; priceListAssign is checked and
// then ignored (the vendor's "will not take effect"), writing nothing, and
// /catalogs is 405.
func TestIndependentCompanyPriceLists(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		id := e.createCompany(nil)
		path := fmt.Sprintf("/api/v3/io/companies/%d", id)
		for _, c := range []struct {
			name   string
			body   any
			status int
		}{
			{"assign", map[string]any{"priceListAssign": []any{map[string]any{"channelId": 1, "priceListId": 3}}}, 200},
			{"an empty list (a detail sent back)", map[string]any{"priceListAssign": []any{}}, 200},
			{"a bad item is still refused", map[string]any{"priceListAssign": []any{map[string]any{"channelId": 0, "priceListId": 3}}}, 422},
		} {
			before := lastOutboxID(t, e)
			expect(t, e.do("PUT", path, c.body), c.status)
			if msgs := outboxAfter(t, e, before); len(msgs) != 0 {
				t.Errorf("%s wrote %v", c.name, outboxSummary(msgs))
			}
			r := e.do("GET", path, nil)
			if got := r.data(t)["priceListAssign"]; len(got.([]any)) != 0 {
				t.Errorf("%s: an independent company shows price lists %v", c.name, got)
			}
		}
		expect(t, e.do("PUT", path+"/catalogs", map[string]any{"catalogId": 1}), 405)
	})
}
