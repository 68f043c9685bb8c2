package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/spectest"
)

var (
	paymentSpecOnce sync.Once
	paymentSpec     *spectest.Spec
)

// conformPayment fails the test unless the answer matches payment.yaml.
func conformPayment(t *testing.T, r response, method, pathTemplate string) {
	t.Helper()
	paymentSpecOnce.Do(func() { paymentSpec = spectest.Load(t, "api-v3/payment/payment.yaml") })
	if err := paymentSpec.Validate(method, pathTemplate, r.status, r.body); err != nil {
		t.Errorf("%v\nbody: %s", err, r.body)
	}
}

// wantJSON fails the test unless the answer's JSON equals want's.
func wantJSON(t *testing.T, r response, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, r.body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want is not JSON: %v", err)
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("answer mismatch (-want +got):\n%s", diff)
	}
}

// outboxPayloads returns the outbox messages of a topic after a mark.
func outboxPayloads(t *testing.T, e *env, after int64, topic string) []string {
	t.Helper()
	msgs, err := e.app.Store().ListOutbox(context.Background(), e.tenant.ID, after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Topic == topic {
			out = append(out, string(m.Payload))
		}
	}
	return out
}

func (e *env) addPaymentMethod(code, title string, byDefault bool) int64 {
	e.t.Helper()
	r := e.do("POST", "/api/v3/io/payments", map[string]any{"paymentCode": code, "paymentTitle": title, "isEnabledByDefault": byDefault})
	expect(e.t, r, 200)
	return int64(r.data(e.t)["id"].(float64))
}

func TestPaymentMethods(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		r := e.do("GET", "/api/v3/io/payments", nil)
		expect(t, r, 200)
		conformPayment(t, r, "GET", "/payments")
		wantJSON(t, r, `{"code":200,"data":[],"meta":{"message":"Success"}}`)

		cheque := e.addPaymentMethod("cheque", "Check", true)
		auth := e.addPaymentMethod("authorizenet", "Authorize.net", false)
		r = e.do("POST", "/api/v3/io/payments", map[string]any{"paymentCode": "cod", "paymentTitle": "Cash on delivery"})
		expect(t, r, 200)
		cod := int64(r.data(t)["id"].(float64))
		if r.data(t)["isEnabledByDefault"] != true {
			t.Errorf("a new method is enabled by default unless told: %s", r.body)
		}

		r = e.do("GET", "/api/v3/io/payments", nil)
		expect(t, r, 200)
		conformPayment(t, r, "GET", "/payments")
		wantJSON(t, r, fmt.Sprintf(`{"code":200,"meta":{"message":"Success"},"data":[
			{"id":%d,"paymentCode":"cheque","paymentTitle":"Check"},
			{"id":%d,"paymentCode":"authorizenet","paymentTitle":"Authorize.net"},
			{"id":%d,"paymentCode":"cod","paymentTitle":"Cash on delivery"}]}`, cheque, auth, cod))

		bad := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			meta   string
		}{
			{"taken code", "POST", "/api/v3/io/payments", map[string]any{"paymentCode": "cheque", "paymentTitle": "Again"}, 400, "Bad Requests Error"},
			{"code with a space", "POST", "/api/v3/io/payments", map[string]any{"paymentCode": "bank transfer", "paymentTitle": "Bank"}, 400, "Bad Requests Error"},
			{"no title", "POST", "/api/v3/io/payments", map[string]any{"paymentCode": "bank"}, 400, "Bad Requests Error"},
			{"title too long", "POST", "/api/v3/io/payments", map[string]any{"paymentCode": "bank", "paymentTitle": string(make([]byte, 51))}, 400, "Bad Requests Error"},
			{"default not a boolean", "POST", "/api/v3/io/payments", map[string]any{"paymentCode": "bank", "paymentTitle": "Bank", "isEnabledByDefault": "sometimes"}, 400, "Bad Requests Error"},
			{"not JSON", "POST", "/api/v3/io/payments", "{", 400, "Bad Requests Error"},
			{"update of a missing code", "PUT", "/api/v3/io/payments/bank", map[string]any{"paymentTitle": "Bank"}, 404, "Payment Does not Exist"},
			{"code changed", "PUT", "/api/v3/io/payments/cheque", map[string]any{"paymentCode": "check"}, 400, "Bad Requests Error"},
			{"delete of a missing code", "DELETE", "/api/v3/io/payments/bank", nil, 404, "Payment Does not Exist"},
		}
		for _, tc := range bad {
			r := e.do(tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Errorf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.body)
				continue
			}
			var env struct {
				Code int `json:"code"`
				Data struct {
					ErrMsg string `json:"errMsg"`
				} `json:"data"`
				Meta struct {
					Message string `json:"message"`
				} `json:"meta"`
			}
			if err := json.Unmarshal(r.body, &env); err != nil || env.Code != tc.status || env.Meta.Message != tc.meta || env.Data.ErrMsg == "" {
				t.Errorf("%s: answer %s (err %v)", tc.name, r.body, err)
			}
		}
		ms, _ := e.app.ListPaymentMethods(context.Background(), e.tenant)
		if len(ms) != 3 {
			t.Errorf("refused requests wrote methods: %+v", ms)
		}

		r = e.do("PUT", "/api/v3/io/payments/cheque", map[string]any{"paymentTitle": "Cheque", "isEnabledByDefault": false, "paymentCode": "cheque"})
		expect(t, r, 200)
		if d := r.data(t); d["paymentTitle"] != "Cheque" || d["isEnabledByDefault"] != false || d["paymentCode"] != "cheque" {
			t.Errorf("update: %s", r.body)
		}
		r = e.do("GET", "/api/v3/io/payments/cheque", nil)
		expect(t, r, 200)
		if d := r.data(t); d["paymentTitle"] != "Cheque" || int64(d["id"].(float64)) != cheque {
			t.Errorf("get: %s", r.body)
		}
		expect(t, e.do("DELETE", "/api/v3/io/payments/cod", nil), 200)
		expect(t, e.do("GET", "/api/v3/io/payments/cod", nil), 404)
	})
}

