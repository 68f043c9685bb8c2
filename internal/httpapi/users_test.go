package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
)

// userBody is a valid POST /users body for a company.
func userBody(companyID int64, tag string) map[string]any {
	return map[string]any{
		"companyId": companyID, "firstName": "Bea", "lastName": "Buyer",
		"email": "bea-" + tag + "@acme.example.com", "role": 2, "channelIds": []any{1},
	}
}

// addUser creates a user and returns its id.
func (e *env) addUser(companyID int64, fields map[string]any) int64 {
	e.t.Helper()
	body := userBody(companyID, randomHex(4))
	for k, v := range fields {
		body[k] = v
	}
	r := e.do("POST", "/api/v3/io/users", body)
	expect(e.t, r, 200)
	return int64(r.data(e.t)["userId"].(float64))
}

// adminOf returns the id of a company's first user, its admin.
func (e *env) adminOf(companyID int64) guild.User {
	e.t.Helper()
	users, err := e.app.Store().ListCompanyUsers(context.Background(), e.tenant.ID, companyID)
	if err != nil || len(users) == 0 {
		e.t.Fatalf("users of company %d: %v %v", companyID, users, err)
	}
	return users[0]
}

func countUsers(t *testing.T, e *env) int {
	t.Helper()
	_, n, err := e.app.Store().ListUsers(context.Background(), e.tenant.ID, guild.UserFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func outboxTopics(t *testing.T, e *env, after int64) ([]string, int64) {
	t.Helper()
	msgs, err := e.app.Store().ListOutbox(context.Background(), e.tenant.ID, after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, m := range msgs {
		topics = append(topics, m.Topic)
		after = m.ID
	}
	return topics, after
}

// newCustomRole creates a custom role in the store.
func newCustomRole(t *testing.T, e *env, name string) int64 {
	t.Helper()
	var id int64
	err := e.app.Store().Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
		var err error
		id, err = tx.CreateCustomRole(ctx, guild.CustomRole{TenantID: e.tenant.ID, Name: name,
			Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}}, CreatedAt: time.Now(), UpdatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestUserLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{groupName: "Wholesale"})
		ctx := context.Background()
		companyID := e.createCompany(map[string]any{"companyName": "Great Buys"})
		expect(t, e.do("POST", "/api/v3/io/users/extra-fields", map[string]any{"fieldName": "Cost centre", "fieldType": 0}), 200)
		r := e.do("GET", "/api/v3/io/users/extra-fields", nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users/extra-fields")
		if msg := r.json(t)["meta"].(map[string]any)["message"]; msg != "Success" || len(r.json(t)["data"].([]any)) != 1 {
			t.Errorf("user extra fields: %s", r.body)
		}
		_, mark := outboxTopics(t, e, 0)

		r = e.do("POST", "/api/v3/io/users", map[string]any{
			"companyId": fmt.Sprint(companyID), "firstName": "Marie", "lastName": "Curie", "email": "m.curie@greatbuys.com",
			"phoneNumber": 5551234, "role": "1", "channelIds": []any{1, "2"}, "uuid": "ERP-U1", "acceptWelcomeEmail": true,
			"originChannelId": 1, "extraFields": []any{map[string]any{"fieldName": "Cost centre", "fieldValue": "CC-1"}},
		})
		expect(t, r, 200)
		conformUser(t, r, "POST", "/users")
		if msg := r.json(t)["meta"].(map[string]any)["message"]; msg != "Success" {
			t.Errorf("meta.message = %v, want Success", msg)
		}
		id := int64(r.data(t)["userId"].(float64))
		bcID := int64(r.data(t)["bcId"].(float64))
		if id <= 0 || bcID <= 0 {
			t.Fatalf("ids: %s", r.body)
		}

		path := fmt.Sprintf("/api/v3/io/users/%d", id)
		r = e.do("GET", path, nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users/{userId}")
		d := r.data(t)
		want := map[string]any{
			"id": float64(id), "firstName": "Marie", "lastName": "Curie", "email": "m.curie@greatbuys.com",
			"phoneNumber": "5551234", "role": float64(1), "companyRoleId": float64(1), "companyRoleName": "Senior Buyer",
			"uuid": "ERP-U1", "companyId": float64(companyID), "customerId": float64(bcID),
		}
		for k, v := range want {
			if d[k] != v {
				t.Errorf("detail %s = %#v, want %#v", k, d[k], v)
			}
		}
		if diff := cmp.Diff([]any{
			map[string]any{"channelId": float64(1), "channelName": "Default Channel", "iconUrl": ""},
			map[string]any{"channelId": float64(2), "channelName": "Channel 2", "iconUrl": ""},
		}, d["channelList"]); diff != "" {
			t.Errorf("channelList (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]any{map[string]any{"fieldName": "Cost centre", "fieldValue": "CC-1"}}, d["extraFields"]); diff != "" {
			t.Errorf("extraFields (-want +got):\n%s", diff)
		}

		// The customer learns the company's name and customer group.
		cust, err := b.store.Customer(ctx, e.tenant.ID, bcID)
		if err != nil {
			t.Fatal(err)
		}
		if cust.Email != "m.curie@greatbuys.com" || cust.CompanyName != "Great Buys" || cust.CustomerGroupID != e.tenant.DefaultCustomerGroupID || cust.CustomerGroupID == 0 {
			t.Errorf("customer: %+v", cust)
		}

		r = e.do("GET", fmt.Sprintf("/api/v3/io/users/customer/%d", bcID), nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users/customer/{customerId}")
		if r.data(t)["id"] != float64(id) {
			t.Errorf("by customer: %s", r.body)
		}

		r = e.do("PUT", path, map[string]any{
			"firstName": "Maria", "email": "maria@greatbuys.com", "role": 2, "channelIds": []any{3},
			"extraFields": []any{map[string]any{"fieldName": "Cost centre", "fieldValue": "CC-2"}},
			// Read-only: the same company is accepted, and the origin channel is ignored.
			"companyId": companyID, "originChannelId": 7,
		})
		expect(t, r, 200)
		conformUser(t, r, "PUT", "/users/{userId}")
		d = r.data(t)
		if d["firstName"] != "Maria" || d["email"] != "maria@greatbuys.com" || d["role"] != float64(2) || d["companyRoleName"] != "Junior Buyer" ||
			!strings.Contains(string(r.body), `"fieldValue":"CC-2"`) || len(d["channelList"].([]any)) != 1 {
			t.Errorf("update answer: %s", r.body)
		}
		cust, _ = b.store.Customer(ctx, e.tenant.ID, bcID)
		if cust.FirstName != "Maria" || cust.Email != "maria@greatbuys.com" || !cmp.Equal(cust.ChannelIDs, []int64{3}) {
			t.Errorf("the customer did not follow the user: %+v", cust)
		}
		// Nothing changes: no outbox row.
		expect(t, e.do("PUT", path, map[string]any{"firstName": "Maria"}), 200)

		r = e.do("DELETE", path, nil)
		expect(t, r, 200)
		conformUser(t, r, "DELETE", "/users/{userId}")
		if r.data(t)["userId"] != float64(id) {
			t.Errorf("delete answer: %s", r.body)
		}
		r = e.do("GET", path, nil)
		expect(t, r, 404)
		conformUser(t, r, "GET", "/users/{userId}")
		expect(t, e.do("GET", fmt.Sprintf("/api/v3/io/users/customer/%d", bcID), nil), 404)
		// The customer is kept, without company name and group.
		cust, err = b.store.Customer(ctx, e.tenant.ID, bcID)
		if err != nil || cust.CompanyName != "" || cust.CustomerGroupID != 0 {
			t.Errorf("customer after delete: %+v %v", cust, err)
		}

		topics, _ := outboxTopics(t, e, mark)
		wantTopics := []string{
			guild.TopicCustomerCreated, guild.TopicUserCreated,
			guild.TopicUserUpdated, guild.TopicCustomerUpdated,
			guild.TopicCustomerUpdated, guild.TopicUserDeleted,
		}
		if diff := cmp.Diff(wantTopics, topics); diff != "" {
			t.Errorf("outbox topics (-want +got):\n%s", diff)
		}
	})
}

func TestUserLinksExistingCustomer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		a := e.createCompany(map[string]any{"companyName": "First Co"})
		other := e.createCompany(map[string]any{"companyName": "Second Co"})
		r := e.do("POST", "/api/v3/io/users", userBody(a, "x"))
		expect(t, r, 200)
		id, bcID := int64(r.data(t)["userId"].(float64)), int64(r.data(t)["bcId"].(float64))
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", id), nil), 200)

		// The kept customer is linked again, not duplicated, and learns the new company.
		body := userBody(other, "x")
		body["email"] = strings.ToUpper(body["email"].(string))
		r = e.do("POST", "/api/v3/io/users", body)
		expect(t, r, 200)
		if got := int64(r.data(t)["bcId"].(float64)); got != bcID {
			t.Errorf("bcId %d, want the existing customer %d", got, bcID)
		}
		cust, err := b.store.Customer(context.Background(), e.tenant.ID, bcID)
		if err != nil || cust.CompanyName != "Second Co" {
			t.Errorf("customer: %+v %v", cust, err)
		}
	})
}

func TestCustomRoleUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		roleID := newCustomRole(t, e, "Approver")
		body := userBody(companyID, "c")
		delete(body, "role")
		body["companyRoleId"] = roleID
		r := e.do("POST", "/api/v3/io/users", body)
		expect(t, r, 200)
		id := int64(r.data(t)["userId"].(float64))

		r = e.do("GET", fmt.Sprintf("/api/v3/io/users/%d", id), nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users/{userId}")
		d := r.data(t)
		if d["role"] != float64(2) || d["companyRoleId"] != float64(roleID) || d["companyRoleName"] != "Approver" {
			t.Errorf("custom role user: %s", r.body)
		}
		// Custom roles count as junior buyers in the roles filter.
		r = e.do("GET", fmt.Sprintf("/api/v3/io/users?companyId=%d&roles=2", companyID), nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users")
		if items := r.json(t)["data"].([]any); len(items) != 1 || items[0].(map[string]any)["companyRoleName"] != "Approver" {
			t.Errorf("roles=2: %s", r.body)
		}

		// A predefined role replaces the custom one; companyRoleId 1 and 2 name the predefined buyer roles.
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", id), map[string]any{"companyRoleId": 1})
		expect(t, r, 200)
		if d := r.data(t); d["role"] != float64(1) || d["companyRoleId"] != float64(1) || d["companyRoleName"] != "Senior Buyer" {
			t.Errorf("companyRoleId 1: %s", r.body)
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", id), map[string]any{"companyRoleId": roleID, "role": 0})
		expect(t, r, 200)
		if d := r.data(t); d["role"] != float64(2) || d["companyRoleId"] != float64(roleID) {
			t.Errorf("companyRoleId overrides role: %s", r.body)
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", id), map[string]any{"role": 1})
		expect(t, r, 200)
		if d := r.data(t); d["role"] != float64(1) || d["companyRoleName"] != "Senior Buyer" {
			t.Errorf("role replaces the custom role: %s", r.body)
		}
	})
}

func TestCompanyKeepsAnAdmin(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		admin := e.adminOf(companyID)
		path := fmt.Sprintf("/api/v3/io/users/%d", admin.ID)
		roleID := newCustomRole(t, e, "Approver")

		for name, c := range map[string]struct {
			method string
			body   any
		}{
			"delete":           {"DELETE", nil},
			"demote":           {"PUT", map[string]any{"role": 1}},
			"to a custom role": {"PUT", map[string]any{"companyRoleId": roleID}},
			"to junior buyer":  {"PUT", map[string]any{"companyRoleId": 2, "role": 0}},
		} {
			r := e.do(c.method, path, c.body)
			expect(t, r, 422)
			if !strings.Contains(string(r.body), "last admin") {
				t.Errorf("%s: the refusal does not say why: %s", name, r.body)
			}
		}
		r := e.do("DELETE", path, nil)
		conformUser(t, r, "DELETE", "/users/{userId}")
		r = e.do("PUT", path, map[string]any{"role": 1})
		conformUser(t, r, "PUT", "/users/{userId}")
		if r.data(t)["errMsg"].(map[string]any)["role"] == nil {
			t.Errorf("a demotion's refusal does not name role: %s", r.body)
		}
		if u, err := b.store.User(context.Background(), e.tenant.ID, admin.ID); err != nil || u.Role != guild.RoleAdmin {
			t.Errorf("the last admin changed: %+v %v", u, err)
		}

		// With a second admin, the first may go.
		second := e.addUser(companyID, map[string]any{"role": 0})
		expect(t, e.do("PUT", path, map[string]any{"role": 2}), 200)
		expect(t, e.do("DELETE", path, nil), 200)
		r = e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", second), nil)
		expect(t, r, 422)
		if msg, _ := r.data(t)["errMsg"].(string); !strings.Contains(msg, "last admin") {
			t.Errorf("errMsg: %s", r.body)
		}
	})
}

