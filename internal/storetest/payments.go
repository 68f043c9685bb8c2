package storetest

import (
	"testing"

	guild "github.com/guild-b2b/guild"
)

func testPayments(t *testing.T, f *fixture) {
	tn := f.tenant(t, "pay")
	other := f.tenant(t, "pay-other")

	// Tenant payment settings round-trip.
	tn.CreditEnabled, tn.DefaultPaymentTerms = true, 45
	f.update(t, func(tx guild.Tx) error { return tx.UpdateTenant(f.ctx, tn) })
	got, err := f.s.TenantByID(f.ctx, tn.ID)
	wantNoErr(t, err, "TenantByID")
	if !got.CreditEnabled || got.DefaultPaymentTerms != 45 {
		t.Errorf("tenant payment settings: %+v", got)
	}

	mk := func(tenantID int64, code, title string, def bool, d float64) guild.PaymentMethod {
		m := guild.PaymentMethod{TenantID: tenantID, Code: code, Title: title, EnabledByDefault: def, CreatedAt: at(secs(d)), UpdatedAt: at(secs(d))}
		f.update(t, func(tx guild.Tx) error {
			var err error
			m.ID, err = tx.CreatePaymentMethod(f.ctx, m)
			return err
		})
		return m
	}
	cheque := mk(tn.ID, "cheque", "Check", true, 1)
	auth := mk(tn.ID, "authorizenet", "Authorize.Net", false, 2)
	cod := mk(tn.ID, "cod", "Cash on Delivery", true, 3)
	foreign := mk(other.ID, "cheque", "Other store's check", true, 1)

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreatePaymentMethod(f.ctx, guild.PaymentMethod{TenantID: tn.ID, Code: "cheque", Title: "Again"})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreatePaymentMethod with a taken code")

	ms, err := f.s.ListPaymentMethods(f.ctx, tn.ID)
	wantNoErr(t, err, "ListPaymentMethods")
	wantEqual(t, ms, []guild.PaymentMethod{cheque, auth, cod}, "ListPaymentMethods")
	m, err := f.s.PaymentMethodByCode(f.ctx, other.ID, "cheque")
	wantNoErr(t, err, "PaymentMethodByCode")
	wantEqual(t, m, foreign, "PaymentMethodByCode of the other store")
	_, err = f.s.PaymentMethodByCode(f.ctx, tn.ID, "CHEQUE")
	wantCode(t, err, guild.ENotFound, "PaymentMethodByCode is exact")

	auth.Title, auth.UpdatedAt = "Authorize.net", at(secs(4))
	f.update(t, func(tx guild.Tx) error { return tx.UpdatePaymentMethod(f.ctx, auth) })
	m, _ = f.s.PaymentMethodByCode(f.ctx, tn.ID, "authorizenet")
	wantEqual(t, m, auth, "UpdatePaymentMethod")
	err = f.try(func(tx guild.Tx) error {
		return tx.UpdatePaymentMethod(f.ctx, guild.PaymentMethod{TenantID: other.ID, ID: auth.ID, Title: "x"})
	})
	wantCode(t, err, guild.ENotFound, "UpdatePaymentMethod of another store's method")

	c1 := f.company(t, guild.Company{TenantID: tn.ID, Name: "One"})
	c2 := f.company(t, guild.Company{TenantID: tn.ID, Name: "Two"})
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "Other"})

	// c1 disables cheque and enables authorizenet; c2 follows the defaults.
	f.update(t, func(tx guild.Tx) error {
		return tx.SetCompanyPayments(f.ctx, tn.ID, c1.ID, []guild.CompanyPayment{
			{PaymentMethodID: cheque.ID, Enabled: false, CreatedAt: at(secs(10)), UpdatedAt: at(secs(10))},
			{PaymentMethodID: auth.ID, Enabled: true, CreatedAt: at(secs(11)), UpdatedAt: at(secs(11))},
		})
	})
	// An upsert keeps CreatedAt.
	f.update(t, func(tx guild.Tx) error {
		return tx.SetCompanyPayments(f.ctx, tn.ID, c1.ID, []guild.CompanyPayment{
			{PaymentMethodID: auth.ID, Enabled: true, CreatedAt: at(secs(12)), UpdatedAt: at(secs(12))},
		})
	})
	ps, err := f.s.CompanyPayments(f.ctx, tn.ID, c1.ID)
	wantNoErr(t, err, "CompanyPayments")
	wantEqual(t, ps, []guild.CompanyPayment{
		{TenantID: tn.ID, CompanyID: c1.ID, PaymentMethodID: cheque.ID, Enabled: false, CreatedAt: at(secs(10)), UpdatedAt: at(secs(10))},
		{TenantID: tn.ID, CompanyID: c1.ID, PaymentMethodID: auth.ID, Enabled: true, CreatedAt: at(secs(11)), UpdatedAt: at(secs(12))},
	}, "CompanyPayments")

	for name, fn := range map[string]func(tx guild.Tx) error{
		"another store's company": func(tx guild.Tx) error {
			return tx.SetCompanyPayments(f.ctx, tn.ID, oc.ID, []guild.CompanyPayment{{PaymentMethodID: cheque.ID}})
		},
		"another store's method": func(tx guild.Tx) error {
			return tx.SetCompanyPayments(f.ctx, tn.ID, c2.ID, []guild.CompanyPayment{{PaymentMethodID: foreign.ID}})
		},
	} {
		wantCode(t, f.try(fn), guild.ENotFound, "SetCompanyPayments of "+name)
	}

	list := func(fl guild.EnabledCompanyPaymentFilter) ([]string, int) {
		t.Helper()
		page, total, err := f.s.ListEnabledCompanyPayments(f.ctx, tn.ID, fl)
		wantNoErr(t, err, "ListEnabledCompanyPayments")
		var out []string
		for _, p := range page {
			who := "c1"
			if p.CompanyID == c2.ID {
				who = "c2"
			}
			out = append(out, who+":"+p.Method.Code)
		}
		return out, total
	}
	// c1: authorizenet (own, updated 12), cod (default, 3); c2: cheque (1), cod (3).
	got1, total := list(guild.EnabledCompanyPaymentFilter{Desc: true})
	wantEqual(t, got1, []string{"c1:authorizenet", "c2:cod", "c1:cod", "c2:cheque"}, "enabled, by updatedAt DESC")
	if total != 4 {
		t.Errorf("total %d, want 4", total)
	}
	got1, _ = list(guild.EnabledCompanyPaymentFilter{Sort: guild.PaymentSortCreatedAt, Limit: 2, Offset: 1})
	wantEqual(t, got1, []string{"c1:cod", "c2:cod"}, "enabled, by createdAt ASC, page 2 of 2")
	got1, total = list(guild.EnabledCompanyPaymentFilter{CompanyID: &c2.ID})
	wantEqual(t, got1, []string{"c2:cheque", "c2:cod"}, "enabled, company filter")
	if total != 2 {
		t.Errorf("total %d, want 2", total)
	}
	got1, _ = list(guild.EnabledCompanyPaymentFilter{Query: "AUTH"})
	wantEqual(t, got1, []string{"c1:authorizenet"}, "enabled, query on code")
	got1, _ = list(guild.EnabledCompanyPaymentFilter{Query: "delivery"})
	wantEqual(t, got1, []string{"c1:cod", "c2:cod"}, "enabled, query on title")
	got1, _ = list(guild.EnabledCompanyPaymentFilter{Query: "%"})
	wantEqual(t, got1, nil, "enabled, % is literal")

	// Deleting a method deletes the companies' settings of it.
	f.update(t, func(tx guild.Tx) error { return tx.DeletePaymentMethod(f.ctx, tn.ID, auth.ID) })
	ps, _ = f.s.CompanyPayments(f.ctx, tn.ID, c1.ID)
	if len(ps) != 1 || ps[0].PaymentMethodID != cheque.ID {
		t.Errorf("after deleting the method: %+v", ps)
	}
	wantCode(t, f.try(func(tx guild.Tx) error { return tx.DeletePaymentMethod(f.ctx, tn.ID, auth.ID) }), guild.ENotFound, "DeletePaymentMethod twice")

	// Credit and terms: not found until set, then upserted.
	_, err = f.s.CompanyCredit(f.ctx, tn.ID, c1.ID)
	wantCode(t, err, guild.ENotFound, "CompanyCredit never set")
	_, err = f.s.CompanyPaymentTerms(f.ctx, tn.ID, c1.ID)
	wantCode(t, err, guild.ENotFound, "CompanyPaymentTerms never set")
	credit := guild.CompanyCredit{TenantID: tn.ID, CompanyID: c1.ID, CreditEnabled: true, CreditCurrency: "EUR",
		AvailableCredit: "1234567890.1234", LimitPurchases: true, UpdatedAt: at(secs(20))}
	f.update(t, func(tx guild.Tx) error { return tx.SetCompanyCredit(f.ctx, credit) })
	credit.CreditHold, credit.AvailableCredit, credit.UpdatedAt = true, "0.5", at(secs(21))
	f.update(t, func(tx guild.Tx) error { return tx.SetCompanyCredit(f.ctx, credit) })
	gotCredit, err := f.s.CompanyCredit(f.ctx, tn.ID, c1.ID)
	wantNoErr(t, err, "CompanyCredit")
	wantEqual(t, gotCredit, credit, "CompanyCredit")
	_, err = f.s.CompanyCredit(f.ctx, other.ID, c1.ID)
	wantCode(t, err, guild.ENotFound, "CompanyCredit from another store")

	terms := guild.CompanyPaymentTerms{TenantID: tn.ID, CompanyID: c1.ID, Enabled: true, Days: 15, UpdatedAt: at(secs(30))}
	f.update(t, func(tx guild.Tx) error { return tx.SetCompanyPaymentTerms(f.ctx, terms) })
	terms.Days = 60
	f.update(t, func(tx guild.Tx) error { return tx.SetCompanyPaymentTerms(f.ctx, terms) })
	gotTerms, err := f.s.CompanyPaymentTerms(f.ctx, tn.ID, c1.ID)
	wantNoErr(t, err, "CompanyPaymentTerms")
	wantEqual(t, gotTerms, terms, "CompanyPaymentTerms")

	wantCode(t, f.try(func(tx guild.Tx) error {
		return tx.SetCompanyCredit(f.ctx, guild.CompanyCredit{TenantID: tn.ID, CompanyID: oc.ID, CreditCurrency: "USD", AvailableCredit: "0"})
	}), guild.ENotFound, "SetCompanyCredit of another store's company")
	wantCode(t, f.try(func(tx guild.Tx) error {
		return tx.SetCompanyPaymentTerms(f.ctx, guild.CompanyPaymentTerms{TenantID: tn.ID, CompanyID: oc.ID})
	}), guild.ENotFound, "SetCompanyPaymentTerms of another store's company")

	// Deleting the company deletes its payment settings.
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, c1.ID) })
	_, err = f.s.CompanyCredit(f.ctx, tn.ID, c1.ID)
	wantCode(t, err, guild.ENotFound, "CompanyCredit of a deleted company")
	_, err = f.s.CompanyPaymentTerms(f.ctx, tn.ID, c1.ID)
	wantCode(t, err, guild.ENotFound, "CompanyPaymentTerms of a deleted company")
	ps, _ = f.s.CompanyPayments(f.ctx, tn.ID, c1.ID)
	wantEqual(t, ps, nil, "CompanyPayments of a deleted company")
}