func TestCompanyPayments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		cheque := e.addPaymentMethod("cheque", "Check", true)
		auth := e.addPaymentMethod("authorizenet", "Authorize.net", false)
		cod := e.addPaymentMethod("cod", "Cash on delivery", true)
		c1, c2 := e.createCompany(nil), e.createCompany(nil)
		path := fmt.Sprintf("/api/v3/io/companies/%d/payments", c1)

		// A company nobody configured sees the store's defaults.
		r := e.do("GET", path, nil)
		expect(t, r, 200)
		conformPayment(t, r, "GET", "/companies/{companyId}/payments")
		wantJSON(t, r, fmt.Sprintf(`{"code":200,"meta":{"message":"Success"},"data":[
			{"paymentId":%d,"code":"cheque","paymentTitle":"Check","isEnabled":true},
			{"paymentId":%d,"code":"authorizenet","paymentTitle":"Authorize.net","isEnabled":false},
			{"paymentId":%d,"code":"cod","paymentTitle":"Cash on delivery","isEnabled":true}]}`, cheque, auth, cod))

		_, mark := outboxTopics(t, e, 0)
		r = e.do("PUT", path, map[string]any{"payments": []any{
			map[string]any{"code": "authorizenet", "isEnabled": true},
			map[string]any{"code": "cheque", "isEnabled": "false"},
			map[string]any{"code": "cod", "isEnabled": 1},
		}})
		expect(t, r, 200)
		conformPayment(t, r, "PUT", "/companies/{companyId}/payments")
		wantJSON(t, r, `{"code":200,"data":[],"meta":{"message":"Success"}}`)
		got := outboxPayloads(t, e, mark, guild.TopicCompanyPaymentsUpdated)
		want := []string{fmt.Sprintf(`{"companyId":%d,"payments":[{"code":"authorizenet","isEnabled":true},{"code":"cheque","isEnabled":false}]}`, c1)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
		r = e.do("GET", path, nil)
		wantJSON(t, r, fmt.Sprintf(`{"code":200,"meta":{"message":"Success"},"data":[
			{"paymentId":%d,"code":"cheque","paymentTitle":"Check","isEnabled":false},
			{"paymentId":%d,"code":"authorizenet","paymentTitle":"Authorize.net","isEnabled":true},
			{"paymentId":%d,"code":"cod","paymentTitle":"Cash on delivery","isEnabled":true}]}`, cheque, auth, cod))

		// Refused requests write nothing, not even their valid items.
		_, mark = outboxTopics(t, e, 0)
		bad := []struct {
			name, path string
			body       any
			status     int
			meta       string
		}{
			{"unknown code", path, map[string]any{"payments": []any{map[string]any{"code": "cheque", "isEnabled": true}, map[string]any{"code": "paypal", "isEnabled": true}}}, 404, "Payment Does not Exist"},
			{"missing company", "/api/v3/io/companies/999999/payments", map[string]any{"payments": []any{map[string]any{"code": "cheque", "isEnabled": true}}}, 404, "Company Does not Exist"},
			{"no code", path, map[string]any{"payments": []any{map[string]any{"code": "cheque", "isEnabled": true}, map[string]any{"isEnabled": true}}}, 400, "Bad Requests Error"},
			{"no isEnabled", path, map[string]any{"payments": []any{map[string]any{"code": "cheque"}}}, 400, "Bad Requests Error"},
			{"isEnabled not a boolean", path, map[string]any{"payments": []any{map[string]any{"code": "cheque", "isEnabled": "yes"}}}, 400, "Bad Requests Error"},
			{"code listed twice", path, map[string]any{"payments": []any{map[string]any{"code": "cheque", "isEnabled": true}, map[string]any{"code": "cheque", "isEnabled": false}}}, 400, "Bad Requests Error"},
			{"no payments", path, map[string]any{}, 400, "Bad Requests Error"},
			{"payments not a list", path, map[string]any{"payments": "cheque"}, 400, "Bad Requests Error"},
			{"company id not a number", "/api/v3/io/companies/abc/payments", map[string]any{"payments": []any{}}, 400, "Bad Requests Error"},
		}
		for _, tc := range bad {
			r := e.do("PUT", tc.path, tc.body)
			if r.status != tc.status {
				t.Errorf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.body)
				continue
			}
			conformPayment(t, r, "PUT", "/companies/{companyId}/payments")
			var env struct {
				Data struct{ ErrMsg string }  `json:"data"`
				Meta struct{ Message string } `json:"meta"`
			}
			if err := json.Unmarshal(r.body, &env); err != nil || env.Meta.Message != tc.meta || env.Data.ErrMsg == "" {
				t.Errorf("%s: answer %s", tc.name, r.body)
			}
		}
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("refused requests wrote outbox rows: %v", topics)
		}
		r = e.do("GET", path, nil)
		if d := r.json(t)["data"].([]any); d[0].(map[string]any)["isEnabled"] != false {
			t.Errorf("a refused request changed cheque: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v3/io/companies/999999/payments", nil), 404)

		// Setting a method to what it already is changes nothing a platform
		// must learn about.
		_, mark = outboxTopics(t, e, 0)
		expect(t, e.do("PUT", path, map[string]any{"payments": []any{map[string]any{"code": "cod", "isEnabled": true}}}), 200)
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("a no-op wrote outbox rows: %v", topics)
		}

		// The enabled methods across companies: c1 authorizenet, cod; c2
		// (defaults) cheque, cod.
		list := func(query string) response {
			t.Helper()
			r := e.do("GET", "/api/v3/io/company-payment-methods"+query, nil)
			expect(t, r, 200)
			conformPayment(t, r, "GET", "/company-payment-methods")
			return r
		}
		pairs := func(r response) []string {
			var page struct {
				Data []struct {
					CompanyID int64  `json:"companyId"`
					Code      string `json:"paymentMethodCode"`
				} `json:"data"`
			}
			if err := json.Unmarshal(r.body, &page); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range page.Data {
				out = append(out, fmt.Sprintf("%d:%s", p.CompanyID, p.Code))
			}
			return out
		}
		r = list("?companyId=" + fmt.Sprint(c2) + "&sortBy=createdAt&orderBy=ASC")
		if diff := cmp.Diff([]string{fmt.Sprintf("%d:cheque", c2), fmt.Sprintf("%d:cod", c2)}, pairs(r)); diff != "" {
			t.Errorf("company filter (-want +got):\n%s", diff)
		}
		meta := r.json(t)["meta"].(map[string]any)
		if diff := cmp.Diff(map[string]any{"message": "Success", "pagination": map[string]any{"limit": 10.0, "offset": 0.0, "totalCount": 2.0}}, meta); diff != "" {
			t.Errorf("meta (-want +got):\n%s", diff)
		}
		item := r.json(t)["data"].([]any)[0].(map[string]any)
		for _, k := range []string{"companyId", "paymentId", "createdAt", "updatedAt", "paymentMethodCode", "paymentMethodTitle"} {
			if _, ok := item[k]; !ok {
				t.Errorf("item has no %s: %v", k, item)
			}
		}
		r = list("")
		// c1 set cod last (to what it was), authorizenet before; c2 follows
		// the methods, cod newer than cheque.
		wantAll := []string{fmt.Sprintf("%d:cod", c1), fmt.Sprintf("%d:authorizenet", c1), fmt.Sprintf("%d:cod", c2), fmt.Sprintf("%d:cheque", c2)}
		if diff := cmp.Diff(wantAll, pairs(r)); diff != "" {
			t.Errorf("all, newest change first (-want +got):\n%s", diff)
		}
		r = list("?q=AUTH")
		if diff := cmp.Diff([]string{fmt.Sprintf("%d:authorizenet", c1)}, pairs(r)); diff != "" {
			t.Errorf("q (-want +got):\n%s", diff)
		}
		r = list("?q=delivery&limit=1&offset=1&orderBy=asc")
		if got := pairs(r); len(got) != 1 || r.json(t)["meta"].(map[string]any)["pagination"].(map[string]any)["totalCount"] != 2.0 {
			t.Errorf("paging: %s", r.body)
		}
		for _, q := range []string{"?orderBy=UP", "?sortBy=name", "?limit=0", "?limit=251", "?offset=-1", "?companyId=x", "?companyId=999999", "?limit=ten"} {
			r := e.do("GET", "/api/v3/io/company-payment-methods"+q, nil)
			if r.status != 400 || r.json(t)["meta"].(map[string]any)["message"] != "Bad Requests Error" {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
	})
}

