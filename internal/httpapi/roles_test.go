package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/guild-b2b/guild/internal/authz"
	"github.com/guild-b2b/guild/internal/spectest"
)

var (
	rolesSpecOnce sync.Once
	rolesSpec     *spectest.Spec
)

// vendorRolesSpec is company.yaml with the corrections docs/compatibility.md
// lists for roles (R-numbers there): the role list's data is an array (R3),
// and permissionLevel allows 3 (R4).
func vendorRolesSpec(t *testing.T) *spectest.Spec {
	rolesSpecOnce.Do(func() {
		rolesSpec = spectest.Load(t, "api-v3/company/company.yaml")
		rolesSpec.Patch(func(doc *openapi3.T) {
			roleItem := doc.Components.Schemas["role_RESPONSE"].Value.Properties["data"]
			list := doc.Paths.Value("/companies/roles").Get.Responses.Value("200").Value.Content.Get("application/json")
			list.Schema = openapi3.NewObjectSchema().
				WithProperty("code", openapi3.NewIntegerSchema()).
				WithPropertyRef("data", &openapi3.SchemaRef{Value: openapi3.NewArraySchema().WithItems(roleItem.Value)}).
				WithPropertyRef("meta", list.Schema.Value.AllOf[1].Value.Properties["meta"]).NewRef()
			detail := doc.Components.Schemas["roleDetail_RESPONSE"].Value.AllOf[1].Value
			level := detail.Properties["data"].Value.Properties["permissions"].Value.Items.Value.Properties["permissionLevel"].Value
			level.Enum = append(level.Enum, 3)
		})
	})
	return rolesSpec
}

// conformRoles fails the test unless the answer matches the vendor's schema
// (with the roles corrections).
func conformRoles(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	if err := vendorRolesSpec(t).Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

// errMsg returns data.errMsg as text (an object or array is JSON-encoded).
func errMsgOf(t *testing.T, r response) string {
	t.Helper()
	d, ok := r.json(t)["data"].(map[string]any)
	if !ok {
		t.Fatalf("data is not an object: %s", r.body)
	}
	if s, ok := d["errMsg"].(string); ok {
		return s
	}
	return fmt.Sprint(d["errMsg"])
}

// expectErr fails unless the answer has the status and its errMsg mentions
// every one of want.
func expectErrMsg(t *testing.T, r response, status int, want ...string) {
	t.Helper()
	expect(t, r, status)
	msg := errMsgOf(t, r)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("errMsg %q does not mention %q", msg, w)
		}
	}
}

func dataArray(t *testing.T, r response) []any {
	t.Helper()
	d, ok := r.json(t)["data"].([]any)
	if !ok {
		t.Fatalf("data is not an array: %s", r.body)
	}
	return d
}

// jsonText encodes v as compact JSON.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canonical re-encodes JSON text as jsonText does (object keys sorted).
func canonical(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return jsonText(t, v)
}

