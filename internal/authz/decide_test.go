package authz

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/guild-b2b/guild"
)

const (
	approved = guild.CompanyApproved
	pending  = guild.CompanyPending
	rejected = guild.CompanyRejected
	inactive = guild.CompanyInactive
)

// testWorld is the hierarchy the table tests use:
//
//	1 ─┬─ 2 ─┬─ 3 ── 4 (inactive)
//	   │     └─ 6
//	   └─ 5 (pending)
//	10 ── 11
//	20 (pending), 21 (rejected), 22 (inactive): roots
//	30 ⇄ 31 (a cycle), 33 → 30, 32 → 32 (a self-loop)
//	40 ← 41 ← … ← 59 (a chain 20 deep)
func testWorld() MapCompanies {
	w := MapCompanies{
		1: {0, approved}, 2: {1, approved}, 3: {2, approved}, 4: {3, inactive}, 5: {1, pending}, 6: {2, approved},
		10: {0, approved}, 11: {10, approved},
		20: {0, pending}, 21: {0, rejected}, 22: {0, inactive},
		30: {31, approved}, 31: {30, approved}, 32: {32, approved}, 33: {30, approved},
		40: {0, approved},
	}
	for id := int64(41); id <= 59; id++ {
		w[id] = Node{id - 1, approved}
	}
	return w
}

func role(r guild.UserRole) Role {
	x, _ := PredefinedRole(r)
	return x
}

func user(id, company int64, r guild.UserRole) Subject {
	return Subject{UserID: id, CompanyID: company, Role: role(r)}
}

var (
	admin1   = user(100, 1, guild.RoleAdmin)
	admin2   = user(202, 2, guild.RoleAdmin)
	senior2  = user(200, 2, guild.RoleSeniorBuyer)
	junior2  = user(201, 2, guild.RoleJuniorBuyer)
	admin20  = user(300, 20, guild.RoleAdmin)
	admin21  = user(301, 21, guild.RoleAdmin)
	admin22  = user(302, 22, guild.RoleAdmin)
	orphan   = user(303, 998, guild.RoleAdmin)
	admin30  = user(304, 30, guild.RoleAdmin)
	admin33  = user(306, 33, guild.RoleAdmin)
	admin40  = user(305, 40, guild.RoleAdmin)
	custom2  = Subject{UserID: 210, CompanyID: 2, Role: Role{ID: 77, Name: "Procurement", Grants: map[string]Level{"approve_budget": LevelCompany, "get_orders": LevelSubsidiaries}}}
	super900 = Subject{UserID: 900, SuperAdmin: true, Role: role(guild.RoleJuniorBuyer), CompanyID: 20,
		Assigned: map[int64]bool{2: true, 4: true, 5: true, 10: true, 777: true, 11: false}}
)

