package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestExtraFieldDefinitions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		const base = "/api/v3/io/companies/extra-fields"

		r := e.do("POST", base, map[string]any{"fieldName": "ERP code", "fieldType": 0, "isUnique": true, "maximumLength": "8"})
		expect(t, r, 200)
		erp := r.data(t)
		erpID := int64(erp["id"].(float64))
		if erp["fieldName"] != "ERP code" || erp["isUnique"] != true || erp["maximumLength"] != "8" {
			t.Errorf("definition: %s", r.body)
		}
		r = e.do("POST", base, map[string]any{"fieldName": "Tier", "fieldType": "3", "listOfValue": []any{"gold", "silver"}})
		expect(t, r, 200)

		r = e.do("GET", base, nil)
		expect(t, r, 200)
		conform(t, r, "GET", "/companies/extra-fields")
		if n := len(r.json(t)["data"].([]any)); n != 2 {
			t.Fatalf("%d definitions listed: %s", n, r.body)
		}

		ef := func(pairs ...string) []any {
			var out []any
			for i := 0; i < len(pairs); i += 2 {
				out = append(out, map[string]any{"fieldName": pairs[i], "fieldValue": pairs[i+1]})
			}
			return out
		}
		a := e.createCompany(map[string]any{"extraFields": ef("ERP code", "A-1", "Tier", "gold")})
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", a), nil)
		expect(t, r, 200)
		if !strings.Contains(string(r.body), `"fieldName":"ERP code","fieldValue":"A-1"`) {
			t.Errorf("detail lacks the extra field: %s", r.body)
		}

		// Each rule is enforced on create and update, and nothing is written.
		for name, fields := range map[string][]any{
			"duplicate unique value": ef("ERP code", "A-1"),
			"too long":               ef("ERP code", "123456789"),
			"not in the list":        ef("Tier", "bronze"),
			"unknown field":          ef("Colour", "red"),
		} {
			body := validCompany(randomHex(4))
			body["extraFields"] = fields
			r := e.do("POST", "/api/v3/io/companies", body)
			if r.status != 422 {
				t.Errorf("%s: create answered %d: %s", name, r.status, r.body)
			}
			r = e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d", a), map[string]any{"extraFields": fields, "companyName": "Changed"})
			if r.status != 422 && !(name == "duplicate unique value" && r.status == 200) {
				t.Errorf("%s: update answered %d: %s", name, r.status, r.body)
			}
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", a), nil)
		if strings.Contains(string(r.body), "bronze") || strings.Contains(string(r.body), "123456789") {
			t.Errorf("a refused update wrote: %s", r.body)
		}

		// Filters by extra field.
		bID := e.createCompany(map[string]any{"extraFields": ef("ERP code", "B-22")})
		r = e.do("GET", "/api/v3/io/companies?extraFields=ERP%20code:B-22&extraFieldFilterType=exact-match", nil)
		expect(t, r, 200)
		if items := r.json(t)["data"].([]any); len(items) != 1 || items[0].(map[string]any)["companyId"] != fmt.Sprint(bID) {
			t.Errorf("exact match: %s", r.body)
		}
		r = e.do("GET", "/api/v3/io/companies?extraFields=ERP%20code:b-&extraFieldFilterType=search", nil)
		expect(t, r, 200)
		if items := r.json(t)["data"].([]any); len(items) != 1 {
			t.Errorf("search: %s", r.body)
		}

		// A new required field needs a default while companies exist, which fills them.
		r = e.do("POST", base, map[string]any{"fieldName": "Region", "fieldType": 0, "isRequired": true})
		expect(t, r, 422)
		r = e.do("POST", base, map[string]any{"fieldName": "Region", "fieldType": 0, "isRequired": true, "defaultValue": "EU"})
		expect(t, r, 200)
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d", bID), nil)
		if !strings.Contains(string(r.body), `"fieldName":"Region","fieldValue":"EU"`) {
			t.Errorf("existing company not filled with the default: %s", r.body)
		}

		// Uniqueness cannot be turned on over duplicates; the type cannot change.
		r = e.do("POST", base, map[string]any{"fieldName": "Buyer", "fieldType": 0})
		expect(t, r, 200)
		buyerID := int64(r.data(t)["id"].(float64))
		e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d", a), map[string]any{"extraFields": ef("Buyer", "same")})
		e.do("PUT", fmt.Sprintf("/api/v3/io/companies/%d", bID), map[string]any{"extraFields": ef("Buyer", "same")})
		expect(t, e.do("PUT", fmt.Sprintf("%s/%d", base, buyerID), map[string]any{"isUnique": true}), 422)
		expect(t, e.do("PUT", fmt.Sprintf("%s/%d", base, buyerID), map[string]any{"fieldType": 2}), 422)
		expect(t, e.do("PUT", fmt.Sprintf("%s/%d", base, erpID), map[string]any{"fieldName": "Tier"}), 422)

		expect(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, buyerID), nil), 200)
		expect(t, e.do("DELETE", fmt.Sprintf("%s/%d", base, buyerID), nil), 404)
		// A users' field is not a companies' field.
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/extra-fields/%d", erpID), nil), 404)
		r = e.do("POST", "/api/v3/io/users/extra-fields", map[string]any{"fieldName": "Cost centre", "fieldType": 0})
		expect(t, r, 200)
	})
}