func jsonInt(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func TestPermissionsAPI(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		const base = "/api/v3/io/companies/permissions"

		r := e.do("GET", base, nil)
		expect(t, r, 200)
		conformRoles(t, r, "GET", "/companies/permissions")
		perms := dataArray(t, r)
		if len(perms) != 40 {
			t.Fatalf("%d permissions, want the 40 predefined", len(perms))
		}
		first := perms[0].(map[string]any)
		if first["id"] != 1.0 || first["code"] != "get_addresses" || first["name"] != "Get addresses" || first["isCustom"] != false || first["moduleName"] != "address" {
			t.Errorf("first permission %v, want the vendor's example (id 1, get_addresses)", first)
		}
		for i, p := range authz.Predefined() {
			got := perms[i].(map[string]any)
			if got["code"] != p.Code || jsonInt(got["id"]) != p.ID {
				t.Errorf("permission %d is %v, want %s", i, got, p.Code)
			}
		}
		if p := perms[24].(map[string]any); p["code"] != "deplicate_shopping_list" {
			t.Errorf("permission 25 is %v: the vendor's misspelt code must be kept byte-exact", p["code"])
		}

		// q matches names (and codes) partially, case-insensitively.
		r = e.do("GET", base+"?q=INVOICE", nil)
		expect(t, r, 200)
		if n := len(dataArray(t, r)); n != 6 {
			t.Errorf("q=INVOICE found %d permissions, want 6: %s", n, r.body)
		}

		// Create a custom permission.
		r = e.do("POST", base, map[string]any{"name": "Approve large orders", "code": "approve_large_orders", "description": "Approve orders over the limit", "moduleName": "order"})
		expect(t, r, 200)
		conformRoles(t, r, "POST", "/companies/permissions")
		custom := r.data(t)
		cid := jsonInt(custom["id"])
		if cid <= 40 || custom["isCustom"] != true || custom["code"] != "approve_large_orders" {
			t.Fatalf("custom permission %v: want isCustom and an id clear of the predefined 1..40", custom)
		}
		if n := len(dataArray(t, e.do("GET", base, nil))); n != 41 {
			t.Errorf("%d permissions after one create, want 41", n)
		}

		// Bad input: nothing is written.
		for _, tc := range []struct {
			name string
			body any
			want []string
		}{
			{"duplicate name, other case", map[string]any{"name": "APPROVE LARGE ORDERS", "code": "x1", "description": "d"}, []string{"name", "custom permission"}},
			{"predefined name", map[string]any{"name": "get addresses", "code": "x2", "description": "d"}, []string{"predefined permission 1"}},
			{"predefined code", map[string]any{"name": "Mine", "code": "get_orders", "description": "d"}, []string{"code", "get_orders"}},
			{"custom code", map[string]any{"name": "Mine", "code": "approve_large_orders", "description": "d"}, []string{"code"}},
			{"missing fields", map[string]any{"name": ""}, []string{"name", "code", "description"}},
			{"code with spaces", map[string]any{"name": "Spaces", "code": "a b", "description": "d"}, []string{"may hold only"}},
			{"name too long", map[string]any{"name": strings.Repeat("n", 201), "code": "long", "description": "d"}, []string{"200"}},
		} {
			r := e.do("POST", base, tc.body)
			expectErrMsg(t, r, 422, tc.want...)
		}
		expectErrMsg(t, e.do("POST", base, "[]"), 422, "object")
		expect(t, e.do("POST", base, "{"), 400)
		if n := len(dataArray(t, e.do("GET", base, nil))); n != 41 {
			t.Errorf("%d permissions after refused creates, want 41", n)
		}

		// Predefined permissions cannot be changed or deleted.
		expectErrMsg(t, e.do("PUT", base+"/1", map[string]any{"name": "x", "code": "x", "description": "x"}), 422, "predefined", "get_addresses")
		expectErrMsg(t, e.do("DELETE", base+"/40", nil), 422, "predefined", "get_company_subsidiaries")
		expectErrMsg(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, cid+1000), nil), 404, "does not exist")
		expectErrMsg(t, e.do("PUT", base+"/abc", map[string]any{}), 422, "permissionId")

		// A role that grants the custom code keeps it when the code is
		// renamed; the code cannot be deleted while the role grants it.
		r = e.do("POST", "/api/v3/io/companies/roles", map[string]any{"name": "Approver", "permissions": []any{
			map[string]any{"code": "approve_large_orders", "permissionLevel": 2},
		}})
		expect(t, r, 200)
		roleID := jsonInt(r.data(t)["id"])
		r = e.do("PUT", fmt.Sprintf("%s/%d", base, cid), map[string]any{"name": "Approve big orders", "code": "approve_big_orders", "description": "Over the limit", "moduleName": "order"})
		expect(t, r, 200)
		conformRoles(t, r, "PUT", "/companies/permissions/{permissionId}")
		if d := r.data(t); d["code"] != "approve_big_orders" || jsonInt(d["id"]) != cid {
			t.Errorf("updated permission %v", d)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/roles/%d", roleID), nil)
		expect(t, r, 200)
		if ps := r.data(t)["permissions"].([]any); len(ps) != 1 || ps[0].(map[string]any)["code"] != "approve_big_orders" || jsonInt(ps[0].(map[string]any)["id"]) != cid {
			t.Errorf("role after the code's rename: %s", r.body)
		}
		expectErrMsg(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, cid), nil), 422, "approve_big_orders", "granted by 1 custom role")
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/roles/%d", roleID), nil), 200)
		r = e.do("DELETE", fmt.Sprintf("%s/%d", base, cid), nil)
		expect(t, r, 200)
		conformRoles(t, r, "DELETE", "/companies/permissions/{permissionId}")
		if n := len(dataArray(t, e.do("GET", base, nil))); n != 40 {
			t.Errorf("%d permissions after the delete, want 40", n)
		}
	})
}

