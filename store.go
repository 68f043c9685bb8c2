package guild

import (
	"context"
	"time"
)

// Store is Guild's storage. Implementations (internal/sqlite,
// internal/postgres) are exact and dumb: CRUD, constraints and pagination.
// Business rules live in internal/app. Every behaviour of a Store is pinned by
// internal/storetest, which every implementation must pass.
//
// Conventions for every method:
//   - tenantID scopes the call: a row of another tenant is "not found".
//   - A missing row is an *Error with code ENotFound.
//   - A unique-constraint violation is an *Error with code EConflict.
//   - Times are kept with microsecond precision and returned in UTC.
type Store interface {
	Reader
	OutboxQueue
	// Update runs fn in one write transaction and commits it when fn returns
	// nil; any error (or panic) rolls everything back. fn may be retried by
	// the implementation on a serialization failure, so it must not have side
	// effects outside tx.
	Update(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	// Close releases the store's resources.
	Close() error
}

// Tx is a write transaction: every read and every write of the store.
type Tx interface {
	Reader
	Writer
}

// Reader holds the store's reads. On a Store they run outside any write
// transaction; on a Tx they see the transaction's own writes.
type Reader interface {
	BuyerReader
	AddressReader
	PaymentReader
	ChannelReader
	SyncReader
	SyncInboundReader
	HierarchyReader

	TenantByHash(ctx context.Context, hash string) (Tenant, error)
	TenantByID(ctx context.Context, id int64) (Tenant, error)
	ListTenants(ctx context.Context) ([]Tenant, error)

	// TokenBySecretHash finds a token (revoked or not) by the SHA-256 of its secret.
	TokenBySecretHash(ctx context.Context, secretHash []byte) (Token, error)
	// TokenWithTenant is TokenBySecretHash with the token's tenant, read in
	// one statement: it authenticates every API request.
	TokenWithTenant(ctx context.Context, secretHash []byte) (Token, Tenant, error)
	ListTokens(ctx context.Context, tenantID int64) ([]Token, error)

	// Company returns a company with its extra fields and price lists.
	Company(ctx context.Context, tenantID, id int64) (Company, error)
	// ListCompanies returns one page and the total count of matching rows.
	// Ties in the sort order are broken by id, in the same direction.
	ListCompanies(ctx context.Context, tenantID int64, f CompanyFilter) ([]Company, int, error)
	// CountCompaniesInGroup counts the companies assigned to a customer group.
	CountCompaniesInGroup(ctx context.Context, tenantID, groupID int64) (int, error)

	CustomerGroup(ctx context.Context, tenantID, id int64) (CustomerGroup, error)
	// ListCustomerGroups pages groups by ascending id.
	ListCustomerGroups(ctx context.Context, tenantID int64, p Page) ([]CustomerGroup, int, error)

	Customer(ctx context.Context, tenantID, id int64) (Customer, error)
	// CustomerByEmail matches the email case-insensitively.
	CustomerByEmail(ctx context.Context, tenantID int64, email string) (Customer, error)

	User(ctx context.Context, tenantID, id int64) (User, error)
	// UserByEmail matches the email case-insensitively.
	UserByEmail(ctx context.Context, tenantID int64, email string) (User, error)
	// ListCompanyUsers lists a company's users by ascending id.
	ListCompanyUsers(ctx context.Context, tenantID, companyID int64) ([]User, error)

	ExtraFieldDef(ctx context.Context, tenantID, id int64) (ExtraFieldDef, error)
	// ListExtraFieldDefs lists a kind's definitions by ascending id.
	ListExtraFieldDefs(ctx context.Context, tenantID int64, kind ExtraFieldKind) ([]ExtraFieldDef, error)
	// ExtraFieldValueOwner returns the id of a record of the field's kind that
	// holds value for the field, other than exceptRecordID; ENotFound if none.
	ExtraFieldValueOwner(ctx context.Context, tenantID, fieldID int64, value string, exceptRecordID int64) (int64, error)
	// CountRecordsMissingExtraField counts the records of the field's kind
	// that have no value for it.
	CountRecordsMissingExtraField(ctx context.Context, tenantID int64, def ExtraFieldDef) (int, error)
	// DuplicateExtraFieldValue returns a value that more than one record holds
	// for the field, and false when all values are distinct.
	DuplicateExtraFieldValue(ctx context.Context, tenantID, fieldID int64) (string, bool, error)

	Attachment(ctx context.Context, tenantID, companyID int64, id string) (Attachment, error)
	// ListAttachments lists a company's attachments, oldest first.
	ListAttachments(ctx context.Context, tenantID, companyID int64) ([]Attachment, error)

	// ListOutbox lists a tenant's outbox messages with id > afterID, by id.
	ListOutbox(ctx context.Context, tenantID, afterID int64, limit int) ([]OutboxMessage, error)
}

// Writer holds the store's writes; they exist only inside a transaction.
type Writer interface {
	BuyerWriter
	AddressWriter
	PaymentWriter
	ChannelWriter
	SyncWriter
	HierarchyWriter

	// LockTenant takes the tenant's write lock until the transaction ends:
	// the transactions of one tenant that lock it run one at a time, on every
	// store and across processes, so a read-check-write transaction (check a
	// rule, then write) cannot interleave with another. Call it before the
	// transaction's first read of the tenant's rows.
	LockTenant(ctx context.Context, tenantID int64) error

	// CreateTenant inserts t and returns it with ID and timestamps set
	// (CreatedAt from t if set, else now). A duplicate hash is EConflict.
	CreateTenant(ctx context.Context, t Tenant) (Tenant, error)
	UpdateTenant(ctx context.Context, t Tenant) error

	CreateToken(ctx context.Context, t Token) (Token, error)
	RevokeToken(ctx context.Context, tenantID, tokenID int64, at time.Time) error

	// CreateCompany inserts c (ID ignored) with its extra fields and price
	// lists, and returns its id.
	CreateCompany(ctx context.Context, c Company) (int64, error)
	// UpdateCompany replaces the company's scalar fields (not CreatedAt).
	UpdateCompany(ctx context.Context, c Company) error
	// DeleteCompany deletes the company, its users, extra-field values, price
	// lists and attachment rows. Customers and customer groups are kept. Its
	// subsidiaries become roots (ParentID 0).
	DeleteCompany(ctx context.Context, tenantID, id int64) error
	// SetPriceLists replaces the company's price-list assignments.
	SetPriceLists(ctx context.Context, tenantID, companyID int64, lists []PriceListAssignment) error

	// SetExtraFieldValues upserts values (by field id) for one record; an
	// empty Value deletes that field's value. A value taken by another record
	// of a unique field is EConflict.
	SetExtraFieldValues(ctx context.Context, tenantID int64, kind ExtraFieldKind, recordID int64, values []ExtraFieldValue) error

	CreateCustomerGroup(ctx context.Context, g CustomerGroup) (int64, error)
	UpdateCustomerGroup(ctx context.Context, g CustomerGroup) error
	DeleteCustomerGroup(ctx context.Context, tenantID, id int64) error

	// CreateCustomer inserts c; a duplicate email is EConflict.
	CreateCustomer(ctx context.Context, c Customer) (int64, error)
	UpdateCustomer(ctx context.Context, c Customer) error

	// CreateUser inserts u with its extra fields; a duplicate email is EConflict.
	CreateUser(ctx context.Context, u User) (int64, error)

	CreateExtraFieldDef(ctx context.Context, d ExtraFieldDef) (int64, error)
	UpdateExtraFieldDef(ctx context.Context, d ExtraFieldDef) error
	// DeleteExtraFieldDef deletes the definition and every value of it.
	DeleteExtraFieldDef(ctx context.Context, tenantID, id int64) error
	// FillMissingExtraField sets value for every record of the field's kind
	// that has none, and returns how many it filled.
	FillMissingExtraField(ctx context.Context, tenantID int64, def ExtraFieldDef, value string) (int, error)
	// SetExtraFieldUnique marks every stored value of the field unique or not;
	// turning it on while duplicates exist is EConflict.
	SetExtraFieldUnique(ctx context.Context, tenantID, fieldID int64, unique bool) error

	CreateAttachment(ctx context.Context, a Attachment) error
	DeleteAttachment(ctx context.Context, tenantID, companyID int64, id string) error

	// Enqueue appends messages to the outbox.
	Enqueue(ctx context.Context, msgs ...OutboxMessage) error
}
