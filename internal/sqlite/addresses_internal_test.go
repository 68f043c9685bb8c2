package sqlite

import (
	"strings"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// TestAddressListPlans pins the indexes the address lists use: a company's
// addresses are read through addresses_company in id order (no sort, no
// scan), the store's through addresses_tenant.
func TestAddressListPlans(t *testing.T) {
	s := openForPlans(t)
	company := int64(7)
	cases := []struct {
		name  string
		f     guild.AddressFilter
		index string
	}{
		{"a company's addresses", guild.AddressFilter{CompanyID: &company}, "addresses_company"},
		{"a company's billing addresses", guild.AddressFilter{CompanyID: &company, IsBilling: new(bool)}, "addresses_company"},
		{"every address", guild.AddressFilter{}, "addresses_tenant"},
	}
	for _, tc := range cases {
		where, args := addressWhere(1, tc.f)
		for _, q := range []string{
			`SELECT ` + addressColumns + ` FROM addresses WHERE ` + where + ` ORDER BY id LIMIT 10 OFFSET 0`,
			`SELECT count(*) FROM addresses WHERE ` + where,
		} {
			text := queryPlan(t, s, q, args...)
			if !strings.Contains(text, tc.index) || strings.Contains(text, "TEMP B-TREE") || strings.Contains(text, "SCAN addresses") && tc.index == "addresses_company" {
				t.Errorf("%s: plan %q, want a search of %s without sorting", tc.name, text, tc.index)
			}
		}
	}
}