func TestDecide(t *testing.T) {
	w := testWorld()
	tests := []struct {
		name string
		s    Subject
		r    Request
		want Decision
	}{
		// Rule 1: the code must be granted.
		{"junior has no purchase_enable", junior2, Request{"purchase_enable", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "purchase_enable", Role: "Junior Buyer", Needed: 2, CompanyID: 2}},
		{"junior has no checkout_with_quote, even on own quote", junior2, Request{"checkout_with_quote", 2, 201},
			Decision{Reason: ReasonNotGranted, Code: "checkout_with_quote", Role: "Junior Buyer", Needed: 1, CompanyID: 2}},
		{"senior cannot create users", senior2, Request{"create_user", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "create_user", Role: "Senior Buyer", Needed: 2, CompanyID: 2}},
		{"unknown code", admin2, Request{"launch_rockets", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "launch_rockets", Role: "Admin", Needed: 2, CompanyID: 2}},
		{"codes are byte-exact", admin2, Request{"duplicate_shopping_list", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "duplicate_shopping_list", Role: "Admin", Needed: 2, CompanyID: 2}},
		{"admin has the misspelt code", admin2, Request{"deplicate_shopping_list", 2, 0},
			Decision{Allowed: true, Code: "deplicate_shopping_list", Role: "Admin", Granted: 3, Needed: 2, CompanyID: 2}},
		{"custom role, custom code", custom2, Request{"approve_budget", 2, 0},
			Decision{Allowed: true, Code: "approve_budget", Role: "Procurement", Granted: 2, Needed: 2, CompanyID: 2}},
		{"custom role lacks a predefined code", custom2, Request{"purchase_enable", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "purchase_enable", Role: "Procurement", Needed: 2, CompanyID: 2}},
		{"admin has no custom code", admin2, Request{"approve_budget", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "approve_budget", Role: "Admin", Needed: 2, CompanyID: 2}},

		// Rule 2: levels in the own company.
		{"junior reads own order at level 1", junior2, Request{"get_orders", 2, 201},
			Decision{Allowed: true, Code: "get_orders", Role: "Junior Buyer", Granted: 1, Needed: 1, CompanyID: 2}},
		{"junior cannot read a colleague's order", junior2, Request{"get_order_detail", 2, 200},
			Decision{Reason: ReasonLevelTooLow, Code: "get_order_detail", Role: "Junior Buyer", Granted: 1, Needed: 2, CompanyID: 2}},
		{"junior cannot list company orders", junior2, Request{"get_orders", 2, 0},
			Decision{Reason: ReasonLevelTooLow, Code: "get_orders", Role: "Junior Buyer", Granted: 1, Needed: 2, CompanyID: 2}},
		{"junior creates own shopping list", junior2, Request{"create_shopping_list", 2, 201},
			Decision{Allowed: true, Code: "create_shopping_list", Role: "Junior Buyer", Granted: 1, Needed: 1, CompanyID: 2}},
		{"junior submits own list for approval", junior2, Request{"submit_shopping_list_for_approval", 2, 201},
			Decision{Allowed: true, Code: "submit_shopping_list_for_approval", Role: "Junior Buyer", Granted: 1, Needed: 1, CompanyID: 2}},
		{"junior reads company addresses", junior2, Request{"get_addresses", 2, 0},
			Decision{Allowed: true, Code: "get_addresses", Role: "Junior Buyer", Granted: 2, Needed: 2, CompanyID: 2}},
		{"senior reads a colleague's quote", senior2, Request{"get_quote_detail", 2, 201},
			Decision{Allowed: true, Code: "get_quote_detail", Role: "Senior Buyer", Granted: 2, Needed: 2, CompanyID: 2}},
		{"senior approves a junior's list", senior2, Request{"approve_draft_shopping_list", 2, 201},
			Decision{Allowed: true, Code: "approve_draft_shopping_list", Role: "Senior Buyer", Granted: 2, Needed: 2, CompanyID: 2}},
		{"senior checks out", senior2, Request{"purchase_enable", 2, 0},
			Decision{Allowed: true, Code: "purchase_enable", Role: "Senior Buyer", Granted: 2, Needed: 2, CompanyID: 2}},
		{"senior creates own quote at level 1", senior2, Request{"create_quote", 2, 200},
			Decision{Allowed: true, Code: "create_quote", Role: "Senior Buyer", Granted: 1, Needed: 1, CompanyID: 2}},
		{"senior cannot create a quote for a colleague", senior2, Request{"create_quote", 2, 201},
			Decision{Reason: ReasonLevelTooLow, Code: "create_quote", Role: "Senior Buyer", Granted: 1, Needed: 2, CompanyID: 2}},
		{"owner 0 is never the subject", Subject{UserID: 0, CompanyID: 2, Role: role(guild.RoleJuniorBuyer)}, Request{"get_orders", 2, 0},
			Decision{Reason: ReasonLevelTooLow, Code: "get_orders", Role: "Junior Buyer", Granted: 1, Needed: 2, CompanyID: 2}},

		// Rule 2: subsidiaries need level 3.
		{"admin acts for a child", admin2, Request{"get_orders", 3, 0},
			Decision{Allowed: true, Code: "get_orders", Role: "Admin", Granted: 3, Needed: 3, CompanyID: 3}},
		{"admin acts for a grandchild", admin1, Request{"create_user", 6, 0},
			Decision{Allowed: true, Code: "create_user", Role: "Admin", Granted: 3, Needed: 3, CompanyID: 6}},
		{"admin sees subsidiaries", admin1, Request{"get_company_subsidiaries", 1, 0},
			Decision{Allowed: true, Code: "get_company_subsidiaries", Role: "Admin", Granted: 3, Needed: 2, CompanyID: 1}},
		{"own record in a subsidiary still needs level 3", senior2, Request{"get_orders", 3, 200},
			Decision{Reason: ReasonLevelTooLow, Code: "get_orders", Role: "Senior Buyer", Granted: 2, Needed: 3, CompanyID: 3}},
		{"senior cannot act for a child", senior2, Request{"purchase_enable", 3, 0},
			Decision{Reason: ReasonLevelTooLow, Code: "purchase_enable", Role: "Senior Buyer", Granted: 2, Needed: 3, CompanyID: 3}},
		{"junior cannot act for a child", junior2, Request{"get_orders", 6, 201},
			Decision{Reason: ReasonLevelTooLow, Code: "get_orders", Role: "Junior Buyer", Granted: 1, Needed: 3, CompanyID: 6}},
		{"not granted in a child names level 3", junior2, Request{"purchase_enable", 3, 0},
			Decision{Reason: ReasonNotGranted, Code: "purchase_enable", Role: "Junior Buyer", Needed: 3, CompanyID: 3}},
		{"custom role at level 3", custom2, Request{"get_orders", 3, 0},
			Decision{Allowed: true, Code: "get_orders", Role: "Procurement", Granted: 3, Needed: 3, CompanyID: 3}},
		{"a 5-deep chain is in reach", admin40, Request{"get_orders", 45, 0},
			Decision{Allowed: true, Code: "get_orders", Role: "Admin", Granted: 3, Needed: 3, CompanyID: 45}},

		// Rule 2: out of reach.
		{"the parent is out of reach", admin2, Request{"get_orders", 1, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 1}},
		{"a sibling is out of reach", admin2, Request{"get_orders", 5, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 5}},
		{"another tree is out of reach", admin1, Request{"get_orders", 11, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 11}},
		{"out of reach before not granted", junior2, Request{"purchase_enable", 10, 0},
			Decision{Reason: ReasonOutOfReach, Code: "purchase_enable", Role: "Junior Buyer", CompanyID: 10}},
		{"an unknown company", admin2, Request{"get_orders", 999, 0},
			Decision{Reason: ReasonUnknownCompany, Code: "get_orders", Role: "Admin", CompanyID: 999}},
		{"company 0", admin2, Request{"get_orders", 0, 0},
			Decision{Reason: ReasonUnknownCompany, Code: "get_orders", Role: "Admin", CompanyID: 0}},
		{"a cycle is below nothing", admin30, Request{"get_orders", 31, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 31}},
		{"a child of a cycle is below nothing", admin30, Request{"get_orders", 33, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 33}},
		{"a cycle member is below nothing", admin33, Request{"get_orders", 30, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 30}},
		{"the own company is the own company even on a cycle", admin30, Request{"get_orders", 30, 0},
			Decision{Allowed: true, Code: "get_orders", Role: "Admin", Granted: 3, Needed: 2, CompanyID: 30}},
		{"a chain deeper than MaxDepth is below nothing", admin40, Request{"get_orders", 59, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", CompanyID: 59}},

		// Rule 3: status.
		{"pending company's admin", admin20, Request{"get_users", 20, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_users", Role: "Admin", CompanyID: 20, OwnCompany: true, Status: pending}},
		{"rejected company's admin", admin21, Request{"get_addresses", 21, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_addresses", Role: "Admin", CompanyID: 21, OwnCompany: true, Status: rejected}},
		{"inactive company's admin, own record", admin22, Request{"get_orders", 22, 302},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_orders", Role: "Admin", CompanyID: 22, OwnCompany: true, Status: inactive}},
		{"pending user learns nothing about other companies", admin20, Request{"get_users", 1, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_users", Role: "Admin", CompanyID: 20, OwnCompany: true, Status: pending}},
		{"own company gone", orphan, Request{"get_users", 998, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_users", Role: "Admin", CompanyID: 998, OwnCompany: true, Status: guild.CompanyDeleted}},
		{"inactive subsidiary", admin1, Request{"get_orders", 4, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_orders", Role: "Admin", Granted: 3, Needed: 3, CompanyID: 4, Status: inactive}},
		{"pending subsidiary", admin1, Request{"purchase_enable", 5, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "purchase_enable", Role: "Admin", Granted: 3, Needed: 3, CompanyID: 5, Status: pending}},

		// Super admins.
		{"super admin on an assigned company", super900, Request{"create_user", 2, 0},
			Decision{Allowed: true, Code: "create_user", Role: "Admin", SuperAdmin: true, Granted: 3, Needed: 2, CompanyID: 2}},
		{"super admin acts with Admin grants whatever Role says", super900, Request{"purchase_enable", 10, 0},
			Decision{Allowed: true, Code: "purchase_enable", Role: "Admin", SuperAdmin: true, Granted: 3, Needed: 2, CompanyID: 10}},
		{"super admin's own record", super900, Request{"create_quote", 2, 900},
			Decision{Allowed: true, Code: "create_quote", Role: "Admin", SuperAdmin: true, Granted: 3, Needed: 1, CompanyID: 2}},
		{"assignment is not inherited", super900, Request{"get_orders", 3, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", SuperAdmin: true, CompanyID: 3}},
		{"assigned=false is not assigned", super900, Request{"get_orders", 11, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", SuperAdmin: true, CompanyID: 11}},
		{"super admin's CompanyID is ignored", super900, Request{"get_orders", 20, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", SuperAdmin: true, CompanyID: 20}},
		{"super admin, assigned but gone", super900, Request{"get_orders", 777, 0},
			Decision{Reason: ReasonUnknownCompany, Code: "get_orders", Role: "Admin", SuperAdmin: true, CompanyID: 777}},
		{"super admin, assigned inactive company", super900, Request{"get_orders", 4, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_orders", Role: "Admin", SuperAdmin: true, Granted: 3, Needed: 2, CompanyID: 4, Status: inactive}},
		{"super admin, assigned pending company", super900, Request{"get_orders", 5, 0},
			Decision{Reason: ReasonCompanyNotApproved, Code: "get_orders", Role: "Admin", SuperAdmin: true, Granted: 3, Needed: 2, CompanyID: 5, Status: pending}},
		{"super admin, custom code", super900, Request{"approve_budget", 2, 0},
			Decision{Reason: ReasonNotGranted, Code: "approve_budget", Role: "Admin", SuperAdmin: true, Needed: 2, CompanyID: 2}},
		{"super admin with no assignments", Subject{UserID: 901, SuperAdmin: true}, Request{"get_orders", 1, 0},
			Decision{Reason: ReasonOutOfReach, Code: "get_orders", Role: "Admin", SuperAdmin: true, CompanyID: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decide(tt.s, tt.r, w)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
			if got.Allowed != (got.Reason == ReasonAllowed) || got.Allowed != (got.Err() == nil) {
				t.Errorf("Allowed %v, Reason %v, Err %v disagree", got.Allowed, got.Reason, got.Err())
			}
		})
	}
}

// TestPredefinedRolesMatrix decides every predefined code for every predefined
// role on the four shapes of request a company user makes, and checks each
// answer against the role's grant and the level the shape needs.
func TestPredefinedRolesMatrix(t *testing.T) {
	w := testWorld()
	shapes := []struct {
		name   string
		r      func(code string) Request
		needed Level
	}{
		{"own record", func(c string) Request { return Request{c, 2, 7} }, LevelUser},
		{"colleague's record", func(c string) Request { return Request{c, 2, 8} }, LevelCompany},
		{"company-wide", func(c string) Request { return Request{c, 2, 0} }, LevelCompany},
		{"subsidiary", func(c string) Request { return Request{c, 6, 0} }, LevelSubsidiaries},
	}
	for _, r := range PredefinedRoles() {
		s := Subject{UserID: 7, CompanyID: 2, Role: r}
		for _, p := range Predefined() {
			for _, sh := range shapes {
				d := Decide(s, sh.r(p.Code), w)
				granted := r.Grants[p.Code]
				want := granted >= sh.needed
				if d.Allowed != want || d.Needed != sh.needed {
					t.Errorf("%s, %s, %s: allowed %v needed %v (%s), want allowed %v needed %v",
						r.Name, p.Code, sh.name, d.Allowed, d.Needed, d.Reason, want, sh.needed)
				}
				wantReason := ReasonAllowed
				switch {
				case granted == LevelNone:
					wantReason = ReasonNotGranted
				case !want:
					wantReason = ReasonLevelTooLow
				}
				if d.Reason != wantReason {
					t.Errorf("%s, %s, %s: reason %s, want %s", r.Name, p.Code, sh.name, d.Reason, wantReason)
				}
			}
		}
	}
}

func TestDecisionMessageAndErr(t *testing.T) {
	w := testWorld()
	tests := []struct {
		s    Subject
		r    Request
		code guild.ErrorCode
		msg  string
	}{
		{junior2, Request{"get_orders", 2, 201}, "",
			`allowed: role "Junior Buyer" grants get_orders at level 1 (User); level 1 (User) is needed`},
		{junior2, Request{"purchase_enable", 2, 0}, guild.EForbidden,
			`permission purchase_enable is not granted to role "Junior Buyer"; this request needs purchase_enable at level 2 (Company) or higher`},
		{junior2, Request{"get_orders", 2, 0}, guild.EForbidden,
			`permission get_orders is granted to role "Junior Buyer" at level 1 (User) only; this request needs level 2 (Company) (the record is not yours, or the request covers the whole company)`},
		{senior2, Request{"get_orders", 3, 0}, guild.EForbidden,
			`permission get_orders is granted to role "Senior Buyer" at level 2 (Company) only; this request needs level 3 (Company and subsidiaries) (company 3 is a subsidiary of your company)`},
		{admin2, Request{"get_orders", 1, 0}, guild.ENotFound, `company 1 not found`},
		{admin2, Request{"get_orders", 999, 0}, guild.ENotFound, `company 999 not found`},
		{admin20, Request{"get_orders", 20, 0}, guild.EForbidden,
			`your company 20 is pending approval: only approved companies may act (your profile, GET /api/v3/buyer/me, stays available)`},
		{orphan, Request{"get_orders", 998, 0}, guild.EForbidden,
			`your company 998 is deleted: only approved companies may act (your profile, GET /api/v3/buyer/me, stays available)`},
		{admin1, Request{"get_orders", 4, 0}, guild.EForbidden,
			`company 4 is inactive: only approved companies may be acted on`},
		{super900, Request{"approve_budget", 2, 0}, guild.EForbidden,
			`permission approve_budget is not granted to super admin (acting with the "Admin" role); this request needs approve_budget at level 2 (Company) or higher`},
		{super900, Request{"get_orders", 3, 0}, guild.ENotFound, `company 3 not found`},
	}
	for _, tt := range tests {
		d := Decide(tt.s, tt.r, w)
		if got := d.Message(); got != tt.msg {
			t.Errorf("%+v: Message()\n got %s\nwant %s", tt.r, got, tt.msg)
		}
		err := d.Err()
		if got := guild.ErrorCodeOf(err); got != tt.code {
			t.Errorf("%+v: Err() code %q, want %q", tt.r, got, tt.code)
		}
		if err != nil && err.Error() != tt.msg {
			t.Errorf("%+v: Err() = %q, want the Message", tt.r, err)
		}
		if d.NotFound() != (tt.code == guild.ENotFound) {
			t.Errorf("%+v: NotFound() = %v", tt.r, d.NotFound())
		}
	}
}

func TestReasonNames(t *testing.T) {
	want := []string{"allowed", "not_granted", "level_too_low", "out_of_reach", "unknown_company", "company_not_approved", "reason(6)"}
	for i, w := range want {
		if got := Reason(i).String(); got != w {
			t.Errorf("Reason(%d) = %q, want %q", i, got, w)
		}
		if b, _ := Reason(i).MarshalText(); string(b) != w {
			t.Errorf("Reason(%d).MarshalText = %q", i, b)
		}
	}
}

func TestReachable(t *testing.T) {
	w := testWorld()
	all := []int64{11, 10, 6, 5, 4, 3, 2, 1, 999, 20, 777}
	tests := []struct {
		name string
		s    Subject
		code string
		want []int64
	}{
		{"admin of the root: approved companies of its tree", admin1, "", []int64{6, 3, 2, 1}},
		{"admin of the root, one code", admin1, "get_company_subsidiaries", []int64{6, 3, 2, 1}},
		{"admin of a middle company", admin2, "purchase_enable", []int64{6, 3, 2}},
		{"senior: own company only", senior2, "", []int64{2}},
		{"senior can buy for the own company", senior2, "purchase_enable", []int64{2}},
		{"junior: own records in the own company", junior2, "get_orders", []int64{2}},
		{"junior cannot buy anywhere", junior2, "purchase_enable", nil},
		{"junior, code granted nowhere", junior2, "nope", nil},
		{"pending company", admin20, "", nil},
		{"super admin: approved assigned companies", super900, "", []int64{10, 2}},
		{"super admin, one code", super900, "create_user", []int64{10, 2}},
		{"super admin, custom code", super900, "approve_budget", nil},
		{"custom role at level 3 for one code", custom2, "get_orders", []int64{6, 3, 2}},
		{"custom role at level 2 for another", custom2, "approve_budget", []int64{2}},
	}
	for _, tt := range tests {
		got := Reachable(tt.s, tt.code, w, all)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// Reachable agrees with Decide for every code and candidate.
	for _, s := range []Subject{admin1, admin2, senior2, junior2, admin20, super900, custom2, admin30} {
		for _, p := range append(Predefined(), Permission{Code: "approve_budget"}) {
			var want []int64
			for _, c := range all {
				if Decide(s, Request{p.Code, c, s.UserID}, w).Allowed {
					want = append(want, c)
				}
			}
			if diff := cmp.Diff(want, Reachable(s, p.Code, w, all)); diff != "" {
				t.Errorf("user %d, %s: Reachable differs from Decide (-Decide +Reachable):\n%s", s.UserID, p.Code, diff)
			}
		}
	}
}

func TestDecideDoesNotAllocate(t *testing.T) {
	w := testWorld()
	reqs := []struct {
		s Subject
		r Request
	}{
		{admin1, Request{"get_orders", 6, 0}},
		{junior2, Request{"purchase_enable", 2, 0}},
		{admin2, Request{"get_orders", 1, 0}},
		{super900, Request{"create_user", 2, 0}},
		{admin20, Request{"get_orders", 20, 0}},
	}
	for _, q := range reqs {
		if n := testing.AllocsPerRun(100, func() { _ = Decide(q.s, q.r, w) }); n != 0 {
			t.Errorf("%+v: %v allocations per Decide", q.r, n)
		}
	}
}
