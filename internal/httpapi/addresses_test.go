package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/spectest"
)

var (
	addressSpecOnce sync.Once
	addressSpec     *spectest.Spec
)

// vendorAddressSpec is address.yaml with the corrections docs/compatibility.md
// lists for addresses (A1, A2): the list's and bulk create's data is an
// array of addresses, and the 413's errMsg is the string its example shows.
func vendorAddressSpec(t *testing.T) *spectest.Spec {
	addressSpecOnce.Do(func() {
		addressSpec = spectest.Load(t, "api-v3/address/address.yaml")
		addressSpec.Patch(func(doc *openapi3.T) {
			arrayOf := func(path string) {
				op := doc.Paths.Value(path)
				var o *openapi3.Operation
				if path == "/addresses" {
					o = op.Get
				} else {
					o = op.Post
				}
				body := openapi3.NewObjectSchema()
				body.Required = []string{"code", "data", "meta"}
				body.Properties = openapi3.Schemas{
					"code": openapi3.NewIntegerSchema().NewRef(),
					"data": openapi3.NewArraySchema().WithItems(doc.Components.Schemas["addressFields_GET"].Value).NewRef(),
					"meta": doc.Components.Schemas["meta_full"],
				}
				o.Responses.Value("200").Value.Content.Get("application/json").Schema = body.NewRef()
			}
			arrayOf("/addresses")
			arrayOf("/addresses/bulk")
			bulk422 := doc.Paths.Value("/addresses/bulk").Post.Responses.Value("422").Value.Content.Get("application/json").Schema.Value
			bulk422.Properties["data"].Value.Properties["errMsg"] = openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema()).NewRef()
			tooLarge := doc.Paths.Value("/addresses/bulk").Post.Responses.Value("413").Value.Content.Get("application/json").Schema.Value
			tooLarge.Properties["data"].Value.Properties["errMsg"] = openapi3.NewStringSchema().NewRef()
		})
	})
	return addressSpec
}

