package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// buyerWorld is the store the end-to-end test walks: company A (approved)
// with an admin, a senior buyer, a junior buyer and a user with a custom
// role; company B (approved, out of everyone's reach); company P (pending)
// and company I (inactive), each with its admin; a super admin assigned to
// A and P.
type buyerWorld struct {
	a, b, p, i       int64
	customRole       int64
	users            map[string]int64 // actor → user id (super admin id for "super admin")
	tokens           map[string]string
	juniorID, userB  int64
	pAdmin, iAdmin   string // tokens
	superAdminID     int64
	superAdminCustID int64
}

// buyerActors, in the order of the table.
var buyerActors = []string{"junior buyer", "senior buyer", "admin", "custom role", "super admin"}

func setupBuyerWorld(t *testing.T, e *env) *buyerWorld {
	t.Helper()
	w := &buyerWorld{users: map[string]int64{}, tokens: map[string]string{}}
	w.a = e.createCompany(map[string]any{"companyName": "Acme A"})
	w.b = e.createCompany(map[string]any{"companyName": "Bolt B"})
	w.p = e.createCompany(map[string]any{"companyName": "Pending P", "companyStatus": 0})
	w.i = e.createCompany(map[string]any{"companyName": "Idle I", "companyStatus": 3})

	r := e.do("POST", "/api/v3/io/companies/roles", map[string]any{"name": "Buyer Manager", "permissions": []any{
		map[string]any{"code": "get_users", "permissionLevel": 2},
		map[string]any{"code": "get_user_detail", "permissionLevel": 2},
		map[string]any{"code": "create_user", "permissionLevel": 2},
		map[string]any{"code": "get_roles", "permissionLevel": 2},
		map[string]any{"code": "purchase_enable", "permissionLevel": 2},
	}})
	expect(t, r, 200)
	w.customRole = jsonInt(r.data(t)["id"])

	var cust int64
	w.users["admin"], cust = e.companyAdmin(w.a)
	w.tokens["admin"] = e.buyerToken(cust)
	w.users["senior buyer"], cust = e.createUser(w.a, 1, 0, "senior")
	w.tokens["senior buyer"] = e.buyerToken(cust)
	w.users["junior buyer"], cust = e.createUser(w.a, 2, 0, "junior")
	w.tokens["junior buyer"] = e.buyerToken(cust)
	w.juniorID = w.users["junior buyer"]
	w.users["custom role"], cust = e.createUser(w.a, 2, w.customRole, "custom")
	w.tokens["custom role"] = e.buyerToken(cust)
	w.userB, _ = e.companyAdmin(w.b)
	_, cust = e.companyAdmin(w.p)
	w.pAdmin = e.buyerToken(cust)
	_, cust = e.companyAdmin(w.i)
	w.iAdmin = e.buyerToken(cust)

	r = e.do("POST", "/api/v3/io/super-admins", map[string]any{"firstName": "Sam", "lastName": "Super", "email": "sam-" + randomHex(3) + "@acme.example.com"})
	expect(t, r, 200)
	w.superAdminID, w.superAdminCustID = jsonInt(r.data(t)["userId"]), jsonInt(r.data(t)["customerId"])
	w.users["super admin"] = w.superAdminID
	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/super-admins/%d", w.superAdminID), map[string]any{"companies": []any{
		map[string]any{"companyId": w.a, "isAssigned": true},
		map[string]any{"companyId": w.p, "isAssigned": true},
	}}), 200)
	w.tokens["super admin"] = e.buyerToken(w.superAdminCustID)
	return w
}

// buyerAction is one request of the table; do sends it for an actor.
type buyerAction struct {
	name string
	do   func(e *env, w *buyerWorld, actor string) response
	want map[string]int // actor → status
}

func allActors(status int) map[string]int {
	m := map[string]int{}
	for _, a := range buyerActors {
		m[a] = status
	}
	return m
}

// statuses lists the wanted status per actor, in the order of buyerActors.
func byActor(junior, senior, admin, custom, super int) map[string]int {
	return map[string]int{"junior buyer": junior, "senior buyer": senior, "admin": admin, "custom role": custom, "super admin": super}
}

