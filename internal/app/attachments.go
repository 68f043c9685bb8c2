package app

import (
	"context"
	"os"

	"github.com/google/uuid"
	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/attach"
)

func attachmentNotFound(companyID int64, id string, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "company %d has no attachment %s", companyID, id)
	}
	return err
}

func (a *App) filesOrErr() (*attach.Files, error) {
	if a.files == nil {
		return nil, guild.Errorf(guild.ENotAllowed, "attachments are not enabled on this server")
	}
	return a.files, nil
}

// ListAttachments lists a company's attachments, oldest first.
func (a *App) ListAttachments(ctx context.Context, t guild.Tenant, companyID int64) ([]guild.Attachment, error) {
	if _, err := a.store.Company(ctx, t.ID, companyID); err != nil {
		return nil, companyNotFound(companyID, err)
	}
	return a.store.ListAttachments(ctx, t.ID, companyID)
}

// AddAttachment attaches a file to a company. The file type is decided by
// its bytes; the name is kept for downloads. The bytes are written first and
// removed again when the metadata cannot be committed, so an acknowledged
// attachment always has its file and a refused one leaves none.
func (a *App) AddAttachment(ctx context.Context, t guild.Tenant, companyID int64, fileName string, data []byte) (guild.Attachment, error) {
	files, err := a.filesOrErr()
	if err != nil {
		return guild.Attachment{}, err
	}
	if _, err := a.store.Company(ctx, t.ID, companyID); err != nil {
		return guild.Attachment{}, companyNotFound(companyID, err)
	}
	var p problems
	fileName = p.text("fileName", baseName(fileName), false, 255)
	if err := p.err(); err != nil {
		return guild.Attachment{}, err
	}
	if len(data) > attach.MaxSize {
		return guild.Attachment{}, guild.Errorf(guild.ETooLarge, "the attachment is %d bytes; at most %d bytes (10 MB) are accepted", len(data), attach.MaxSize)
	}
	if len(data) == 0 {
		return guild.Attachment{}, guild.FieldError("attachmentFile", "is empty: upload a file with content")
	}
	contentType, ok := attach.Detect(fileName, data)
	if !ok {
		return guild.Attachment{}, guild.Errorf(guild.EUnsupported, "the content of %q is not an accepted file type; accepted: %s", fileName, attach.AcceptedTypes)
	}
	att := guild.Attachment{ID: uuid.NewString(), TenantID: t.ID, CompanyID: companyID, FileName: fileName, ContentType: contentType, Size: int64(len(data)), CreatedAt: a.clock()}
	if fileName == "" {
		att.FileName = att.ID
	}
	if err := files.Save(t.ID, companyID, att.ID, data); err != nil {
		return guild.Attachment{}, err
	}
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.Company(ctx, t.ID, companyID); err != nil {
			return companyNotFound(companyID, err)
		}
		existing, err := tx.ListAttachments(ctx, t.ID, companyID)
		if err != nil {
			return err
		}
		if len(existing) >= attach.MaxPerCompany {
			return guild.FieldError("attachmentFile", "company %d already has %d attachments, the most a company can have: delete one first", companyID, len(existing))
		}
		return tx.CreateAttachment(ctx, att)
	})
	if err != nil {
		if ferr := files.Remove(t.ID, companyID, att.ID); ferr != nil {
			a.logger.Warn("refused attachment's file could not be removed", "company", companyID, "attachment", att.ID, "err", ferr)
		}
		return guild.Attachment{}, err
	}
	return att, nil
}

// OpenAttachment returns an attachment and its bytes; the caller closes them.
func (a *App) OpenAttachment(ctx context.Context, t guild.Tenant, companyID int64, id string) (guild.Attachment, *os.File, error) {
	files, err := a.filesOrErr()
	if err != nil {
		return guild.Attachment{}, nil, err
	}
	att, err := a.store.Attachment(ctx, t.ID, companyID, id)
	if err != nil {
		return att, nil, attachmentNotFound(companyID, id, err)
	}
	f, err := files.Open(t.ID, companyID, id)
	if err != nil {
		return att, nil, err
	}
	return att, f, nil
}

// DeleteAttachment removes an attachment and its bytes.
func (a *App) DeleteAttachment(ctx context.Context, t guild.Tenant, companyID int64, id string) error {
	files, err := a.filesOrErr()
	if err != nil {
		return err
	}
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.Company(ctx, t.ID, companyID); err != nil {
			return companyNotFound(companyID, err)
		}
		if _, err := tx.Attachment(ctx, t.ID, companyID, id); err != nil {
			return attachmentNotFound(companyID, id, err)
		}
		return tx.DeleteAttachment(ctx, t.ID, companyID, id)
	})
	if err != nil {
		return err
	}
	if ferr := files.Remove(t.ID, companyID, id); ferr != nil {
		a.logger.Warn("attachment deleted but its file remains", "company", companyID, "attachment", id, "err", ferr)
	}
	return nil
}

// baseName keeps the last element of a client-supplied path.
func baseName(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' || name[i] == '\\' {
			return name[i+1:]
		}
	}
	return name
}