func TestUserOrSuperAdminNeverBoth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		r := e.do("POST", "/api/v3/io/super-admins", map[string]any{"firstName": "Sam", "lastName": "Super", "email": "sam@example.com"})
		expect(t, r, 200)
		users := countUsers(t, e)

		body := userBody(companyID, "s")
		body["email"] = "SAM@example.com"
		r = e.do("POST", "/api/v3/io/users", body)
		expect(t, r, 422)
		conformUser(t, r, "POST", "/users")
		if m := fmt.Sprint(r.data(t)["errMsg"]); !strings.Contains(m, "email") || !strings.Contains(m, "super admin") {
			t.Errorf("errMsg does not name the email and why: %s", r.body)
		}
		id := e.addUser(companyID, nil)
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", id), map[string]any{"email": "sam@example.com"})
		expect(t, r, 422)
		c := validCompany("sam")
		c["adminEmail"] = "sam@example.com"
		r = e.do("POST", "/api/v3/io/companies", c)
		expect(t, r, 422)
		if r.data(t)["errMsg"].(map[string]any)["admin_email"] == nil {
			t.Errorf("company admin email of a super admin: %s", r.body)
		}
		if n := countUsers(t, e); n != users+1 {
			t.Errorf("%d users, want %d", n, users+1)
		}
	})
}

