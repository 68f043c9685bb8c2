package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

func testCompanies(t *testing.T, f *fixture) {
	t.Run("CreateAndRead", func(t *testing.T) { testCompanyCreate(t, f) })
	t.Run("Update", func(t *testing.T) { testCompanyUpdate(t, f) })
	t.Run("PriceLists", func(t *testing.T) { testPriceLists(t, f) })
	t.Run("CustomerGroupName", func(t *testing.T) { testCustomerGroupName(t, f) })
	t.Run("Delete", func(t *testing.T) { testCompanyDelete(t, f) })
	t.Run("CountInGroup", func(t *testing.T) { testCountCompaniesInGroup(t, f) })
	t.Run("ListTotalsFollowWrites", func(t *testing.T) { testListTotals(t, f) })
}

// fullCompany returns a company of tenant with every scalar field set.
func fullCompany(tenantID, groupID int64) guild.Company {
	return guild.Company{
		TenantID: tenantID, Name: "Acme Tools", Email: "office@acme.example", Phone: "+1 555 0100",
		AddressLine1: "1 Main St", AddressLine2: "Suite 2", City: "Springfield", State: "IL",
		CountryCode: "US", CountryName: "United States of America", ZipCode: "62701",
		Status: guild.CompanyApproved, UUID: "erp-1", CustomerGroupID: groupID, CatalogID: 7,
		CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2.5)),
	}
}

func testCompanyCreate(t *testing.T, f *fixture) {
	tn := f.tenant(t, "create")
	g := f.group(t, tn.ID, "Wholesale")
	region := f.textField(t, tn.ID, guild.ExtraFieldCompany, "Region")
	tier := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Tier",
		Type: guild.FieldDropdown, Unique: true, ListOfValues: []string{"gold", "silver"}})

	c := fullCompany(tn.ID, g.ID)
	c.ExtraFields = []guild.ExtraFieldValue{uput(tier, "gold"), put(region, "North")}
	c.PriceLists = []guild.PriceListAssignment{{ChannelID: 2, PriceListID: 20}, {ChannelID: 1, PriceListID: 10}}
	c = f.company(t, c)
	if c.ID == 0 {
		t.Fatal("CreateCompany returned id 0")
	}

	want := c
	want.CustomerGroupName = "Wholesale"
	want.ExtraFields = []guild.ExtraFieldValue{val(region, "North"), uval(tier, "gold")}
	want.PriceLists = []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 10}, {ChannelID: 2, PriceListID: 20}}
	wantEqual(t, f.mustCompany(t, tn.ID, c.ID), want, "Company")

	_, err := f.s.Company(f.ctx, tn.ID, c.ID+1000)
	wantCode(t, err, guild.ENotFound, "Company of a missing id")

	// A list read has no price lists, and extra fields only when asked.
	page, total, err := f.s.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{Limit: 10})
	wantNoErr(t, err, "ListCompanies")
	listed := want
	listed.ExtraFields, listed.PriceLists = nil, nil
	wantEqual(t, page, []guild.Company{listed}, "ListCompanies")
	if total != 1 {
		t.Errorf("ListCompanies total %d, want 1", total)
	}
	page, _, err = f.s.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{Limit: 10, IncludeExtraFields: true})
	wantNoErr(t, err, "ListCompanies")
	listed.ExtraFields = want.ExtraFields
	wantEqual(t, page, []guild.Company{listed}, "ListCompanies with extra fields")
}

