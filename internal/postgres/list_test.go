package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// Pages beyond deepOffset (1000) are read by another query (ids first, then
// the rows), and searches by a third; storetest's lists are shorter. Every
// page agrees with the list of all, with its total and its extra fields, on
// either side of deepOffset and past the end.
func TestListCompaniesDeepPages(t *testing.T) {
	dbURL := freshDatabase(t)
	s := openURL(t, dbURL)
	ctx := context.Background()
	tn := createTenant(t, s, "deep")
	var field int64
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		var err error
		field, err = tx.CreateExtraFieldDef(ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Code"})
		return err
	})
	const n = 1300
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	// Names repeat, so that ties are broken by id; every third company has
	// a code.
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO companies (tenant_id, name, name_lower, email, phone, status, created_at, updated_at)
			SELECT $1, 'Name ' || (i % 97), 'name ' || (i % 97), '', '', i % 4, i, 1000 + (i * 7919) % 500
			FROM generate_series(1, ` + fmt.Sprint(n) + `) i`, []any{tn.ID}},
		{`INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value)
			SELECT tenant_id, $2, 'company', id, 'C' || id FROM companies WHERE tenant_id = $1 AND id % 3 = 0`, []any{tn.ID, field}},
	} {
		if _, err := conn.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	approved := guild.CompanyApproved
	for _, f := range []guild.CompanyFilter{
		{IncludeExtraFields: true},
		{SortBy: guild.SortByCompanyName, IncludeExtraFields: true},
		{Descending: true},
		{Status: &approved, SortBy: guild.SortByCompanyName, Descending: true},
		// Searches: the matches are found once, counted and paged.
		{Query: "name 1", SortBy: guild.SortByCompanyName, IncludeExtraFields: true},
		{Query: "name", Descending: true},
		{ExtraFields: []guild.ExtraFieldMatch{{FieldID: field, Value: "c1"}}, Status: &approved},
	} {
		all, total, err := s.ListCompanies(ctx, tn.ID, f)
		var want int
		for i := 1; i <= n; i++ {
			name := fmt.Sprint("name ", i%97)
			if (f.Status == nil || i%4 == 1) && strings.Contains(name, f.Query) &&
				(len(f.ExtraFields) == 0 || i%3 == 0 && strings.Contains(fmt.Sprint("c", i), "c1")) {
				want++
			}
		}
		if err != nil || total != want || len(all) != want {
			t.Fatalf("ListCompanies(%+v) = %d companies, total %d, %v; want %d", f, len(all), total, err, want)
		}
		for _, off := range []int{0, 990, 1001, 1100, want - 5, want + 10} {
			f := f
			f.Limit, f.Offset = 20, off
			page, total, err := s.ListCompanies(ctx, tn.ID, f)
			if err != nil || total != want {
				t.Fatalf("ListCompanies(%+v): total %d, %v; want %d", f, total, err, want)
			}
			wantPage := all[min(off, len(all)):min(off+20, len(all))]
			if len(page) != len(wantPage) {
				t.Fatalf("ListCompanies(%+v): %d companies, want %d", f, len(page), len(wantPage))
			}
			for i := range page {
				if page[i].ID != wantPage[i].ID || page[i].Name != wantPage[i].Name || len(page[i].ExtraFields) != len(wantPage[i].ExtraFields) {
					t.Fatalf("ListCompanies(%+v)[%d] = %d %q with %d values, want %d %q with %d", f, i,
						page[i].ID, page[i].Name, len(page[i].ExtraFields), wantPage[i].ID, wantPage[i].Name, len(wantPage[i].ExtraFields))
				}
				if f.IncludeExtraFields && page[i].ID%3 == 0 && (len(page[i].ExtraFields) != 1 || page[i].ExtraFields[0].Value != fmt.Sprint("C", page[i].ID)) {
					t.Fatalf("ListCompanies(%+v): company %d has extra fields %+v, want its code", f, page[i].ID, page[i].ExtraFields)
				}
			}
		}
	}
}

// Search texts are written into the SQL as literals: quotes, backslashes
// and LIKE's wildcards are matched as themselves; a NUL is invalid input.
func TestListCompaniesSearchText(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	tn := createTenant(t, s, "text")
	var field int64
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		var err error
		field, err = tx.CreateExtraFieldDef(ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Code"})
		return err
	})
	for _, name := range []string{`O'Brien \ Sons`, `OBrien  Sons`, `100% O'Brien`} {
		createCompany(t, s, guild.Company{TenantID: tn.ID, Name: name,
			ExtraFields: []guild.ExtraFieldValue{{FieldID: field, Value: "x'" + name}}})
	}
	for _, c := range []struct {
		f    guild.CompanyFilter
		want int
	}{
		{guild.CompanyFilter{Query: `o'brien \`}, 1},
		{guild.CompanyFilter{Query: `'`}, 2},
		{guild.CompanyFilter{Query: `%`}, 1},
		{guild.CompanyFilter{Query: `' OR 1=1 --`}, 0},
		{guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{{FieldID: field, Value: `x'O'Brien \ Sons`, Exact: true}}}, 1},
		{guild.CompanyFilter{ExtraFields: []guild.ExtraFieldMatch{{FieldID: field, Value: `o'brien`}}}, 2},
	} {
		list, total, err := s.ListCompanies(ctx, tn.ID, c.f)
		if err != nil || total != c.want || len(list) != c.want {
			t.Errorf("ListCompanies(%+v) = %d companies, total %d, %v; want %d", c.f, len(list), total, err, c.want)
		}
	}
	_, _, err := s.ListCompanies(ctx, tn.ID, guild.CompanyFilter{Query: "a\x00b"})
	if guild.ErrorCodeOf(err) != guild.EInvalid {
		t.Errorf("ListCompanies with a NUL in the search = %v; want an invalid-input error", err)
	}
}