func buyerGet(path string) func(e *env, w *buyerWorld, actor string) response {
	return func(e *env, w *buyerWorld, actor string) response {
		return e.buyer(w.tokens[actor], "GET", strings.NewReplacer("{A}", fmt.Sprint(w.a), "{B}", fmt.Sprint(w.b), "{junior}", fmt.Sprint(w.juniorID), "{userB}", fmt.Sprint(w.userB)).Replace(path), nil)
	}
}

func buyerActions() []buyerAction {
	newUser := func(role int, customRole bool) func(e *env, w *buyerWorld, actor string) response {
		return func(e *env, w *buyerWorld, actor string) response {
			body := map[string]any{"firstName": "New", "lastName": "Hire", "email": "hire-" + randomHex(4) + "@acme.example.com", "role": role}
			if customRole {
				delete(body, "role")
				body["companyRoleId"] = w.customRole
			}
			return e.buyer(w.tokens[actor], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/users", w.a), body)
		}
	}
	return []buyerAction{
		{"GET /me", buyerGet("/api/v3/buyer/me"), allActors(200)},
		{"GET /companies", buyerGet("/api/v3/buyer/companies"), allActors(200)},
		{"GET A/users (get_users)", buyerGet("/api/v3/buyer/companies/{A}/users"), byActor(403, 200, 200, 200, 200)},
		{"GET A/users/junior (get_user_detail)", buyerGet("/api/v3/buyer/companies/{A}/users/{junior}"), byActor(403, 200, 200, 200, 200)},
		{"POST A/users junior buyer (create_user)", newUser(2, false), byActor(403, 403, 200, 403, 200)},
		{"POST A/users custom role (create_user)", newUser(2, true), byActor(403, 403, 200, 200, 200)},
		{"PUT A/users/junior (update_user)", func(e *env, w *buyerWorld, actor string) response {
			return e.buyer(w.tokens[actor], "PUT", fmt.Sprintf("/api/v3/buyer/companies/%d/users/%d", w.a, w.juniorID), map[string]any{"firstName": "Renamed by " + actor})
		}, byActor(403, 403, 200, 403, 200)},
		{"DELETE A/users/new junior (delete_user)", func(e *env, w *buyerWorld, actor string) response {
			target, _ := e.createUser(w.a, 2, 0, "target")
			return e.buyer(w.tokens[actor], "DELETE", fmt.Sprintf("/api/v3/buyer/companies/%d/users/%d", w.a, target), nil)
		}, byActor(403, 403, 200, 403, 200)},
		{"GET A/roles (get_roles)", buyerGet("/api/v3/buyer/companies/{A}/roles"), byActor(403, 403, 200, 200, 200)},
		{"GET A/subsidiaries (get_company_subsidiaries)", buyerGet("/api/v3/buyer/companies/{A}/subsidiaries"), byActor(403, 403, 200, 403, 200)},
		{"POST A/purchase-authorizations (purchase_enable)", func(e *env, w *buyerWorld, actor string) response {
			return e.buyer(w.tokens[actor], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil)
		}, byActor(403, 200, 200, 200, 200)},
		{"GET B/users (other company)", buyerGet("/api/v3/buyer/companies/{B}/users"), allActors(404)},
		{"GET A/users/userB (user of another company)", buyerGet("/api/v3/buyer/companies/{A}/users/{userB}"), byActor(403, 404, 404, 404, 404)},
		{"POST B/purchase-authorizations (other company)", func(e *env, w *buyerWorld, actor string) response {
			return e.buyer(w.tokens[actor], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.b), nil)
		}, allActors(404)},
		{"GET 999999/users (no such company)", buyerGet("/api/v3/buyer/companies/999999/users"), allActors(404)},
	}
}