func testCompanyUpdate(t *testing.T, f *fixture) {
	tn := f.tenant(t, "update")
	g1 := f.group(t, tn.ID, "One")
	g2 := f.group(t, tn.ID, "Two")
	region := f.textField(t, tn.ID, guild.ExtraFieldCompany, "Region")
	c := fullCompany(tn.ID, g1.ID)
	c.ExtraFields = []guild.ExtraFieldValue{put(region, "North")}
	c.PriceLists = []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 10}}
	c = f.company(t, c)

	upd := guild.Company{
		ID: c.ID, TenantID: tn.ID, Name: "Zenith Corp", Email: "hq@zenith.example", Phone: "+44 20 0000",
		AddressLine1: "2 High St", AddressLine2: "", City: "London", State: "", CountryCode: "GB",
		CountryName: "United Kingdom", ZipCode: "EC1A", Status: guild.CompanyInactive, UUID: "erp-2",
		CustomerGroupID: g2.ID, CatalogID: 9,
		CreatedAt: at(-time.Hour), // ignored
		UpdatedAt: at(time.Hour + secs(0.000007)),
	}
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCompany(f.ctx, upd) })

	want := upd
	want.CreatedAt = c.CreatedAt
	want.CustomerGroupName = "Two"
	want.ExtraFields = []guild.ExtraFieldValue{val(region, "North")}
	want.PriceLists = c.PriceLists
	wantEqual(t, f.mustCompany(t, tn.ID, c.ID), want, "company after UpdateCompany (extra fields and price lists kept)")

	// The new name is what name queries see.
	for q, n := range map[string]int{"zenith": 1, "acme": 0} {
		_, total, err := f.s.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{Query: q})
		wantNoErr(t, err, "ListCompanies")
		if total != n {
			t.Errorf("after a rename, ListCompanies(Query %q) total %d, want %d", q, total, n)
		}
	}

	missing := upd
	missing.ID = c.ID + 1000
	err := f.try(func(tx guild.Tx) error { return tx.UpdateCompany(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateCompany of a missing company")
}

func testPriceLists(t *testing.T, f *fixture) {
	tn := f.tenant(t, "prices")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "Priced",
		PriceLists: []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 10}}})
	set := func(lists ...guild.PriceListAssignment) {
		t.Helper()
		f.update(t, func(tx guild.Tx) error { return tx.SetPriceLists(f.ctx, tn.ID, c.ID, lists) })
	}
	set(guild.PriceListAssignment{ChannelID: 3, PriceListID: 30}, guild.PriceListAssignment{ChannelID: 2, PriceListID: 20})
	wantEqual(t, f.mustCompany(t, tn.ID, c.ID).PriceLists,
		[]guild.PriceListAssignment{{ChannelID: 2, PriceListID: 20}, {ChannelID: 3, PriceListID: 30}}, "price lists replaced")
	set()
	wantEqual(t, f.mustCompany(t, tn.ID, c.ID).PriceLists, nil, "price lists cleared")

	err := f.try(func(tx guild.Tx) error {
		return tx.SetPriceLists(f.ctx, tn.ID, c.ID+1000, []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 1}})
	})
	wantCode(t, err, guild.ENotFound, "SetPriceLists of a missing company")
}

func testCustomerGroupName(t *testing.T, f *fixture) {
	tn := f.tenant(t, "groupname")
	other := f.tenant(t, "groupname-other")
	g := f.group(t, tn.ID, "Retail")
	foreign := f.group(t, other.ID, "Foreign")
	withGroup := f.company(t, guild.Company{TenantID: tn.ID, Name: "With", CustomerGroupID: g.ID})
	noGroup := f.company(t, guild.Company{TenantID: tn.ID, Name: "Without"})
	// A group id of another tenant never shows that tenant's group name.
	foreignGroup := f.company(t, guild.Company{TenantID: tn.ID, Name: "Foreign", CustomerGroupID: foreign.ID})

	if got := f.mustCompany(t, tn.ID, withGroup.ID).CustomerGroupName; got != "Retail" {
		t.Errorf("CustomerGroupName %q, want %q", got, "Retail")
	}
	if got := f.mustCompany(t, tn.ID, noGroup.ID).CustomerGroupName; got != "" {
		t.Errorf("CustomerGroupName of a company without group %q, want empty", got)
	}
	if got := f.mustCompany(t, tn.ID, foreignGroup.ID).CustomerGroupName; got != "" {
		t.Errorf("CustomerGroupName from another tenant's group: %q, want empty", got)
	}

	g.Name = "Retail renamed"
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomerGroup(f.ctx, g) })
	if got := f.mustCompany(t, tn.ID, withGroup.ID).CustomerGroupName; got != "Retail renamed" {
		t.Errorf("CustomerGroupName after the group's rename %q, want %q", got, "Retail renamed")
	}
	page, _, err := f.s.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{SortBy: guild.SortByCompanyName})
	wantNoErr(t, err, "ListCompanies")
	var names []string
	for _, c := range page {
		names = append(names, c.CustomerGroupName)
	}
	wantEqual(t, names, []string{"", "Retail renamed", ""}, "CustomerGroupName in a list (Foreign, With, Without)")

	f.update(t, func(tx guild.Tx) error { return tx.DeleteCustomerGroup(f.ctx, tn.ID, g.ID) })
	c := f.mustCompany(t, tn.ID, withGroup.ID)
	if c.CustomerGroupName != "" || c.CustomerGroupID != g.ID {
		t.Errorf("after the group's deletion: group %d %q, want %d and no name", c.CustomerGroupID, c.CustomerGroupName, g.ID)
	}
}

