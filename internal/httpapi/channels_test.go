package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/spectest"
)

var (
	channelSpecOnce sync.Once
	channelSpec     *spectest.Spec
)

// conformChannel fails the test unless the answer matches channel.yaml.
func conformChannel(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	channelSpecOnce.Do(func() {
		channelSpec = spectest.Load(t, "api-v3/channel/channel.yaml")
		// docs/compatibility.md, Channels: createdAt and updatedAt are unix
		// seconds in strings, as the vendor's examples show, not the
		// date-time its schema names.
		channelSpec.Patch(func(doc *openapi3.T) {
			for _, k := range []string{"createdAt", "updatedAt"} {
				doc.Components.Schemas["Channel"].Value.Properties[k].Value.Format = ""
			}
		})
	})
	if err := channelSpec.Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

// channelError decodes the channel endpoints' error answer.
func channelError(t *testing.T, r response, status int) string {
	t.Helper()
	var got struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	raw := map[string]any{}
	if err := json.Unmarshal(r.body, &raw); err != nil || json.Unmarshal(r.body, &got) != nil {
		t.Fatalf("not JSON: %s", r.body)
	}
	if r.status != status || got.Code != status || got.Message == "" || len(raw) != 2 {
		t.Errorf("status %d, want %d in {code, message}: %s", r.status, status, r.body)
	}
	return got.Message
}

func TestChannels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		ctx := context.Background()
		def, err := b.store.ChannelByPlatformID(ctx, e.tenant.ID, 1)
		if err != nil {
			t.Fatalf("a new store has no default channel: %v", err)
		}

		r := e.do("GET", "/api/v3/io/channels/1", nil)
		expect(t, r, 200)
		conformChannel(t, r, "GET", "/channels/{channel_id}")
		wantJSON(t, r, fmt.Sprintf(`{"code":200,"meta":{"message":"SUCCESS"},"data":{"id":%d,"channelId":1,"name":"Default Channel",
			"type":"storefront","platform":"bigcommerce","status":"active","site":"","isVisible":true,"isEnabled":true,"iconUrl":"",
			"b2bEnabled":true,"allowGlobalLogins":false,"createdAt":"%d","updatedAt":"%d"}}`,
			def.ID, def.CreatedAt.Unix(), def.UpdatedAt.Unix()))

		// Guild's extension: a disabled marketplace channel.
		r = e.do("POST", "/api/v3/io/channels", map[string]any{"channelId": "1001", "name": "EU marketplace", "type": "marketplace",
			"platform": "amazon", "site": "https://eu.example.com", "iconUrl": "https://cdn.example.com/eu.png", "isEnabled": false,
			"allowGlobalLogins": true})
		expect(t, r, 200)
		conformChannel(t, r, "GET", "/channels/{channel_id}")
		d := r.data(t)
		if d["channelId"] != 1001.0 || d["id"] == 1001.0 || d["isEnabled"] != false || d["status"] != "active" || d["b2bEnabled"] != true || d["allowGlobalLogins"] != true {
			t.Errorf("create: %s", r.body)
		}

		// GET /channels lists the enabled channels only.
		r = e.do("GET", "/api/v3/io/channels", nil)
		expect(t, r, 200)
		conformChannel(t, r, "GET", "/channels")
		if got := listIDs(t, r, "channelId"); !cmp.Equal(got, []int64{1, 2, 3}) {
			t.Errorf("GET /channels: %v", got)
		}
		r = e.do("GET", "/api/v3/io/channels/1001", nil)
		expect(t, r, 200)
		conformChannel(t, r, "GET", "/channels/{channel_id}")

		r = e.do("PUT", "/api/v3/io/channels/1001", map[string]any{"isEnabled": true, "status": "archived", "name": "EU", "channelId": 1001})
		expect(t, r, 200)
		if d := r.data(t); d["isEnabled"] != true || d["status"] != "archived" || d["name"] != "EU" || d["site"] != "https://eu.example.com" {
			t.Errorf("update: %s", r.body)
		}
		r = e.do("GET", "/api/v3/io/channels", nil)
		if got := listIDs(t, r, "channelId"); !cmp.Equal(got, []int64{1, 2, 3, 1001}) {
			t.Errorf("GET /channels after enabling: %v", got)
		}

		r = e.do("GET", "/api/v3/io/channels/999", nil)
		conformChannel(t, r, "GET", "/channels/{channel_id}")
		channelError(t, r, 404)
		// B2B Edition's own id is not the path's id.
		if def.ID != 1 {
			channelError(t, e.do("GET", fmt.Sprintf("/api/v3/io/channels/%d", def.ID+5000), nil), 404)
		}
		channelError(t, e.do("GET", "/api/v3/io/channels/abc", nil), 400)

		before, _ := b.store.ListChannels(ctx, e.tenant.ID)
		for name, tc := range map[string]struct {
			method, path string
			body         any
			status       int
		}{
			"taken channelId":      {"POST", "/api/v3/io/channels", map[string]any{"channelId": 2, "name": "Two again"}, 422},
			"no channelId":         {"POST", "/api/v3/io/channels", map[string]any{"name": "Nameless"}, 422},
			"channelId not an int": {"POST", "/api/v3/io/channels", map[string]any{"channelId": "two", "name": "Two"}, 422},
			"no name":              {"POST", "/api/v3/io/channels", map[string]any{"channelId": 77}, 422},
			"unknown type":         {"POST", "/api/v3/io/channels", map[string]any{"channelId": 77, "name": "X", "type": "kiosk"}, 422},
			"unknown status":       {"POST", "/api/v3/io/channels", map[string]any{"channelId": 77, "name": "X", "status": "deleted"}, 422},
			"bool not a bool":      {"POST", "/api/v3/io/channels", map[string]any{"channelId": 77, "name": "X", "isVisible": "often"}, 422},
			"not JSON":             {"POST", "/api/v3/io/channels", "{", 400},
			"channelId changed":    {"PUT", "/api/v3/io/channels/1001", map[string]any{"channelId": 1002}, 422},
			"update of a missing":  {"PUT", "/api/v3/io/channels/4242", map[string]any{"name": "X"}, 404},
			"bad platform update":  {"PUT", "/api/v3/io/channels/1001", map[string]any{"platform": "shopify"}, 422},
		} {
			r := e.do(tc.method, tc.path, tc.body)
			t.Run(name, func(t *testing.T) { channelError(t, r, tc.status) })
		}
		after, _ := b.store.ListChannels(ctx, e.tenant.ID)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("refused requests changed channels (-before +after):\n%s", diff)
		}
	})
}