func TestCompanyCredit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		c := e.createCompany(nil)
		path := fmt.Sprintf("/api/v3/io/companies/%d/credit", c)

		// Without the store's credit feature: 400, nothing written.
		r := e.do("GET", path, nil)
		expect(t, r, 400)
		conformPayment(t, r, "GET", "/companies/{companyId}/credit")
		if m := r.json(t)["meta"].(map[string]any)["message"]; m != "API logic error" {
			t.Errorf("meta.message %v: %s", m, r.body)
		}
		expect(t, e.do("PUT", path, map[string]any{"creditEnabled": true}), 400)
		if _, err := b.store.CompanyCredit(context.Background(), e.tenant.ID, c); !guild.IsNotFound(err) {
			t.Errorf("credit written on a store without the feature: %v", err)
		}

		on := true
		if _, err := e.app.UpdateTenant(context.Background(), e.tenant.Hash, app.UpdateTenantInput{CreditEnabled: &on}); err != nil {
			t.Fatal(err)
		}
		r = e.do("GET", path, nil)
		expect(t, r, 200)
		conformPayment(t, r, "GET", "/companies/{companyId}/credit")
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"creditEnabled":false,"creditCurrency":"USD","availableCredit":0,"limitPurchases":false,"creditHold":false}}`)

		_, mark := outboxTopics(t, e, 0)
		r = e.do("PUT", path, map[string]any{"creditEnabled": true, "creditCurrency": "eur", "availableCredit": 1500.50, "limitPurchases": "true"})
		expect(t, r, 200)
		conformPayment(t, r, "PUT", "/companies/{companyId}/credit")
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"creditEnabled":true,"creditCurrency":"EUR","availableCredit":1500.5,"limitPurchases":true,"creditHold":false}}`)
		if got := outboxPayloads(t, e, mark, guild.TopicCompanyCreditUpdated); len(got) != 1 {
			t.Errorf("outbox: %v", got)
		}
		// Amounts are exact: no float rounding on the way.
		r = e.do("PUT", path, map[string]any{"availableCredit": "12345678901234.5678", "creditHold": true})
		expect(t, r, 200)
		if want := `"availableCredit":12345678901234.5678`; !strings.Contains(string(r.body), want) {
			t.Errorf("answer lacks %s: %s", want, r.body)
		}

		_, mark = outboxTopics(t, e, 0)
		for name, body := range map[string]any{
			"negative credit":    map[string]any{"availableCredit": -1},
			"negative as text":   map[string]any{"availableCredit": "-0.01"},
			"not a number":       map[string]any{"availableCredit": "lots"},
			"5 decimals":         map[string]any{"availableCredit": "1.00001"},
			"currency of 4":      map[string]any{"creditCurrency": "EURO"},
			"enabled not a bool": map[string]any{"creditEnabled": "perhaps", "creditHold": false},
			"empty request":      map[string]any{},
			"credit a list":      map[string]any{"availableCredit": []any{1}},
		} {
			r := e.do("PUT", path, body)
			if r.status != 400 || r.json(t)["meta"].(map[string]any)["message"] != "Bad Requests Error" {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
		}
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("refused requests wrote outbox rows: %v", topics)
		}
		r = e.do("GET", path, nil)
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"creditEnabled":true,"creditCurrency":"EUR","availableCredit":12345678901234.5678,"limitPurchases":true,"creditHold":true}}`)
		r = e.do("GET", "/api/v3/io/companies/999999/credit", nil)
		if r.status != 404 || r.json(t)["meta"].(map[string]any)["message"] != "Company Does not Exist" {
			t.Errorf("missing company: %d %s", r.status, r.body)
		}
	})
}

func TestCompanyPaymentTerms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		c := e.createCompany(nil)
		path := fmt.Sprintf("/api/v3/io/companies/%d/payment-terms", c)
		r := e.do("GET", path, nil)
		expect(t, r, 200)
		conformPayment(t, r, "GET", "/companies/{companyId}/payment-terms")
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"isEnabled":false,"paymentTerms":30}}`)

		_, mark := outboxTopics(t, e, 0)
		r = e.do("PUT", path, map[string]any{"isEnabled": true, "paymentTerms": "15"})
		expect(t, r, 200)
		conformPayment(t, r, "PUT", "/companies/{companyId}/payment-terms")
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"isEnabled":true,"paymentTerms":15}}`)
		want := []string{fmt.Sprintf(`{"companyId":%d,"isEnabled":true,"paymentTerms":15}`, c)}
		if diff := cmp.Diff(want, outboxPayloads(t, e, mark, guild.TopicCompanyPaymentTermsUpdated)); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}

		_, mark = outboxTopics(t, e, 0)
		for name, body := range map[string]any{
			"7 days":          map[string]any{"isEnabled": true, "paymentTerms": 7},
			"negative":        map[string]any{"isEnabled": true, "paymentTerms": -30},
			"no isEnabled":    map[string]any{"paymentTerms": 30},
			"no paymentTerms": map[string]any{"isEnabled": true},
			"terms not int":   map[string]any{"isEnabled": true, "paymentTerms": "net30"},
			"terms fraction":  map[string]any{"isEnabled": true, "paymentTerms": 30.5},
		} {
			r := e.do("PUT", path, body)
			if r.status != 400 || r.json(t)["meta"].(map[string]any)["message"] != "Bad Requests Error" {
				t.Errorf("%s: %d %s", name, r.status, r.body)
				continue
			}
			conformPayment(t, r, "PUT", "/companies/{companyId}/payment-terms")
		}
		if topics, _ := outboxTopics(t, e, mark); len(topics) != 0 {
			t.Errorf("refused requests wrote outbox rows: %v", topics)
		}

		// Disabled terms follow the store's default, also when the store's
		// default changes.
		r = e.do("PUT", path, map[string]any{"isEnabled": false, "paymentTerms": 60})
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"isEnabled":false,"paymentTerms":30}}`)
		days := int64(45)
		if _, err := e.app.UpdateTenant(context.Background(), e.tenant.Hash, app.UpdateTenantInput{DefaultPaymentTerms: &days}); err != nil {
			t.Fatal(err)
		}
		wantJSON(t, e.do("GET", path, nil), `{"code":200,"meta":{"message":"Success"},"data":{"isEnabled":false,"paymentTerms":45}}`)
		r = e.do("PUT", path, map[string]any{"isEnabled": true, "paymentTerms": 0})
		wantJSON(t, r, `{"code":200,"meta":{"message":"Success"},"data":{"isEnabled":true,"paymentTerms":0}}`)
		r = e.do("GET", "/api/v3/io/companies/999999/payment-terms", nil)
		if r.status != 404 || r.json(t)["meta"].(map[string]any)["message"] != "Company Does not Exist" {
			t.Errorf("missing company: %d %s", r.status, r.body)
		}
	})
}
