package postgres_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// BenchmarkListCompanies lists pages of a tenant with many companies (100,000,
// or GUILD_BENCH_COMPANIES), each with two extra-field values, among 50
// customer groups:
//
//	GUILD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	GUILD_BENCH_COMPANIES=1000000 go test -run '^$' -bench ListCompanies ./internal/postgres/
//
// Every iteration is one ListCompanies: the page and the total count.
func BenchmarkListCompanies(b *testing.B) {
	n := 100_000
	if v := os.Getenv("GUILD_BENCH_COMPANIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("GUILD_BENCH_COMPANIES=%q: want a positive number", v)
		}
	}
	dbURL := freshDatabase(b)
	seedCompanies(b, dbURL, n)
	s := openURL(b, dbURL)
	ctx := context.Background()
	tn, err := s.TenantByHash(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	defs, err := s.ListExtraFieldDefs(ctx, tn.ID, guild.ExtraFieldCompany)
	if err != nil || len(defs) != 2 {
		b.Fatalf("extra fields: %v, %v", defs, err)
	}
	region, code := defs[0].ID, defs[1].ID
	approved := guild.CompanyApproved
	group := int64(7)
	mid := time.UnixMicro(base + int64(n/2)*second)
	cases := []struct {
		name string
		f    guild.CompanyFilter
	}{
		{"first-page", guild.CompanyFilter{Limit: 10}},
		{"first-page-desc", guild.CompanyFilter{Limit: 10, Descending: true}},
		{"by-name", guild.CompanyFilter{Limit: 10, SortBy: guild.SortByCompanyName}},
		{"deep-page-250", guild.CompanyFilter{Limit: 250, Offset: n / 10, SortBy: guild.SortByCompanyName, Descending: true}},
		{"status", guild.CompanyFilter{Limit: 10, Status: &approved}},
		{"query-common", guild.CompanyFilter{Limit: 10, Query: "acme"}},
		{"query-rare", guild.CompanyFilter{Limit: 10, Query: "c4ca4238a0"}},
		{"query-none", guild.CompanyFilter{Limit: 10, Query: "zzzzzz"}},
		{"group", guild.CompanyFilter{Limit: 10, CustomerGroupID: &group}},
		{"modified-range", guild.CompanyFilter{Limit: 10, MinModified: mid, MaxModified: mid.Add(1000 * time.Second)}},
		{"extra-field-exact", guild.CompanyFilter{Limit: 10, ExtraFields: []guild.ExtraFieldMatch{{FieldID: code, Value: "X777", Exact: true}}}},
		{"extra-field-contains", guild.CompanyFilter{Limit: 10, ExtraFields: []guild.ExtraFieldMatch{{FieldID: region, Value: "north-1"}}}},
		{"page-250-with-extra-fields", guild.CompanyFilter{Limit: 250, IncludeExtraFields: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.ListCompanies(ctx, tn.ID, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The seeded companies' times: company i was created at base + i seconds.
const (
	base   = int64(1_700_000_000_000_000)
	second = int64(1_000_000)
)

// seedCompanies writes, with set-based SQL, a tenant "bench" with n
// companies named "<Brand> <md5 of i>" (8 brands), statuses 0..3 in turn,
// 50 customer groups, shuffled update times, and extra fields Region
// ("North-17"...) and Code ("X<i>"); then vacuums and analyzes, as autovacuum would.
func seedCompanies(b *testing.B, dbURL string, n int) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO tenants (hash, name, created_at, updated_at) VALUES ('bench', 'Bench', 0, 0)`, nil},
		{`INSERT INTO customer_groups (tenant_id, name, created_at, updated_at)
			SELECT t.id, 'Group ' || g, 0, 0 FROM tenants t, generate_series(1, 50) g`, nil},
		{`INSERT INTO extra_field_defs (tenant_id, kind, name, name_lower, field_type, created_at, updated_at)
			SELECT t.id, 'company', x.name, lower(x.name), 0, 0, 0 FROM tenants t, (VALUES ('Region'), ('Code')) x(name)`, nil},
		{`INSERT INTO companies (tenant_id, name, name_lower, email, phone, status, customer_group_id, created_at, updated_at)
			SELECT t.id, s.name, lower(s.name), 'c' || i || '@example.com', '555', i % 4, (i % 50) + 1,
				$1 + i * $2, $1 + (i * 7919 % $3) * $2
			FROM tenants t, (
				SELECT i, (ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Stark','Wayne','Wonka'])[1 + i % 8]
					|| ' ' || md5(i::text) AS name
				FROM generate_series(1::bigint, $3) i) s`, []any{base, second, int64(n)}},
		{`INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value)
			SELECT c.tenant_id, d.id, 'company', c.id,
				CASE d.name WHEN 'Region' THEN (ARRAY['North','South','East','West'])[1 + c.id % 4] || '-' || (c.id % 100)
				ELSE 'X' || c.id END
			FROM companies c JOIN extra_field_defs d ON d.tenant_id = c.tenant_id`, nil},
		{`VACUUM ANALYZE`, nil},
	} {
		if _, err := conn.Exec(ctx, q.sql, q.args...); err != nil {
			b.Fatalf("seed: %v\n%s", err, q.sql)
		}
	}
}
