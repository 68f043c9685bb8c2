package postgres_test

import (
	"context"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// BenchmarkListCompanyAddresses lists the first page of one company's
// addresses, and of its billing addresses, among 2,000 companies with 50
// addresses each (100,000, written round-robin), as the SQLite benchmark
// of the same name:
//
//	GUILD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	go test -run '^$' -bench ListCompanyAddresses -benchtime 5000x ./internal/postgres/
func BenchmarkListCompanyAddresses(b *testing.B) {
	dbURL := freshDatabase(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO tenants (hash, name, created_at, updated_at) VALUES ('bench', 'Bench', 1, 1)`,
		`INSERT INTO companies (tenant_id, name, name_lower, email, phone, status, created_at, updated_at)
			SELECT t.id, 'C' || i, 'c' || i, 'c@example.com', '1', 1, i, i FROM tenants t, generate_series(1, 2000) i`,
		`INSERT INTO addresses (tenant_id, company_id, first_name, last_name, address_line1, city, state_name, state_code,
			country_name, country_code, is_billing, first_name_lower, last_name_lower, city_lower, lines_lower, state_lower,
			created_at, updated_at)
			SELECT c.tenant_id, c.id, 'F', 'L', j || ' Main St', 'Austin', 'Texas', 'TX', 'United States', 'US', j % 2 = 0,
				'f', 'l', 'austin', j || ' main st', 'texas', j * 2000 + c.id, j * 2000 + c.id
			FROM generate_series(1, 50) j, companies c ORDER BY j, c.id`,
		`ANALYZE`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	_ = conn.Close(ctx)
	s := openURL(b, dbURL)
	tn, err := s.TenantByHash(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	companies, _, err := s.ListCompanies(ctx, tn.ID, guild.CompanyFilter{Limit: 250})
	if err != nil || len(companies) == 0 {
		b.Fatalf("companies: %d %v", len(companies), err)
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
		{"company-offset-40", func(id int64) guild.AddressFilter {
			return guild.AddressFilter{Limit: 10, Offset: 40, CompanyID: &id}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				page, total, err := s.ListAddresses(ctx, tn.ID, bc.f(companies[i%len(companies)].ID))
				if err != nil || len(page) == 0 || total == 0 {
					b.Fatalf("list: %d %d %v", len(page), total, err)
				}
			}
		})
	}
}