func TestRolesAPI(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		const base = "/api/v3/io/companies/roles"

		r := e.do("GET", base, nil)
		expect(t, r, 200)
		conformRoles(t, r, "GET", "/companies/roles")
		want := `{"code":200,"data":[{"id":0,"name":"Admin","roleType":1,"roleLevel":1},{"id":1,"name":"Senior Buyer","roleType":1,"roleLevel":1},{"id":2,"name":"Junior Buyer","roleType":1,"roleLevel":1}],"meta":{"message":"success","pagination":{"limit":10,"offset":0,"totalCount":3}}}` + "\n"
		if string(r.body) != want {
			t.Errorf("roles of a new store:\n got %s\nwant %s", r.body, want)
		}

		// The predefined roles' permissions, as ROLES.md documents them.
		for _, role := range authz.PredefinedRoles() {
			r := e.do("GET", fmt.Sprintf("%s/%d", base, role.ID), nil)
			expect(t, r, 200)
			conformRoles(t, r, "GET", "/companies/roles/{roleId}")
			d := r.data(t)
			if d["name"] != role.Name || d["roleType"] != 1.0 {
				t.Errorf("role %d: %v", role.ID, d)
			}
			got := map[string]authz.Level{}
			for _, p := range d["permissions"].([]any) {
				p := p.(map[string]any)
				got[p["code"].(string)] = authz.Level(jsonInt(p["permissionLevel"]))
				if pp, _ := authz.LookupPredefined(p["code"].(string)); pp.ID != jsonInt(p["id"]) {
					t.Errorf("role %d: permission %v has the wrong id", role.ID, p)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(role.Grants) {
				t.Errorf("role %s grants %v, want %v", role.Name, got, role.Grants)
			}
		}

		// Create: a role of the vendor's example.
		r = e.do("POST", base, map[string]any{"name": "io test", "permissions": []any{
			map[string]any{"code": "get_addresses", "permissionLevel": 2},
			map[string]any{"code": "create_quote", "permissionLevel": "3"},
			map[string]any{"code": "get_orders", "permissionLevel": 1},
		}})
		expect(t, r, 200)
		conformRoles(t, r, "POST", "/companies/roles")
		d := r.data(t)
		id := jsonInt(d["id"])
		if id <= 2 || d["roleType"] != 2.0 || d["roleLevel"] != 1.0 || d["name"] != "io test" {
			t.Fatalf("created role %v", d)
		}
		wantPerms := `[{"id":1,"code":"get_addresses","permissionLevel":2},{"id":18,"code":"create_quote","permissionLevel":3},{"id":14,"code":"get_orders","permissionLevel":1}]`
		if got := jsonText(t, d["permissions"]); got != canonical(t, wantPerms) {
			t.Errorf("permissions %s, want %s", got, wantPerms)
		}

		// Bad input: each a 422 naming the code; nothing written.
		for _, tc := range []struct {
			name string
			body any
			want []string
		}{
			{"unknown code", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_adresses", "permissionLevel": 2}}}, []string{`"get_adresses" is not a permission code`}},
			{"wrong case", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "GET_ORDERS", "permissionLevel": 2}}}, []string{"did you mean get_orders"}},
			{"level the code does not allow", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "create_quote", "permissionLevel": 2}}}, []string{"create_quote cannot be granted at level 2 (Company)", "1 (User), 3 (Company and subsidiaries)"}},
			{"level 1 on a company-wide code", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "purchase_enable", "permissionLevel": 1}}}, []string{"purchase_enable cannot be granted at level 1"}},
			{"level 4", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 4}}}, []string{"level 4 is not valid for get_orders"}},
			{"level 0", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 0}}}, []string{"level 0 is not valid for get_orders"}},
			{"no level", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_orders"}}}, []string{`"get_orders" needs a permissionLevel`}},
			{"level not a number", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": "high"}}}, []string{"get_orders", "must be an integer"}},
			{"code twice", map[string]any{"name": "R1", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}, map[string]any{"code": "get_orders", "permissionLevel": 2}}}, []string{`"get_orders" is listed more than once`}},
			{"no permissions", map[string]any{"name": "R1", "permissions": []any{}}, []string{"at least one permission"}},
			{"permissions missing", map[string]any{"name": "R1"}, []string{"at least one permission"}},
			{"predefined name", map[string]any{"name": "junior buyer", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}, []string{"predefined role 2"}},
			{"custom name", map[string]any{"name": "IO TEST", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}, []string{"custom role"}},
			{"no name", map[string]any{"permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}, []string{"name"}},
			{"permissions not an array", map[string]any{"name": "R1", "permissions": "get_orders"}, []string{"permissions"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expectErrMsg(t, e.do("POST", base, tc.body), 422, tc.want...)
			})
		}
		if n := jsonInt(e.do("GET", base, nil).json(t)["meta"].(map[string]any)["pagination"].(map[string]any)["totalCount"]); n != 4 {
			t.Errorf("%d roles after refused creates, want 4", n)
		}

		// An update replaces the whole list.
		r = e.do("PUT", fmt.Sprintf("%s/%d", base, id), map[string]any{"name": "Procurement Manager", "permissions": []any{
			map[string]any{"code": "purchase_enable", "permissionLevel": 2},
		}})
		expect(t, r, 200)
		conformRoles(t, r, "PUT", "/companies/roles/{roleId}")
		r = e.do("GET", fmt.Sprintf("%s/%d", base, id), nil)
		expect(t, r, 200)
		if got := jsonText(t, r.data(t)["permissions"]); got != canonical(t, `[{"id":39,"code":"purchase_enable","permissionLevel":2}]`) || r.data(t)["name"] != "Procurement Manager" {
			t.Errorf("after the update: %s", r.body)
		}
		expectErrMsg(t, e.do("PUT", fmt.Sprintf("%s/%d", base, id), map[string]any{"name": "Procurement Manager", "permissions": []any{}}), 422, "at least one permission")
		expectErrMsg(t, e.do("PUT", fmt.Sprintf("%s/%d", base, id), map[string]any{"name": "Admin", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}), 422, "predefined role 0")

		// Predefined roles are immutable; unknown ids are 404.
		for _, rid := range []int{0, 1, 2} {
			expectErrMsg(t, e.do("PUT", fmt.Sprintf("%s/%d", base, rid), map[string]any{"name": "x", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}), 422, "predefined")
			expectErrMsg(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, rid), nil), 422, "predefined")
		}
		expectErrMsg(t, e.do("GET", base+"/99999", nil), 404, "role 99999")
		expectErrMsg(t, e.do("DELETE", base+"/99999", nil), 404, "role 99999")
		expectErrMsg(t, e.do("GET", base+"/-1", nil), 422, "roleId")

		// q and paging.
		expect(t, e.do("POST", base, map[string]any{"name": "Buyer of things", "permissions": []any{map[string]any{"code": "get_orders", "permissionLevel": 1}}}), 200)
		r = e.do("GET", base+"?q=buyer&limit=2&offset=1", nil)
		expect(t, r, 200)
		conformRoles(t, r, "GET", "/companies/roles")
		names := []string{}
		for _, x := range dataArray(t, r) {
			names = append(names, x.(map[string]any)["name"].(string))
		}
		if fmt.Sprint(names) != "[Junior Buyer Buyer of things]" || jsonInt(r.json(t)["meta"].(map[string]any)["pagination"].(map[string]any)["totalCount"]) != 3 {
			t.Errorf("q=buyer&limit=2&offset=1: %s", r.body)
		}
		expectErrMsg(t, e.do("GET", base+"?limit=0", nil), 422, "limit")

		// A role held by a user cannot be deleted.
		cid := e.createCompany(nil)
		r = e.do("POST", "/api/v3/io/users", map[string]any{"companyId": cid, "firstName": "Pat", "lastName": "Proc", "email": "pat-" + randomHex(3) + "@acme.example.com", "companyRoleId": id})
		expect(t, r, 200)
		userID := jsonInt(r.data(t)["userId"])
		expectErrMsg(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil), 422, "held by 1 user")
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", userID), nil), 200)
		r = e.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil)
		expect(t, r, 200)
		conformRoles(t, r, "DELETE", "/companies/roles/{roleId}")
		expectErrMsg(t, e.do("GET", fmt.Sprintf("%s/%d", base, id), nil), 404, "does not exist")
	})
}