// conformAddress fails the test unless the answer matches address.yaml.
func conformAddress(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	if err := vendorAddressSpec(t).Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

func hasKeyPrefix(m map[string]any, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// minimalAddress is the vendor's "Minimum-required fields" example.
func minimalAddress(companyID int64) map[string]any {
	return map[string]any{"firstName": "Marie", "lastName": "Curie", "addressLine1": "512 Bluebonnet Lane",
		"city": "Austin", "stateName": "Texas", "countryName": "United States", "companyId": companyID}
}

// fullAddress is the vendor's "All fields" example (extraFields as the
// single object it shows).
func fullAddress(companyID int64) map[string]any {
	return map[string]any{"firstName": "Marie", "lastName": "Curie", "phoneNumber": "512-200-1234", "zipCode": "78704",
		"addressLine1": "512 Bluebonnet Lane", "addressLine2": "Building 1", "city": "Austin", "stateName": "Texas",
		"countryName": "United States", "stateCode": "TX", "countryCode": "US", "companyId": companyID,
		"isBilling": false, "isShipping": true, "isDefaultBilling": false, "isDefaultShipping": false,
		"label": "Austin Warehouse", "externalId": "123456",
		"extraFields": map[string]any{"fieldName": "Tax Provider Tax Code", "fieldValue": "G"}}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// addAddress creates an address and returns its id.
func (e *env) addAddress(body map[string]any) int64 {
	e.t.Helper()
	r := e.do("POST", "/api/v3/io/addresses", body)
	expect(e.t, r, 200)
	return jsonInt(r.data(e.t)["addressId"])
}

func (e *env) countAddresses() int {
	e.t.Helper()
	_, n, err := e.app.Store().ListAddresses(context.Background(), e.tenant.ID, guild.AddressFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func addressTaxField(t *testing.T, e *env) {
	t.Helper()
	expect(t, e.do("POST", "/api/v3/io/addresses/extra-fields", map[string]any{"fieldName": "Tax Provider Tax Code", "fieldType": 0}), 200)
}

func TestAddressLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		addressTaxField(t, e)
		cid := e.createCompany(nil)
		_, mark := outboxTopics(t, e, 0)

		r := e.do("POST", "/api/v3/io/addresses", minimalAddress(cid))
		expect(t, r, 200)
		conformAddress(t, r, "POST", "/addresses")
		if msg := r.json(t)["meta"].(map[string]any)["message"]; msg != "SUCCESS" {
			t.Errorf("meta.message = %v", msg)
		}
		minID := jsonInt(r.data(t)["addressId"])

		r = e.do("POST", "/api/v3/io/addresses", fullAddress(cid))
		expect(t, r, 200)
		conformAddress(t, r, "POST", "/addresses")
		id := jsonInt(r.data(t)["addressId"])

		path := fmt.Sprintf("/api/v3/io/addresses/%d", id)
		r = e.do("GET", path, nil)
		expect(t, r, 200)
		conformAddress(t, r, "GET", "/addresses/{addressId}")
		got := r.data(t)
		delete(got, "createdAt")
		delete(got, "updatedAt")
		want := map[string]any{"addressId": float64(id), "firstName": "Marie", "lastName": "Curie", "phoneNumber": "512-200-1234",
			"zipCode": "78704", "addressLine1": "512 Bluebonnet Lane", "addressLine2": "Building 1", "city": "Austin",
			"stateName": "Texas", "countryName": "United States", "stateCode": "TX", "countryCode": "US", "companyId": float64(cid),
			"isBilling": false, "isShipping": true, "isDefaultBilling": false, "isDefaultShipping": false,
			"label": "Austin Warehouse", "externalId": "123456",
			"extraFields": []any{map[string]any{"fieldName": "Tax Provider Tax Code", "fieldValue": "G", "fieldType": float64(0)}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("detail (-want +got):\n%s", diff)
		}
		// The minimal address got its state code and country code.
		r = e.do("GET", fmt.Sprintf("/api/v3/io/addresses/%d", minID), nil)
		if d := r.data(t); d["stateCode"] != "TX" || d["countryCode"] != "US" {
			t.Errorf("minimal address: %s", r.body)
		}

		r = e.do("GET", "/api/v3/io/addresses", nil)
		expect(t, r, 200)
		conformAddress(t, r, "GET", "/addresses")
		if n := len(dataArray(t, r)); n != 2 {
			t.Errorf("list has %d addresses", n)
		}

		// Update: a new state by code only fills its name; country by code.
		r = e.do("PUT", path, map[string]any{"countryCode": "CA", "stateCode": "ON", "city": "Toronto", "isBilling": true, "isDefaultBilling": true})
		expect(t, r, 200)
		conformAddress(t, r, "PUT", "/addresses/{addressId}")
		if jsonInt(r.data(t)["addressId"]) != id {
			t.Errorf("update answer: %s", r.body)
		}
		d := e.do("GET", path, nil).data(t)
		if d["countryName"] != "Canada" || d["stateName"] != "Ontario" || d["stateCode"] != "ON" || d["isDefaultBilling"] != true {
			t.Errorf("after update: %v", d)
		}

		// A new default billing address clears the old one.
		r = e.do("PUT", fmt.Sprintf("/api/v3/io/addresses/%d", minID), map[string]any{"isBilling": true, "isDefaultBilling": true})
		expect(t, r, 200)
		if e.do("GET", path, nil).data(t)["isDefaultBilling"] != false {
			t.Errorf("the old default billing address is still default")
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/addresses?companyId=%d&isBilling=true", cid), nil)
		if n := len(dataArray(t, r)); n != 2 {
			t.Errorf("billing addresses: %s", r.body)
		}

		r = e.do("DELETE", path, nil)
		expect(t, r, 200)
		conformAddress(t, r, "DELETE", "/addresses/{addressId}")
		r = e.do("GET", path, nil)
		expect(t, r, 404)
		conformAddress(t, r, "GET", "/addresses/{addressId}")
		r = e.do("DELETE", path, nil)
		expect(t, r, 404)
		conformAddress(t, r, "DELETE", "/addresses/{addressId}")
		r = e.do("PUT", path, map[string]any{"city": "X"})
		expect(t, r, 404)
		conformAddress(t, r, "PUT", "/addresses/{addressId}")

		topics, _ := outboxTopics(t, e, mark)
		wantTopics := []string{"address.created", "address.created", "address.updated",
			"address.updated", "address.updated", // the old default cleared, then the new one
			"address.deleted"}
		if diff := cmp.Diff(wantTopics, topics); diff != "" {
			t.Errorf("outbox topics (-want +got):\n%s", diff)
		}
		// An update that changes nothing writes nothing.
		_, mark = outboxTopics(t, e, 0)
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/addresses/%d", minID), map[string]any{"city": "Austin"}), 200)
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("a no-op update wrote %v", topics)
		}
	})
}

func TestAddressBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		cid := e.createCompany(nil)
		other := newEnv(t, b, envOptions{})
		otherCompany := other.createCompany(nil)
		id := e.addAddress(minimalAddress(cid))
		before := e.countAddresses()
		_, mark := outboxTopics(t, e, 0)
		long := strings.Repeat("x", 201)

		cases := []struct {
			name   string
			method string
			body   any
			status int
			field  string // in errMsg (create); in the string (update)
		}{
			{"default billing without isBilling", "POST", with(minimalAddress(cid), "isDefaultBilling", true), 422, "is_default_billing"},
			{"default shipping without isShipping", "POST", with(minimalAddress(cid), "isShipping", false, "isDefaultShipping", true), 422, "is_default_shipping"},
			{"state of another country", "POST", with(minimalAddress(cid), "stateName", "Ontario"), 422, "state_name"},
			{"state code of another country", "POST", with(minimalAddress(cid), "stateName", nil, "stateCode", "ON"), 422, "state_code"},
			{"state name and code disagree", "POST", with(minimalAddress(cid), "stateCode", "CA"), 422, "state_code"},
			{"state missing where required", "POST", with(minimalAddress(cid), "stateName", nil), 422, "state_name"},
			{"unknown country", "POST", with(minimalAddress(cid), "countryName", "Atlantis"), 422, "country_name"},
			{"unknown country code", "POST", with(minimalAddress(cid), "countryName", nil, "countryCode", "XX"), 422, "country_code"},
			{"country name and code disagree", "POST", with(minimalAddress(cid), "countryCode", "CA"), 422, "country_code"},
			{"missing firstName", "POST", with(minimalAddress(cid), "firstName", nil), 422, "first_name"},
			{"null lastName", "POST", with(minimalAddress(cid), "lastName", nil, "lastName", nil), 422, "last_name"},
			{"empty addressLine1", "POST", with(minimalAddress(cid), "addressLine1", "  "), 422, "address_line1"},
			{"missing city", "POST", with(minimalAddress(cid), "city", nil), 422, "city"},
			{"missing country", "POST", with(minimalAddress(cid), "countryName", nil), 422, "country_name"},
			{"missing companyId", "POST", with(minimalAddress(cid), "companyId", nil), 422, "company_id"},
			{"unknown company", "POST", with(minimalAddress(cid), "companyId", 999999), 422, "company_id"},
			{"another store's company", "POST", with(minimalAddress(cid), "companyId", otherCompany), 422, "company_id"},
			{"too long addressLine1", "POST", with(minimalAddress(cid), "addressLine1", long), 422, "address_line1"},
			{"too long label", "POST", with(minimalAddress(cid), "label", long), 422, "label"},
			{"companyId not a number", "POST", with(minimalAddress(cid), "companyId", "abc"), 422, "company_id"},
			{"isBilling not a boolean", "POST", with(minimalAddress(cid), "isBilling", "maybe"), 422, "is_billing"},
			{"firstName an object", "POST", with(minimalAddress(cid), "firstName", map[string]any{}), 422, "first_name"},
			{"extraFields unknown", "POST", with(minimalAddress(cid), "extraFields", []any{map[string]any{"fieldName": "Nope", "fieldValue": "1"}}), 422, "extra_fields"},
			{"extraFields not a list", "POST", with(minimalAddress(cid), "extraFields", "x"), 422, "extra_fields"},
			{"not JSON", "POST", "{", 400, ""},
			{"an array", "POST", "[]", 422, ""},
			{"update: default billing without isBilling", "PUT", map[string]any{"isDefaultBilling": true}, 422, "is_default_billing"},
			{"update: state of another country", "PUT", map[string]any{"stateName": "Bayern"}, 422, "state_name"},
			{"update: new country needs its state", "PUT", map[string]any{"countryCode": "DE"}, 422, "state_name"},
			{"update: unknown country", "PUT", map[string]any{"countryName": "Atlantis"}, 422, "country_name"},
			{"update: blank firstName", "PUT", map[string]any{"firstName": ""}, 422, "first_name"},
			{"update: companyId is read-only", "PUT", map[string]any{"companyId": cid + 1}, 422, "company_id"},
			{"update: too long city", "PUT", map[string]any{"city": long}, 422, "city"},
			{"update: bad type", "PUT", map[string]any{"isShipping": []any{}}, 422, "is_shipping"},
			{"update: extraFields items not objects", "PUT", map[string]any{"extraFields": []any{1}}, 422, "extra_fields"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				path, tmpl := "/api/v3/io/addresses", "/addresses"
				if tc.method == "PUT" {
					path, tmpl = fmt.Sprintf("/api/v3/io/addresses/%d", id), "/addresses/{addressId}"
				}
				r := e.do(tc.method, path, tc.body)
				expect(t, r, tc.status)
				if tc.status == 422 && tc.field != "" {
					conformAddress(t, r, tc.method, tmpl)
					errMsg := r.data(t)["errMsg"]
					switch m := errMsg.(type) {
					case map[string]any:
						if tc.method == "PUT" || !hasKeyPrefix(m, tc.field) {
							t.Errorf("errMsg has no %s (or is not a string for an update): %s", tc.field, r.body)
						}
					case string:
						if tc.method != "PUT" || !strings.Contains(m, tc.field+":") {
							t.Errorf("errMsg does not name %s: %s", tc.field, r.body)
						}
					default:
						t.Errorf("errMsg: %s", r.body)
					}
				}
			})
		}
		if n := e.countAddresses(); n != before {
			t.Errorf("refused requests left %d addresses, want %d", n, before)
		}
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("refused requests wrote outbox rows %v", topics)
		}
		d := e.do("GET", fmt.Sprintf("/api/v3/io/addresses/%d", id), nil).data(t)
		if d["stateName"] != "Texas" || d["countryCode"] != "US" || d["firstName"] != "Marie" || d["isDefaultBilling"] != false {
			t.Errorf("refused updates changed the address: %v", d)
		}
		r := e.do("GET", "/api/v3/io/addresses/abc", nil)
		expect(t, r, 422)
		r = e.do("GET", "/api/v3/io/addresses?country=Atlantis", nil)
		expect(t, r, 422)
		r = e.do("GET", "/api/v3/io/addresses?isBilling=perhaps", nil)
		expect(t, r, 422)
		r = e.do("GET", "/api/v3/io/addresses?limit=251", nil)
		expect(t, r, 422)
		r = e.do("GET", "/api/v3/io/addresses?companyId=999999", nil)
		expect(t, r, 422)
		r = e.do("GET", fmt.Sprintf("/api/v3/io/addresses?companyId=%d", otherCompany), nil)
		expect(t, r, 422)
	})
}

