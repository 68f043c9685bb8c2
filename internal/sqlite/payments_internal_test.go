package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// TestEnabledPaymentPlans pins how GET /company-payment-methods reads its
// sources: the enabling settings through the index of the sort's timestamp,
// the companies of a method enabled by default through companies_tenant in
// id order, and one sort only, of the merged offset+limit rows.
func TestEnabledPaymentPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "guild.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
		rows, err := s.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		if !strings.Contains(text, "USING INDEX "+tc.index) || strings.Count(text, "USING COVERING INDEX companies_tenant") != 2 ||
			strings.Count(text, "TEMP B-TREE") != 1 {
			t.Errorf("%+v: plan %q, want %s, companies_tenant for each default method and one sort", tc.f, text, tc.index)
		}
	}
}
