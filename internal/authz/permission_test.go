package authz

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/guild-b2b/guild"
)

// TestPredefinedMatchesSeed compares Predefined with testdata/permissions.golden,
// which was generated once from seed 002's permission table (the vendor's
// Company Management page) and must never be edited by hand.
func TestPredefinedMatchesSeed(t *testing.T) {
	raw, err := os.ReadFile("testdata/permissions.golden")
	if err != nil {
		t.Fatal(err)
	}
	var want []Permission
	for _, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("golden line %q: want 4 tab-separated fields", line)
		}
		p := Permission{Code: f[0], Name: f[1], Description: f[2]}
		for _, s := range strings.Split(f[3], ",") {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatal(err)
			}
			p.Levels = append(p.Levels, Level(n))
		}
		want = append(want, p)
	}
	var got []Permission
	for i, p := range Predefined() {
		if p.ID != int64(i+1) {
			t.Errorf("%s: ID %d, want %d (1-based position)", p.Code, p.ID, i+1)
		}
		if p.Custom || p.Module == "" {
			t.Errorf("%s: Custom %v, Module %q", p.Code, p.Custom, p.Module)
		}
		got = append(got, Permission{Code: p.Code, Name: p.Name, Description: p.Description, Levels: p.Levels})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Predefined() differs from the seed table (-seed +got):\n%s", diff)
	}
	if len(got) != 40 {
		t.Errorf("%d predefined permissions, want 40", len(got))
	}
}

func TestPredefinedIsACopy(t *testing.T) {
	a := Predefined()
	a[0].Code = "x"
	a[0].Levels[0] = 9
	b := Predefined()
	if b[0].Code != "get_addresses" || b[0].Levels[0] != LevelCompany {
		t.Fatalf("Predefined shares state with its callers: %+v", b[0])
	}
	p, _ := LookupPredefined("get_addresses")
	p.Levels[0] = 9
	if q, _ := LookupPredefined("get_addresses"); q.Levels[0] != LevelCompany {
		t.Fatal("LookupPredefined shares state with its callers")
	}
}

func TestLookupPredefined(t *testing.T) {
	for _, p := range Predefined() {
		got, ok := LookupPredefined(p.Code)
		if !ok {
			t.Errorf("LookupPredefined(%q) not found", p.Code)
			continue
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("LookupPredefined(%q) (-want +got):\n%s", p.Code, diff)
		}
	}
	for _, code := range []string{"", "duplicate_shopping_list", "GET_ADDRESSES", "get_addresses ", "custom_thing"} {
		if _, ok := LookupPredefined(code); ok {
			t.Errorf("LookupPredefined(%q) found", code)
		}
	}
	if p, ok := LookupPredefined("deplicate_shopping_list"); !ok || p.Name != "Deplicate shopping list" {
		t.Errorf("deplicate_shopping_list (sic) = %+v, %v", p, ok)
	}
}

func TestCheckGrant(t *testing.T) {
	custom := Permission{Code: "approve_budget", Name: "Approve budget", Custom: true}
	customRestricted := Permission{Code: "see_prices", Custom: true, Levels: []Level{LevelCompany}}
	tests := []struct {
		code string
		p    Permission
		l    Level
		err  string // "" = allowed
	}{
		{code: "create_quote", l: 1},
		{code: "create_quote", l: 2, err: "permission create_quote cannot be granted at level 2 (Company); it allows 1 (User), 3 (Company and subsidiaries)"},
		{code: "create_quote", l: 3},
		{code: "get_addresses", l: 1, err: "permission get_addresses cannot be granted at level 1 (User); it allows 2 (Company), 3 (Company and subsidiaries)"},
		{code: "get_addresses", l: 2},
		{code: "get_orders", l: 1},
		{code: "get_orders", l: 2},
		{code: "get_orders", l: 3},
		{code: "get_company_subsidiaries", l: 2, err: "permission get_company_subsidiaries cannot be granted at level 2 (Company); it allows 3 (Company and subsidiaries)"},
		{code: "get_company_subsidiaries", l: 3},
		{code: "submit_shopping_list_for_approval", l: 2, err: "permission submit_shopping_list_for_approval cannot be granted at level 2 (Company); it allows 1 (User), 3 (Company and subsidiaries)"},
		{code: "get_orders", l: 0, err: "permission level 0 is not valid for get_orders; a level is 1 (User), 2 (Company) or 3 (Company and subsidiaries)"},
		{code: "get_orders", l: 4, err: "permission level 4 is not valid for get_orders; a level is 1 (User), 2 (Company) or 3 (Company and subsidiaries)"},
		{code: "get_orders", l: -1, err: "permission level -1 is not valid for get_orders; a level is 1 (User), 2 (Company) or 3 (Company and subsidiaries)"},
		{p: custom, l: 1},
		{p: custom, l: 2},
		{p: custom, l: 3},
		{p: custom, l: 4, err: "permission level 4 is not valid for approve_budget; a level is 1 (User), 2 (Company) or 3 (Company and subsidiaries)"},
		{p: customRestricted, l: 2},
		{p: customRestricted, l: 3, err: "permission see_prices cannot be granted at level 3 (Company and subsidiaries); it allows 2 (Company)"},
	}
	for _, tt := range tests {
		p := tt.p
		if tt.code != "" {
			var ok bool
			if p, ok = LookupPredefined(tt.code); !ok {
				t.Fatalf("no predefined %s", tt.code)
			}
		}
		err := CheckGrant(p, tt.l)
		got := ""
		if err != nil {
			got = err.Error()
			if c := guild.ErrorCodeOf(err); c != guild.EInvalid {
				t.Errorf("CheckGrant(%s, %d) code %s, want invalid", p.Code, tt.l, c)
			}
		}
		if got != tt.err {
			t.Errorf("CheckGrant(%s, %d) = %q, want %q", p.Code, tt.l, got, tt.err)
		}
	}
}

func TestPermissionLevels(t *testing.T) {
	p, _ := LookupPredefined("create_quote")
	if got := p.MaxLevel(); got != LevelSubsidiaries {
		t.Errorf("MaxLevel = %v", got)
	}
	if diff := cmp.Diff([]Level{1, 3}, p.AllowedLevels()); diff != "" {
		t.Error(diff)
	}
	c := Permission{Code: "x", Custom: true}
	if diff := cmp.Diff([]Level{1, 2, 3}, c.AllowedLevels()); diff != "" {
		t.Error(diff)
	}
	// A predefined-looking permission with no levels allows nothing.
	if z := (Permission{Code: "x"}); z.MaxLevel() != LevelNone || z.Allows(LevelCompany) || z.AllowedLevels() != nil {
		t.Error("a non-custom permission without levels must allow nothing")
	}
	for l, want := range map[Level]string{0: "0 (none)", 1: "1 (User)", 2: "2 (Company)", 3: "3 (Company and subsidiaries)", 7: "7"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", int(l), got, want)
		}
	}
}