func testCompanyDelete(t *testing.T, f *fixture) {
	tn := f.tenant(t, "delete")
	g := f.group(t, tn.ID, "Kept")
	region := f.textField(t, tn.ID, guild.ExtraFieldCompany, "Region")
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "Doomed", CustomerGroupID: g.ID,
		ExtraFields: []guild.ExtraFieldValue{uput(region, "N-x")},
		PriceLists:  []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 10}}})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Survivor", CustomerGroupID: g.ID,
		ExtraFields: []guild.ExtraFieldValue{uput(region, "N-y")}})
	c1, u1 := f.companyUser(t, x, "one@doomed.example", uput(badge, "B1"))
	c2, u2 := f.companyUser(t, x, "two@doomed.example", put(badge, "B2"))
	_, u3 := f.companyUser(t, y, "three@survivor.example", put(badge, "B3"))
	ax := guild.Attachment{ID: "0a4c38f4-6d93-4a8b-9a0e-000000000001", TenantID: tn.ID, CompanyID: x.ID,
		FileName: "terms.pdf", ContentType: "application/pdf", Size: 1234, CreatedAt: t0}
	ay := ax
	ay.ID, ay.CompanyID = "0a4c38f4-6d93-4a8b-9a0e-000000000002", y.ID
	f.update(t, func(tx guild.Tx) error {
		if err := tx.CreateAttachment(f.ctx, ax); err != nil {
			return err
		}
		return tx.CreateAttachment(f.ctx, ay)
	})
	yBefore := f.mustCompany(t, tn.ID, y.ID)

	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, x.ID) })

	_, err := f.s.Company(f.ctx, tn.ID, x.ID)
	wantCode(t, err, guild.ENotFound, "Company after DeleteCompany")
	for _, u := range []guild.User{u1, u2} {
		_, err = f.s.User(f.ctx, tn.ID, u.ID)
		wantCode(t, err, guild.ENotFound, "User of a deleted company")
		_, err = f.s.UserByEmail(f.ctx, tn.ID, u.Email)
		wantCode(t, err, guild.ENotFound, "UserByEmail of a deleted company")
	}
	users, err := f.s.ListCompanyUsers(f.ctx, tn.ID, x.ID)
	wantNoErr(t, err, "ListCompanyUsers")
	wantEqual(t, users, nil, "users of a deleted company")
	for _, want := range []guild.Customer{c1, c2} {
		got, err := f.s.Customer(f.ctx, tn.ID, want.ID)
		wantNoErr(t, err, "Customer of a deleted company's user (must be kept)")
		wantEqual(t, got, want, "customer kept")
	}
	gotGroup, err := f.s.CustomerGroup(f.ctx, tn.ID, g.ID)
	wantNoErr(t, err, "CustomerGroup of a deleted company (must be kept)")
	wantEqual(t, gotGroup, g, "group kept")
	atts, err := f.s.ListAttachments(f.ctx, tn.ID, x.ID)
	wantNoErr(t, err, "ListAttachments")
	wantEqual(t, atts, nil, "attachments of a deleted company")
	_, err = f.s.Attachment(f.ctx, tn.ID, x.ID, ax.ID)
	wantCode(t, err, guild.ENotFound, "Attachment of a deleted company")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, region.ID, "N-x", 0)
	wantCode(t, err, guild.ENotFound, "owner of a deleted company's extra-field value")
	for _, v := range []string{"B1", "B2"} {
		_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, badge.ID, v, 0)
		wantCode(t, err, guild.ENotFound, "owner of a deleted user's extra-field value "+v)
	}
	owner, err := f.s.ExtraFieldValueOwner(f.ctx, tn.ID, badge.ID, "B3", 0)
	wantNoErr(t, err, "ExtraFieldValueOwner of another company's user")
	if owner != u3.ID {
		t.Errorf("owner of B3 %d, want %d", owner, u3.ID)
	}

	// Everything of the other company is intact.
	wantEqual(t, f.mustCompany(t, tn.ID, y.ID), yBefore, "the other company")
	atts, err = f.s.ListAttachments(f.ctx, tn.ID, y.ID)
	wantNoErr(t, err, "ListAttachments")
	wantEqual(t, atts, []guild.Attachment{ay}, "the other company's attachments")
	users, err = f.s.ListCompanyUsers(f.ctx, tn.ID, y.ID)
	wantNoErr(t, err, "ListCompanyUsers")
	if len(users) != 1 || users[0].ID != u3.ID {
		t.Errorf("the other company's users: %+v, want user %d", users, u3.ID)
	}

	// The deleted users' emails and the deleted company's unique values are free again.
	f.user(t, guild.User{TenantID: tn.ID, CompanyID: y.ID, CustomerID: c1.ID, Email: u1.Email, Role: guild.RoleAdmin})
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, y.ID, uput(region, "N-x"))

	err = f.try(func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, x.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteCompany of a deleted company")
}