// TestBuyerAPIEndToEnd walks a junior buyer, a senior buyer, an admin, a
// user with a custom role and a super admin through the buyer API, and
// shows each allowed and each refused action.
func TestBuyerAPIEndToEnd(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		clock := &testClock{}
		e := newEnv(t, b, envOptions{clock: clock.now})
		w := setupBuyerWorld(t, e)

		var table strings.Builder
		table.WriteString("| action | " + strings.Join(buyerActors, " | ") + " |\n|---|" + strings.Repeat("---|", len(buyerActors)) + "\n")
		for _, act := range buyerActions() {
			table.WriteString("| " + act.name + " |")
			for _, actor := range buyerActors {
				before := e.countUsers(w.a)
				r := act.do(e, w, actor)
				want := act.want[actor]
				mark := ""
				if r.status != want {
					mark = fmt.Sprintf(" (want %d)", want)
					t.Errorf("%s by %s: status %d, want %d; body: %s", act.name, actor, r.status, want, r.body)
				}
				fmt.Fprintf(&table, " %d%s |", r.status, mark)
				if r.status >= 400 {
					// Refused: the envelope, a message, nothing written.
					body := r.json(t)
					if jsonInt(body["code"]) != int64(r.status) || errMsgOf(t, r) == "" {
						t.Errorf("%s by %s: refusal without the envelope or a message: %s", act.name, actor, r.body)
					}
					if after := e.countUsers(w.a); after != before+boolInt(strings.HasPrefix(act.name, "DELETE")) {
						t.Errorf("%s by %s was refused but company A went from %d to %d users", act.name, actor, before, after)
					}
				}
			}
			table.WriteString("\n")
		}
		t.Logf("buyer API on %s, actor × action → status:\n%s", b.name, table.String())

		checkRefusalBodies(t, e, w)
		checkProfiles(t, e, w)
		checkStatusRules(t, e, w)
		checkTokens(t, e, w, clock)
		checkChangesApplyAtOnce(t, e, w)
	})
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// checkRefusalBodies: a 403 names the missing permission and level; a 404
// reveals nothing; a 200 purchase authorization is a decision to trust.
func checkRefusalBodies(t *testing.T, e *env, w *buyerWorld) {
	r := e.buyer(w.tokens["junior buyer"], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil)
	expect(t, r, 403)
	d := r.data(t)
	p, _ := d["permission"].(map[string]any)
	if d["reason"] != "not_granted" || p["code"] != "purchase_enable" || jsonInt(p["neededLevel"]) != 2 || jsonInt(p["grantedLevel"]) != 0 || p["role"] != "Junior Buyer" || jsonInt(d["companyId"]) != w.a {
		t.Errorf("junior's purchase refusal: %s", r.body)
	}
	if msg := errMsgOf(t, r); !strings.Contains(msg, "purchase_enable") || !strings.Contains(msg, "level 2 (Company)") {
		t.Errorf("refusal message %q does not name the permission and level", msg)
	}
	if r.json(t)["meta"].(map[string]any)["message"] != "Forbidden" {
		t.Errorf("meta: %s", r.body)
	}

	r = e.buyer(w.tokens["admin"], "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/users", w.b), nil)
	expect(t, r, 404)
	want := fmt.Sprintf(`{"code":404,"data":{"errMsg":"company %d not found"},"meta":{"message":"This resource is not found."}}`+"\n", w.b)
	if string(r.body) != want {
		t.Errorf("out-of-reach answer reveals more than not found:\n got %s\nwant %s", r.body, want)
	}
	r2 := e.buyer(w.tokens["admin"], "GET", "/api/v3/buyer/companies/999999/users", nil)
	if strings.Replace(string(r2.body), "999999", fmt.Sprint(w.b), 1) != want {
		t.Errorf("an unknown company and an out-of-reach one must read alike: %s vs %s", r2.body, r.body)
	}

	// A custom role with create_user may not hand out a role beyond its own.
	r = e.buyer(w.tokens["custom role"], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/users", w.a), map[string]any{"firstName": "A", "lastName": "B", "email": "esc-" + randomHex(3) + "@acme.example.com", "role": 0})
	expectErrMsg(t, r, 403, `you cannot give role "Admin"`, "within their own permissions")

	// An allowed purchase.
	for _, actor := range []string{"senior buyer", "super admin"} {
		r = e.buyer(w.tokens[actor], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil)
		expect(t, r, 200)
		d = r.data(t)
		if !strings.HasPrefix(d["decisionId"].(string), "pa_") || d["allowed"] != true || d["code"] != "purchase_enable" || jsonInt(d["companyId"]) != w.a ||
			jsonInt(d["neededLevel"]) != 2 || jsonInt(d["grantedLevel"]) < 2 || jsonInt(d["expiresAt"]) <= jsonInt(d["issuedAt"]) || jsonInt(d["expiresAt"]) > jsonInt(d["issuedAt"])+300 {
			t.Errorf("%s's purchase authorization: %s", actor, r.body)
		}
		if actor == "super admin" && (jsonInt(d["superAdminId"]) != w.superAdminID || jsonInt(d["userId"]) != 0) {
			t.Errorf("super admin's purchase authorization: %s", r.body)
		}
		if actor == "senior buyer" && jsonInt(d["userId"]) != w.users[actor] {
			t.Errorf("senior buyer's purchase authorization: %s", r.body)
		}
	}

	// The company's last admin cannot delete themselves (the user rules).
	expectErrMsg(t, e.buyer(w.tokens["admin"], "DELETE", fmt.Sprintf("/api/v3/buyer/companies/%d/users/%d", w.a, w.users["admin"]), nil), 422, "last admin")
}

