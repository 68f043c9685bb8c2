package storetest

import (
	"encoding/json"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// tenantRows is one row of every kind in one tenant.
type tenantRows struct {
	tenant     guild.Tenant
	token      guild.Token
	group      guild.CustomerGroup
	companyDef guild.ExtraFieldDef
	userDef    guild.ExtraFieldDef
	company    guild.Company
	customer   guild.Customer
	user       guild.User
	attachment guild.Attachment
}

func newTenantRows(t *testing.T, f *fixture, hash, attachmentID string) tenantRows {
	var r tenantRows
	r.tenant = f.tenant(t, hash)
	f.update(t, func(tx guild.Tx) error {
		var err error
		r.token, err = tx.CreateToken(f.ctx, guild.Token{TenantID: r.tenant.ID, Name: "t", SecretHash: secretHash(hash), Hint: "h", CreatedAt: t0})
		return err
	})
	r.group = f.group(t, r.tenant.ID, "Group "+hash)
	r.companyDef = f.textField(t, r.tenant.ID, guild.ExtraFieldCompany, "Region")
	r.userDef = f.textField(t, r.tenant.ID, guild.ExtraFieldUser, "Badge")
	r.company = f.company(t, guild.Company{TenantID: r.tenant.ID, Name: "Company " + hash, CustomerGroupID: r.group.ID,
		ExtraFields: []guild.ExtraFieldValue{put(r.companyDef, "shared")},
		PriceLists:  []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 10}}})
	// A second company holding the same value makes a duplicate.
	f.company(t, guild.Company{TenantID: r.tenant.ID, Name: "Twin " + hash,
		ExtraFields: []guild.ExtraFieldValue{put(r.companyDef, "shared")}})
	r.customer, r.user = f.companyUser(t, r.company, "buyer@"+hash+".example", put(r.userDef, "B1"))
	r.attachment = guild.Attachment{ID: attachmentID, TenantID: r.tenant.ID, CompanyID: r.company.ID,
		FileName: "f.pdf", ContentType: "application/pdf", Size: 1, CreatedAt: t0}
	f.update(t, func(tx guild.Tx) error {
		if err := tx.CreateAttachment(f.ctx, r.attachment); err != nil {
			return err
		}
		return tx.Enqueue(f.ctx, guild.OutboxMessage{TenantID: r.tenant.ID, Topic: guild.TopicCompanyCreated,
			EntityType: guild.EntityCompany, EntityID: r.company.ID, Payload: json.RawMessage(`{}`), CreatedAt: t0})
	})
	return r
}

