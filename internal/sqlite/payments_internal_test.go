package sqlite

import (
	"strings"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// TestEnabledPaymentPlans pins how GET /company-payment-methods reads its
// sources: the enabling settings through the index of the sort's timestamp,
// the companies of a method enabled by default through companies_tenant in
// id order, and one sort only, of the merged offset+limit rows.
func TestEnabledPaymentPlans(t *testing.T) {
	s := openForPlans(t)
	methods := []guild.PaymentMethod{{ID: 1, EnabledByDefault: true}, {ID: 2}, {ID: 3, EnabledByDefault: true}}
	for _, tc := range []struct {
		f     guild.EnabledCompanyPaymentFilter
		index string
	}{
		{guild.EnabledCompanyPaymentFilter{Limit: 250}, "company_payments_enabled_updated"},
		{guild.EnabledCompanyPaymentFilter{Limit: 250, Offset: 500, Desc: true}, "company_payments_enabled_updated"},
		{guild.EnabledCompanyPaymentFilter{Limit: 10, Sort: guild.PaymentSortCreatedAt, Desc: true}, "company_payments_enabled_created"},
	} {
		query, args := enabledPaymentQuery(1, tc.f, methods)
		text := queryPlan(t, s, query, args...)
		if !strings.Contains(text, "USING INDEX "+tc.index) || strings.Count(text, "USING COVERING INDEX companies_tenant") != 2 ||
			strings.Count(text, "TEMP B-TREE") != 1 {
			t.Errorf("%+v: plan %q, want %s, companies_tenant for each default method and one sort", tc.f, text, tc.index)
		}
	}
}
