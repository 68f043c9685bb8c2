package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
)

func TestCompanyLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{groupName: "Wholesale"})

		r := e.do("POST", "/api/v3/io/companies", map[string]any{
			"companyName": "Great Buys Inc.", "companyPhone": 8001234567, "companyEmail": "admin@greatbuys.com",
			"addressLine1": "123 Main Street", "city": "Austin", "state": "Texas", "country": "United States", "zipCode": "78726",
			"adminFirstName": "Marie", "adminLastName": "Curie", "adminEmail": "m.curie@greatbuys.com",
			"uuid": "ERP-1", "channelIds": []any{1, "2"}, "acceptCreationEmail": "true",
			"companyStatus": "0", // Guild's extension: created pending, approved below
		})
		expect(t, r, 200)
		conform(t, r, "POST", "/companies")
		created := r.data(t)
		id := int64(created["companyId"].(float64))
		if created["customerId"].(float64) <= 0 {
			t.Errorf("customerId not given at once: %s", r.body)
		}
		if got, want := int64(created["customerGroupId"].(float64)), e.tenant.DefaultCustomerGroupID; got != want || want == 0 {
			t.Errorf("customerGroupId = %d, want the store default %d", got, want)
		}

		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", id), nil)
		expect(t, r, 200)
		conform(t, r, "GET", "/companies/{companyId}")
		d := r.data(t)
		want := map[string]any{
			"companyId": fmt.Sprint(id), "companyName": "Great Buys Inc.", "companyPhone": "8001234567",
			"companyEmail": "admin@greatbuys.com", "companyStatus": "0", "uuid": "ERP-1", "catalogId": "",
			"bcGroupId": fmt.Sprint(e.tenant.DefaultCustomerGroupID), "bcGroupName": "Wholesale",
			"country": "United States", "countryCode": "US", "state": "Texas", "city": "Austin",
		}
		for k, v := range want {
			if d[k] != v {
				t.Errorf("detail %s = %#v, want %#v", k, d[k], v)
			}
		}

		r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d", id), map[string]any{"companyName": "Great Buys Holding", "customerGroupId": 0})
		expect(t, r, 200)
		conform(t, r, "PUT", "/companies/{companyId}")
		if got := r.data(t)["companyId"]; got != float64(id) {
			t.Errorf("update answered companyId %v", got)
		}

		r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/status", id), map[string]any{"companyStatus": "1"})
		expect(t, r, 200)
		conform(t, r, "PUT", "/companies/{companyId}/status")

		r = e.do("GET", "/api/v3/io/companies?companyStatus=1&q=holding", nil)
		expect(t, r, 200)
		conform(t, r, "GET", "/companies")
		list := r.json(t)
		items := list["data"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["companyName"] != "Great Buys Holding" || items[0].(map[string]any)["bcGroupId"] != float64(0) {
			t.Fatalf("list: %s", r.body)
		}
		if diff := cmp.Diff(map[string]any{"limit": float64(10), "offset": float64(0), "totalCount": float64(1)}, list["meta"].(map[string]any)["pagination"]); diff != "" {
			t.Errorf("pagination (-want +got):\n%s", diff)
		}

		r = e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", id), nil)
		expect(t, r, 200)
		conform(t, r, "DELETE", "/companies/{companyId}")
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", id), nil)
		expect(t, r, 404)
		conform(t, r, "GET", "/companies/{companyId}")

		// The outbox tells the platform every step, in order.
		msgs, err := b.store.ListOutbox(context.Background(), e.tenant.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var topics []string
		for _, m := range msgs {
			topics = append(topics, m.Topic)
		}
		wantTopics := []string{
			guild.TopicCustomerGroupCreated, // the store's default group
			guild.TopicCompanyCreated, guild.TopicCustomerCreated, guild.TopicUserCreated,
			guild.TopicCompanyUpdated, guild.TopicCustomerUpdated, // rename + group removed: the customer learns both
			guild.TopicCompanyStatusUpdated,
			guild.TopicCustomerUpdated, guild.TopicUserDeleted, guild.TopicCompanyDeleted,
		}
		if diff := cmp.Diff(wantTopics, topics); diff != "" {
			t.Errorf("outbox topics (-want +got):\n%s", diff)
		}

		// Without companyStatus a company the merchant creates is approved.
		other := e.createCompany(nil)
		if st := e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", other), nil).data(t)["companyStatus"]; st != "1" {
			t.Errorf("a new company's status is %v, want approved (1)", st)
		}
		expect(t, e.do("POST", "/api/v3/io/companies", func() map[string]any {
			c := validCompany("st")
			c["companyStatus"] = 9
			return c
		}()), 422)
	})
}