func TestAddressPlaces(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		cid := e.createCompany(nil)
		cases := []struct {
			name                          string
			body                          map[string]any
			country, code, state, stateCd string
		}{
			{"country by code only", with(minimalAddress(cid), "countryName", nil, "countryCode", "us"), "United States", "US", "Texas", "TX"},
			{"state by code only", with(minimalAddress(cid), "stateName", nil, "stateCode", "tx"), "United States", "US", "Texas", "TX"},
			{"state by its ISO 3166-2 code", with(minimalAddress(cid), "stateName", nil, "stateCode", "US-TX"), "United States", "US", "Texas", "TX"},
			{"state name in any case", with(minimalAddress(cid), "stateName", "tExAs"), "United States", "US", "Texas", "TX"},
			{"state name without accents", with(minimalAddress(cid), "countryName", "Germany", "stateName", "baden-wurttemberg"), "Germany", "DE", "Baden-Württemberg", "BW"},
			{"Australian state", with(minimalAddress(cid), "countryName", "Australia", "stateName", "New South Wales"), "Australia", "AU", "New South Wales", "NSW"},
			{"Japanese prefecture by number", with(minimalAddress(cid), "countryCode", "JP", "countryName", nil, "stateName", nil, "stateCode", "13"), "Japan", "JP", "Tokyo", "13"},
			{"country without a state list keeps free text", with(minimalAddress(cid), "countryName", "France", "stateName", "Île-de-France"), "France", "FR", "Île-de-France", ""},
			{"country without a state list, no state", with(minimalAddress(cid), "countryName", "France", "stateName", nil), "France", "FR", "", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := e.addAddress(tc.body)
				d := e.do("GET", fmt.Sprintf("/api/v3/io/addresses/%d", id), nil).data(t)
				got := []any{d["countryName"], d["countryCode"], d["stateName"], d["stateCode"]}
				if diff := cmp.Diff([]any{tc.country, tc.code, tc.state, tc.stateCd}, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
		// A new country drops the old country's state when it needs none.
		id := e.addAddress(minimalAddress(cid))
		expect(t, e.do("PUT", fmt.Sprintf("/api/v3/io/addresses/%d", id), map[string]any{"countryName": "France"}), 200)
		d := e.do("GET", fmt.Sprintf("/api/v3/io/addresses/%d", id), nil).data(t)
		if d["stateName"] != "" || d["stateCode"] != "" || d["countryCode"] != "FR" {
			t.Errorf("after moving to France: %v", d)
		}
	})
}

func TestAddressBulk(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		addressTaxField(t, e)
		c1, c2 := e.createCompany(nil), e.createCompany(nil)
		second := with(fullAddress(c2), "firstName", "Isaac", "lastName", "Newton", "isBilling", true, "isShipping", false, "isDefaultBilling", true)
		r := e.do("POST", "/api/v3/io/addresses/bulk", []any{fullAddress(c1), second})
		expect(t, r, 200)
		conformAddress(t, r, "POST", "/addresses/bulk")
		if msg := r.json(t)["meta"].(map[string]any)["message"]; msg != "Success" {
			t.Errorf("meta.message = %v", msg)
		}
		items := dataArray(t, r)
		if len(items) != 2 || jsonInt(items[0].(map[string]any)["companyId"]) != c1 || jsonInt(items[1].(map[string]any)["companyId"]) != c2 ||
			items[1].(map[string]any)["isDefaultBilling"] != true || len(items[0].(map[string]any)["extraFields"].([]any)) != 1 {
			t.Errorf("bulk answer: %s", r.body)
		}

		before := e.countAddresses()
		_, mark := outboxTopics(t, e, 0)
		bad := with(minimalAddress(c1), "lastName", nil)
		r = e.do("POST", "/api/v3/io/addresses/bulk", []any{minimalAddress(c1), bad, with(minimalAddress(c2), "stateName", "Bayern")})
		expect(t, r, 422)
		conformAddress(t, r, "POST", "/addresses/bulk")
		errs, ok := r.data(t)["errMsg"].([]any)
		if !ok || len(errs) != 3 || len(errs[0].(map[string]any)) != 0 || errs[1].(map[string]any)["last_name"] == nil ||
			errs[2].(map[string]any)["state_name"] == nil {
			t.Errorf("bulk errors are not aligned with the items: %s", r.body)
		}
		// Two new default billing addresses of one company in one request:
		// the second wins, as it would in two requests.
		r = e.do("POST", "/api/v3/io/addresses/bulk", []any{
			with(minimalAddress(c1), "isBilling", true, "isDefaultBilling", true),
			with(minimalAddress(c1), "isBilling", true, "isDefaultBilling", true, "firstName", "Second"),
		})
		expect(t, r, 200)
		list := dataArray(t, e.do("GET", fmt.Sprintf("/api/v3/io/addresses?companyId=%d&isBilling=1", c1), nil))
		defaults := 0
		for _, a := range list {
			if a.(map[string]any)["isDefaultBilling"] == true {
				defaults++
				if a.(map[string]any)["firstName"] != "Second" {
					t.Errorf("the wrong default: %v", a)
				}
			}
		}
		if defaults != 1 {
			t.Errorf("%d default billing addresses", defaults)
		}
		before += 2
		_, mark = outboxTopics(t, e, mark)

		many := make([]any, 11)
		for i := range many {
			many[i] = minimalAddress(c1)
		}
		r = e.do("POST", "/api/v3/io/addresses/bulk", many)
		expect(t, r, 413)
		conformAddress(t, r, "POST", "/addresses/bulk")
		r = e.do("POST", "/api/v3/io/addresses/bulk", []any{minimalAddress(c1), "nope"})
		expect(t, r, 422)
		if n := e.countAddresses(); n != before {
			t.Errorf("refused bulk requests left %d addresses, want %d", n, before)
		}
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("refused bulk requests wrote %v", topics)
		}
	})
}

