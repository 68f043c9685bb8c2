package api

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// routes lists every operation internal/httpapi/server.go registers, as
// "METHOD path" with the document's path templates. PUT
// /api/v3/io/companies/{first}/{second} is one mux route that dispatches
// three operations (status, catalogs, company extra-field update).
var routes = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /metrics",
	"GET /api/v3/io/openapi.yaml",

	"GET /api/v3/io/companies",
	"POST /api/v3/io/companies",
	"GET /api/v3/io/companies/{companyId}",
	"PUT /api/v3/io/companies/{companyId}",
	"DELETE /api/v3/io/companies/{companyId}",
	"POST /api/v3/io/companies/bulk",
	"PUT /api/v3/io/companies/bulk",
	"POST /api/v3/io/customer-groups/{customerGroupId}/companies",
	"PUT /api/v3/io/companies/{companyId}/status",
	"PUT /api/v3/io/companies/{companyId}/catalogs",
	"GET /api/v3/io/companies/{companyId}/attachments",
	"POST /api/v3/io/companies/{companyId}/attachments",
	"GET /api/v3/io/companies/{companyId}/attachments/{attachmentId}",
	"DELETE /api/v3/io/companies/{companyId}/attachments/{attachmentId}",
	"GET /api/v3/io/companies/{companyId}/subsidiaries",
	"DELETE /api/v3/io/companies/{companyId}/subsidiaries/{childCompanyId}",
	"POST /api/v3/io/companies/{companyId}/parent",
	"GET /api/v3/io/companies/{companyId}/hierarchy",

	"GET /api/v3/io/companies/extra-fields",
	"POST /api/v3/io/companies/extra-fields",
	"PUT /api/v3/io/companies/extra-fields/{id}",
	"DELETE /api/v3/io/companies/extra-fields/{id}",
	"GET /api/v3/io/users/extra-fields",
	"POST /api/v3/io/users/extra-fields",
	"PUT /api/v3/io/users/extra-fields/{id}",
	"DELETE /api/v3/io/users/extra-fields/{id}",
	"GET /api/v3/io/addresses/extra-fields",
	"POST /api/v3/io/addresses/extra-fields",
	"PUT /api/v3/io/addresses/extra-fields/{id}",
	"DELETE /api/v3/io/addresses/extra-fields/{id}",

	"GET /api/v3/io/customer-groups",
	"POST /api/v3/io/customer-groups",
	"GET /api/v3/io/customer-groups/{id}",
	"PUT /api/v3/io/customer-groups/{id}",
	"DELETE /api/v3/io/customer-groups/{id}",
	"GET /api/v3/io/platform-connection",
	"PUT /api/v3/io/platform-connection",
	"DELETE /api/v3/io/platform-connection",
	"GET /api/v3/io/sync/status",
	"POST /api/v3/io/sync/retry",
	"POST /api/v3/io/sync/import",
	"POST /api/v3/io/sync/reconcile",
	"GET /api/v3/io/sync/entities/{type}/{id}",

	"GET /api/v3/io/users",
	"POST /api/v3/io/users",
	"POST /api/v3/io/users/bulk",
	"GET /api/v3/io/users/{userId}",
	"PUT /api/v3/io/users/{userId}",
	"DELETE /api/v3/io/users/{userId}",
	"GET /api/v3/io/users/customer/{customerId}",

	"POST /api/v3/io/super-admins",
	"POST /api/v3/io/super-admins/bulk",
	"GET /api/v3/io/super-admins/companies",
	"PUT /api/v3/io/super-admins/{superAdminId}",
	"GET /api/v3/io/super-admins/{superAdminId}/companies",
	"GET /api/v3/io/super-admins/info/{superAdminId}",
	"PUT /api/v3/io/super-admins/info/{superAdminId}",
	"GET /api/v3/io/companies/super-admins",
	"GET /api/v3/io/companies/{companyId}/super-admins",
	"PUT /api/v3/io/companies/{companyId}/super-admins",

	"GET /api/v3/io/companies/permissions",
	"POST /api/v3/io/companies/permissions",
	"PUT /api/v3/io/companies/permissions/{permissionId}",
	"DELETE /api/v3/io/companies/permissions/{permissionId}",
	"GET /api/v3/io/companies/roles",
	"POST /api/v3/io/companies/roles",
	"GET /api/v3/io/companies/roles/{roleId}",
	"PUT /api/v3/io/companies/roles/{roleId}",
	"DELETE /api/v3/io/companies/roles/{roleId}",

	"GET /api/v3/io/addresses",
	"POST /api/v3/io/addresses",
	"POST /api/v3/io/addresses/bulk",
	"GET /api/v3/io/addresses/{addressId}",
	"PUT /api/v3/io/addresses/{addressId}",
	"DELETE /api/v3/io/addresses/{addressId}",
	"GET /api/v3/io/countries",
	"GET /api/v3/io/states",

	"POST /api/io/auth/customers/storefront",
	"DELETE /api/io/auth/buyer-tokens/{tokenId}",
	"DELETE /api/io/auth/customers/{customerId}/buyer-tokens",

	"GET /api/v3/buyer/me",
	"DELETE /api/v3/buyer/token",
	"GET /api/v3/buyer/companies",
	"GET /api/v3/buyer/companies/{companyId}/users",
	"POST /api/v3/buyer/companies/{companyId}/users",
	"GET /api/v3/buyer/companies/{companyId}/users/{userId}",
	"PUT /api/v3/buyer/companies/{companyId}/users/{userId}",
	"DELETE /api/v3/buyer/companies/{companyId}/users/{userId}",
	"GET /api/v3/buyer/companies/{companyId}/roles",
	"GET /api/v3/buyer/companies/{companyId}/subsidiaries",
	"POST /api/v3/buyer/companies/{companyId}/purchase-authorizations",
	"GET /api/v3/buyer/companies/{companyId}/addresses",
	"POST /api/v3/buyer/companies/{companyId}/addresses",
	"GET /api/v3/buyer/companies/{companyId}/addresses/default-billing",
	"GET /api/v3/buyer/companies/{companyId}/addresses/default-shipping",
	"GET /api/v3/buyer/companies/{companyId}/addresses/{addressId}",
	"PUT /api/v3/buyer/companies/{companyId}/addresses/{addressId}",
	"DELETE /api/v3/buyer/companies/{companyId}/addresses/{addressId}",

	"GET /api/v3/io/payments",
	"POST /api/v3/io/payments",
	"GET /api/v3/io/payments/{code}",
	"PUT /api/v3/io/payments/{code}",
	"DELETE /api/v3/io/payments/{code}",
	"GET /api/v3/io/companies/{companyId}/payments",
	"PUT /api/v3/io/companies/{companyId}/payments",
	"GET /api/v3/io/company-payment-methods",
	"GET /api/v3/io/companies/{companyId}/credit",
	"PUT /api/v3/io/companies/{companyId}/credit",
	"GET /api/v3/io/companies/{companyId}/payment-terms",
	"PUT /api/v3/io/companies/{companyId}/payment-terms",
	"GET /api/v3/io/channels",
	"POST /api/v3/io/channels",
	"GET /api/v3/io/channels/{channel_id}",
	"PUT /api/v3/io/channels/{channel_id}",
}

