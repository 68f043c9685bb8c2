package postgres

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

const attachmentColumns = `id, tenant_id, company_id, file_name, content_type, size, created_at`

func scanAttachment(sc scanner) (guild.Attachment, error) {
	var a guild.Attachment
	var created int64
	err := sc.Scan(&a.ID, &a.TenantID, &a.CompanyID, &a.FileName, &a.ContentType, &a.Size, &created)
	a.CreatedAt = fromMicros(created)
	return a, err
}

// Attachment returns a company's attachment.
func (r reader) Attachment(ctx context.Context, tenantID, companyID int64, id string) (guild.Attachment, error) {
	a, err := scanAttachment(r.db.QueryRow(ctx, `SELECT `+attachmentColumns+` FROM attachments
		WHERE id = $3 AND tenant_id = $1 AND company_id = $2`, tenantID, companyID, id))
	return a, r.fail(err, "attachment %q of company %d", id, companyID)
}

// ListAttachments lists a company's attachments, oldest first (then by id).
func (r reader) ListAttachments(ctx context.Context, tenantID, companyID int64) ([]guild.Attachment, error) {
	rows, err := r.db.Query(ctx, `SELECT `+attachmentColumns+` FROM attachments
		WHERE company_id = $2 AND tenant_id = $1 ORDER BY created_at, id`, tenantID, companyID)
	as, err := collect(rows, err, scanAttachment)
	return as, r.fail(err, "list the attachments of company %d", companyID)
}

// CreateAttachment inserts the metadata of an attachment of a company of the
// tenant (ENotFound when there is no such company); CreatedAt defaults to
// now. A taken id is EConflict.
func (t *tx) CreateAttachment(ctx context.Context, a guild.Attachment) error {
	return t.exec(ctx, mustAffect("company %d does not exist", a.CompanyID), `
		INSERT INTO attachments (id, tenant_id, company_id, file_name, content_type, size, created_at)
		SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM companies WHERE tenant_id = $2 AND id = $3)`,
		[]any{a.ID, a.TenantID, a.CompanyID, a.FileName, a.ContentType, a.Size, micros(orNow(a.CreatedAt))},
		"create attachment %q of company %d", a.ID, a.CompanyID)
}

// DeleteAttachment deletes an attachment's metadata.
func (t *tx) DeleteAttachment(ctx context.Context, tenantID, companyID int64, id string) error {
	return t.exec(ctx, mustAffect("attachment %q of company %d does not exist", id, companyID),
		`DELETE FROM attachments WHERE id = $3 AND tenant_id = $1 AND company_id = $2`, []any{tenantID, companyID, id},
		"delete attachment %q of company %d", id, companyID)
}
