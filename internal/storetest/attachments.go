package storetest

import (
	"testing"

	guild "github.com/guild-b2b/guild"
)

func testAttachments(t *testing.T, f *fixture) {
	tn := f.tenant(t, "attach")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "With files"})
	other := f.company(t, guild.Company{TenantID: tn.ID, Name: "Other"})
	mk := func(id string, created float64) guild.Attachment {
		return guild.Attachment{ID: id, TenantID: tn.ID, CompanyID: c.ID, FileName: id + ".pdf",
			ContentType: "application/pdf", Size: int64(len(id)) * 100, CreatedAt: at(secs(created))}
	}
	a1 := mk("6f1c0e1a-0000-4000-8000-000000000003", 2.000002)
	a2 := mk("6f1c0e1a-0000-4000-8000-000000000001", 1.000001)
	a3 := mk("6f1c0e1a-0000-4000-8000-000000000002", 3)
	for _, a := range []guild.Attachment{a1, a2, a3} {
		f.update(t, func(tx guild.Tx) error { return tx.CreateAttachment(f.ctx, a) })
	}

	list, err := f.s.ListAttachments(f.ctx, tn.ID, c.ID)
	wantNoErr(t, err, "ListAttachments")
	wantEqual(t, list, []guild.Attachment{a2, a1, a3}, "ListAttachments, oldest first")
	list, err = f.s.ListAttachments(f.ctx, tn.ID, other.ID)
	wantNoErr(t, err, "ListAttachments")
	wantEqual(t, list, nil, "attachments of a company without any")

	got, err := f.s.Attachment(f.ctx, tn.ID, c.ID, a1.ID)
	wantNoErr(t, err, "Attachment")
	wantEqual(t, got, a1, "Attachment")
	_, err = f.s.Attachment(f.ctx, tn.ID, other.ID, a1.ID)
	wantCode(t, err, guild.ENotFound, "Attachment through another company")
	_, err = f.s.Attachment(f.ctx, tn.ID, c.ID, "6f1c0e1a-0000-4000-8000-0000000000ff")
	wantCode(t, err, guild.ENotFound, "Attachment of a missing id")

	err = f.try(func(tx guild.Tx) error { return tx.CreateAttachment(f.ctx, a1) })
	wantCode(t, err, guild.EConflict, "CreateAttachment with a duplicate id")
	missing := mk("6f1c0e1a-0000-4000-8000-000000000009", 4)
	missing.CompanyID = other.ID + 1000
	err = f.try(func(tx guild.Tx) error { return tx.CreateAttachment(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "CreateAttachment of a missing company")

	err = f.try(func(tx guild.Tx) error { return tx.DeleteAttachment(f.ctx, tn.ID, other.ID, a1.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteAttachment through another company")
	f.update(t, func(tx guild.Tx) error { return tx.DeleteAttachment(f.ctx, tn.ID, c.ID, a1.ID) })
	list, err = f.s.ListAttachments(f.ctx, tn.ID, c.ID)
	wantNoErr(t, err, "ListAttachments")
	wantEqual(t, list, []guild.Attachment{a2, a3}, "attachments after a deletion")
	err = f.try(func(tx guild.Tx) error { return tx.DeleteAttachment(f.ctx, tn.ID, c.ID, a1.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteAttachment of a deleted attachment")
}
