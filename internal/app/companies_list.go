package app

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// Page-size limits of list endpoints.
const (
	DefaultLimit = 10
	MaxLimit     = 250
)

// ExtraFieldFilter filters a list by an extra field's value, by name.
type ExtraFieldFilter struct {
	Name  string
	Value string
}

// CompanyQuery is a company list request: the store filter plus extra-field
// filters by name, resolved here to field ids.
type CompanyQuery struct {
	guild.CompanyFilter
	ExtraFieldFilters []ExtraFieldFilter
	ExactExtraFields  bool
	// NoMatch answers an empty page after validating the query: set for
	// filters nothing can match yet (orders, before Guild tracks them).
	NoMatch bool
}

// ListCompanies returns a page of companies and the total count.
func (a *App) ListCompanies(ctx context.Context, t guild.Tenant, q CompanyQuery) ([]guild.Company, int, error) {
	var p problems
	checkPage(&p, q.Limit, q.Offset, MaxLimit)
	if q.Status != nil && !q.Status.Valid() {
		p.add("companyStatus", "must be 0 (pending), 1 (approved), 2 (rejected) or 3 (inactive)")
	}
	f := q.CompanyFilter
	if len(q.ExtraFieldFilters) > 0 {
		defs, err := a.store.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldCompany)
		if err != nil {
			return nil, 0, err
		}
		for _, ef := range q.ExtraFieldFilters {
			d, ok := defByName(defs, ef.Name)
			if !ok {
				p.add("extraFields", "no company extra field is named %q%s", ef.Name, definedNames(defs))
				continue
			}
			f.ExtraFields = append(f.ExtraFields, guild.ExtraFieldMatch{FieldID: d.ID, Value: ef.Value, Exact: q.ExactExtraFields})
		}
	}
	if err := p.err(); err != nil {
		return nil, 0, err
	}
	if q.NoMatch {
		return nil, 0, nil
	}
	return a.store.ListCompanies(ctx, t.ID, f)
}

func checkPage(p *problems, limit, offset, max int) {
	if limit < 1 || limit > max {
		p.add("limit", "must be between 1 and %d (got %d)", max, limit)
	}
	if offset < 0 {
		p.add("offset", "must be 0 or more (got %d)", offset)
	}
}

// CheckPage validates a page request of any list.
func CheckPage(pg guild.Page) error {
	var p problems
	checkPage(&p, pg.Limit, pg.Offset, MaxLimit)
	return p.err()
}

func defByName(defs []guild.ExtraFieldDef, name string) (guild.ExtraFieldDef, bool) {
	for _, d := range defs {
		if strings.EqualFold(d.Name, strings.TrimSpace(name)) {
			return d, true
		}
	}
	return guild.ExtraFieldDef{}, false
}

func definedNames(defs []guild.ExtraFieldDef) string {
	if len(defs) == 0 {
		return " (none are defined)"
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.Name
	}
	return "; defined fields: " + strings.Join(names, ", ")
}