// checkProfiles: /me and /companies for each kind of user.
func checkProfiles(t *testing.T, e *env, w *buyerWorld) {
	r := e.buyer(w.tokens["junior buyer"], "GET", "/api/v3/buyer/me", nil)
	expect(t, r, 200)
	d := r.data(t)
	perms := d["permissions"].(map[string]any)
	if d["userType"] != "companyUser" || d["canAct"] != true || d["role"].(map[string]any)["name"] != "Junior Buyer" ||
		jsonInt(perms["get_orders"]) != 1 || perms["purchase_enable"] != nil || jsonInt(d["company"].(map[string]any)["companyId"]) != w.a {
		t.Errorf("junior's profile: %s", r.body)
	}
	r = e.buyer(w.tokens["custom role"], "GET", "/api/v3/buyer/me", nil)
	expect(t, r, 200)
	if d := r.data(t); d["role"].(map[string]any)["name"] != "Buyer Manager" || jsonInt(d["role"].(map[string]any)["roleType"]) != 2 || len(d["permissions"].(map[string]any)) != 5 {
		t.Errorf("custom role's profile: %s", r.body)
	}
	r = e.buyer(w.tokens["super admin"], "GET", "/api/v3/buyer/me", nil)
	expect(t, r, 200)
	if d := r.data(t); d["userType"] != "superAdmin" || d["company"] != nil || len(d["permissions"].(map[string]any)) != 40 {
		t.Errorf("super admin's profile: %s", r.body)
	}

	// The companies each may act for: their own; the super admin's
	// assigned companies that are approved (A, not the pending P).
	for actor, want := range map[string][]int64{"junior buyer": {w.a}, "admin": {w.a}, "super admin": {w.a}} {
		r := e.buyer(w.tokens[actor], "GET", "/api/v3/buyer/companies", nil)
		expect(t, r, 200)
		var got []int64
		for _, c := range dataArray(t, r) {
			got = append(got, jsonInt(c.(map[string]any)["companyId"]))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s may act for %v, want %v: %s", actor, got, want, r.body)
		}
	}
}

