package storetest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// testEnabledPaymentsModel checks ListEnabledCompanyPayments against a model
// of its contract, computed here from what was written: random settings of
// random companies, timestamps from a small set so that the sort keys tie
// across settings and methods, and every sort, direction, page, company and
// query filter.
func testEnabledPaymentsModel(t *testing.T, f *fixture) {
	rng := rand.New(rand.NewPCG(4, 2))
	tn := f.tenant(t, "enabled-pay")
	other := f.tenant(t, "enabled-pay-other")
	stamp := func() float64 { return float64(1 + 2*rng.IntN(4)) } // 1, 3, 5 or 7 seconds

	var methods []guild.PaymentMethod
	for i, code := range []string{"cash", "card", "check", "wire", "barter"} {
		created := stamp()
		m := guild.PaymentMethod{TenantID: tn.ID, Code: code, Title: strings.ToUpper(code[:1]) + code[1:],
			EnabledByDefault: i%4 != 1, CreatedAt: at(secs(created)), UpdatedAt: at(secs(created + stamp()))}
		f.update(t, func(tx guild.Tx) (err error) {
			m.ID, err = tx.CreatePaymentMethod(f.ctx, m)
			return err
		})
		methods = append(methods, m)
	}
	var companies []guild.Company
	for i := range 13 {
		companies = append(companies, f.company(t, guild.Company{TenantID: tn.ID, Name: fmt.Sprint("Company ", i)}))
	}
	type pair struct{ company, method int64 }
	settings := map[pair]guild.CompanyPayment{}
	for _, c := range companies {
		var ps []guild.CompanyPayment
		for _, m := range methods {
			if rng.IntN(3) != 0 {
				continue
			}
			created := stamp()
			p := guild.CompanyPayment{TenantID: tn.ID, CompanyID: c.ID, PaymentMethodID: m.ID, Enabled: rng.IntN(2) == 0,
				CreatedAt: at(secs(created)), UpdatedAt: at(secs(created + stamp()))}
			settings[pair{c.ID, m.ID}] = p
			ps = append(ps, p)
		}
		f.update(t, func(tx guild.Tx) error { return tx.SetCompanyPayments(f.ctx, tn.ID, c.ID, ps) })
	}
	// Another store's method and settings must not show.
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "Elsewhere"})
	f.update(t, func(tx guild.Tx) error {
		id, err := tx.CreatePaymentMethod(f.ctx, guild.PaymentMethod{TenantID: other.ID, Code: "cash", Title: "Cash", EnabledByDefault: true})
		if err != nil {
			return err
		}
		return tx.SetCompanyPayments(f.ctx, other.ID, oc.ID, []guild.CompanyPayment{{PaymentMethodID: id, Enabled: true}})
	})

	model := func(fl guild.EnabledCompanyPaymentFilter) ([]guild.EnabledCompanyPayment, int) {
		var all []guild.EnabledCompanyPayment
		for _, c := range companies {
			if fl.CompanyID != nil && *fl.CompanyID != c.ID {
				continue
			}
			for _, m := range methods {
				q := strings.ToLower(fl.Query)
				if !strings.Contains(strings.ToLower(m.Code), q) && !strings.Contains(strings.ToLower(m.Title), q) {
					continue
				}
				if s, ok := settings[pair{c.ID, m.ID}]; ok {
					if s.Enabled {
						all = append(all, guild.EnabledCompanyPayment{CompanyID: c.ID, Method: m, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt})
					}
				} else if m.EnabledByDefault {
					all = append(all, guild.EnabledCompanyPayment{CompanyID: c.ID, Method: m, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt})
				}
			}
		}
		slices.SortFunc(all, func(a, b guild.EnabledCompanyPayment) int {
			ka, kb := a.UpdatedAt, b.UpdatedAt
			if fl.Sort == guild.PaymentSortCreatedAt {
				ka, kb = a.CreatedAt, b.CreatedAt
			}
			c := cmp.Or(ka.Compare(kb), cmp.Compare(a.CompanyID, b.CompanyID), cmp.Compare(a.Method.ID, b.Method.ID))
			if fl.Desc {
				return -c
			}
			return c
		})
		page := all[min(fl.Offset, len(all)):]
		if fl.Limit > 0 {
			page = page[:min(fl.Limit, len(page))]
		}
		return page, len(all)
	}

	check := func(fl guild.EnabledCompanyPaymentFilter, what string) {
		t.Helper()
		wantPage, wantTotal := model(fl)
		page, total, err := f.s.ListEnabledCompanyPayments(f.ctx, tn.ID, fl)
		wantNoErr(t, err, what)
		wantEqual(t, page, wantPage, what)
		if total != wantTotal {
			t.Errorf("%s: total %d, want %d", what, total, wantTotal)
		}
	}

	some, foreign, missing := companies[4].ID, oc.ID, companies[len(companies)-1].ID+1000
	for _, sort := range []guild.PaymentSort{"", guild.PaymentSortCreatedAt} {
		for _, desc := range []bool{false, true} {
			for _, pg := range []guild.Page{{}, {Limit: 5}, {Limit: 5, Offset: 3}, {Limit: 7, Offset: 20}, {Limit: 1, Offset: 41}, {Limit: 3, Offset: 100}} {
				for _, company := range []*int64{nil, &some, &foreign, &missing} {
					for _, query := range []string{"", "CA", "ec", "zzz"} {
						fl := guild.EnabledCompanyPaymentFilter{Limit: pg.Limit, Offset: pg.Offset, CompanyID: company, Query: query, Sort: sort, Desc: desc}
						what := fmt.Sprintf("sort %q desc %v page %+v company %v query %q", sort, desc, pg, company != nil, query)
						if company != nil {
							what += fmt.Sprint(" (company ", *company, ")")
						}
						check(fl, what)
					}
				}
			}
		}
	}

	// A store with hundreds of methods enabled by default (SQLite refuses a
	// compound SELECT of more than 500 terms).
	f.update(t, func(tx guild.Tx) error {
		for i := range 600 {
			m := guild.PaymentMethod{TenantID: tn.ID, Code: fmt.Sprint("bulk-", i), Title: fmt.Sprint("Bulk ", i),
				EnabledByDefault: true, CreatedAt: at(secs(9)), UpdatedAt: at(secs(float64(9 + i%3)))}
			var err error
			if m.ID, err = tx.CreatePaymentMethod(f.ctx, m); err != nil {
				return err
			}
			methods = append(methods, m)
		}
		return nil
	})
	check(guild.EnabledCompanyPaymentFilter{Limit: 250, Offset: 40, Desc: true}, "600 more methods, page 250 at offset 40")
	check(guild.EnabledCompanyPaymentFilter{Limit: 20, Offset: 7790, Sort: guild.PaymentSortCreatedAt}, "600 more methods, by createdAt, at offset 7790")
}