// TestUserChannelsAreTheStoreChannels checks users', super admins' and
// company admins' channelIds against the store's channels.
func TestUserChannelsAreTheStoreChannels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		ctx := context.Background()
		company := e.createCompany(nil)
		expect(t, e.do("POST", "/api/v3/io/channels", map[string]any{"channelId": 1001, "name": "EU", "iconUrl": "https://cdn.example.com/eu.png"}), 200)

		count := func() (users, admins int) {
			_, users, err := b.store.ListUsers(ctx, e.tenant.ID, guild.UserFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return users, countSuperAdmins(t, e)
		}
		u0, s0 := count()
		for name, tc := range map[string]struct {
			path string
			body map[string]any
			key  string
		}{
			"user":              {"/api/v3/io/users", map[string]any{"companyId": company, "firstName": "U", "lastName": "L", "email": "u@example.com", "role": 2, "channelIds": []any{1, 4242}}, "channelIds"},
			"bulk users":        {"/api/v3/io/users/bulk", nil, ""},
			"super admin":       {"/api/v3/io/super-admins", map[string]any{"firstName": "S", "lastName": "A", "email": "s@example.com", "channelIds": []any{4242}}, "channelIds"},
			"company admin":     {"/api/v3/io/companies", nil, "channel_ids"},
			"bulk super admins": {"/api/v3/io/super-admins/bulk", nil, ""},
		} {
			var body any = tc.body
			switch name {
			case "bulk users":
				body = []any{map[string]any{"companyId": company, "firstName": "U", "lastName": "L", "email": "b@example.com", "role": 2, "channelIds": []any{4242}}}
			case "bulk super admins":
				body = []any{map[string]any{"firstName": "S", "lastName": "A", "email": "bs@example.com", "channelIds": []any{"4242"}}}
			case "company admin":
				c := validCompany(randomHex(4))
				c["channelIds"] = []any{4242}
				body = c
			}
			r := e.do("POST", tc.path, body)
			if r.status != 422 {
				t.Errorf("%s: status %d, want 422: %s", name, r.status, r.body)
				continue
			}
			if tc.key != "" {
				msgs, _ := r.data(t)["errMsg"].(map[string]any)[tc.key].([]any)
				if len(msgs) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), "4242") {
					t.Errorf("%s: errMsg does not name the unknown channel: %s", name, r.body)
				}
			}
		}
		if u, s := count(); u != u0 || s != s0 {
			t.Errorf("refused creates wrote users (%d→%d) or super admins (%d→%d)", u0, u, s0, s)
		}

		r := e.do("POST", "/api/v3/io/users", map[string]any{"companyId": company, "firstName": "U", "lastName": "L", "email": "ok@example.com", "role": 2, "channelIds": []any{1001, "2"}})
		expect(t, r, 200)
		user := int64(r.data(t)["userId"].(float64))
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/users/%d", user), map[string]any{"channelIds": []any{5}})
		if r.status != 422 {
			t.Errorf("update to an unknown channel: %d %s", r.status, r.body)
		}
		sa := e.addSuperAdmin(map[string]any{"channelIds": []any{1001}})
		// channelList names the store's channels.
		r = e.do("GET", fmt.Sprintf("/api/v3/io/super-admins/info/%d", sa), nil)
		expect(t, r, 200)
		if diff := cmp.Diff([]any{map[string]any{"channelId": 1001.0, "channelName": "EU", "iconUrl": "https://cdn.example.com/eu.png"}},
			r.data(t)["channelList"]); diff != "" {
			t.Errorf("super admin channelList (-want +got):\n%s", diff)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/users?companyId=%d", company), nil)
		expect(t, r, 200)
		for _, u := range r.json(t)["data"].([]any) {
			for _, ch := range u.(map[string]any)["channelList"].([]any) {
				if ch.(map[string]any)["channelName"] == "" {
					t.Errorf("user list: a channel without its name: %s", r.body)
				}
			}
		}
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/super-admins/info/%d", sa), map[string]any{"channelIds": []any{5}})
		if r.status != 422 {
			t.Errorf("super admin update to an unknown channel: %d %s", r.status, r.body)
		}
		u, _ := b.store.User(ctx, e.tenant.ID, user)
		if !cmp.Equal(u.ChannelIDs, []int64{1001, 2}) {
			t.Errorf("user channels %v", u.ChannelIDs)
		}
	})
}