// checkStatusRules: users of pending and inactive companies read their
// profile and nothing else; a super admin cannot act for a pending company.
func checkStatusRules(t *testing.T, e *env, w *buyerWorld) {
	for _, tc := range []struct {
		name    string
		token   string
		company int64
		status  string
	}{
		{"pending", w.pAdmin, w.p, "pending approval"},
		{"inactive", w.iAdmin, w.i, "inactive"},
	} {
		r := e.buyer(tc.token, "GET", "/api/v3/buyer/me", nil)
		expect(t, r, 200)
		d := r.data(t)
		if d["canAct"] != false || !strings.Contains(d["blocked"].(string), tc.status) {
			t.Errorf("%s company's admin: %s", tc.name, r.body)
		}
		r = e.buyer(tc.token, "GET", "/api/v3/buyer/companies", nil)
		expect(t, r, 200)
		if n := len(dataArray(t, r)); n != 0 {
			t.Errorf("%s company's admin may act for %d companies: %s", tc.name, n, r.body)
		}
		for _, path := range []string{"/users", "/roles", "/subsidiaries"} {
			r = e.buyer(tc.token, "GET", fmt.Sprintf("/api/v3/buyer/companies/%d%s", tc.company, path), nil)
			expectErrMsg(t, r, 403, fmt.Sprintf("your company %d is %s", tc.company, tc.status))
			if r.data(t)["reason"] != "company_not_approved" {
				t.Errorf("%s %s: %s", tc.name, path, r.body)
			}
		}
		r = e.buyer(tc.token, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", tc.company), nil)
		expectErrMsg(t, r, 403, tc.status)
		r = e.buyer(tc.token, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/users", tc.company), map[string]any{"firstName": "A", "lastName": "B", "email": "x-" + randomHex(3) + "@acme.example.com", "role": 2})
		expectErrMsg(t, r, 403, tc.status)
	}
	r := e.buyer(w.tokens["super admin"], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.p), nil)
	expectErrMsg(t, r, 403, fmt.Sprintf("company %d is pending approval", w.p))
}

// checkTokens: expired and revoked tokens, and each kind of token on the
// other API, are 401 in the envelope.
func checkTokens(t *testing.T, e *env, w *buyerWorld, clock *testClock) {
	_, cust := e.createUser(w.a, 1, 0, "brief")
	r := e.issue(map[string]any{"customerId": cust, "expiresIn": 60})
	expect(t, r, 200)
	short := r.data(t)["token"].([]any)[0].(string)
	revoked := e.buyerToken(cust)
	expect(t, e.buyer(short, "GET", "/api/v3/buyer/me", nil), 200)
	expect(t, e.do("DELETE", fmt.Sprintf("/api/io/auth/customers/%d/buyer-tokens", cust), nil), 200)
	expectErrMsg(t, e.buyer(revoked, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil), 401, "revoked")
	fresh := e.buyerToken(cust)
	r = e.issue(map[string]any{"customerId": cust, "expiresIn": 60})
	expired := r.data(t)["token"].([]any)[0].(string)
	clock.advance(2 * time.Minute)
	expectErrMsg(t, e.buyer(expired, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil), 401, "expired")
	expect(t, e.buyer(fresh, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil), 200)

	r = e.request("GET", fmt.Sprintf("/api/v3/io/companies/%d", w.a), nil, map[string]string{"authToken": fresh})
	expectErrMsg(t, r, 401, "this is a buyer token")
	if r.json(t)["meta"].(map[string]any)["message"] != "Unauthorized" {
		t.Errorf("401 envelope: %s", r.body)
	}
	expectErrMsg(t, e.buyer(e.token, "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/users", w.a), nil), 401, "server-to-server API token")
}

// checkChangesApplyAtOnce: a role or company status change applies to the
// next request of a token issued before it.
func checkChangesApplyAtOnce(t *testing.T, e *env, w *buyerWorld) {
	purchase := func(actor string) response {
		return e.buyer(w.tokens[actor], "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", w.a), nil)
	}
	expect(t, purchase("junior buyer"), 403)
	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", w.juniorID), map[string]any{"role": 1}), 200)
	expect(t, purchase("junior buyer"), 200)
	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", w.juniorID), map[string]any{"role": 2}), 200)
	expect(t, purchase("junior buyer"), 403)

	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/status", w.a), map[string]any{"companyStatus": 3}), 200)
	for _, actor := range []string{"admin", "super admin"} {
		expectErrMsg(t, purchase(actor), 403, "inactive")
	}
	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d/status", w.a), map[string]any{"companyStatus": 1}), 200)
	expect(t, purchase("admin"), 200)

	// Unassigning the company takes the super admin's reach away.
	expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/super-admins/%d", w.superAdminID), map[string]any{"companies": []any{
		map[string]any{"companyId": w.a, "isAssigned": false},
	}}), 200)
	expect(t, purchase("super admin"), 404)
}

// readCounter is a store that counts the company users it lists.
type readCounter struct {
	guild.Store
	listUsers atomic.Int64
}

func (s *readCounter) ListUsers(ctx context.Context, tenantID int64, f guild.UserFilter) ([]guild.User, int, error) {
	s.listUsers.Add(1)
	return s.Store.ListUsers(ctx, tenantID, f)
}