// stepClock is a clock the test moves.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestUserListFilters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		clock := &stepClock{t: time.Unix(1_700_000_000, 0)}
		e := newEnv(t, b, envOptions{clock: clock.now})
		expect(t, e.do("POST", "/api/v3/io/users/extra-fields", map[string]any{"fieldName": "Cost centre", "fieldType": 0}), 200)
		a := e.createCompany(map[string]any{"companyName": "Alpha"})
		bc := e.createCompany(map[string]any{"companyName": "Beta"})
		clock.advance(100 * time.Second) // 1_700_000_100
		senior := e.addUser(a, map[string]any{"role": 1, "firstName": "Sandra", "lastName": "Senior", "channelIds": []any{1, 2},
			"extraFields": []any{map[string]any{"fieldName": "Cost centre", "fieldValue": "CC-9"}}})
		clock.advance(100 * time.Second) // 1_700_000_200
		junior := e.addUser(bc, map[string]any{"role": 2, "firstName": "Jonas", "email": "jonas@beta.example.com", "channelIds": []any{2}})
		clock.advance(100 * time.Second) // 1_700_000_300
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", senior), map[string]any{"lastName": "Seniora"}), 200)
		adminA, adminB := e.adminOf(a).ID, e.adminOf(bc).ID

		ids := func(query string) []int64 {
			t.Helper()
			r := e.do("GET", "/api/v3/io/users"+query, nil)
			expect(t, r, 200)
			conformUser(t, r, "GET", "/users")
			var page struct {
				Data []struct {
					ID int64 `json:"id"`
				} `json:"data"`
			}
			if err := json.Unmarshal(r.body, &page); err != nil {
				t.Fatal(err)
			}
			out := []int64{}
			for _, u := range page.Data {
				out = append(out, u.ID)
			}
			return out
		}
		cases := []struct {
			query string
			want  []int64
		}{
			{"", []int64{adminA, adminB, senior, junior}},
			{fmt.Sprintf("?companyId=%d", a), []int64{adminA, senior}},
			{"?roles=0", []int64{adminA, adminB}},
			{"?roles=1&roles=2", []int64{senior, junior}},
			{"?roles=1,2", []int64{senior, junior}},
			{"?roles[]=2", []int64{junior}},
			{"?email=JONAS@beta.example.com", []int64{junior}},
			{"?channelId=2", []int64{senior, junior}},
			{"?q=senio", []int64{senior}},
			{"?q=beta.example", []int64{junior}},
			{"?minCreated=1700000100", []int64{senior, junior}},
			{"?maxCreated=1700000100", []int64{adminA, adminB, senior}},
			{"?minCreated=1700000150&maxCreated=1700000250", []int64{junior}},
			{"?minModified=1700000300", []int64{senior}},
			{"?maxModified=1700000250", []int64{adminA, adminB, junior}},
			{fmt.Sprintf("?companyId=%d&roles=0", bc), []int64{adminB}},
		}
		for _, c := range cases {
			if got := ids(c.query); !cmp.Equal(got, c.want) {
				t.Errorf("GET /users%s = %v, want %v", c.query, got, c.want)
			}
		}

		// Paging.
		r := e.do("GET", "/api/v3/io/users?limit=2&offset=1", nil)
		expect(t, r, 200)
		var page struct {
			Data []map[string]any `json:"data"`
			Meta struct {
				Message    string `json:"message"`
				Pagination struct{ Limit, Offset, TotalCount int }
			} `json:"meta"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Data) != 2 || page.Meta.Pagination.TotalCount != 4 || page.Meta.Pagination.Limit != 2 || page.Meta.Pagination.Offset != 1 || page.Meta.Message != "Success" {
			t.Errorf("page: %s", r.body)
		}
		if _, has := page.Data[0]["extraFields"]; has {
			t.Errorf("extra fields without isIncludeExtraFields: %s", r.body)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/users?companyId=%d&isIncludeExtraFields=1&roles=1", a), nil)
		expect(t, r, 200)
		conformUser(t, r, "GET", "/users")
		if !strings.Contains(string(r.body), `"extraFields":[{"fieldName":"Cost centre","fieldValue":"CC-9"}]`) {
			t.Errorf("isIncludeExtraFields=1: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v3/io/users?limit=250", nil), 200)
	})
}

func TestBulkUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		items := []any{userBody(companyID, "b1"), userBody(companyID, "b2"), userBody(companyID, "b3")}
		r := e.do("POST", "/api/v3/io/users/bulk", items)
		expect(t, r, 200)
		conformUser(t, r, "POST", "/users/bulk")
		var created struct {
			Data []struct {
				UserID int64 `json:"userId"`
				BcID   int64 `json:"bcId"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &created); err != nil || len(created.Data) != 3 || created.Data[2].UserID == 0 || created.Data[2].BcID == 0 {
			t.Fatalf("bulk answer: %s", r.body)
		}

		// One bad item and a duplicate email: nothing is written, and the errors are aligned with the items.
		bad := []any{userBody(companyID, "b4"), userBody(companyID, "b5"), userBody(companyID, "b4")}
		bad[1].(map[string]any)["email"] = "nope"
		before := countUsers(t, e)
		r = e.do("POST", "/api/v3/io/users/bulk", bad)
		expect(t, r, 422)
		conformUser(t, r, "POST", "/users/bulk")
		var failed struct {
			Data struct {
				ErrMsg []map[string][]string `json:"errMsg"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.body, &failed); err != nil || len(failed.Data.ErrMsg) != 3 {
			t.Fatalf("bulk error is not aligned with the items: %s", r.body)
		}
		if len(failed.Data.ErrMsg[0]) != 0 || failed.Data.ErrMsg[1]["email"] == nil || failed.Data.ErrMsg[2]["email"] == nil {
			t.Errorf("bulk error items: %s", r.body)
		}
		if countUsers(t, e) != before {
			t.Errorf("a refused bulk wrote users")
		}

		// More than 10 items: 413 before the items are read.
		var eleven []any
		for range 11 {
			eleven = append(eleven, "not even an object")
		}
		r = e.do("POST", "/api/v3/io/users/bulk", eleven)
		expect(t, r, 413)
		conformUser(t, r, "POST", "/users/bulk")
		if !strings.Contains(string(r.body), "at most 10 users") {
			t.Errorf("413: %s", r.body)
		}
		expect(t, e.do("POST", "/api/v3/io/users/bulk", []any{}), 422)
		expect(t, e.do("POST", "/api/v3/io/users/bulk", `{"a":1}`), 422)
	})
}

func TestUserBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		companyID := e.createCompany(nil)
		existing := e.addUser(companyID, map[string]any{"email": "taken@example.com"})
		expect(t, e.do("POST", "/api/v3/io/super-admins", map[string]any{"firstName": "S", "lastName": "A", "email": "super@example.com"}), 200)
		gone := e.addUser(companyID, map[string]any{"email": "gone@example.com"})
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", gone), nil), 200) // its customer stays
		with := func(k string, v any) map[string]any {
			body := userBody(companyID, randomHex(4))
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
			return body
		}
		userPath := fmt.Sprintf("/api/v3/io/users/%d", existing)
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string // a key expected in data.errMsg, when it is an object
			spec   string // the vendor path to validate the answer against
		}{
			{"malformed JSON", "POST", "/api/v3/io/users", `{"firstName": `, 400, "", ""},
			{"array instead of object", "POST", "/api/v3/io/users", `[]`, 422, "", "/users"},
			{"empty body", "POST", "/api/v3/io/users", ``, 400, "", ""},
			{"missing first name", "POST", "/api/v3/io/users", with("firstName", nil), 422, "firstName", "/users"},
			{"missing last name", "POST", "/api/v3/io/users", with("lastName", nil), 422, "lastName", "/users"},
			{"first name too long", "POST", "/api/v3/io/users", with("firstName", strings.Repeat("x", 151)), 422, "firstName", "/users"},
			{"missing email", "POST", "/api/v3/io/users", with("email", nil), 422, "email", "/users"},
			{"bad email", "POST", "/api/v3/io/users", with("email", "not-an-email"), 422, "email", "/users"},
			{"email of a user", "POST", "/api/v3/io/users", with("email", "Taken@example.com"), 422, "email", "/users"},
			{"email of a super admin", "POST", "/api/v3/io/users", with("email", "super@example.com"), 422, "email", "/users"},
			{"missing company", "POST", "/api/v3/io/users", with("companyId", nil), 422, "companyId", "/users"},
			{"unknown company", "POST", "/api/v3/io/users", with("companyId", 999999), 422, "companyId", "/users"},
			{"company of the wrong type", "POST", "/api/v3/io/users", with("companyId", "abc"), 422, "companyId", "/users"},
			{"missing role", "POST", "/api/v3/io/users", with("role", nil), 422, "role", "/users"},
			{"role out of range", "POST", "/api/v3/io/users", with("role", 5), 422, "role", "/users"},
			{"role of the wrong type", "POST", "/api/v3/io/users", with("role", "admin"), 422, "role", "/users"},
			{"unknown custom role", "POST", "/api/v3/io/users", with("companyRoleId", 999999), 422, "companyRoleId", "/users"},
			{"negative custom role", "POST", "/api/v3/io/users", with("companyRoleId", -1), 422, "companyRoleId", "/users"},
			{"no channel", "POST", "/api/v3/io/users", with("channelIds", []any{}), 422, "channelIds", "/users"},
			{"bad channel", "POST", "/api/v3/io/users", with("channelIds", []any{0}), 422, "channelIds", "/users"},
			{"channels not a list", "POST", "/api/v3/io/users", with("channelIds", "1"), 422, "channelIds", "/users"},
			{"unknown extra field", "POST", "/api/v3/io/users", with("extraFields", []any{map[string]any{"fieldName": "nope", "fieldValue": "1"}}), 422, "extraFields.nope", "/users"},
			{"bulk item of the wrong type", "POST", "/api/v3/io/users/bulk", []any{with("role", "x")}, 422, "", "/users/bulk"},
			{"non-numeric id", "GET", "/api/v3/io/users/abc", nil, 422, "userId", ""},
			{"unknown user", "GET", "/api/v3/io/users/999999", nil, 404, "", "/users/{userId}"},
			{"unknown customer", "GET", "/api/v3/io/users/customer/999999", nil, 404, "", "/users/customer/{customerId}"},
			{"update unknown user", "PUT", "/api/v3/io/users/999999", map[string]any{"firstName": "x"}, 404, "", "/users/{userId}"},
			{"delete unknown user", "DELETE", "/api/v3/io/users/999999", nil, 404, "", "/users/{userId}"},
			{"update with empty name", "PUT", userPath, map[string]any{"firstName": ""}, 422, "firstName", "/users/{userId}"},
			{"update with bad email", "PUT", userPath, map[string]any{"email": "x@"}, 422, "email", "/users/{userId}"},
			{"update to a super admin's email", "PUT", userPath, map[string]any{"email": "super@example.com"}, 422, "email", "/users/{userId}"},
			{"update to another customer's email", "PUT", userPath, map[string]any{"email": "Gone@example.com"}, 422, "email", "/users/{userId}"},
			{"update to another user's email", "PUT", userPath, map[string]any{"email": e.adminOf(companyID).Email}, 422, "email", "/users/{userId}"},
			{"update without channels", "PUT", userPath, map[string]any{"channelIds": []any{}}, 422, "channelIds", "/users/{userId}"},
			{"update to another company", "PUT", userPath, map[string]any{"companyId": companyID + 1}, 422, "companyId", "/users/{userId}"},
			{"update to a bad role", "PUT", userPath, map[string]any{"role": 3}, 422, "role", "/users/{userId}"},
			{"update to an unknown custom role", "PUT", userPath, map[string]any{"companyRoleId": 999999}, 422, "companyRoleId", "/users/{userId}"},
			{"update malformed", "PUT", userPath, `{"firstName"`, 400, "", ""},
			{"limit too large", "GET", "/api/v3/io/users?limit=251", nil, 422, "limit", "/users"},
			{"limit zero", "GET", "/api/v3/io/users?limit=0", nil, 422, "limit", "/users"},
			{"negative offset", "GET", "/api/v3/io/users?offset=-1", nil, 422, "offset", "/users"},
			{"bad role filter", "GET", "/api/v3/io/users?roles=99", nil, 422, "roles", "/users"},
			{"non-numeric role filter", "GET", "/api/v3/io/users?roles=x", nil, 422, "roles", "/users"},
			{"unknown company filter", "GET", "/api/v3/io/users?companyId=999999", nil, 422, "companyId", "/users"},
			{"non-numeric company filter", "GET", "/api/v3/io/users?companyId=abc", nil, 422, "companyId", "/users"},
			{"bad channel filter", "GET", "/api/v3/io/users?channelId=0", nil, 422, "channelId", "/users"},
			{"bad time filter", "GET", "/api/v3/io/users?minCreated=yesterday", nil, 422, "minCreated", "/users"},
			{"bad isIncludeExtraFields", "GET", "/api/v3/io/users?isIncludeExtraFields=2", nil, 422, "isIncludeExtraFields", "/users"},
			{"wrong method", "PATCH", "/api/v3/io/users", `{}`, 405, "", ""},
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
					conformUser(t, r, c.method, c.spec)
				}
				if after, _ := outboxTopics(t, e, 0); len(after) != len(before) {
					t.Errorf("a refused request wrote something: %v", after[len(before):])
				}
			})
		}
	})
}