func TestCompanyListFiltersAndPaging(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		var ids []int64
		for i := range 5 {
			ids = append(ids, e.createCompany(map[string]any{"companyName": fmt.Sprintf("Zeta %d", 5-i)}))
		}
		r := e.do("GET", "/api/v3/io/companies?sortBy=companyName&orderBy=ASC&limit=2&offset=1", nil)
		expect(t, r, 200)
		conform(t, r, "GET", "/companies")
		var page struct {
			Data []struct {
				CompanyName string `json:"companyName"`
			} `json:"data"`
			Meta struct {
				Pagination struct{ Limit, Offset, TotalCount int } `json:"pagination"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Data) != 2 || page.Data[0].CompanyName != "Zeta 2" || page.Data[1].CompanyName != "Zeta 3" || page.Meta.Pagination.TotalCount != 5 {
			t.Errorf("page: %s", r.body)
		}
		// Default order: updatedAt DESC, ties by id DESC — the newest first.
		r = e.do("GET", "/api/v3/io/companies", nil)
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Data[0].CompanyName != "Zeta 1" {
			t.Errorf("default order starts with %q, want the newest", page.Data[0].CompanyName)
		}
		// Filtering by customer id finds the company of that customer's user.
		c, err := b.store.ListCompanyUsers(context.Background(), e.tenant.ID, ids[2])
		if err != nil || len(c) != 1 {
			t.Fatalf("users of company: %v %v", c, err)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies?customerId=%d", c[0].CustomerID), nil)
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Data) != 1 || page.Data[0].CompanyName != "Zeta 3" {
			t.Errorf("customerId filter: %s", r.body)
		}
		// Orders are not tracked yet: an order filter matches nothing.
		r = e.do("GET", "/api/v3/io/companies?bcOrderId=102", nil)
		expect(t, r, 200)
		if err := json.Unmarshal(r.body, &page); err != nil || len(page.Data) != 0 {
			t.Errorf("order filter: %s", r.body)
		}
	})
}

func TestAuthentication(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		other := newEnv(t, b, envOptions{})
		id := e.createCompany(nil)
		path := fmt.Sprintf("/api/v3/io/companies/%d", id)

		cases := []struct {
			name    string
			headers map[string]string
			status  int
		}{
			{"no token", nil, 401},
			{"unknown token", map[string]string{"authToken": "guild_nope"}, 401},
			{"authToken", map[string]string{"authToken": e.token}, 200},
			{"X-Auth-Token with store hash", map[string]string{"X-Auth-Token": e.token, "X-Store-Hash": e.tenant.Hash}, 200},
			{"X-Auth-Token without store hash", map[string]string{"X-Auth-Token": e.token}, 401},
			{"X-Auth-Token with another store's hash", map[string]string{"X-Auth-Token": e.token, "X-Store-Hash": other.tenant.Hash}, 401},
			{"another store's token cannot see the company", map[string]string{"authToken": other.token}, 404},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.request("GET", path, nil, c.headers)
				expect(t, r, c.status)
				env := r.json(t)
				if env["code"] != float64(c.status) || env["meta"] == nil {
					t.Errorf("not the vendor envelope: %s", r.body)
				}
			})
		}
		// Another store's token cannot change or delete it either.
		r := e.request("PUT", path, `{"companyName":"Stolen"}`, map[string]string{"authToken": other.token})
		expect(t, r, 404)
		r = e.request("DELETE", path, nil, map[string]string{"authToken": other.token})
		expect(t, r, 404)

		toks, err := e.app.ListTokens(context.Background(), e.tenant.Hash)
		if err != nil || len(toks) != 1 {
			t.Fatal(toks, err)
		}
		if err := e.app.RevokeToken(context.Background(), e.tenant.Hash, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		expect(t, e.do("GET", path, nil), 401)
	})
}

func TestCompanyBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		existing := e.createCompany(map[string]any{"adminEmail": "taken@example.com"})
		with := func(k string, v any) map[string]any {
			c := validCompany(randomHex(4))
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
			return c
		}
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string // a key expected in data.errMsg, when it is an object
		}{
			{"malformed JSON", "POST", "/api/v3/io/companies", `{"companyName": `, 400, ""},
			{"array instead of object", "POST", "/api/v3/io/companies", `[]`, 422, ""},
			{"empty body", "POST", "/api/v3/io/companies", ``, 400, ""},
			{"missing name", "POST", "/api/v3/io/companies", with("companyName", nil), 422, "company_name"},
			{"name too long", "POST", "/api/v3/io/companies", with("companyName", strings.Repeat("x", 201)), 422, "company_name"},
			{"bad email", "POST", "/api/v3/io/companies", with("companyEmail", "not-an-email"), 422, "company_email"},
			{"unknown country", "POST", "/api/v3/io/companies", with("country", "Narnia"), 422, "country"},
			{"wrong type", "POST", "/api/v3/io/companies", with("customerGroupId", "abc"), 422, "customer_group_id"},
			{"unknown customer group", "POST", "/api/v3/io/companies", with("customerGroupId", 999999), 422, "customer_group_id"},
			{"admin email already a user", "POST", "/api/v3/io/companies", with("adminEmail", "TAKEN@example.com"), 422, "admin_email"},
			{"unknown extra field", "POST", "/api/v3/io/companies", with("extraFields", []any{map[string]any{"fieldName": "nope", "fieldValue": "1"}}), 422, ""},
			{"extraFields not a list", "POST", "/api/v3/io/companies", with("extraFields", "x"), 422, ""},
			{"unknown company", "GET", "/api/v3/io/companies/999999", nil, 404, ""},
			{"non-numeric id", "GET", "/api/v3/io/companies/abc", nil, 422, "companyId"},
			{"limit too large", "GET", "/api/v3/io/companies?limit=251", nil, 422, "limit"},
			{"limit zero", "GET", "/api/v3/io/companies?limit=0", nil, 422, "limit"},
			{"negative offset", "GET", "/api/v3/io/companies?offset=-1", nil, 422, "offset"},
			{"bad sort", "GET", "/api/v3/io/companies?sortBy=id", nil, 422, "sortBy"},
			{"bad status filter", "GET", "/api/v3/io/companies?companyStatus=9", nil, 422, "companyStatus"},
			{"bad status", "PUT", fmt.Sprintf("/api/v3/io/companies/%d/status", existing), map[string]any{"companyStatus": 7}, 422, "company_status"},
			{"missing status", "PUT", fmt.Sprintf("/api/v3/io/companies/%d/status", existing), map[string]any{}, 422, "company_status"},
			{"catalogs in independent mode", "PUT", fmt.Sprintf("/api/v3/io/companies/%d/catalogs", existing), map[string]any{"catalogId": "1"}, 405, ""},
			{"convert in independent mode", "POST", "/api/v3/io/customer-groups/1/companies", validCompany("x"), 400, ""},
			{"update with empty name", "PUT", fmt.Sprintf("/api/v3/io/companies/%d", existing), map[string]any{"companyName": ""}, 422, "company_name"},
			{"update unknown company", "PUT", "/api/v3/io/companies/999999", map[string]any{"companyName": "x"}, 404, ""},
			{"unknown route", "GET", "/api/v3/io/nothing-here", nil, 404, ""},
			{"wrong method", "PATCH", "/api/v3/io/companies", `{}`, 405, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := countCompanies(t, e)
				r := e.do(c.method, c.path, c.body)
				expect(t, r, c.status)
				env := r.json(t)
				if env["code"] != float64(c.status) {
					t.Errorf("envelope code %v, want %d", env["code"], c.status)
				}
				data, _ := env["data"].(map[string]any)
				msg := data["errMsg"]
				if msg == nil || msg == "" {
					t.Errorf("no errMsg saying what to fix: %s", r.body)
				}
				if c.field != "" {
					fields, ok := msg.(map[string]any)
					if !ok || fields[c.field] == nil {
						t.Errorf("errMsg does not name %s: %s", c.field, r.body)
					}
				}
				if after := countCompanies(t, e); after != before {
					t.Errorf("a refused request wrote something: %d companies, was %d", after, before)
				}
			})
		}
	})
}

func countCompanies(t *testing.T, e *env) int {
	t.Helper()
	_, n, err := e.app.Store().ListCompanies(context.Background(), e.tenant.ID, guild.CompanyFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkCompanies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		var items []any
		for range 3 {
			items = append(items, validCompany(randomHex(4)))
		}
		r := e.do("POST", "/api/v3/io/companies/bulk", items)
		expect(t, r, 200)
		conform(t, r, "POST", "/companies/bulk")
		var created struct {
			Code int `json:"code"`
			Meta []struct {
				CompanyID int64 `json:"companyId"`
			} `json:"meta"`
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &created); err != nil || len(created.Meta) != 3 || created.Data.ID == "" {
			t.Fatalf("bulk create answer: %s", r.body)
		}

		// One bad item: nothing is written and the error says which and why.
		bad := []any{validCompany(randomHex(4)), validCompany(randomHex(4)), validCompany(randomHex(4))}
		bad[1].(map[string]any)["companyEmail"] = "nope"
		dup := bad[2].(map[string]any)
		dup["adminEmail"] = bad[0].(map[string]any)["adminEmail"]
		before := countCompanies(t, e)
		r = e.do("POST", "/api/v3/io/companies/bulk", bad)
		expect(t, r, 422)
		var failed struct {
			Data struct {
				ErrMsg []map[string][]string `json:"errMsg"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &failed); err != nil || len(failed.Data.ErrMsg) != 3 {
			t.Fatalf("bulk error is not aligned with the items: %s", r.body)
		}
		if len(failed.Data.ErrMsg[0]) != 0 || failed.Data.ErrMsg[1]["company_email"] == nil {
			t.Errorf("bulk error items: %s", r.body)
		}
		if countCompanies(t, e) != before {
			t.Errorf("a refused bulk wrote companies")
		}
		// The duplicate admin email inside one request is caught too.
		bad[1].(map[string]any)["companyEmail"] = "ok@example.com"
		r = e.do("POST", "/api/v3/io/companies/bulk", bad)
		expect(t, r, 422)
		if err := json.Unmarshal(r.body, &failed); err != nil || failed.Data.ErrMsg[2]["admin_email"] == nil {
			t.Errorf("duplicate admin email in one bulk: %s", r.body)
		}

		var eleven []any
		for range 11 {
			eleven = append(eleven, validCompany(randomHex(4)))
		}
		r = e.do("POST", "/api/v3/io/companies/bulk", eleven)
		expect(t, r, 413)
		if env := r.json(t); env["meta"].(map[string]any)["message"] != "Request Entity Too Large" {
			t.Errorf("413 envelope: %s", r.body)
		}

		// Bulk update.
		upd := []any{
			map[string]any{"companyId": fmt.Sprint(created.Meta[0].CompanyID), "companyName": "Renamed A"},
			map[string]any{"companyId": created.Meta[1].CompanyID, "city": "Dallas"},
		}
		r = e.do("PUT", "/api/v3/io/companies/bulk", upd)
		expect(t, r, 200)
		conform(t, r, "PUT", "/companies/bulk")
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", created.Meta[0].CompanyID), nil)
		if r.data(t)["companyName"] != "Renamed A" {
			t.Errorf("bulk update not applied: %s", r.body)
		}
		upd = append(upd, map[string]any{"companyId": 999999, "companyName": "ghost"})
		upd[0].(map[string]any)["companyName"] = "Renamed again"
		r = e.do("PUT", "/api/v3/io/companies/bulk", upd)
		expect(t, r, 422)
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", created.Meta[0].CompanyID), nil)
		if r.data(t)["companyName"] != "Renamed A" {
			t.Errorf("a refused bulk update changed a company: %s", r.body)
		}
	})
}