// TestBuyerRefusalReadsNoData checks that a refused request is decided
// before the data it asks for is read.
func TestBuyerRefusalReadsNoData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		counter := &readCounter{Store: b.store}
		e := newEnv(t, backend{b.name, counter}, envOptions{})
		a := e.createCompany(nil)
		_, jc := e.createUser(a, 2, 0, "junior")
		_, sc := e.createUser(a, 1, 0, "senior")
		junior, senior := e.buyerToken(jc), e.buyerToken(sc)
		path := fmt.Sprintf("/api/v3/buyer/companies/%d/users", a)

		n := counter.listUsers.Load()
		expect(t, e.buyer(junior, "GET", path, nil), 403)
		expect(t, e.buyer(junior, "GET", "/api/v3/buyer/companies/999999/users", nil), 404)
		if got := counter.listUsers.Load() - n; got != 0 {
			t.Errorf("refused requests listed users %d times", got)
		}
		expect(t, e.buyer(senior, "GET", path, nil), 200)
		if got := counter.listUsers.Load() - n; got != 1 {
			t.Errorf("an allowed request listed users %d times, want 1", got)
		}
	})
}

// TestBuyerNoEscalation: a user whose custom role may manage users can give,
// change and delete only roles within their own permissions.
func TestBuyerNoEscalation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		a := e.createCompany(nil)
		r := e.do("POST", "/api/v3/io/companies/roles", map[string]any{"name": "User Admin", "permissions": []any{
			map[string]any{"code": "get_users", "permissionLevel": 2},
			map[string]any{"code": "create_user", "permissionLevel": 2},
			map[string]any{"code": "update_user", "permissionLevel": 2},
			map[string]any{"code": "delete_user", "permissionLevel": 2},
		}})
		expect(t, r, 200)
		role := jsonInt(r.data(t)["id"])
		_, cust := e.createUser(a, 2, role, "useradmin")
		tok := e.buyerToken(cust)
		adminID, _ := e.companyAdmin(a)
		junior, _ := e.createUser(a, 2, 0, "junior")
		peer, _ := e.createUser(a, 2, role, "peer")
		users := fmt.Sprintf("/api/v3/buyer/companies/%d/users", a)
		newUser := func(extra map[string]any) map[string]any {
			body := map[string]any{"firstName": "N", "lastName": "U", "email": "n-" + randomHex(3) + "@acme.example.com"}
			for k, v := range extra {
				body[k] = v
			}
			return body
		}

		expect(t, e.buyer(tok, "POST", users, newUser(map[string]any{"companyRoleId": role})), 200)
		expectErrMsg(t, e.buyer(tok, "POST", users, newUser(map[string]any{"role": 1})), 403, `you cannot give role "Senior Buyer"`)
		expectErrMsg(t, e.buyer(tok, "POST", users, newUser(map[string]any{"companyRoleId": 1})), 403, `you cannot give role "Senior Buyer"`)
		expectErrMsg(t, e.buyer(tok, "POST", users, newUser(map[string]any{"role": 0})), 403, `you cannot give role "Admin"`)

		expect(t, e.buyer(tok, "PUT", fmt.Sprintf("%s/%d", users, peer), map[string]any{"firstName": "Renamed"}), 200)
		expectErrMsg(t, e.buyer(tok, "PUT", fmt.Sprintf("%s/%d", users, peer), map[string]any{"role": 0}), 403, `you cannot give role "Admin"`)
		expectErrMsg(t, e.buyer(tok, "PUT", fmt.Sprintf("%s/%d", users, peer), map[string]any{"companyRoleId": 0}), 403, `you cannot give role "Junior Buyer"`)
		expectErrMsg(t, e.buyer(tok, "PUT", fmt.Sprintf("%s/%d", users, adminID), map[string]any{"role": 2}), 403, fmt.Sprintf("you cannot change user %d", adminID))
		expectErrMsg(t, e.buyer(tok, "PUT", fmt.Sprintf("%s/%d", users, junior), map[string]any{"firstName": "X"}), 403, "you cannot change user")
		expectErrMsg(t, e.buyer(tok, "DELETE", fmt.Sprintf("%s/%d", users, adminID), nil), 403, "you cannot delete user")
		expect(t, e.buyer(tok, "DELETE", fmt.Sprintf("%s/%d", users, peer), nil), 200)

		// Nothing refused was written: the admin is still admin.
		r = e.do("GET", fmt.Sprintf("/api/v3/io/users/%d", adminID), nil)
		expect(t, r, 200)
		if jsonInt(r.data(t)["role"]) != 0 {
			t.Errorf("admin after refused changes: %s", r.body)
		}
	})
}
