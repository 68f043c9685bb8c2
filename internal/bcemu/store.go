package bcemu

import (
	"time"
)

// store is one emulated BigCommerce store. Every field is guarded by
// Emulator.mu.
type store struct {
	hash  string
	token string

	groups      map[int]*Group
	nextGroup   int
	customers   map[int]*Customer
	emails      map[string]int // lower-cased email → customer id
	nextCust    int
	assignments map[int]*Assignment
	nextAssign  int

	putsInFlight int // PUT /v3/customers being served

	limit window
	stats Stats
}

func newStore(hash, token string, now time.Time) *store {
	return &store{
		hash: hash, token: token,
		groups: map[int]*Group{}, nextGroup: 1,
		customers: map[int]*Customer{}, emails: map[string]int{}, nextCust: 1,
		assignments: map[int]*Assignment{}, nextAssign: 1,
		limit: window{origin: now},
		stats: Stats{Requests: map[string]int{}},
	}
}

// Group is a customer group as the v2 API answers it.
type Group struct {
	ID               int            `json:"id"`
	Name             string         `json:"name"`
	IsDefault        bool           `json:"is_default"`
	CategoryAccess   CategoryAccess `json:"category_access"`
	DiscountRules    []DiscountRule `json:"discount_rules"`
	DateCreated      string         `json:"date_created"`
	DateModified     string         `json:"date_modified"`
	IsGroupForGuests bool           `json:"is_group_for_guests"`
}

// CategoryAccess says which categories a group's customers see.
type CategoryAccess struct {
	Type       string `json:"type"`
	Categories []int  `json:"categories,omitempty"`
}

// DiscountRule is one of a group's discount rules.
type DiscountRule struct {
	Type        string `json:"type"`
	Method      string `json:"method,omitempty"`
	Amount      string `json:"amount,omitempty"`
	PriceListID int    `json:"price_list_id,omitempty"`
	CategoryID  int    `json:"category_id,omitempty"`
	ProductID   int    `json:"product_id,omitempty"`
}

// Customer is a customer as the v3 API answers it (the fields the emulator
// keeps).
type Customer struct {
	ID                                  int            `json:"id"`
	Email                               string         `json:"email"`
	FirstName                           string         `json:"first_name"`
	LastName                            string         `json:"last_name"`
	Company                             string         `json:"company"`
	Phone                               string         `json:"phone"`
	Notes                               string         `json:"notes"`
	TaxExemptCategory                   string         `json:"tax_exempt_category"`
	CustomerGroupID                     int            `json:"customer_group_id"`
	RegistrationIPAddress               string         `json:"registration_ip_address"`
	DateCreated                         string         `json:"date_created"`
	DateModified                        string         `json:"date_modified"`
	AddressCount                        int            `json:"address_count"`
	AttributeCount                      int            `json:"attribute_count"`
	Authentication                      Authentication `json:"authentication"`
	AcceptsProductReviewAbandonedCartEm bool           `json:"accepts_product_review_abandoned_cart_emails"`
	OriginChannelID                     int            `json:"origin_channel_id"`
	ChannelIDs                          []int          `json:"channel_ids"`
}

// Authentication is the readable part of a customer's credentials.
type Authentication struct {
	ForcePasswordReset bool `json:"force_password_reset"`
}

// Assignment links a price list to a customer group on a channel.
type Assignment struct {
	ID              int `json:"id"`
	PriceListID     int `json:"price_list_id"`
	CustomerGroupID int `json:"customer_group_id"`
	ChannelID       int `json:"channel_id"`
}

// v2Time is the v2 API's date format, as the spec's examples write it.
func v2Time(t time.Time) string { return t.UTC().Format(time.DateTime) }

// v3Time is the v3 API's date-time format.
func v3Time(t time.Time) string { return t.UTC().Format(time.RFC3339) }
