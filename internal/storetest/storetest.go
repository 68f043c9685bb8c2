// Package storetest is the conformance suite of guild.Store. Every Store
// implementation (internal/sqlite, internal/postgres) runs Run in its tests
// and must pass it: the suite, not an implementation, is the definition of
// what a Store does.
//
// Beyond the contracts written on guild.Store, the suite pins these choices,
// which every implementation must share:
//   - Company.ExtraFields and User.ExtraFields are ordered by field id, and
//     each value carries its definition (Def) and its Unique mark.
//   - Company.PriceLists are ordered by channel id.
//   - User, UserByEmail and ListCompanyUsers return the users' extra fields.
//   - Sorting companies by name is case-insensitive (lower-cased names).
//   - A name query and an extra-field contains fold case beyond ASCII too
//     ("ÖL" finds "Ölwerke"); % and _ in them are literal characters.
//   - CompanyFilter.CustomerGroupID pointing at 0 selects the companies
//     without a group; Status pointing at 0 selects pending companies.
//   - A write naming another tenant's row, or a row that does not exist, is
//     ENotFound: that includes the company of CreateUser, CreateAttachment
//     and SetPriceLists, the record and fields of SetExtraFieldValues (a
//     field of another kind is not found either) and the field of
//     FillMissingExtraField and SetExtraFieldUnique.
//   - Extra-field names are unique per tenant and kind case-insensitively.
//   - UpdateTenant never changes the hash or CreatedAt; the other Update
//     methods never change CreatedAt.
//   - Enqueue gives a message with a zero CreatedAt the current time.
//   - Deleting a company deletes its payment settings (methods, credit,
//     terms); deleting a payment method deletes every company's setting of
//     it. A credit amount is kept as the exact decimal text written.
//   - Times are truncated to the microsecond.
//   - Addresses list by ascending id; their name, city, line and state
//     filters fold case beyond ASCII ("ÉMILE" finds "Émile"), and % is
//     literal; at most one default billing and one default shipping
//     address per company (EConflict); a company's delete takes its
//     addresses and their extra-field values.
//   - ClaimOutbox hands out a store's rows by id, at most one per entity (its
//     earliest pending row), and leases a store only when one of its rows
//     can be claimed; PruneOutbox never deletes the newest outbox row.
package storetest

import (
	"context"
	"testing"

	guild "github.com/guild-b2b/guild"
)

// Run runs the conformance suite on the stores open returns. Each call of
// open must return a fresh, empty, migrated store; the caller registers its
// clean-up with t.Cleanup. The areas of the suite run in parallel, each on a
// store of its own, so open must be safe to call concurrently.
func Run(t *testing.T, open func(t *testing.T) guild.Store) {
	areas := []struct {
		name string
		fn   func(t *testing.T, f *fixture)
	}{
		{"Tenants", testTenants},
		{"Tokens", testTokens},
		{"TenantIsolation", testIsolation},
		{"Companies", testCompanies},
		{"Hierarchy", testHierarchy},
		{"ListCompanies", testListCompanies},
		{"CustomerGroups", testCustomerGroups},
		{"Customers", testCustomers},
		{"Users", testUsers},
		{"BuyerUsers", testBuyerUsers},
		{"SuperAdmins", testSuperAdmins},
		{"Roles", testRoles},
		{"BuyerTokens", testBuyerTokens},
		{"Addresses", testAddresses},
		{"ExtraFieldDefs", testExtraFieldDefs},
		{"ExtraFieldValues", testExtraFieldValues},
		{"Attachments", testAttachments},
		{"Outbox", testOutbox},
		{"Payments", testPayments},
		{"EnabledPaymentsModel", testEnabledPaymentsModel},
		{"Channels", testChannels},
		{"OutboxQueue", testOutboxQueue},
		{"SyncTables", testSyncTables},
		{"SyncInbound", testSyncInbound},
		{"Transactions", testTransactions},
		{"Times", testTimes},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			a.fn(t, &fixture{s: s, ctx: context.Background()})
		})
	}
}