// hierarchy are the account-hierarchy operations: as B2B Edition's, they
// answer 201 or 204 where the others answer 200, and their errors (but 401,
// answered before the route is known) come in the hierarchy's own shape.
var hierarchy = map[string]string{
	"GET /api/v3/io/companies/{companyId}/subsidiaries":                     "200",
	"DELETE /api/v3/io/companies/{companyId}/subsidiaries/{childCompanyId}": "204",
	"POST /api/v3/io/companies/{companyId}/parent":                          "201",
	"GET /api/v3/io/companies/{companyId}/hierarchy":                        "200",
}

// extensions are the operations B2B Edition does not have.
var extensions = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /metrics",
	"GET /api/v3/io/openapi.yaml",
	"GET /api/v3/io/companies/{companyId}/attachments/{attachmentId}",
	"POST /api/v3/io/companies/extra-fields",
	"PUT /api/v3/io/companies/extra-fields/{id}",
	"DELETE /api/v3/io/companies/extra-fields/{id}",
	"POST /api/v3/io/users/extra-fields",
	"PUT /api/v3/io/users/extra-fields/{id}",
	"DELETE /api/v3/io/users/extra-fields/{id}",
	"POST /api/v3/io/addresses/extra-fields",
	"PUT /api/v3/io/addresses/extra-fields/{id}",
	"DELETE /api/v3/io/addresses/extra-fields/{id}",
	"GET /api/v3/io/customer-groups",
	"POST /api/v3/io/customer-groups",
	"GET /api/v3/io/customer-groups/{id}",
	"PUT /api/v3/io/customer-groups/{id}",
	"DELETE /api/v3/io/customer-groups/{id}",
	"GET /api/v3/io/platform-connection",
	"PUT /api/v3/io/platform-connection",
	"DELETE /api/v3/io/platform-connection",
	"GET /api/v3/io/sync/status",
	"POST /api/v3/io/sync/retry",
	"POST /api/v3/io/sync/import",
	"POST /api/v3/io/sync/reconcile",
	"GET /api/v3/io/sync/entities/{type}/{id}",
	"DELETE /api/io/auth/buyer-tokens/{tokenId}",
	"DELETE /api/io/auth/customers/{customerId}/buyer-tokens",
	"GET /api/v3/buyer/me",
	"DELETE /api/v3/buyer/token",
	"GET /api/v3/buyer/companies",
	"GET /api/v3/buyer/companies/{companyId}/users",
	"POST /api/v3/buyer/companies/{companyId}/users",
	"GET /api/v3/buyer/companies/{companyId}/users/{userId}",
	"PUT /api/v3/buyer/companies/{companyId}/users/{userId}",
	"DELETE /api/v3/buyer/companies/{companyId}/users/{userId}",
	"GET /api/v3/buyer/companies/{companyId}/roles",
	"GET /api/v3/buyer/companies/{companyId}/subsidiaries",
	"POST /api/v3/buyer/companies/{companyId}/purchase-authorizations",
	"GET /api/v3/buyer/companies/{companyId}/addresses",
	"POST /api/v3/buyer/companies/{companyId}/addresses",
	"GET /api/v3/buyer/companies/{companyId}/addresses/default-billing",
	"GET /api/v3/buyer/companies/{companyId}/addresses/default-shipping",
	"GET /api/v3/buyer/companies/{companyId}/addresses/{addressId}",
	"PUT /api/v3/buyer/companies/{companyId}/addresses/{addressId}",
	"DELETE /api/v3/buyer/companies/{companyId}/addresses/{addressId}",
	"POST /api/v3/io/payments",
	"GET /api/v3/io/payments/{code}",
	"PUT /api/v3/io/payments/{code}",
	"DELETE /api/v3/io/payments/{code}",
	"POST /api/v3/io/channels",
	"PUT /api/v3/io/channels/{channel_id}",
}