func TestDependentCompanies(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{dependent: true})
		r := e.do("POST", "/api/v3/io/companies", map[string]any{
			"companyName": "Dep Co", "companyPhone": "1", "companyEmail": "dep@example.com", "country": "DE",
			"adminFirstName": "A", "adminLastName": "B", "adminEmail": "dep-admin@example.com", "catalogId": 7,
			"customerGroupId": 12345, // ignored in dependent mode
		})
		expect(t, r, 200)
		id := int64(r.data(t)["companyId"].(float64))
		groupID := int64(r.data(t)["customerGroupId"].(float64))
		ctx := context.Background()
		g, err := b.store.CustomerGroup(ctx, e.tenant.ID, groupID)
		if err != nil || g.Name != "Dep Co" || g.CompanyID != id {
			t.Fatalf("own group: %+v %v", g, err)
		}
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d", id), map[string]any{
			"companyName": "Dep Co 2", "priceListAssign": []any{map[string]any{"channelId": 1, "priceListId": 3}},
		}), 200)
		if g, _ := b.store.CustomerGroup(ctx, e.tenant.ID, groupID); g.Name != "Dep Co 2" {
			t.Errorf("the group did not follow the company's name: %q", g.Name)
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/catalogs", id), map[string]any{"catalogId": "9"})
		expect(t, r, 200)
		conform(t, r, "PUT", "/companies/{companyId}/catalogs")
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", id), nil)
		d := r.data(t)
		if d["catalogId"] != "9" || len(d["priceListAssign"].([]any)) != 1 {
			t.Errorf("catalog and price lists: %s", r.body)
		}
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", id), nil), 200)
		if _, err := b.store.CustomerGroup(ctx, e.tenant.ID, groupID); !guild.IsNotFound(err) {
			t.Errorf("the company's own group outlived it: %v", err)
		}

		// Converting a stand-alone group into a company.
		grp, err := e.app.CreateCustomerGroup(ctx, e.tenant, "Imported group")
		if err != nil {
			t.Fatal(err)
		}
		r = e.do("POST", fmt.Sprintf("/api/v3/io/customer-groups/%d/companies", grp.ID), validCompany("conv"))
		expect(t, r, 200)
		conform(t, r, "POST", "/customer-groups/{customerGroupId}/companies")
		r = e.do("POST", fmt.Sprintf("/api/v3/io/customer-groups/%d/companies", grp.ID), validCompany("conv2"))
		expect(t, r, 400)
		expect(t, e.do("POST", "/api/v3/io/customer-groups/999999/companies", validCompany("conv3")), 404)

		// As on the vendor, converting needs no admin names when the admin
		// is an existing customer: they are taken from the customer.
		grp2, err := e.app.CreateCustomerGroup(ctx, e.tenant, "Second group")
		if err != nil {
			t.Fatal(err)
		}
		noNames := validCompany("conv4")
		delete(noNames, "adminFirstName")
		delete(noNames, "adminLastName")
		r = e.do("POST", fmt.Sprintf("/api/v3/io/customer-groups/%d/companies", grp2.ID), noNames)
		expect(t, r, 422)
		noNames["adminEmail"] = "DEP-admin@example.com" // the customer kept from the deleted company
		r = e.do("POST", fmt.Sprintf("/api/v3/io/customer-groups/%d/companies", grp2.ID), noNames)
		expect(t, r, 200)
		u, err := b.store.UserByEmail(ctx, e.tenant.ID, "dep-admin@example.com")
		if err != nil || u.FirstName != "A" || u.LastName != "B" {
			t.Errorf("admin names not taken from the customer: %+v %v", u, err)
		}
	})
}