// testIsolation checks that tenant A reaches none of tenant B's rows: every
// read of one of them by A's id is ENotFound (or leaves it out of a list),
// and so is every write.
func testIsolation(t *testing.T, f *fixture) {
	a := newTenantRows(t, f, "iso-a", "9b2f6a52-1111-4a4a-8a8a-00000000000a")
	b := newTenantRows(t, f, "iso-b", "9b2f6a52-1111-4a4a-8a8a-00000000000b")
	A := a.tenant.ID
	bCompany := f.mustCompany(t, b.tenant.ID, b.company.ID)

	t.Run("Reads", func(t *testing.T) {
		notFound := func(what string, err error) {
			t.Helper()
			wantCode(t, err, guild.ENotFound, what+" of another tenant")
		}
		_, err := f.s.Company(f.ctx, A, b.company.ID)
		notFound("Company", err)
		_, err = f.s.CustomerGroup(f.ctx, A, b.group.ID)
		notFound("CustomerGroup", err)
		_, err = f.s.Customer(f.ctx, A, b.customer.ID)
		notFound("Customer", err)
		_, err = f.s.CustomerByEmail(f.ctx, A, b.customer.Email)
		notFound("CustomerByEmail", err)
		_, err = f.s.User(f.ctx, A, b.user.ID)
		notFound("User", err)
		_, err = f.s.UserByEmail(f.ctx, A, b.user.Email)
		notFound("UserByEmail", err)
		_, err = f.s.ExtraFieldDef(f.ctx, A, b.companyDef.ID)
		notFound("ExtraFieldDef", err)
		_, err = f.s.Attachment(f.ctx, A, b.company.ID, b.attachment.ID)
		notFound("Attachment", err)
		_, err = f.s.ExtraFieldValueOwner(f.ctx, A, b.companyDef.ID, "shared", 0)
		notFound("ExtraFieldValueOwner", err)

		if _, dup, err := f.s.DuplicateExtraFieldValue(f.ctx, A, b.companyDef.ID); err != nil || dup {
			t.Errorf("DuplicateExtraFieldValue of another tenant's field: %v, %v; want false", dup, err)
		}
		if n, err := f.s.CountCompaniesInGroup(f.ctx, A, b.group.ID); err != nil || n != 0 {
			t.Errorf("CountCompaniesInGroup of another tenant's group: %d, %v; want 0", n, err)
		}
		users, err := f.s.ListCompanyUsers(f.ctx, A, b.company.ID)
		wantNoErr(t, err, "ListCompanyUsers")
		wantEqual(t, users, nil, "ListCompanyUsers of another tenant's company")
		atts, err := f.s.ListAttachments(f.ctx, A, b.company.ID)
		wantNoErr(t, err, "ListAttachments")
		wantEqual(t, atts, nil, "ListAttachments of another tenant's company")

		companies, total, err := f.s.ListCompanies(f.ctx, A, guild.CompanyFilter{})
		wantNoErr(t, err, "ListCompanies")
		if total != 2 || len(companies) != 2 {
			t.Errorf("ListCompanies: %d companies (total %d), want tenant a's 2", len(companies), total)
		}
		for _, c := range companies {
			if c.TenantID != A {
				t.Errorf("ListCompanies of tenant a lists %q of tenant %d", c.Name, c.TenantID)
			}
		}
		groups, total, err := f.s.ListCustomerGroups(f.ctx, A, guild.Page{Limit: 10})
		wantNoErr(t, err, "ListCustomerGroups")
		wantEqual(t, groups, []guild.CustomerGroup{a.group}, "ListCustomerGroups")
		if total != 1 {
			t.Errorf("ListCustomerGroups total %d, want 1", total)
		}
		defs, err := f.s.ListExtraFieldDefs(f.ctx, A, guild.ExtraFieldCompany)
		wantNoErr(t, err, "ListExtraFieldDefs")
		wantEqual(t, defs, []guild.ExtraFieldDef{a.companyDef}, "ListExtraFieldDefs")
		toks, err := f.s.ListTokens(f.ctx, A)
		wantNoErr(t, err, "ListTokens")
		wantEqual(t, toks, []guild.Token{a.token}, "ListTokens")
		msgs, err := f.s.ListOutbox(f.ctx, A, 0, 100)
		wantNoErr(t, err, "ListOutbox")
		if len(msgs) != 1 || msgs[0].TenantID != A {
			t.Errorf("ListOutbox of tenant a: %+v, want its one message", msgs)
		}
		if n, err := f.s.CountRecordsMissingExtraField(f.ctx, A, a.companyDef); err != nil || n != 0 {
			t.Errorf("CountRecordsMissingExtraField counts another tenant's companies: %d, %v", n, err)
		}
	})

	t.Run("Writes", func(t *testing.T) {
		foreignCompany := bCompany
		foreignCompany.TenantID = A
		foreignGroup := b.group
		foreignGroup.TenantID = A
		foreignCustomer := b.customer
		foreignCustomer.TenantID = A
		foreignDef := b.companyDef
		foreignDef.TenantID = A
		writes := []struct {
			what string
			fn   func(tx guild.Tx) error
		}{
			{"UpdateCompany", func(tx guild.Tx) error { return tx.UpdateCompany(f.ctx, foreignCompany) }},
			{"DeleteCompany", func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, A, b.company.ID) }},
			{"SetPriceLists", func(tx guild.Tx) error { return tx.SetPriceLists(f.ctx, A, b.company.ID, nil) }},
			{"SetExtraFieldValues on its record", func(tx guild.Tx) error {
				return tx.SetExtraFieldValues(f.ctx, A, guild.ExtraFieldCompany, b.company.ID, []guild.ExtraFieldValue{put(a.companyDef, "x")})
			}},
			{"SetExtraFieldValues of its field", func(tx guild.Tx) error {
				return tx.SetExtraFieldValues(f.ctx, A, guild.ExtraFieldCompany, a.company.ID, []guild.ExtraFieldValue{put(b.companyDef, "x")})
			}},
			{"UpdateCustomerGroup", func(tx guild.Tx) error { return tx.UpdateCustomerGroup(f.ctx, foreignGroup) }},
			{"DeleteCustomerGroup", func(tx guild.Tx) error { return tx.DeleteCustomerGroup(f.ctx, A, b.group.ID) }},
			{"UpdateCustomer", func(tx guild.Tx) error { return tx.UpdateCustomer(f.ctx, foreignCustomer) }},
			{"CreateUser in its company", func(tx guild.Tx) error {
				_, err := tx.CreateUser(f.ctx, guild.User{TenantID: A, CompanyID: b.company.ID, CustomerID: a.customer.ID,
					Email: "new@iso-a.example", CreatedAt: t0, UpdatedAt: t0})
				return err
			}},
			{"CreateUser of its customer", func(tx guild.Tx) error {
				_, err := tx.CreateUser(f.ctx, guild.User{TenantID: A, CompanyID: a.company.ID, CustomerID: b.customer.ID,
					Email: "new2@iso-a.example", CreatedAt: t0, UpdatedAt: t0})
				return err
			}},
			{"UpdateExtraFieldDef", func(tx guild.Tx) error { return tx.UpdateExtraFieldDef(f.ctx, foreignDef) }},
			{"DeleteExtraFieldDef", func(tx guild.Tx) error { return tx.DeleteExtraFieldDef(f.ctx, A, b.companyDef.ID) }},
			{"FillMissingExtraField", func(tx guild.Tx) error {
				_, err := tx.FillMissingExtraField(f.ctx, A, b.companyDef, "x")
				return err
			}},
			{"SetExtraFieldUnique", func(tx guild.Tx) error { return tx.SetExtraFieldUnique(f.ctx, A, b.companyDef.ID, false) }},
			{"RevokeToken", func(tx guild.Tx) error { return tx.RevokeToken(f.ctx, A, b.token.ID, t0) }},
			{"CreateAttachment", func(tx guild.Tx) error {
				att := b.attachment
				att.ID, att.TenantID = "9b2f6a52-1111-4a4a-8a8a-0000000000cc", A
				return tx.CreateAttachment(f.ctx, att)
			}},
			{"DeleteAttachment", func(tx guild.Tx) error { return tx.DeleteAttachment(f.ctx, A, b.company.ID, b.attachment.ID) }},
		}
		for _, w := range writes {
			wantCode(t, f.try(w.fn), guild.ENotFound, w.what+" of another tenant's row")
		}

		// Tenant b's rows are as they were.
		wantEqual(t, f.mustCompany(t, b.tenant.ID, b.company.ID), bCompany, "tenant b's company")
		g, err := f.s.CustomerGroup(f.ctx, b.tenant.ID, b.group.ID)
		wantNoErr(t, err, "CustomerGroup")
		wantEqual(t, g, b.group, "tenant b's group")
		cu, err := f.s.Customer(f.ctx, b.tenant.ID, b.customer.ID)
		wantNoErr(t, err, "Customer")
		wantEqual(t, cu, b.customer, "tenant b's customer")
		d, err := f.s.ExtraFieldDef(f.ctx, b.tenant.ID, b.companyDef.ID)
		wantNoErr(t, err, "ExtraFieldDef")
		wantEqual(t, d, b.companyDef, "tenant b's field")
		tok, err := f.s.TokenBySecretHash(f.ctx, secretHash("iso-b"))
		wantNoErr(t, err, "TokenBySecretHash")
		wantEqual(t, tok, b.token, "tenant b's token")
		atts, err := f.s.ListAttachments(f.ctx, b.tenant.ID, b.company.ID)
		wantNoErr(t, err, "ListAttachments")
		wantEqual(t, atts, []guild.Attachment{b.attachment}, "tenant b's attachments")
		users, err := f.s.ListCompanyUsers(f.ctx, b.tenant.ID, b.company.ID)
		wantNoErr(t, err, "ListCompanyUsers")
		if len(users) != 1 {
			t.Errorf("tenant b's company has %d users, want 1", len(users))
		}
	})
}
