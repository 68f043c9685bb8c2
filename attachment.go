package guild

import "time"

// Attachment is a file attached to a company. Its bytes live in the data
// directory; the store keeps the metadata.
type Attachment struct {
	ID          string // a UUID
	TenantID    int64
	CompanyID   int64
	FileName    string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}
