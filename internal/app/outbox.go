package app

import (
	"encoding/json"

	guild "github.com/guild-b2b/guild"
)

// message builds an outbox message; payload is marshalled to JSON.
func message(t guild.Tenant, topic, entityType string, entityID int64, payload any) guild.OutboxMessage {
	b, err := json.Marshal(payload)
	if err != nil {
		// The payloads are plain structs and maps of this package; failing to
		// marshal one is a programming error caught by the tests.
		b = []byte(`{}`)
	}
	return guild.OutboxMessage{TenantID: t.ID, Topic: topic, EntityType: entityType, EntityID: entityID, Payload: b}
}

// customerPayload is what a platform must know about a customer.
type customerPayload struct {
	CustomerID      int64   `json:"customerId"`
	Email           string  `json:"email"`
	FirstName       string  `json:"firstName"`
	LastName        string  `json:"lastName"`
	Phone           string  `json:"phone"`
	CompanyName     string  `json:"companyName"`
	CustomerGroupID int64   `json:"customerGroupId"`
	OriginChannelID int64   `json:"originChannelId,omitempty"`
	ChannelIDs      []int64 `json:"channelIds"`
}

func customerMessage(t guild.Tenant, topic string, c guild.Customer) guild.OutboxMessage {
	ch := c.ChannelIDs
	if ch == nil {
		ch = []int64{}
	}
	return message(t, topic, guild.EntityCustomer, c.ID, customerPayload{
		CustomerID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		CompanyName: c.CompanyName, CustomerGroupID: c.CustomerGroupID, OriginChannelID: c.OriginChannelID, ChannelIDs: ch,
	})
}

type groupPayload struct {
	CustomerGroupID int64  `json:"customerGroupId"`
	Name            string `json:"name"`
	CompanyID       int64  `json:"companyId,omitempty"`
}

func groupMessage(t guild.Tenant, topic string, g guild.CustomerGroup) guild.OutboxMessage {
	return message(t, topic, guild.EntityCustomerGroup, g.ID, groupPayload{CustomerGroupID: g.ID, Name: g.Name, CompanyID: g.CompanyID})
}

type companyPayload struct {
	CompanyID int64    `json:"companyId"`
	Changed   []string `json:"changed,omitempty"`
	Status    *int     `json:"companyStatus,omitempty"`
}

func companyMessage(t guild.Tenant, topic string, id int64, changed []string) guild.OutboxMessage {
	return message(t, topic, guild.EntityCompany, id, companyPayload{CompanyID: id, Changed: changed})
}

type priceListPayload struct {
	CompanyID       int64                       `json:"companyId"`
	CustomerGroupID int64                       `json:"customerGroupId"`
	CatalogID       int64                       `json:"catalogId"`
	Assignments     []priceListAssignmentOutbox `json:"assignments"`
}

type priceListAssignmentOutbox struct {
	ChannelID   int64 `json:"channelId"`
	PriceListID int64 `json:"priceListId"`
}

func priceListMessage(t guild.Tenant, c guild.Company, lists []guild.PriceListAssignment) guild.OutboxMessage {
	as := make([]priceListAssignmentOutbox, 0, len(lists))
	for _, l := range lists {
		as = append(as, priceListAssignmentOutbox{ChannelID: l.ChannelID, PriceListID: l.PriceListID})
	}
	return message(t, guild.TopicPriceListAssigned, guild.EntityCustomerGroup, c.CustomerGroupID,
		priceListPayload{CompanyID: c.ID, CustomerGroupID: c.CustomerGroupID, CatalogID: c.CatalogID, Assignments: as})
}

type userPayload struct {
	UserID     int64    `json:"userId"`
	CompanyID  int64    `json:"companyId"`
	CustomerID int64    `json:"customerId"`
	Changed    []string `json:"changed,omitempty"`
}

func userMessage(t guild.Tenant, topic string, u guild.User) guild.OutboxMessage {
	return message(t, topic, guild.EntityUser, u.ID, userPayload{UserID: u.ID, CompanyID: u.CompanyID, CustomerID: u.CustomerID})
}

// userUpdatedMessage names the fields of the user that changed.
func userUpdatedMessage(t guild.Tenant, u guild.User, changed []string) guild.OutboxMessage {
	return message(t, guild.TopicUserUpdated, guild.EntityUser, u.ID, userPayload{UserID: u.ID, CompanyID: u.CompanyID, CustomerID: u.CustomerID, Changed: changed})
}

type superAdminPayload struct {
	SuperAdminID int64    `json:"superAdminId"`
	CustomerID   int64    `json:"customerId"`
	Changed      []string `json:"changed,omitempty"`
}

func superAdminMessage(t guild.Tenant, topic string, sa guild.SuperAdmin, changed []string) guild.OutboxMessage {
	return message(t, topic, guild.EntitySuperAdmin, sa.ID, superAdminPayload{SuperAdminID: sa.ID, CustomerID: sa.CustomerID, Changed: changed})
}

// assignmentPayload lists what an assignment request added and removed:
// company ids for a super admin, super admin ids for a company.
type assignmentPayload struct {
	SuperAdminID int64   `json:"superAdminId,omitempty"`
	CompanyID    int64   `json:"companyId,omitempty"`
	Assigned     []int64 `json:"assigned"`
	Unassigned   []int64 `json:"unassigned"`
}
