package storetest

import (
	"fmt"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// listData is the data set of the ListCompanies tests.
type listData struct {
	tenant, other      guild.Tenant
	g1, g2, otherGroup guild.CustomerGroup
	region, code       guild.ExtraFieldDef
	cust1, cust2       guild.Customer
	otherCust          guild.Customer
	byName             map[string]guild.Company
}

// The companies of the ListCompanies tests, in creation (id) order:
//
//	name            status    created        updated   group  region      code  users of
//	Alpha Tools     approved  +1s            +10.5s    g1     North-East  X1    cust1
//	bravo supplies  pending   +2s            +10s      g1     north       X2
//	Charlie_Works   approved  +3s            +20s      g2     South             cust1
//	delta 100%      rejected  +4s            +20s      -                        cust2
//	Echo Alpha      inactive  +5.999999s     +30s      g2     EAST
//	foxtrot         approved  +6s            +40s      -      north       X1
//	Golf            pending   +7s            +50s      -                  5%
//	GOLF            pending   +8s            +50s      -
//
// Another tenant holds a company that would match most filters.
func newListData(t *testing.T, f *fixture) listData {
	d := listData{byName: map[string]guild.Company{}}
	d.tenant = f.tenant(t, "list")
	d.other = f.tenant(t, "list-other")
	d.g1 = f.group(t, d.tenant.ID, "G-one")
	d.g2 = f.group(t, d.tenant.ID, "G-two")
	d.otherGroup = f.group(t, d.other.ID, "G-other")
	d.region = f.textField(t, d.tenant.ID, guild.ExtraFieldCompany, "Region")
	d.code = f.textField(t, d.tenant.ID, guild.ExtraFieldCompany, "Code")
	otherRegion := f.textField(t, d.other.ID, guild.ExtraFieldCompany, "Region")

	type row struct {
		name             string
		status           guild.CompanyStatus
		created, updated float64
		group            int64
		region, code     string
	}
	rows := []row{
		{"Alpha Tools", guild.CompanyApproved, 1, 10.5, d.g1.ID, "North-East", "X1"},
		{"bravo supplies", guild.CompanyPending, 2, 10, d.g1.ID, "north", "X2"},
		{"Charlie_Works", guild.CompanyApproved, 3, 20, d.g2.ID, "South", ""},
		{"delta 100%", guild.CompanyRejected, 4, 20, 0, "", ""},
		{"Echo Alpha", guild.CompanyInactive, 5.999999, 30, d.g2.ID, "EAST", ""},
		{"foxtrot", guild.CompanyApproved, 6, 40, 0, "north", "X1"},
		{"Golf", guild.CompanyPending, 7, 50, 0, "", "5%"},
		{"GOLF", guild.CompanyPending, 8, 50, 0, "", ""},
	}
	for _, r := range rows {
		c := guild.Company{TenantID: d.tenant.ID, Name: r.name, Status: r.status,
			CreatedAt: at(secs(r.created)), UpdatedAt: at(secs(r.updated)), CustomerGroupID: r.group}
		if r.region != "" {
			c.ExtraFields = append(c.ExtraFields, put(d.region, r.region))
		}
		if r.code != "" {
			c.ExtraFields = append(c.ExtraFields, put(d.code, r.code))
		}
		d.byName[r.name] = f.company(t, c)
	}
	d.cust1 = f.customer(t, guild.Customer{TenantID: d.tenant.ID, Email: "cust1@example.com"})
	d.cust2 = f.customer(t, guild.Customer{TenantID: d.tenant.ID, Email: "cust2@example.com"})
	for i, u := range []struct {
		company string
		cust    guild.Customer
	}{{"Alpha Tools", d.cust1}, {"Charlie_Works", d.cust1}, {"delta 100%", d.cust2}} {
		f.user(t, guild.User{TenantID: d.tenant.ID, CompanyID: d.byName[u.company].ID, CustomerID: u.cust.ID,
			Email: fmt.Sprintf("user%d@example.com", i), Role: guild.RoleAdmin})
	}

	oc := f.company(t, guild.Company{TenantID: d.other.ID, Name: "Alpha Other 100% _", Status: guild.CompanyApproved,
		CreatedAt: at(secs(5)), UpdatedAt: at(secs(20)), CustomerGroupID: d.otherGroup.ID,
		ExtraFields: []guild.ExtraFieldValue{put(otherRegion, "north")}})
	d.otherCust = f.customer(t, guild.Customer{TenantID: d.other.ID, Email: "cust1@example.com"})
	f.user(t, guild.User{TenantID: d.other.ID, CompanyID: oc.ID, CustomerID: d.otherCust.ID,
		Email: "other@example.com", Role: guild.RoleAdmin})
	return d
}

func testListCompanies(t *testing.T, f *fixture) {
	d := newListData(t, f)
	const (
		A  = "Alpha Tools"
		B  = "bravo supplies"
		C  = "Charlie_Works"
		D  = "delta 100%"
		E  = "Echo Alpha"
		F  = "foxtrot"
		G1 = "Golf"
		G2 = "GOLF"
	)
	all := []string{B, A, C, D, E, F, G1, G2}
	approved, pending, rejected := guild.CompanyApproved, guild.CompanyPending, guild.CompanyRejected
	contains := func(def guild.ExtraFieldDef, v string) guild.ExtraFieldMatch {
		return guild.ExtraFieldMatch{FieldID: def.ID, Value: v}
	}
	exact := func(def guild.ExtraFieldDef, v string) guild.ExtraFieldMatch {
		return guild.ExtraFieldMatch{FieldID: def.ID, Value: v, Exact: true}
	}
	cases := []struct {
		name  string
		f     guild.CompanyFilter
		want  []string
		total int // -1: len(want)
	}{
		{"default order is updatedAt ascending, ties by id", guild.CompanyFilter{}, all, -1},
		{"updatedAt ascending", guild.CompanyFilter{SortBy: guild.SortByUpdatedAt}, all, -1},
		{"updatedAt descending, ties by id descending", guild.CompanyFilter{Descending: true},
			[]string{G2, G1, F, E, D, C, A, B}, -1},
		{"name ascending, case-insensitive, ties by id", guild.CompanyFilter{SortBy: guild.SortByCompanyName},
			[]string{A, B, C, D, E, F, G1, G2}, -1},
		{"name descending, ties by id descending", guild.CompanyFilter{SortBy: guild.SortByCompanyName, Descending: true},
			[]string{G2, G1, F, E, D, C, B, A}, -1},

		{"limit and offset", guild.CompanyFilter{Limit: 3, Offset: 2}, []string{C, D, E}, 8},
		{"last page", guild.CompanyFilter{Limit: 3, Offset: 7}, []string{G2}, 8},
		{"offset past the end", guild.CompanyFilter{Limit: 3, Offset: 8}, nil, 8},
		{"page of a descending name sort", guild.CompanyFilter{Limit: 2, Offset: 1, SortBy: guild.SortByCompanyName, Descending: true},
			[]string{G1, F}, 8},

		{"status approved", guild.CompanyFilter{Status: &approved}, []string{A, C, F}, -1},
		{"status pending (zero)", guild.CompanyFilter{Status: &pending}, []string{B, G1, G2}, -1},
		{"status rejected", guild.CompanyFilter{Status: &rejected}, []string{D}, -1},

		{"query is a case-insensitive contains", guild.CompanyFilter{Query: "alpha"}, []string{A, E}, -1},
		{"query in upper case", guild.CompanyFilter{Query: "ALPHA"}, []string{A, E}, -1},
		{"query matching many", guild.CompanyFilter{Query: "o"}, []string{B, A, C, E, F, G1, G2}, -1},
		{"query _ is literal", guild.CompanyFilter{Query: "_"}, []string{C}, -1},
		{"query e_w is literal", guild.CompanyFilter{Query: "e_w"}, []string{C}, -1},
		{"query % is literal", guild.CompanyFilter{Query: "%"}, []string{D}, -1},
		{"query 0% is literal", guild.CompanyFilter{Query: "0%"}, []string{D}, -1},
		{`query \ is literal`, guild.CompanyFilter{Query: `\`}, nil, 0},
		{"query without match", guild.CompanyFilter{Query: "zzz"}, nil, 0},

		{"minModified is inclusive at the second", guild.CompanyFilter{MinModified: at(secs(20.999))},
			[]string{C, D, E, F, G1, G2}, -1},
		{"maxModified is inclusive at the second", guild.CompanyFilter{MaxModified: at(secs(10))}, []string{B, A}, -1},
		{"modified range", guild.CompanyFilter{MinModified: at(secs(10.9)), MaxModified: at(secs(20))},
			[]string{B, A, C, D}, -1},
		{"created within one second", guild.CompanyFilter{MinCreated: at(secs(5.5)), MaxCreated: at(secs(5.5))},
			[]string{E}, -1},
		{"minCreated", guild.CompanyFilter{MinCreated: at(secs(6))}, []string{F, G1, G2}, -1},
		{"minCreated is inclusive at the second", guild.CompanyFilter{MinCreated: at(secs(1.5))}, all, -1},
		{"maxCreated", guild.CompanyFilter{MaxCreated: at(secs(1.999))}, []string{A}, -1},

		{"customer group", guild.CompanyFilter{CustomerGroupID: &d.g1.ID}, []string{B, A}, -1},
		{"another customer group", guild.CompanyFilter{CustomerGroupID: &d.g2.ID}, []string{C, E}, -1},
		{"customer group 0 is no group", guild.CompanyFilter{CustomerGroupID: ptr(int64(0))}, []string{D, F, G1, G2}, -1},
		{"another tenant's customer group", guild.CompanyFilter{CustomerGroupID: &d.otherGroup.ID}, nil, 0},

		{"customer through users", guild.CompanyFilter{CustomerID: &d.cust1.ID}, []string{A, C}, -1},
		{"another customer", guild.CompanyFilter{CustomerID: &d.cust2.ID}, []string{D}, -1},
		{"another tenant's customer", guild.CompanyFilter{CustomerID: &d.otherCust.ID}, nil, 0},

		{"extra field exact", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{exact(d.region, "north")}},
			[]string{B, F}, -1},
		{"extra field contains, case-insensitive", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{contains(d.region, "NORTH")}},
			[]string{B, A, F}, -1},
		{"extra field contains, other case", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{contains(d.region, "east")}},
			[]string{A, E}, -1},
		{"extra field contains % literally", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{contains(d.code, "%")}},
			[]string{G1}, -1},
		{"extra field contains _ literally", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{contains(d.code, "_")}},
			nil, 0},
		{"two extra fields", guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{contains(d.region, "north"), exact(d.code, "X1")}},
			[]string{A, F}, -1},

		{"status, query and name sort", guild.CompanyFilter{Status: &approved, Query: "o", SortBy: guild.SortByCompanyName, Descending: true},
			[]string{F, C, A}, -1},
		{"status and limit", guild.CompanyFilter{Status: &approved, Limit: 1}, []string{A}, 3},
		{"customer, status and extra field", guild.CompanyFilter{CustomerID: &d.cust1.ID, Status: &approved,
			ExtraFields: []guild.ExtraFieldMatch{contains(d.region, "north")}}, []string{A}, -1},
		{"group and modified", guild.CompanyFilter{CustomerGroupID: &d.g2.ID, MinModified: at(secs(25))}, []string{E}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, total, err := f.s.ListCompanies(f.ctx, d.tenant.ID, c.f)
			wantNoErr(t, err, "ListCompanies")
			var got []string
			for _, co := range page {
				got = append(got, co.Name)
			}
			wantEqual(t, got, c.want, fmt.Sprintf("page of %+v", c.f))
			want := c.total
			if want < 0 {
				want = len(c.want)
			}
			if total != want {
				t.Errorf("total %d, want %d", total, want)
			}
		})
	}

	t.Run("rows are complete", func(t *testing.T) {
		page, _, err := f.s.ListCompanies(f.ctx, d.tenant.ID, guild.CompanyFilter{})
		wantNoErr(t, err, "ListCompanies")
		for _, c := range page {
			want := f.mustCompany(t, d.tenant.ID, c.ID)
			want.ExtraFields, want.PriceLists = nil, nil
			wantEqual(t, c, want, "listed company "+c.Name)
		}
	})

	t.Run("include extra fields", func(t *testing.T) {
		page, _, err := f.s.ListCompanies(f.ctx, d.tenant.ID, guild.CompanyFilter{Query: "alpha", IncludeExtraFields: true})
		wantNoErr(t, err, "ListCompanies")
		if len(page) != 2 {
			t.Fatalf("got %d companies, want 2", len(page))
		}
		wantEqual(t, page[0].ExtraFields, []guild.ExtraFieldValue{val(d.region, "North-East"), val(d.code, "X1")}, "extra fields of "+A)
		wantEqual(t, page[1].ExtraFields, []guild.ExtraFieldValue{val(d.region, "EAST")}, "extra fields of "+E)
		if page[0].CustomerGroupName != "G-one" {
			t.Errorf("CustomerGroupName %q, want G-one", page[0].CustomerGroupName)
		}

		page, _, err = f.s.ListCompanies(f.ctx, d.tenant.ID, guild.CompanyFilter{Query: "alpha"})
		wantNoErr(t, err, "ListCompanies")
		for _, c := range page {
			if len(c.ExtraFields) != 0 {
				t.Errorf("%s: extra fields %+v without IncludeExtraFields", c.Name, c.ExtraFields)
			}
		}
	})

	t.Run("unicode case", func(t *testing.T) { testListUnicode(t, f) })

	t.Run("other tenant", func(t *testing.T) {
		page, total, err := f.s.ListCompanies(f.ctx, d.other.ID, guild.CompanyFilter{})
		wantNoErr(t, err, "ListCompanies")
		if total != 1 || len(page) != 1 || page[0].Name != "Alpha Other 100% _" {
			t.Errorf("other tenant's companies: %d %+v, want only its own", total, page)
		}
	})
}

// testListUnicode checks that Query and extra-field contains fold the case
// of letters beyond ASCII.
func testListUnicode(t *testing.T, f *fixture) {
	tn := f.tenant(t, "list-unicode")
	school := f.textField(t, tn.ID, guild.ExtraFieldCompany, "School")
	for i, c := range []struct{ name, school string }{
		{"Ölwerke Süd", "ÉCOLE du Nord"},
		{"ölpumpen", "école"},
		{"Oleum", "Ecole"},
	} {
		f.company(t, guild.Company{TenantID: tn.ID, Name: c.name, UpdatedAt: at(secs(float64(i))),
			ExtraFields: []guild.ExtraFieldValue{put(school, c.school)}})
	}
	for _, c := range []struct {
		f    guild.CompanyFilter
		want []string
	}{
		{guild.CompanyFilter{Query: "ÖL"}, []string{"Ölwerke Süd", "ölpumpen"}},
		{guild.CompanyFilter{Query: "SÜD"}, []string{"Ölwerke Süd"}},
		{guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{{FieldID: school.ID, Value: "École"}}}, []string{"Ölwerke Süd", "ölpumpen"}},
		{guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{{FieldID: school.ID, Value: "école", Exact: true}}}, []string{"ölpumpen"}},
	} {
		page, total, err := f.s.ListCompanies(f.ctx, tn.ID, c.f)
		wantNoErr(t, err, "ListCompanies")
		var got []string
		for _, co := range page {
			got = append(got, co.Name)
		}
		wantEqual(t, got, c.want, fmt.Sprintf("page of %+v", c.f))
		if total != len(c.want) {
			t.Errorf("%+v: total %d, want %d", c.f, total, len(c.want))
		}
	}
}
