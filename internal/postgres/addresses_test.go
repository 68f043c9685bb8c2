package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestAddressListPlans pins the index of a company's address list: the
// list's query shape (tenant, company, by id) is served by
// addresses_company in order, without a sort, on a table of 20,000
// addresses.
func TestAddressListPlans(t *testing.T) {
	dbURL := freshDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	// 200 companies of 100 addresses each, analyzed.
	for _, q := range []string{
		`INSERT INTO tenants (hash, name, created_at, updated_at) VALUES ('plans', 'Plans', 1, 1)`,
		`INSERT INTO companies (tenant_id, name, name_lower, email, phone, status, created_at, updated_at)
			SELECT t.id, 'C' || i, 'c' || i, 'c@example.com', '1', 1, i, i FROM tenants t, generate_series(1, 200) i`,
		`INSERT INTO addresses (tenant_id, company_id, first_name, last_name, address_line1, city, country_name,
			country_code, is_billing, first_name_lower, last_name_lower, city_lower, lines_lower, created_at, updated_at)
			SELECT c.tenant_id, c.id, 'F', 'L', 'Main St', 'Austin', 'United States', 'US', i % 2 = 0, 'f', 'l', 'austin',
				'main st', i, i
			FROM companies c, generate_series(1, 100) i`,
		`ANALYZE addresses`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var tenant, company int64
	if err := conn.QueryRow(ctx, `SELECT tenant_id, id FROM companies ORDER BY id OFFSET 100 LIMIT 1`).Scan(&tenant, &company); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`SELECT id, first_name FROM addresses WHERE tenant_id = $1 AND company_id = $2 ORDER BY id LIMIT 10 OFFSET 20`,
		`SELECT id, first_name FROM addresses WHERE tenant_id = $1 AND company_id = $2 AND is_billing = true ORDER BY id LIMIT 10`,
		`SELECT count(*) FROM addresses WHERE tenant_id = $1 AND company_id = $2`,
	} {
		rows, err := conn.Query(ctx, `EXPLAIN `+q, tenant, company)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(lines, "\n")
		if !strings.Contains(plan, "addresses_company") || strings.Contains(plan, "Sort") {
			t.Errorf("%s:\n%s\nwant addresses_company without a sort", q, plan)
		}
	}
}