func TestAddressListFilters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		addressTaxField(t, e)
		c1, c2 := e.createCompany(nil), e.createCompany(nil)
		a1 := e.addAddress(fullAddress(c1))
		a2 := e.addAddress(with(minimalAddress(c1), "firstName", "Isaac", "city", "Dallas", "isBilling", true, "externalId", "ERP-9", "zipCode", "75001", "phoneNumber", "214-555-0100"))
		a3 := e.addAddress(with(minimalAddress(c2), "countryName", "Canada", "stateName", "Ontario", "city", "Toronto", "addressLine2", "Suite 9"))
		cases := []struct {
			query string
			want  []int64
		}{
			{"", []int64{a1, a2, a3}},
			{fmt.Sprintf("companyId=%d", c1), []int64{a1, a2}},
			{"isBilling=true", []int64{a2}},
			{"isShipping=false", []int64{a2, a3}},
			{"firstName=isaac", []int64{a2}},
			{"lastName=Curie", []int64{a1, a2, a3}},
			{"address=bluebonnet", []int64{a1, a2, a3}},
			{"address=suite", []int64{a3}},
			{"city=Dallas", []int64{a2}},
			{"country=Canada", []int64{a3}},
			{"country=US", []int64{a1, a2}},
			{"state=Texas", []int64{a1, a2}},
			{"state=ON", []int64{a3}},
			{"zipCode=75001", []int64{a2}},
			{"phoneNumber=214-555-0100", []int64{a2}},
			{"externalId[]=ERP-9&externalId[]=123456", []int64{a1, a2}},
			{"externalId=ERP-9", []int64{a2}},
			{"minCreated=1&maxCreated=99999999999", []int64{a1, a2, a3}},
			{"maxModified=1", nil},
			{"limit=1&offset=1", []int64{a2}},
		}
		for _, tc := range cases {
			r := e.do("GET", "/api/v3/io/addresses?"+tc.query, nil)
			expect(t, r, 200)
			conformAddress(t, r, "GET", "/addresses")
			var got []int64
			for _, a := range dataArray(t, r) {
				got = append(got, jsonInt(a.(map[string]any)["addressId"]))
				if _, has := a.(map[string]any)["extraFields"]; has {
					t.Errorf("%s: extra fields without isIncludeExtraFields", tc.query)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.query, diff)
			}
		}
		r := e.do("GET", "/api/v3/io/addresses?isIncludeExtraFields=1&externalId[]=123456", nil)
		list := dataArray(t, r)
		if len(list) != 1 || len(list[0].(map[string]any)["extraFields"].([]any)) != 1 {
			t.Errorf("isIncludeExtraFields: %s", r.body)
		}
		if total := jsonInt(e.do("GET", "/api/v3/io/addresses?limit=1", nil).json(t)["meta"].(map[string]any)["pagination"].(map[string]any)["totalCount"]); total != 3 {
			t.Errorf("totalCount %d", total)
		}
	})
}