func testCountCompaniesInGroup(t *testing.T, f *fixture) {
	tn := f.tenant(t, "count")
	other := f.tenant(t, "count-other")
	g1 := f.group(t, tn.ID, "G1")
	g2 := f.group(t, tn.ID, "G2")
	empty := f.group(t, tn.ID, "Empty")
	og := f.group(t, other.ID, "Other")
	for i, gid := range []int64{g1.ID, g1.ID, g2.ID, 0} {
		f.company(t, guild.Company{TenantID: tn.ID, Name: string(rune('a' + i)), CustomerGroupID: gid})
	}
	f.company(t, guild.Company{TenantID: other.ID, Name: "o", CustomerGroupID: og.ID})
	f.company(t, guild.Company{TenantID: other.ID, Name: "o2", CustomerGroupID: g1.ID})
	for _, c := range []struct {
		tenant, group int64
		want          int
	}{
		{tn.ID, g1.ID, 2}, {tn.ID, g2.ID, 1}, {tn.ID, empty.ID, 0}, {tn.ID, og.ID, 0}, {other.ID, og.ID, 1},
	} {
		n, err := f.s.CountCompaniesInGroup(f.ctx, c.tenant, c.group)
		wantNoErr(t, err, "CountCompaniesInGroup")
		if n != c.want {
			t.Errorf("CountCompaniesInGroup(%d, %d) = %d, want %d", c.tenant, c.group, n, c.want)
		}
	}
}

// testListTotals checks that list totals and name searches follow creates,
// status changes, renames and deletes.
func testListTotals(t *testing.T, f *fixture) {
	tn := f.tenant(t, "totals")
	other := f.tenant(t, "totals-other")
	approved, pending := guild.CompanyApproved, guild.CompanyPending
	var cs []guild.Company
	for i, name := range []string{"Northwind Traders", "Northwind Foods", "Contoso", "Fabrikam"} {
		st := guild.CompanyPending
		if i%2 == 0 {
			st = guild.CompanyApproved
		}
		cs = append(cs, f.company(t, guild.Company{TenantID: tn.ID, Name: name, Status: st}))
	}
	f.company(t, guild.Company{TenantID: other.ID, Name: "Northwind Other", Status: guild.CompanyApproved})
	check := func(when string, want map[string]int) {
		t.Helper()
		for name, fl := range map[string]guild.CompanyFilter{
			"all": {}, "approved": {Status: &approved}, "pending": {Status: &pending},
			"northwind": {Query: "northwind"}, "approved northwind": {Status: &approved, Query: "NorthWind"},
		} {
			fl.Limit = 1
			_, total, err := f.s.ListCompanies(f.ctx, tn.ID, fl)
			wantNoErr(t, err, "ListCompanies")
			if total != want[name] {
				t.Errorf("%s: total of %s: %d, want %d", when, name, total, want[name])
			}
		}
	}
	check("after creates", map[string]int{"all": 4, "approved": 2, "pending": 2, "northwind": 2, "approved northwind": 1})

	c := cs[1] // Northwind Foods, pending
	c.Status, c.UpdatedAt = guild.CompanyApproved, at(time.Hour)
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCompany(f.ctx, c) })
	check("after a status change", map[string]int{"all": 4, "approved": 3, "pending": 1, "northwind": 2, "approved northwind": 2})

	c.Name = "Southwind Foods"
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCompany(f.ctx, c) })
	check("after a rename", map[string]int{"all": 4, "approved": 3, "pending": 1, "northwind": 1, "approved northwind": 1})

	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, cs[0].ID) })
	check("after a delete", map[string]int{"all": 3, "approved": 2, "pending": 1, "northwind": 0, "approved northwind": 0})

	_, total, err := f.s.ListCompanies(f.ctx, other.ID, guild.CompanyFilter{Query: "northwind"})
	wantNoErr(t, err, "ListCompanies")
	if total != 1 {
		t.Errorf("the other tenant's northwind total: %d, want 1", total)
	}
}