// paymentOps answer bad input 400, never 422, as B2B Edition's payment
// endpoints do.
func paymentOp(key string) bool {
	return strings.Contains(key, "/payments") || strings.HasSuffix(key, "/credit") || strings.HasSuffix(key, "/payment-terms") ||
		strings.Contains(key, "/company-payment-methods")
}

// channelOp answers errors (but 401) as {code, message}, as B2B Edition's
// channel endpoints do.
func channelOp(key string) bool { return strings.Contains(key, " /api/v3/io/channels") }

// public operations need no token.
var public = map[string]bool{
	"GET /healthz":                true,
	"GET /readyz":                 true,
	"GET /metrics":                true,
	"GET /api/v3/io/openapi.yaml": true,
}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPI())
	if err != nil {
		t.Fatalf("the embedded OpenAPI document does not load: %v", err)
	}
	if err := doc.Validate(context.Background(),
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaDefaultsValidation(),
		openapi3.EnableExamplesValidation(),
	); err != nil {
		t.Fatalf("the embedded OpenAPI document is invalid: %v", err)
	}
	return doc
}

func operations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[method+" "+path] = op
		}
	}
	return ops
}

func TestOpenAPIIsValid(t *testing.T) {
	doc := load(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi is %q, want 3.0.3", doc.OpenAPI)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	ops := operations(load(t))
	want := map[string]bool{}
	for _, r := range routes {
		want[r] = true
		if ops[r] == nil {
			t.Errorf("the document does not describe %s", r)
		}
	}
	var extra []string
	for k := range ops {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		t.Errorf("the document describes %s, which the server does not route", k)
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := load(t)
	ops := operations(doc)
	isExtension := map[string]bool{}
	for _, e := range extensions {
		isExtension[e] = true
	}
	ids := map[string]string{}
	for _, key := range routes {
		op := ops[key]
		if op == nil {
			continue // reported by TestOpenAPIDescribesEveryRoute
		}
		if op.OperationID == "" {
			t.Errorf("%s has no operationId", key)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s and %s share operationId %s", key, other, op.OperationID)
		} else {
			ids[op.OperationID] = key
		}

		ext, _ := op.Extensions["x-guild-extension"].(bool)
		switch {
		case isExtension[key] && !ext:
			t.Errorf("%s is Guild's extension but lacks x-guild-extension: true", key)
		case !isExtension[key] && ext:
			t.Errorf("%s is B2B Edition's but carries x-guild-extension", key)
		case ext && !strings.Contains(op.Description, "Guild's extension"):
			t.Errorf("%s: its description does not say it is Guild's extension", key)
		}

		success := "200"
		if st, ok := hierarchy[key]; ok {
			success = st
		}
		if op.Responses.Value(success) == nil {
			t.Errorf("%s documents no %s answer", key, success)
		}
		secured := op.Security == nil || len(*op.Security) > 0
		if public[key] {
			if secured {
				t.Errorf("%s needs no token but the document asks for one", key)
			}
			continue
		}
		if !secured {
			t.Errorf("%s needs a token but the document says it does not", key)
		}
		for _, status := range []string{"401", "500"} {
			if op.Responses.Value(status) == nil {
				t.Errorf("%s does not document its %s answer", key, status)
			}
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil && op.RequestBody.Value.Content.Get("application/json") != nil {
			statuses := []string{"400", "413", "422"}
			if _, ok := hierarchy[key]; ok {
				statuses = statuses[:2] // a parameter error is 400 there
			}
			for _, status := range statuses {
				if status == "422" && paymentOp(key) {
					continue
				}
				if op.Responses.Value(status) == nil {
					t.Errorf("%s takes a JSON body but does not document its %s answer", key, status)
				}
			}
		}
		for _, p := range op.Parameters {
			if p.Value != nil && p.Value.In == openapi3.ParameterInPath {
				t.Errorf("%s: path parameters belong to the path item", key)
			}
		}
	}
}

// TestOpenAPIErrorsUseTheEnvelope checks that every documented 4xx/5xx JSON
// answer of the /api/v3/io endpoints is the vendor's error envelope.
func TestOpenAPIErrorsUseTheEnvelope(t *testing.T) {
	doc := load(t)
	for key, op := range operations(doc) {
		if public[key] {
			continue
		}
		for status, resp := range op.Responses.Map() {
			if status < "400" || resp.Value == nil {
				continue
			}
			mt := resp.Value.Content.Get("application/json")
			if mt == nil {
				if key == "GET /api/v3/io/companies/{companyId}/attachments/{attachmentId}" && status == "416" {
					continue // Go's file server answers an unsatisfiable range in plain text
				}
				t.Errorf("%s %s: not documented as JSON", key, status)
				continue
			}
			s := mt.Schema
			if channelOp(key) && status != "401" {
				if s == nil || s.Ref != "#/components/schemas/ChannelError" {
					t.Errorf("%s %s: schema is not ChannelError", key, status)
				}
				continue
			}
			if _, ok := hierarchy[key]; ok && status != "401" && status != "500" {
				if s == nil || s.Ref != "#/components/schemas/HierarchyError" {
					t.Errorf("%s %s: schema is not HierarchyError", key, status)
				}
				continue
			}
			if key == "POST /api/v3/io/super-admins/bulk" && status == "422" && s != nil && s.Ref == "#/components/schemas/Error422Items" {
				continue // B2B Edition's shape for it: data is the per-item array
			}
			if s == nil || s.Ref == "" || !strings.HasPrefix(s.Ref, "#/components/schemas/Error") {
				t.Errorf("%s %s: schema is not one of the Error envelopes", key, status)
				continue
			}
			if want := "#/components/schemas/Error" + status; s.Ref != want {
				t.Errorf("%s %s: schema %s, want %s", key, status, s.Ref, want)
			}
		}
	}
}