func TestAddressExtraFields(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		cid := e.createCompany(nil)
		expect(t, e.do("POST", "/api/v3/io/addresses/extra-fields", map[string]any{"fieldName": "Dock", "fieldType": 0, "isRequired": true, "isUnique": true}), 200)
		expect(t, e.do("POST", "/api/v3/io/addresses/extra-fields", map[string]any{"fieldName": "Kind", "fieldType": 3, "listOfValue": []any{"Warehouse", "Store"}}), 200)
		r := e.do("GET", "/api/v3/io/addresses/extra-fields", nil)
		expect(t, r, 200)
		conformAddress(t, r, "GET", "/addresses/extra-fields")

		r = e.do("POST", "/api/v3/io/addresses", minimalAddress(cid))
		expect(t, r, 422)
		if r.data(t)["errMsg"].(map[string]any)["extra_fields.Dock"] == nil {
			t.Errorf("a required extra field left out: %s", r.body)
		}
		dock := func(v string) map[string]any {
			return with(minimalAddress(cid), "extraFields", []any{map[string]any{"fieldName": "Dock", "fieldValue": v}})
		}
		id := e.addAddress(dock("D1"))
		r = e.do("POST", "/api/v3/io/addresses", dock("D1"))
		expect(t, r, 422)
		r = e.do("POST", "/api/v3/io/addresses", with(dock("D2"), "extraFields", []any{
			map[string]any{"fieldName": "Dock", "fieldValue": "D2"}, map[string]any{"fieldName": "Kind", "fieldValue": "Garage"}}))
		expect(t, r, 422)
		// A bulk request whose two items share a unique value.
		r = e.do("POST", "/api/v3/io/addresses/bulk", []any{dock("D5"), dock("D5")})
		expect(t, r, 422)
		if errs := r.data(t)["errMsg"].([]any); len(errs[0].(map[string]any)) != 0 || len(errs[1].(map[string]any)) == 0 {
			t.Errorf("bulk unique: %s", r.body)
		}
		path := fmt.Sprintf("/api/v3/io/addresses/%d", id)
		r = e.do("PUT", path, map[string]any{"extraFields": []any{map[string]any{"fieldName": "Dock", "fieldValue": ""}}})
		expect(t, r, 422)
		conformAddress(t, r, "PUT", "/addresses/{addressId}")
		expect(t, e.do("PUT", path, map[string]any{"extraFields": []any{map[string]any{"fieldName": "Kind", "fieldValue": "Store"}}}), 200)
		d := e.do("GET", path, nil).data(t)
		if diff := cmp.Diff([]any{
			map[string]any{"fieldName": "Dock", "fieldValue": "D1", "fieldType": float64(0)},
			map[string]any{"fieldName": "Kind", "fieldValue": "Store", "fieldType": float64(3)},
		}, d["extraFields"]); diff != "" {
			t.Errorf("extra fields (-want +got):\n%s", diff)
		}
		// A new required field needs a default while addresses exist, which
		// then fills them.
		r = e.do("POST", "/api/v3/io/addresses/extra-fields", map[string]any{"fieldName": "Gate", "fieldType": 0, "isRequired": true})
		expect(t, r, 422)
		expect(t, e.do("POST", "/api/v3/io/addresses/extra-fields", map[string]any{"fieldName": "Gate", "fieldType": 0, "isRequired": true, "defaultValue": "G0"}), 200)
		if fs := e.do("GET", path, nil).data(t)["extraFields"].([]any); len(fs) != 3 || fs[2].(map[string]any)["fieldValue"] != "G0" {
			t.Errorf("the new required field's default did not fill the address: %v", fs)
		}
	})
}

