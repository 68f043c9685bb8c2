package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
)

func superAdminBody(tag string) map[string]any {
	return map[string]any{"firstName": "Sam", "lastName": "Super", "email": "sam-" + tag + "@example.com"}
}

// addSuperAdmin creates a super admin and returns its id.
func (e *env) addSuperAdmin(fields map[string]any) int64 {
	e.t.Helper()
	body := superAdminBody(randomHex(4))
	for k, v := range fields {
		body[k] = v
	}
	r := e.do("POST", "/api/v3/io/super-admins", body)
	expect(e.t, r, 200)
	return int64(r.data(e.t)["userId"].(float64))
}

func countSuperAdmins(t *testing.T, e *env) int {
	t.Helper()
	_, n, err := e.app.Store().ListSuperAdmins(context.Background(), e.tenant.ID, guild.SuperAdminFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// listIDs reads the ids of a list answer's items under key.
func listIDs(t *testing.T, r response, key string) []int64 {
	t.Helper()
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	out := []int64{}
	for _, item := range page.Data {
		out = append(out, int64(item[key].(float64)))
	}
	return out
}

func TestSuperAdminLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		ctx := context.Background()
		_, mark := outboxTopics(t, e, 0)

		r := e.do("POST", "/api/v3/io/super-admins", map[string]any{
			"firstName": "Arthur", "lastName": "Morgan", "email": "arthur@example.com", "phone": 5550100,
			"uuid": "ERP-SA-1", "channelIds": []any{"1", 2}, "originChannelId": 1, "extraFields": []any{},
		})
		expect(t, r, 200)
		conformSuperAdmin(t, r, "POST", "/super-admins")
		if msg := r.json(t)["meta"].(map[string]any)["message"]; msg != "Success" {
			t.Errorf("meta.message = %v, want Success", msg)
		}
		id := int64(r.data(t)["userId"].(float64))
		customerID := int64(r.data(t)["customerId"].(float64))

		info := fmt.Sprintf("/api/v3/io/super-admins/info/%d", id)
		r = e.do("GET", info, nil)
		expect(t, r, 200)
		conformSuperAdmin(t, r, "GET", "/super-admins/info/{superAdminId}")
		d := r.data(t)
		want := map[string]any{
			"id": float64(id), "firstName": "Arthur", "lastName": "Morgan", "email": "arthur@example.com",
			"phone": "5550100", "uuid": "ERP-SA-1", "customerId": float64(customerID),
		}
		for k, v := range want {
			if d[k] != v {
				t.Errorf("detail %s = %#v, want %#v", k, d[k], v)
			}
		}
		if len(d["channelList"].([]any)) != 2 || d["extraFields"] == nil {
			t.Errorf("detail: %s", r.body)
		}
		cust, err := b.store.Customer(ctx, e.tenant.ID, customerID)
		if err != nil || cust.Email != "arthur@example.com" || cust.CompanyName != "" || cust.CustomerGroupID != 0 {
			t.Errorf("customer: %+v %v", cust, err)
		}

		r = e.do("PUT", info, map[string]any{"firstName": "Art", "phone": "1", "channelIds": []any{3}, "email": "ARTHUR@example.com"})
		expect(t, r, 200)
		conformSuperAdmin(t, r, "PUT", "/super-admins/info/{superAdminId}")
		if d := r.data(t); d["firstName"] != "Art" || d["lastName"] != "Morgan" || d["phone"] != "1" || len(d["channelList"].([]any)) != 1 {
			t.Errorf("update answer: %s", r.body)
		}
		cust, _ = b.store.Customer(ctx, e.tenant.ID, customerID)
		if cust.FirstName != "Art" || cust.Phone != "1" || !cmp.Equal(cust.ChannelIDs, []int64{3}) {
			t.Errorf("the customer did not follow: %+v", cust)
		}

		// Assignments are non-destructive: only the listed companies change.
		ca, cb, cc := e.createCompany(nil), e.createCompany(nil), e.createCompany(nil)
		assign := fmt.Sprintf("/api/v3/io/super-admins/%d", id)
		r = e.do("PUT", assign, map[string]any{"companies": []any{
			map[string]any{"companyId": ca, "isAssigned": true}, map[string]any{"companyId": fmt.Sprint(cb), "isAssigned": "true"},
		}})
		expect(t, r, 200)
		conformSuperAdmin(t, r, "PUT", "/super-admins/{superAdminId}")
		companies := fmt.Sprintf("/api/v3/io/super-admins/%d/companies", id)
		r = e.do("GET", companies, nil)
		expect(t, r, 200)
		conformSuperAdmin(t, r, "GET", "/super-admins/{superAdminId}/companies")
		if got := listIDs(t, r, "companyId"); !cmp.Equal(got, []int64{ca, cb}) {
			t.Errorf("companies %v, want %v", got, []int64{ca, cb})
		}
		expect(t, e.do("PUT", assign, map[string]any{"companies": []any{
			map[string]any{"companyId": cb, "isAssigned": false}, map[string]any{"companyId": cc, "isAssigned": 1},
		}}), 200)
		if got := listIDs(t, e.do("GET", companies, nil), "companyId"); !cmp.Equal(got, []int64{ca, cc}) {
			t.Errorf("after the second assignment: %v, want %v", got, []int64{ca, cc})
		}
		r = e.do("GET", companies+"?limit=1&offset=1", nil)
		expect(t, r, 200)
		if got := listIDs(t, r, "companyId"); !cmp.Equal(got, []int64{cc}) || !strings.Contains(string(r.body), `"totalCount":2`) {
			t.Errorf("paged companies: %s", r.body)
		}
		// An unknown company is refused, by id, and nothing changes.
		r = e.do("PUT", assign, map[string]any{"companies": []any{
			map[string]any{"companyId": cb, "isAssigned": true}, map[string]any{"companyId": 999999, "isAssigned": true},
		}})
		expect(t, r, 422)
		if !strings.Contains(string(r.body), "999999") {
			t.Errorf("the refusal does not name the company: %s", r.body)
		}
		if got := listIDs(t, e.do("GET", companies, nil), "companyId"); !cmp.Equal(got, []int64{ca, cc}) {
			t.Errorf("a refused assignment changed something: %v", got)
		}

		// The company side: its super admins, and assignment by company.
		other := e.addSuperAdmin(map[string]any{"firstName": "Bea", "lastName": "Other"})
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/super-admins", ca), nil)
		expect(t, r, 200)
		conformSuperAdmin(t, r, "GET", "/companies/{companyId}/super-admins")
		if got := listIDs(t, r, "id"); !cmp.Equal(got, []int64{id}) {
			t.Errorf("super admins of company: %v", got)
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/super-admins", ca), map[string]any{"superAdmins": []any{
			map[string]any{"superAdminId": other, "isAssigned": true},
		}})
		expect(t, r, 200)
		conformSuperAdmin(t, r, "PUT", "/companies/{companyId}/super-admins")
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/super-admins?isIncludeExtraFields=1", ca), nil)
		expect(t, r, 200)
		conformSuperAdmin(t, r, "GET", "/companies/{companyId}/super-admins")
		if got := listIDs(t, r, "id"); !cmp.Equal(got, []int64{id, other}) || !strings.Contains(string(r.body), `"extraFields":[]`) {
			t.Errorf("super admins of company after assigning by company: %s", r.body)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/super-admins?q=bea", ca), nil)
		if got := listIDs(t, r, "id"); !cmp.Equal(got, []int64{other}) || !strings.Contains(string(r.body), `"totalCount":1`) {
			t.Errorf("q on a company's super admins: %s", r.body)
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/super-admins", ca), map[string]any{"superAdmins": []any{
			map[string]any{"superAdminId": id, "isAssigned": false}, map[string]any{"superAdminId": 999999, "isAssigned": true},
		}})
		expect(t, r, 422)
		if !strings.Contains(string(r.body), "999999") {
			t.Errorf("the refusal does not name the super admin: %s", r.body)
		}
		if got := listIDs(t, e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/super-admins", ca), nil), "id"); !cmp.Equal(got, []int64{id, other}) {
			t.Errorf("a refused assignment changed something: %v", got)
		}

		// Every company with its number of super admins.
		r = e.do("GET", "/api/v3/io/super-admins/companies?orderBy=ASC", nil)
		expect(t, r, 200)
		conformSuperAdmin(t, r, "GET", "/super-admins/companies")
		counts := map[int64]float64{}
		var page struct {
			Data []map[string]any `json:"data"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Data {
			counts[int64(item["companyId"].(float64))] = item["superAdminCount"].(float64)
		}
		if diff := cmp.Diff(map[int64]float64{ca: 2, cb: 0, cc: 1}, counts); diff != "" {
			t.Errorf("superAdminCount (-want +got):\n%s", diff)
		}

		topics, _ := outboxTopics(t, e, mark)
		var saTopics []string
		for _, topic := range topics {
			if strings.HasPrefix(topic, "super_admin.") || topic == guild.TopicCompanySuperAdminsUpdated {
				saTopics = append(saTopics, topic)
			}
		}
		wantTopics := []string{
			guild.TopicSuperAdminCreated, guild.TopicSuperAdminUpdated,
			guild.TopicSuperAdminAssignmentUpdated, guild.TopicSuperAdminAssignmentUpdated,
			guild.TopicSuperAdminCreated, guild.TopicCompanySuperAdminsUpdated,
		}
		if diff := cmp.Diff(wantTopics, saTopics); diff != "" {
			t.Errorf("outbox topics (-want +got):\n%s", diff)
		}
		if topics[0] != guild.TopicCustomerCreated {
			t.Errorf("the super admin's customer is not announced first: %v", topics)
		}

		// Deleting a company removes its assignments.
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", ca), nil), 200)
		if got := listIDs(t, e.do("GET", companies, nil), "companyId"); !cmp.Equal(got, []int64{cc}) {
			t.Errorf("after deleting company %d: %v, want %v", ca, got, []int64{cc})
		}
	})
}

func TestSuperAdminList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		clock := &stepClock{t: time.Unix(1_700_000_000, 0)}
		e := newEnv(t, b, envOptions{clock: clock.now})
		s1 := e.addSuperAdmin(map[string]any{"firstName": "Ada", "uuid": "U-1"})
		clock.advance(100 * time.Second) // 1_700_000_100
		s2 := e.addSuperAdmin(map[string]any{"firstName": "Bob", "email": "bob@corp.example.com"})
		clock.advance(100 * time.Second) // 1_700_000_200
		s3 := e.addSuperAdmin(map[string]any{"firstName": "Cy", "uuid": "U-1"})
		clock.advance(100 * time.Second) // 1_700_000_300
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/super-admins/info/%d", s1), map[string]any{"lastName": "Later"}), 200)
		company := e.createCompany(nil)
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/super-admins/%d", s2), map[string]any{"companies": []any{map[string]any{"companyId": company, "isAssigned": true}}}), 200)

		cases := []struct {
			query string
			want  []int64
		}{
			{"", []int64{s3, s2, s1}}, // newest first by default
			{"?orderBy=asc", []int64{s1, s2, s3}},
			{"?limit=2", []int64{s3, s2}},
			{"?limit=2&offset=2", []int64{s1}},
			{"?orderBy=ASC&limit=2&offset=1", []int64{s2, s3}},
			{"?q=corp.example", []int64{s2}},
			{"?q=ADA", []int64{s1}},
			{"?uuid=U-1", []int64{s3, s1}},
			{"?uuid=U-1&orderBy=ASC&limit=1&offset=1", []int64{s3}},
			{"?minCreated=1700000100", []int64{s3, s2}},
			{"?maxCreated=1700000100&orderBy=ASC", []int64{s1, s2}},
			{"?minModified=1700000300", []int64{s1}},
			{"?maxModified=1700000150&minModified=1700000050", []int64{s2}},
			{"?offset=5", []int64{}},
		}
		for _, c := range cases {
			r := e.do("GET", "/api/v3/io/companies/super-admins"+c.query, nil)
			expect(t, r, 200)
			conformSuperAdmin(t, r, "GET", "/companies/super-admins")
			if got := listIDs(t, r, "id"); !cmp.Equal(got, c.want) {
				t.Errorf("GET /companies/super-admins%s = %v, want %v", c.query, got, c.want)
			}
		}
		r := e.do("GET", "/api/v3/io/companies/super-admins?uuid=U-1&limit=1", nil)
		if !strings.Contains(string(r.body), `"pagination":{"limit":1,"offset":0,"totalCount":2}`) {
			t.Errorf("pagination: %s", r.body)
		}
		r = e.do("GET", "/api/v3/io/companies/super-admins?q=bob", nil)
		if !strings.Contains(string(r.body), `"companyCount":1`) || strings.Contains(string(r.body), "extraFields") {
			t.Errorf("companyCount, or extra fields not asked for: %s", r.body)
		}
		r = e.do("GET", "/api/v3/io/companies/super-admins?q=bob&isIncludeExtraFields=1", nil)
		if !strings.Contains(string(r.body), `"extraFields":[]`) {
			t.Errorf("isIncludeExtraFields=1: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v3/io/companies/super-admins?limit=200", nil), 200)
	})
}

func TestSuperAdminExistingAccounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(map[string]any{"adminEmail": "admin@acme.example.com"})
		// A customer whose user was deleted is converted, not duplicated.
		r := e.do("POST", "/api/v3/io/users", userBody(companyID, "conv"))
		expect(t, r, 200)
		userID, customerID := int64(r.data(t)["userId"].(float64)), int64(r.data(t)["bcId"].(float64))
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", userID), nil), 200)
		body := superAdminBody("x")
		body["email"] = "BEA-conv@acme.example.com"
		r = e.do("POST", "/api/v3/io/super-admins", body)
		expect(t, r, 200)
		if got := int64(r.data(t)["customerId"].(float64)); got != customerID {
			t.Errorf("customerId %d, want the existing customer %d", got, customerID)
		}

		before := countSuperAdmins(t, e)
		for name, email := range map[string]string{
			"a company user's email": "Admin@acme.example.com",
			"a super admin's email":  "bea-conv@acme.example.com",
		} {
			body := superAdminBody("y")
			body["email"] = email
			r := e.do("POST", "/api/v3/io/super-admins", body)
			expect(t, r, 400)
			conformSuperAdmin(t, r, "POST", "/super-admins")
			if msg, _ := r.data(t)["errMsg"].(string); !strings.Contains(msg, "already exists") || !strings.Contains(strings.ToLower(msg), strings.ToLower(email)) {
				t.Errorf("%s: errMsg %q", name, msg)
			}
		}
		if n := countSuperAdmins(t, e); n != before {
			t.Errorf("a refused create wrote a super admin")
		}
	})
}

func TestBulkSuperAdmins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(map[string]any{"adminEmail": "admin@acme.example.com"})
		_ = companyID
		r := e.do("POST", "/api/v3/io/super-admins/bulk", []any{superAdminBody("b1"), superAdminBody("b2")})
		expect(t, r, 200)
		conformSuperAdmin(t, r, "POST", "/super-admins/bulk")
		var created struct {
			Data struct {
				SuperAdminIDs []int64 `json:"superAdminIds"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &created); err != nil || len(created.Data.SuperAdminIDs) != 2 || created.Data.SuperAdminIDs[1] == 0 {
			t.Fatalf("bulk answer: %s", r.body)
		}
		before := countSuperAdmins(t, e)

		// Invalid items: 422 whose data is an array aligned with the items.
		missing := superAdminBody("b3")
		delete(missing, "firstName")
		r = e.do("POST", "/api/v3/io/super-admins/bulk", []any{superAdminBody("b4"), missing, superAdminBody("b4")})
		expect(t, r, 422)
		conformSuperAdmin(t, r, "POST", "/super-admins/bulk")
		var failed struct {
			Data []map[string][]string `json:"data"`
		}
		if err := json.Unmarshal(r.body, &failed); err != nil || len(failed.Data) != 3 {
			t.Fatalf("422 data is not aligned with the items: %s", r.body)
		}
		if len(failed.Data[0]) != 0 || failed.Data[1]["firstName"] == nil || failed.Data[2]["email"] == nil {
			t.Errorf("422 items: %s", r.body)
		}

		// An email that is already taken: 400, and nothing is written.
		taken := superAdminBody("b5")
		taken["email"] = "admin@acme.example.com"
		r = e.do("POST", "/api/v3/io/super-admins/bulk", []any{superAdminBody("b6"), taken})
		expect(t, r, 400)
		conformSuperAdmin(t, r, "POST", "/super-admins/bulk")
		if msg, _ := r.data(t)["errMsg"].(string); !strings.Contains(msg, "item 1") || !strings.Contains(msg, "admin@acme.example.com") {
			t.Errorf("errMsg: %s", r.body)
		}

		var eleven []any
		for range 11 {
			eleven = append(eleven, 1)
		}
		r = e.do("POST", "/api/v3/io/super-admins/bulk", eleven)
		expect(t, r, 413)
		conformSuperAdmin(t, r, "POST", "/super-admins/bulk")
		if n := countSuperAdmins(t, e); n != before {
			t.Errorf("refused bulk requests wrote %d super admins", n-before)
		}
	})
}

func TestSuperAdminBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		id := e.addSuperAdmin(nil)
		with := func(k string, v any) map[string]any {
			body := superAdminBody(randomHex(4))
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
			return body
		}
		info := fmt.Sprintf("/api/v3/io/super-admins/info/%d", id)
		assign := fmt.Sprintf("/api/v3/io/super-admins/%d", id)
		byCompany := fmt.Sprintf("/api/v3/io/companies/%d/super-admins", companyID)
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string
			spec   string
		}{
			{"malformed JSON", "POST", "/api/v3/io/super-admins", `{"email"`, 400, "", "/super-admins"},
			{"empty body", "POST", "/api/v3/io/super-admins", ``, 400, "", "/super-admins"},
			{"array instead of object", "POST", "/api/v3/io/super-admins", `[]`, 422, "", ""},
			{"missing first name", "POST", "/api/v3/io/super-admins", with("firstName", nil), 422, "firstName", ""},
			{"missing last name", "POST", "/api/v3/io/super-admins", with("lastName", ""), 422, "lastName", ""},
			{"name too long", "POST", "/api/v3/io/super-admins", with("lastName", strings.Repeat("x", 101)), 422, "lastName", ""},
			{"missing email", "POST", "/api/v3/io/super-admins", with("email", nil), 422, "email", ""},
			{"bad email", "POST", "/api/v3/io/super-admins", with("email", "sam at example"), 422, "email", ""},
			{"no channel", "POST", "/api/v3/io/super-admins", with("channelIds", []any{}), 422, "channelIds", ""},
			{"channel of the wrong type", "POST", "/api/v3/io/super-admins", with("channelIds", []any{"one"}), 422, "channelIds", ""},
			{"extra fields", "POST", "/api/v3/io/super-admins", with("extraFields", []any{map[string]any{"fieldName": "a", "fieldValue": "b"}}), 422, "extraFields", ""},
			{"unknown super admin", "GET", "/api/v3/io/super-admins/info/999999", nil, 404, "", "/super-admins/info/{superAdminId}"},
			{"non-numeric super admin", "GET", "/api/v3/io/super-admins/info/abc", nil, 422, "superAdminId", ""},
			{"unknown route under super-admins", "GET", "/api/v3/io/super-admins/abc/def", nil, 404, "", ""},
			{"update unknown super admin", "PUT", "/api/v3/io/super-admins/info/999999", map[string]any{"firstName": "x"}, 404, "", "/super-admins/info/{superAdminId}"},
			{"update with empty name", "PUT", info, map[string]any{"firstName": " "}, 422, "firstName", ""},
			{"update the email", "PUT", info, map[string]any{"email": "new@example.com"}, 422, "email", ""},
			{"update without channels", "PUT", info, map[string]any{"channelIds": []any{}}, 422, "channelIds", ""},
			{"update malformed", "PUT", info, `{`, 400, "", ""},
			{"assign to unknown super admin", "PUT", "/api/v3/io/super-admins/999999", map[string]any{"companies": []any{}}, 404, "", "/super-admins/{superAdminId}"},
			{"assign without companies", "PUT", assign, map[string]any{}, 422, "companies", ""},
			{"assign without isAssigned", "PUT", assign, map[string]any{"companies": []any{map[string]any{"companyId": companyID}}}, 422, "companies.0.isAssigned", ""},
			{"assign without companyId", "PUT", assign, map[string]any{"companies": []any{map[string]any{"isAssigned": true}}}, 422, "companies.0.companyId", ""},
			{"assign a bad company id", "PUT", assign, map[string]any{"companies": []any{map[string]any{"companyId": "x", "isAssigned": true}}}, 422, "companies.0.companyId", ""},
			{"assign a company twice", "PUT", assign, map[string]any{"companies": []any{
				map[string]any{"companyId": companyID, "isAssigned": true}, map[string]any{"companyId": companyID, "isAssigned": false}}}, 422, "companies", ""},
			{"assign an unknown company", "PUT", assign, map[string]any{"companies": []any{map[string]any{"companyId": 999999, "isAssigned": true}}}, 422, "companies", ""},
			{"companies of an unknown super admin", "GET", "/api/v3/io/super-admins/999999/companies", nil, 404, "", "/super-admins/{superAdminId}/companies"},
			{"companies limit too large", "GET", fmt.Sprintf("/api/v3/io/super-admins/%d/companies?limit=201", id), nil, 422, "limit", ""},
			{"company assignments of an unknown company", "PUT", "/api/v3/io/companies/999999/super-admins", map[string]any{"superAdmins": []any{}}, 404, "", "/companies/{companyId}/super-admins"},
			{"company assignments without superAdmins", "PUT", byCompany, map[string]any{"companies": []any{}}, 422, "superAdmins", ""},
			{"company assignments of an unknown super admin", "PUT", byCompany, map[string]any{"superAdmins": []any{map[string]any{"superAdminId": 999999, "isAssigned": true}}}, 422, "superAdmins", ""},
			{"super admins of an unknown company", "GET", "/api/v3/io/companies/999999/super-admins", nil, 404, "", "/companies/{companyId}/super-admins"},
			{"super admins of a company, limit too large", "GET", byCompany + "?limit=201", nil, 422, "limit", ""},
			{"list limit too large", "GET", "/api/v3/io/companies/super-admins?limit=201", nil, 422, "limit", ""},
			{"list limit zero", "GET", "/api/v3/io/companies/super-admins?limit=0", nil, 422, "limit", ""},
			{"list negative offset", "GET", "/api/v3/io/companies/super-admins?offset=-1", nil, 422, "offset", ""},
			{"list bad order", "GET", "/api/v3/io/companies/super-admins?orderBy=up", nil, 422, "orderBy", ""},
			{"list bad time", "GET", "/api/v3/io/companies/super-admins?minCreated=x", nil, 422, "minCreated", ""},
			{"list bad isIncludeExtraFields", "GET", "/api/v3/io/companies/super-admins?isIncludeExtraFields=yes", nil, 422, "isIncludeExtraFields", ""},
			{"companies list limit too large", "GET", "/api/v3/io/super-admins/companies?limit=201", nil, 422, "limit", ""},
			{"companies list bad order", "GET", "/api/v3/io/super-admins/companies?orderBy=x", nil, 422, "orderBy", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, _ := outboxTopics(t, e, 0)
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
				if c.spec != "" {
					conformSuperAdmin(t, r, c.method, c.spec)
				}
				if after, _ := outboxTopics(t, e, 0); len(after) != len(before) {
					t.Errorf("a refused request wrote something: %v", after[len(before):])
				}
			})
		}
	})
}
