package bigcommerce_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

func TestDiffCustomer(t *testing.T) {
	guildCustomer := guild.Customer{ID: 4, Email: "Ann@Acme.example", FirstName: "Ann", LastName: "Lee", Phone: "555", CompanyName: "Acme", CustomerGroupID: 9}
	same := bigcommerce.Customer{ID: 70, Email: "ann@acme.example", FirstName: "Ann", LastName: "Lee", Phone: "555", Company: "Acme", CustomerGroupID: 90}
	tests := []struct {
		name      string
		remote    func(c *bigcommerce.Customer)
		skipGroup bool
		want      []bigcommerce.FieldDiff
	}{
		{"the same (email case aside)", func(*bigcommerce.Customer) {}, false, nil},
		{"every field", func(c *bigcommerce.Customer) {
			c.Email, c.FirstName, c.LastName, c.Phone, c.Company, c.CustomerGroupID = "x@y.example", "A", "L", "", "Other", 0
		}, false, []bigcommerce.FieldDiff{
			{Field: "email", Guild: "Ann@Acme.example", BigCommerce: "x@y.example"},
			{Field: "first_name", Guild: "Ann", BigCommerce: "A"},
			{Field: "last_name", Guild: "Lee", BigCommerce: "L"},
			{Field: "phone", Guild: "555", BigCommerce: ""},
			{Field: "company", Guild: "Acme", BigCommerce: "Other"},
			{Field: "customer_group_id", Guild: "90", BigCommerce: "0"},
		}},
		{"the group unknown", func(c *bigcommerce.Customer) { c.CustomerGroupID = 5 }, true, nil},
		{"the group differs", func(c *bigcommerce.Customer) { c.CustomerGroupID = 5 }, false,
			[]bigcommerce.FieldDiff{{Field: "customer_group_id", Guild: "90", BigCommerce: "5"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			remote := same
			tc.remote(&remote)
			got := bigcommerce.DiffCustomer(bigcommerce.ExpectedCustomer(guildCustomer, 90), bigcommerce.RemoteCustomer(remote), tc.skipGroup)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffGroup(t *testing.T) {
	g := guild.CustomerGroup{ID: 3, Name: "Acme", CompanyID: 8}
	if d := bigcommerce.DiffGroup(bigcommerce.ExpectedGroup(g), bigcommerce.RemoteGroup(bigcommerce.CustomerGroup{ID: 30, Name: "Acme"})); d != nil {
		t.Errorf("same name: %v", d)
	}
	want := []bigcommerce.FieldDiff{{Field: "name", Guild: "Acme", BigCommerce: "acme"}}
	if diff := cmp.Diff(want, bigcommerce.DiffGroup(bigcommerce.ExpectedGroup(g), bigcommerce.RemoteGroup(bigcommerce.CustomerGroup{Name: "acme"}))); diff != "" {
		t.Errorf("names differ in case (-want +got):\n%s", diff)
	}
}

func TestImportedCustomer(t *testing.T) {
	got := bigcommerce.ImportedCustomer(bigcommerce.Customer{ID: 70, Email: "ann@acme.example", FirstName: "Ann", LastName: "Lee", Phone: "555",
		Company: "Acme", CustomerGroupID: 90, OriginChannelID: 2, ChannelIDs: []int{3, 1}, Notes: "not kept"}, 9)
	want := guild.Customer{Email: "ann@acme.example", FirstName: "Ann", LastName: "Lee", Phone: "555", CompanyName: "Acme",
		CustomerGroupID: 9, OriginChannelID: 2, ChannelIDs: []int64{1, 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := bigcommerce.ImportedCustomer(bigcommerce.Customer{Email: "a@b.example"}, 0); got.ChannelIDs != nil {
		t.Errorf("a customer of every channel: channels %v, want none", got.ChannelIDs)
	}
}