func TestCountriesAndStates(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		cases := []struct {
			path   string
			status int
			data   map[string]any
		}{
			{"/countries?searchType=0&q=United%20States", 200, map[string]any{"countryCode": "US", "countryName": "United States"}},
			{"/countries?q=germany", 200, map[string]any{"countryCode": "DE", "countryName": "Germany"}},
			{"/countries?searchType=1&q=US", 200, map[string]any{"countryCode": "US", "countryName": "United States"}},
			{"/countries?searchType=1&q=jp", 200, map[string]any{"countryCode": "JP", "countryName": "Japan"}},
			{"/countries?searchType=1&q=United%20States", 404, nil},
			{"/countries?searchType=0&q=US", 404, nil},
			{"/countries?searchType=0&q=Atlantis", 404, nil},
			{"/countries?searchType=1&q=XX", 404, nil},
			{"/countries", 404, nil},
			{"/states?searchType=0&q=Texas", 200, map[string]any{"stateCode": "TX", "stateName": "Texas"}},
			{"/states?searchType=1&q=TX", 200, map[string]any{"stateCode": "TX", "stateName": "Texas"}},
			{"/states?searchType=1&q=ON&country=CA", 200, map[string]any{"stateCode": "ON", "stateName": "Ontario"}},
			{"/states?searchType=0&q=Ontario&country=Canada", 200, map[string]any{"stateCode": "ON", "stateName": "Ontario"}},
			{"/states?searchType=0&q=Bayern&country=DE", 200, map[string]any{"stateCode": "BY", "stateName": "Bayern"}},
			{"/states?searchType=0&q=Abu%20Dhabi&country=AE", 200, map[string]any{"stateCode": "AZ", "stateName": "Abū Ȥaby [Abu Dhabi]"}},
			{"/states?searchType=1&q=NSW&country=AU", 200, map[string]any{"stateCode": "NSW", "stateName": "New South Wales"}},
			{"/states?searchType=0&q=Ontario", 404, nil},
			{"/states?searchType=1&q=Texas", 404, nil},
			{"/states?searchType=0&q=Texas&country=Atlantis", 404, nil},
			{"/states?searchType=0&q=Bretagne&country=FR", 404, nil},
		}
		for _, tc := range cases {
			r := e.do("GET", "/api/v3/io"+tc.path, nil)
			expect(t, r, tc.status)
			tmpl, _, _ := strings.Cut(tc.path, "?")
			conformAddress(t, r, "GET", tmpl)
			if tc.status == 200 {
				if diff := cmp.Diff(tc.data, r.data(t)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", tc.path, diff)
				}
			} else if msg, _ := r.data(t)["errMsg"].(string); msg == "" {
				t.Errorf("%s: no errMsg saying what to fix: %s", tc.path, r.body)
			}
		}
		r := e.do("GET", "/api/v3/io/countries?searchType=2&q=US", nil)
		expect(t, r, 422)
		r = e.request("GET", "/api/v3/io/countries?q="+url.QueryEscape("Canada"), nil, nil)
		expect(t, r, 401)
	})
}
