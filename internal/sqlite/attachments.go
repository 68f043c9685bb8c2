package sqlite

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

// Attachment returns one of a company's attachments.
func (r reader) Attachment(ctx context.Context, tenantID, companyID int64, id string) (guild.Attachment, error) {
	a, err := scanAttachment(r.q.QueryRowContext(ctx,
		`SELECT `+attachmentColumns+` FROM attachments WHERE id = ? AND tenant_id = ? AND company_id = ?`,
		id, tenantID, companyID))
	if err != nil {
		return guild.Attachment{}, wrap(err, "attachment %s of company %d", id, companyID)
	}
	return a, nil
}

// ListAttachments lists a company's attachments, oldest first (ties by id).
func (r reader) ListAttachments(ctx context.Context, tenantID, companyID int64) ([]guild.Attachment, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT `+attachmentColumns+` FROM attachments WHERE company_id = ? AND tenant_id = ?
		ORDER BY created_at, id`, companyID, tenantID)
	if err != nil {
		return nil, wrap(err, "list attachments of company %d", companyID)
	}
	return collect(rows, scanAttachment, "list attachments")
}

// CreateAttachment inserts an attachment of one of the tenant's companies;
// a duplicate id is EConflict.
func (t *tx) CreateAttachment(ctx context.Context, a guild.Attachment) error {
	if err := companyExists(ctx, t.q, a.TenantID, a.CompanyID); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `
		INSERT INTO attachments (id, tenant_id, company_id, file_name, content_type, size, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.CompanyID, a.FileName, a.ContentType, a.Size, micros(orNow(a.CreatedAt, t.now)))
	return wrap(err, "create attachment %s", a.ID)
}

// DeleteAttachment deletes one of a company's attachments.
func (t *tx) DeleteAttachment(ctx context.Context, tenantID, companyID int64, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM attachments WHERE id = ? AND tenant_id = ? AND company_id = ?`,
		id, tenantID, companyID)
	if err != nil {
		return wrap(err, "delete attachment %s", id)
	}
	return affected(res, "attachment %s of company %d does not exist", id, companyID)
}
