package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// BenchmarkListCompanies lists companies of a tenant holding many of them:
// GUILD_BENCH_COMPANIES (default 100000; the target is 1000000). Seeding
// takes a while, once per run:
//
//	GUILD_BENCH_COMPANIES=1000000 go test -run '^$' -bench ListCompanies ./internal/sqlite/
func BenchmarkListCompanies(b *testing.B) {
	n := 100_000
	if v := os.Getenv("GUILD_BENCH_COMPANIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("GUILD_BENCH_COMPANIES: %v", err)
		}
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tn, region, group := seedCompanies(b, s, n)
	approved := guild.CompanyApproved
	cases := []struct {
		name string
		f    guild.CompanyFilter
	}{
		{"default", guild.CompanyFilter{Limit: 10}},
		{"default-desc", guild.CompanyFilter{Limit: 10, Descending: true}},
		{"offset-10000", guild.CompanyFilter{Limit: 10, Offset: 10_000}},
		{"name-desc", guild.CompanyFilter{Limit: 10, SortBy: guild.SortByCompanyName, Descending: true}},
		{"status", guild.CompanyFilter{Limit: 10, Status: &approved}},
		{"status-name", guild.CompanyFilter{Limit: 10, Status: &approved, SortBy: guild.SortByCompanyName}},
		{"group", guild.CompanyFilter{Limit: 10, CustomerGroupID: &group}},
		{"modified-range", guild.CompanyFilter{Limit: 10, MinModified: time.Unix(1_700_000_000+int64(n/2), 0), MaxModified: time.Unix(1_700_000_000+int64(n/2)+3600, 0)}},
		{"query", guild.CompanyFilter{Limit: 10, Query: "company 0012345"}},
		{"query-broad", guild.CompanyFilter{Limit: 10, Query: "company"}},
		{"query-short", guild.CompanyFilter{Limit: 10, Query: "45"}},
		{"query-none", guild.CompanyFilter{Limit: 10, Query: "nothing like it"}},
		{"extra-field-exact", guild.CompanyFilter{Limit: 10, ExtraFields: []guild.ExtraFieldMatch{{FieldID: region, Value: "r-1234", Exact: true}}}},
		{"extra-field-contains", guild.CompanyFilter{Limit: 10, ExtraFields: []guild.ExtraFieldMatch{{FieldID: region, Value: "R-1234"}}}},
		{"extra-field-broad", guild.CompanyFilter{Limit: 10, ExtraFields: []guild.ExtraFieldMatch{{FieldID: region, Value: "r-"}}}},
		{"include-extra-fields-250", guild.CompanyFilter{Limit: 250, IncludeExtraFields: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.ListCompanies(ctx, tn, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// seedCompanies creates a tenant with n companies ("Company 0000042"), a
// tenth of them with a distinct Region value ("r-4"), spread over 10
// customer groups.
func seedCompanies(b *testing.B, s *sqlite.Store, n int) (tenantID, regionID, groupID int64) {
	ctx := context.Background()
	start := time.Now()
	var groups []int64
	err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		tn, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "bench", Name: "Bench"})
		if err != nil {
			return err
		}
		tenantID = tn.ID
		for i := range 10 {
			id, err := tx.CreateCustomerGroup(ctx, guild.CustomerGroup{TenantID: tn.ID, Name: fmt.Sprint("group ", i)})
			if err != nil {
				return err
			}
			groups = append(groups, id)
		}
		regionID, err = tx.CreateExtraFieldDef(ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Region"})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 50_000
	for lo := 0; lo < n; lo += batch {
		err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				t := time.Unix(1_700_000_000+int64(i), 0)
				c := guild.Company{TenantID: tenantID, Name: fmt.Sprintf("Company %07d", i), Email: "c@example.com",
					Status: guild.CompanyStatus(i % 4), CustomerGroupID: groups[i%10], CreatedAt: t, UpdatedAt: t}
				if i%10 == 0 {
					c.ExtraFields = []guild.ExtraFieldValue{{FieldID: regionID, Value: fmt.Sprint("r-", i/10)}}
				}
				if _, err := tx.CreateCompany(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d companies in %v", n, time.Since(start).Round(time.Millisecond))
	return tenantID, regionID, groups[3]
}
