package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	guild "github.com/guild-b2b/guild"
)

// t0 is the base of the suite's times; every time the suite writes has
// microsecond precision and is in UTC, so reads must return it as written.
var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// at returns t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// secs returns a duration of s seconds (fractions allowed, to the microsecond).
func secs(s float64) time.Duration {
	return time.Duration(s*1e6) * time.Microsecond
}

// cmpOpts compares store values: nil and empty slices and maps are equal, and
// JSON payloads compare by meaning (a store may normalise the text).
var cmpOpts = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.Transformer("json", func(m json.RawMessage) any {
		var v any
		if err := json.Unmarshal(m, &v); err != nil {
			return "invalid JSON: " + string(m)
		}
		return v
	}),
}

// fixture runs the suite's steps on one store.
type fixture struct {
	s   guild.Store
	ctx context.Context
}

// try runs fn in one transaction and returns Update's error.
func (f *fixture) try(fn func(tx guild.Tx) error) error {
	return f.s.Update(f.ctx, func(_ context.Context, tx guild.Tx) error { return fn(tx) })
}

// update runs fn in one transaction and stops the test if it fails.
func (f *fixture) update(t *testing.T, fn func(tx guild.Tx) error) {
	t.Helper()
	if err := f.try(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// tenant creates a tenant with the hash.
func (f *fixture) tenant(t *testing.T, hash string) guild.Tenant {
	t.Helper()
	var out guild.Tenant
	f.update(t, func(tx guild.Tx) error {
		var err error
		out, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: hash, Name: "Store " + hash, CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	return out
}

// group creates a customer group and returns it with its id.
func (f *fixture) group(t *testing.T, tenantID int64, name string) guild.CustomerGroup {
	t.Helper()
	g := guild.CustomerGroup{TenantID: tenantID, Name: name, CreatedAt: t0, UpdatedAt: t0}
	f.update(t, func(tx guild.Tx) error {
		var err error
		g.ID, err = tx.CreateCustomerGroup(f.ctx, g)
		return err
	})
	return g
}

// company creates c (TenantID and Name set by the caller; the other
// required fields get defaults when empty) and returns it with its id.
func (f *fixture) company(t *testing.T, c guild.Company) guild.Company {
	t.Helper()
	if c.Email == "" {
		c.Email = "office@example.com"
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = t0
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		c.ID, err = tx.CreateCompany(f.ctx, c)
		return err
	})
	return c
}

// customer creates c and returns it with its id.
func (f *fixture) customer(t *testing.T, c guild.Customer) guild.Customer {
	t.Helper()
	if c.CreatedAt.IsZero() {
		c.CreatedAt, c.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		c.ID, err = tx.CreateCustomer(f.ctx, c)
		return err
	})
	return c
}

// user creates u and returns it with its id.
func (f *fixture) user(t *testing.T, u guild.User) guild.User {
	t.Helper()
	if u.CreatedAt.IsZero() {
		u.CreatedAt, u.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		u.ID, err = tx.CreateUser(f.ctx, u)
		return err
	})
	return u
}

// companyUser creates a customer with the email and a user of the company
// backed by it.
func (f *fixture) companyUser(t *testing.T, c guild.Company, email string, values ...guild.ExtraFieldValue) (guild.Customer, guild.User) {
	t.Helper()
	cu := f.customer(t, guild.Customer{TenantID: c.TenantID, Email: email, FirstName: "F", LastName: "L"})
	u := f.user(t, guild.User{TenantID: c.TenantID, CompanyID: c.ID, CustomerID: cu.ID, Email: email,
		FirstName: "F", LastName: "L", Role: guild.RoleJuniorBuyer, ExtraFields: values})
	return cu, u
}

// def creates an extra-field definition and returns it with its id.
func (f *fixture) def(t *testing.T, d guild.ExtraFieldDef) guild.ExtraFieldDef {
	t.Helper()
	if d.CreatedAt.IsZero() {
		d.CreatedAt, d.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		d.ID, err = tx.CreateExtraFieldDef(f.ctx, d)
		return err
	})
	return d
}

// textField creates a text extra field of kind.
func (f *fixture) textField(t *testing.T, tenantID int64, kind guild.ExtraFieldKind, name string) guild.ExtraFieldDef {
	t.Helper()
	return f.def(t, guild.ExtraFieldDef{TenantID: tenantID, Kind: kind, Name: name, Type: guild.FieldText, VisibleToEndUser: true})
}

// setValues sets extra-field values of a record and stops the test if it fails.
func (f *fixture) setValues(t *testing.T, tenantID int64, kind guild.ExtraFieldKind, recordID int64, values ...guild.ExtraFieldValue) {
	t.Helper()
	f.update(t, func(tx guild.Tx) error {
		return tx.SetExtraFieldValues(f.ctx, tenantID, kind, recordID, values)
	})
}

// mustCompany reads a company and stops the test if it fails.
func (f *fixture) mustCompany(t *testing.T, tenantID, id int64) guild.Company {
	t.Helper()
	c, err := f.s.Company(f.ctx, tenantID, id)
	if err != nil {
		t.Fatalf("Company(%d, %d): %v", tenantID, id, err)
	}
	return c
}

// val returns the value of def as a read returns it.
func val(def guild.ExtraFieldDef, value string) guild.ExtraFieldValue {
	return guild.ExtraFieldValue{FieldID: def.ID, Value: value, Unique: false, Def: &def}
}

// uval returns the unique value of def as a read returns it.
func uval(def guild.ExtraFieldDef, value string) guild.ExtraFieldValue {
	return guild.ExtraFieldValue{FieldID: def.ID, Value: value, Unique: true, Def: &def}
}

// put returns the value of def to write.
func put(def guild.ExtraFieldDef, value string) guild.ExtraFieldValue {
	return guild.ExtraFieldValue{FieldID: def.ID, Value: value}
}

// uput returns the unique value of def to write.
func uput(def guild.ExtraFieldDef, value string) guild.ExtraFieldValue {
	return guild.ExtraFieldValue{FieldID: def.ID, Value: value, Unique: true}
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, err error, code guild.ErrorCode, what string) {
	t.Helper()
	if got := guild.ErrorCodeOf(err); got != code {
		t.Errorf("%s: error code %q (err %v), want %q", what, got, err, code)
	}
}

// wantNoErr fails the test if err is not nil.
func wantNoErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantEqual fails the test when got and want differ.
func wantEqual[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("%s: mismatch (-want +got):\n%s", what, diff)
	}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
