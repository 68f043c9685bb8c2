package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// BenchmarkListCompanyAddresses lists the first page of one company's
// addresses, and of its billing addresses, in a store of 2,000 companies
// with 50 addresses each (100,000 addresses):
//
//	go test -run '^$' -bench ListCompanyAddresses -benchtime 5000x ./internal/sqlite/
func BenchmarkListCompanyAddresses(b *testing.B) {
	const companies, perCompany = 2000, 50
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var tn guild.Tenant
	ids := make([]int64, 0, companies)
	err = s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		if tn, err = tx.CreateTenant(ctx, guild.Tenant{Hash: "bench", Name: "Bench"}); err != nil {
			return err
		}
		for i := range companies {
			id, err := tx.CreateCompany(ctx, guild.Company{TenantID: tn.ID, Name: fmt.Sprintf("C%d", i), Status: guild.CompanyApproved})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		// Addresses are written round-robin, so that a company's rows are
		// spread over the table as they would be in a long-lived store.
		for j := range perCompany {
			for i, id := range ids {
				at := time.Unix(1_700_000_000+int64(j*companies+i), 0)
				if _, err := tx.CreateAddress(ctx, guild.Address{TenantID: tn.ID, CompanyID: id, FirstName: "F", LastName: "L",
					AddressLine1: fmt.Sprintf("%d Main St", j), City: "Austin", StateName: "Texas", StateCode: "TX",
					CountryName: "United States", CountryCode: "US", IsBilling: j%2 == 0, CreatedAt: at, UpdatedAt: at}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	yes := true
	for _, bc := range []struct {
		name string
		f    func(id int64) guild.AddressFilter
	}{
		{"company", func(id int64) guild.AddressFilter { return guild.AddressFilter{Limit: 10, CompanyID: &id} }},
		{"company-billing", func(id int64) guild.AddressFilter {
			return guild.AddressFilter{Limit: 10, CompanyID: &id, IsBilling: &yes}
		}},
		{"company-offset-40", func(id int64) guild.AddressFilter { return guild.AddressFilter{Limit: 10, Offset: 40, CompanyID: &id} }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				page, total, err := s.ListAddresses(ctx, tn.ID, bc.f(ids[i%len(ids)]))
				if err != nil || len(page) == 0 || total == 0 {
					b.Fatalf("list: %d %d %v", len(page), total, err)
				}
			}
		})
	}
}
