package guild

import (
	"encoding/json"
	"time"
)

// Outbox topics: what a connected platform (or a webhook) must learn about.
const (
	TopicCompanyCreated       = "company.created"
	TopicCompanyUpdated       = "company.updated"
	TopicCompanyDeleted       = "company.deleted"
	TopicCompanyStatusUpdated = "company.status_updated"
	TopicCustomerGroupCreated = "customer_group.created"
	TopicCustomerGroupUpdated = "customer_group.updated"
	TopicCustomerGroupDeleted = "customer_group.deleted"
	TopicCustomerCreated      = "customer.created"
	TopicCustomerUpdated      = "customer.updated"
	TopicPriceListAssigned    = "price_list_assignment.updated"
	TopicUserCreated          = "user.created"
	TopicUserUpdated          = "user.updated"
	TopicUserDeleted          = "user.deleted"

	TopicSuperAdminCreated           = "super_admin.created"
	TopicSuperAdminUpdated           = "super_admin.updated"
	TopicSuperAdminAssignmentUpdated = "super_admin.assignment_updated" // a super admin's companies changed
	// TopicCompanySuperAdminsUpdated: a company's super admins changed.
	TopicCompanySuperAdminsUpdated = "company.super_admins_updated"
)

// Outbox entity types: an entity's rows are delivered in order.
const (
	EntityCompany       = "company"
	EntityCustomerGroup = "customer_group"
	EntityCustomer      = "customer"
	EntityUser          = "user"
	EntitySuperAdmin    = "super_admin"
)

// OutboxMessage is a change that must reach another system. It is written in
// the same transaction as the change itself.
type OutboxMessage struct {
	ID         int64
	TenantID   int64
	Topic      string
	EntityType string
	EntityID   int64
	Payload    json.RawMessage
	CreatedAt  time.Time
}
