package httpapi_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/spectest"
)

var (
	authSpecOnce sync.Once
	authSpec     *spectest.Spec
)

// conformAuth fails the test unless the answer matches authentication.yaml.
func conformAuth(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	authSpecOnce.Do(func() { authSpec = spectest.Load(t, "api-v3/authentication.yaml") })
	if err := authSpec.Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

// testClock is a clock tests can move forward.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// issue asks for a buyer token (POST /api/io/auth/customers/storefront)
// and returns the answer.
func (e *env) issue(body any) response {
	e.t.Helper()
	return e.do("POST", "/api/io/auth/customers/storefront", body)
}

// buyerToken returns a new buyer token for the company user or super admin
// backed by the customer.
func (e *env) buyerToken(customerID int64) string {
	e.t.Helper()
	r := e.issue(map[string]any{"customerId": customerID})
	expect(e.t, r, 200)
	return r.data(e.t)["token"].([]any)[0].(string)
}

// buyer sends a buyer API request with the token as a bearer token.
func (e *env) buyer(token, method, path string, body any) response {
	e.t.Helper()
	return e.request(method, path, body, map[string]string{"Authorization": "Bearer " + token})
}

// createUser creates a company user through the S2S API; role is a
// predefined role number, or with companyRoleID > 0 a custom role. It
// returns the user's id and customer id.
func (e *env) createUser(companyID int64, role int, companyRoleID int64, tag string) (userID, customerID int64) {
	e.t.Helper()
	body := map[string]any{"companyId": companyID, "firstName": tag, "lastName": "Buyer", "email": tag + "-" + randomHex(3) + "@acme.example.com", "role": role}
	if companyRoleID > 0 {
		body["companyRoleId"] = companyRoleID
		delete(body, "role")
	}
	r := e.do("POST", "/api/v3/io/users", body)
	expect(e.t, r, 200)
	d := r.data(e.t)
	return jsonInt(d["userId"]), jsonInt(d["bcId"])
}

// companyAdmin returns the id and customer id of a company's first user
// (the admin the company was created with).
func (e *env) companyAdmin(companyID int64) (userID, customerID int64) {
	e.t.Helper()
	r := e.do("GET", fmt.Sprintf("/api/v3/io/users?companyId=%d&roles=0", companyID), nil)
	expect(e.t, r, 200)
	us := dataArray(e.t, r)
	if len(us) == 0 {
		e.t.Fatalf("company %d has no admin: %s", companyID, r.body)
	}
	u := us[0].(map[string]any)
	return jsonInt(u["id"]), jsonInt(u["customerId"])
}

// countUsers counts a company's users through the S2S API.
func (e *env) countUsers(companyID int64) int64 {
	e.t.Helper()
	r := e.do("GET", fmt.Sprintf("/api/v3/io/users?companyId=%d", companyID), nil)
	expect(e.t, r, 200)
	return jsonInt(r.json(e.t)["meta"].(map[string]any)["pagination"].(map[string]any)["totalCount"])
}
