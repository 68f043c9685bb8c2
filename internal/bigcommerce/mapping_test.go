package bigcommerce_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

func TestCustomerMapping(t *testing.T) {
	c := guild.Customer{ID: 3, Email: "Ann@x.example", FirstName: "Ann", LastName: "Lee", Phone: "555", CompanyName: "Acme",
		CustomerGroupID: 9, OriginChannelID: 2, ChannelIDs: []int64{2, 1}}
	if d := cmp.Diff(bigcommerce.NewCustomer{Email: "Ann@x.example", FirstName: "Ann", LastName: "Lee", Phone: "555", Company: "Acme",
		CustomerGroupID: 40, OriginChannelID: 2, ChannelIDs: []int{2, 1}}, bigcommerce.NewCustomerFrom(c, 40)); d != "" {
		t.Errorf("NewCustomerFrom (-want +got):\n%s", d)
	}
	ch := []int{2, 1}
	if d := cmp.Diff(bigcommerce.CustomerUpdate{ID: 77, Email: bigcommerce.Ptr("Ann@x.example"), FirstName: bigcommerce.Ptr("Ann"), LastName: bigcommerce.Ptr("Lee"),
		Phone: bigcommerce.Ptr("555"), Company: bigcommerce.Ptr("Acme"), CustomerGroupID: bigcommerce.Ptr(0), ChannelIDs: &ch},
		bigcommerce.CustomerUpdateFrom(c, 77, 0)); d != "" {
		t.Errorf("CustomerUpdateFrom (-want +got):\n%s", d)
	}
	noChannels := c
	noChannels.ChannelIDs = nil
	if u := bigcommerce.CustomerUpdateFrom(noChannels, 77, 0); u.ChannelIDs != nil {
		t.Errorf("an update of a customer without channels sends channel_ids %v", *u.ChannelIDs)
	}
	bc := bigcommerce.Customer{Email: "ann@X.example", FirstName: "Ann", LastName: "Lee", Phone: "555", Company: "Acme", CustomerGroupID: 40, ChannelIDs: []int{1, 2}}
	for _, tc := range []struct {
		name  string
		edit  func(*bigcommerce.Customer)
		group int
		want  bool
	}{
		{"same (email case and channel order aside)", func(*bigcommerce.Customer) {}, 40, true},
		{"other group", func(*bigcommerce.Customer) {}, 41, false},
		{"other phone", func(b *bigcommerce.Customer) { b.Phone = "556" }, 40, false},
		{"other company", func(b *bigcommerce.Customer) { b.Company = "Acme2" }, 40, false},
		{"other channels", func(b *bigcommerce.Customer) { b.ChannelIDs = []int{1} }, 40, false},
	} {
		b := bc
		tc.edit(&b)
		if got := bigcommerce.CustomerInSync(b, c, tc.group); got != tc.want {
			t.Errorf("%s: CustomerInSync %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAssignmentMapping(t *testing.T) {
	for _, tc := range []struct {
		name    string
		catalog int64
		lists   []guild.PriceListAssignment
		have    []bigcommerce.PriceListAssignment
		want    map[int]int
		del     []int
		add     []bigcommerce.NewPriceListAssignment
	}{
		{name: "nothing", want: map[int]int{}},
		{name: "catalog on the default channel", catalog: 5, want: map[int]int{1: 5},
			add: []bigcommerce.NewPriceListAssignment{{PriceListID: 5, CustomerGroupID: 40, ChannelID: 1}}},
		{name: "priceListAssign wins on its channel", catalog: 5,
			lists: []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 7}, {ChannelID: 2, PriceListID: 8}},
			have:  []bigcommerce.PriceListAssignment{{ID: 1, PriceListID: 5, CustomerGroupID: 40, ChannelID: 1}, {ID: 2, PriceListID: 8, CustomerGroupID: 40, ChannelID: 2}},
			want:  map[int]int{1: 7, 2: 8}, del: []int{1},
			add: []bigcommerce.NewPriceListAssignment{{PriceListID: 7, CustomerGroupID: 40, ChannelID: 1}}},
		{name: "removed", have: []bigcommerce.PriceListAssignment{{ID: 3, PriceListID: 5, CustomerGroupID: 40, ChannelID: 1}},
			want: map[int]int{}, del: []int{3}},
		{name: "channel 0 is the default channel", lists: []guild.PriceListAssignment{{ChannelID: 0, PriceListID: 9}},
			have: []bigcommerce.PriceListAssignment{{ID: 4, PriceListID: 9, CustomerGroupID: 40, ChannelID: 1}}, want: map[int]int{1: 9}},
	} {
		want := bigcommerce.WantedAssignments(tc.catalog, tc.lists)
		if d := cmp.Diff(tc.want, want); d != "" {
			t.Errorf("%s: WantedAssignments (-want +got):\n%s", tc.name, d)
		}
		del, add := bigcommerce.AssignmentChanges(40, tc.have, want)
		if d := cmp.Diff(tc.del, del); d != "" {
			t.Errorf("%s: deletions (-want +got):\n%s", tc.name, d)
		}
		if d := cmp.Diff(tc.add, add); d != "" {
			t.Errorf("%s: creates (-want +got):\n%s", tc.name, d)
		}
	}
}

func TestIgnoredTopics(t *testing.T) {
	for topic, want := range map[string]bool{
		guild.TopicCompanyCreated: true, guild.TopicCompanyUpdated: true, guild.TopicCompanyDeleted: true,
		guild.TopicCompanyStatusUpdated: true, guild.TopicUserDeleted: true, guild.TopicSuperAdminAssignmentUpdated: true,
		guild.TopicCompanySuperAdminsUpdated: true, "address.created": true, "company.payments_updated": true,
		guild.TopicCustomerGroupCreated: false, guild.TopicCustomerGroupDeleted: false, guild.TopicCustomerCreated: false,
		guild.TopicCustomerUpdated: false, guild.TopicPriceListAssigned: false, guild.TopicUserCreated: false,
		guild.TopicUserUpdated: false, guild.TopicSuperAdminCreated: false, guild.TopicSuperAdminUpdated: false,
	} {
		if got := bigcommerce.Ignored(topic); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", topic, got, want)
		}
	}
}
