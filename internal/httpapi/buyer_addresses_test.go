package httpapi_test

import (
	"context"
	"fmt"
	"testing"
)

// TestBuyerAddresses decides every address permission code for every kind
// of actor: each code allowed to a role that grants it and refused (403)
// to one that does not; another company's addresses are not found (404);
// a pending company's admin is refused everything.
func TestBuyerAddresses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		w := setupBuyerWorld(t, e)
		addrA := e.addAddress(with(minimalAddress(w.a), "isBilling", true, "isDefaultBilling", true, "isShipping", true, "isDefaultShipping", true))
		addrB := e.addAddress(minimalAddress(w.b))
		base := fmt.Sprintf("/api/v3/buyer/companies/%d/addresses", w.a)

		type step struct {
			name   string
			method string
			path   string
			body   any
			want   map[string]int // actor → status
		}
		newAddr := func() map[string]any { return with(minimalAddress(0), "companyId", nil) }
		// Each write step works on an address of its own, created per actor.
		steps := []step{
			{"get_addresses", "GET", base, nil, byActor(200, 200, 200, 403, 200)},
			{"get_address_detail", "GET", fmt.Sprintf("%s/%d", base, addrA), nil, byActor(200, 200, 200, 403, 200)},
			{"get_default_billing", "GET", base + "/default-billing", nil, byActor(200, 200, 200, 403, 200)},
			{"get_default_shipping", "GET", base + "/default-shipping", nil, byActor(200, 200, 200, 403, 200)},
			{"create_address", "POST", base, newAddr(), byActor(403, 403, 200, 403, 200)},
			{"update_address", "PUT", base + "/{own}", map[string]any{"city": "Dallas"}, byActor(403, 403, 200, 403, 200)},
			{"delete_address", "DELETE", base + "/{own}", nil, byActor(403, 403, 200, 403, 200)},
			{"another company's list", "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/addresses", w.b), nil, allActors(404)},
			{"another company's address through its own company", "GET", fmt.Sprintf("%s/%d", base, addrB), nil, byActor(404, 404, 404, 403, 404)},
		}
		for _, s := range steps {
			for _, actor := range buyerActors {
				t.Run(s.name+"/"+actor, func(t *testing.T) {
					path := s.path
					if s.method == "PUT" || s.method == "DELETE" {
						path = fmt.Sprintf("%s/%d", base, e.addAddress(minimalAddress(w.a)))
					}
					before := e.countAddresses()
					r := e.buyer(w.tokens[actor], s.method, path, s.body)
					expect(t, r, s.want[actor])
					after := e.countAddresses()
					switch {
					case r.status == 200 && s.method == "POST" && after != before+1,
						r.status == 200 && s.method == "DELETE" && after != before-1,
						r.status != 200 && after != before:
						t.Errorf("%s by %s (%d): %d addresses before, %d after", s.name, actor, r.status, before, after)
					}
					if r.status == 403 {
						if d := r.data(t); d["permission"] == nil && s.name != "another company's address through its own company" {
							t.Errorf("a refusal without the permission it needs: %s", r.body)
						}
					}
				})
			}
		}

		// The creating user is recorded; the list and the default follow.
		r := e.buyer(w.tokens["admin"], "POST", base, with(newAddr(), "firstName", "Own", "isBilling", true, "isDefaultBilling", true))
		expect(t, r, 200)
		id := jsonInt(r.data(t)["addressId"])
		a, err := e.app.Store().Address(context.Background(), e.tenant.ID, id)
		if err != nil || a.CreatedByUserID != w.users["admin"] {
			t.Errorf("created by %d (%v), want user %d", a.CreatedByUserID, err, w.users["admin"])
		}
		r = e.buyer(w.tokens["junior buyer"], "GET", base+"/default-billing", nil)
		expect(t, r, 200)
		if jsonInt(r.data(t)["addressId"]) != id {
			t.Errorf("default billing after a buyer's new default: %s", r.body)
		}
		if e.do("GET", fmt.Sprintf("/api/v3/io/addresses/%d", addrA), nil).data(t)["isDefaultBilling"] != false {
			t.Errorf("the old default billing address is still default")
		}
		// The body's companyId must be the path's.
		r = e.buyer(w.tokens["admin"], "POST", base, with(newAddr(), "companyId", w.b))
		expect(t, r, 422)
		// Bad input is reported as on the S2S API.
		r = e.buyer(w.tokens["admin"], "POST", base, with(newAddr(), "isDefaultBilling", true))
		expect(t, r, 422)
		// A pending company's admin may not act, nor read.
		pBase := fmt.Sprintf("/api/v3/buyer/companies/%d/addresses", w.p)
		for _, m := range []string{"GET", "POST"} {
			r = e.buyer(w.pAdmin, m, pBase, newAddr())
			expect(t, r, 403)
		}
		// The super admin reaches only assigned companies, and approved ones.
		expect(t, e.buyer(w.tokens["super admin"], "GET", pBase, nil), 403)
		// No default yet is a 404 that says so.
		c := e.createCompany(nil)
		_, cust := e.companyAdmin(c)
		r = e.buyer(e.buyerToken(cust), "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/addresses/default-shipping", c), nil)
		expect(t, r, 404)
	})
}
