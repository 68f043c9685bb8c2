package app

import (
	"context"
	"path/filepath"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// TestBuyerAddressesAtLevelOne pins what a grant at level 1 reaches: the
// addresses the user created, and nothing else. The vendor's table allows
// the address codes only at levels 2 and 3, so no role the API accepts can
// hold them at 1; the session here is built by hand.
func TestBuyerAddressesAtLevelOne(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "guild.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := New(Options{Store: s})
	tn, err := a.CreateTenant(ctx, CreateTenantInput{Hash: "lvl1", Name: "Level one"})
	if err != nil {
		t.Fatal(err)
	}
	co, err := a.CreateCompany(ctx, tn, CompanyInput{Name: "Acme", Phone: "1", Email: "o@acme.example.com",
		Country: "US", AdminFirstName: "A", AdminLastName: "B", AdminEmail: "a@acme.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.ListCompanyUsers(ctx, tn.ID, co.CompanyID)
	if err != nil || len(users) != 1 {
		t.Fatalf("users: %v %v", users, err)
	}
	u := users[0]
	sess := &BuyerSession{Tenant: tn, User: u, Subject: authz.Subject{UserID: u.ID, CompanyID: co.CompanyID,
		Role: authz.Role{ID: 99, Name: "Own addresses", Grants: map[string]authz.Level{
			"get_addresses": authz.LevelUser, "get_address_detail": authz.LevelUser, "create_address": authz.LevelUser,
			"update_address": authz.LevelUser, "get_default_billing": authz.LevelUser,
		}}}}
	str := func(s string) *string { return &s }
	fields := func(first string) AddressFields {
		return AddressFields{CompanyID: &co.CompanyID, FirstName: str(first), LastName: str("L"), AddressLine1: str("1 Main St"),
			City: str("Austin"), StateCode: str("TX"), CountryCode: str("US"), IsBilling: ptrTo(true), IsDefaultBilling: ptrTo(true)}
	}
	theirs, err := a.CreateAddress(ctx, tn, fields("Theirs"), 0)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.BuyerCreateAddress(ctx, sess, co.CompanyID, fields("Mine"))
	if err != nil {
		t.Fatalf("create at level 1: %v", err)
	}
	if mine.CreatedByUserID != u.ID {
		t.Errorf("created by %d, want %d", mine.CreatedByUserID, u.ID)
	}
	list, total, err := a.BuyerAddresses(ctx, sess, co.CompanyID, AddressQuery{AddressFilter: guild.AddressFilter{Limit: 10}})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != mine.ID {
		t.Errorf("list at level 1: %v %d %v", list, total, err)
	}
	if _, err := a.BuyerAddress(ctx, sess, co.CompanyID, mine.ID); err != nil {
		t.Errorf("own address: %v", err)
	}
	_, err = a.BuyerAddress(ctx, sess, co.CompanyID, theirs.ID)
	if guild.ErrorCodeOf(err) != guild.EForbidden {
		t.Errorf("another user's address at level 1: %v, want forbidden", err)
	}
	if _, err := a.BuyerUpdateAddress(ctx, sess, co.CompanyID, theirs.ID, AddressFields{City: str("Dallas")}); guild.ErrorCodeOf(err) != guild.EForbidden {
		t.Errorf("update of another user's address at level 1: %v, want forbidden", err)
	}
	if d, err := a.BuyerDefaultAddress(ctx, sess, co.CompanyID, guild.DefaultBilling); err != nil || d.ID != mine.ID {
		t.Errorf("default billing at level 1: %v %v", d.ID, err)
	}
	if _, err := a.BuyerDefaultAddress(ctx, sess, co.CompanyID, guild.DefaultShipping); guild.ErrorCodeOf(err) != guild.EForbidden {
		t.Errorf("a code not granted: %v, want forbidden", err)
	}
}
