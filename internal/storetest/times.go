package storetest

import (
	"encoding/json"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// testTimes checks that times keep microsecond precision (nanoseconds are
// truncated) and come back in UTC, whatever their location when written.
func testTimes(t *testing.T, f *fixture) {
	zone := time.FixedZone("UTC+05:30", 5*3600+1800)
	times := []time.Time{
		time.Date(2024, 7, 1, 9, 30, 15, 123456789, zone),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2262, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2024, 7, 1, 9, 30, 15, 999, time.Local),
	}
	check := func(what string, got, wrote time.Time) {
		t.Helper()
		want := wrote.Truncate(time.Microsecond)
		if !got.Equal(want) {
			t.Errorf("%s: read %v, want %v (wrote %v)", what, got, want, wrote)
		}
		if got.Location() != time.UTC {
			t.Errorf("%s: read in location %v, want UTC", what, got.Location())
		}
	}
	for i, ts := range times {
		var tn guild.Tenant
		var companyID int64
		f.update(t, func(tx guild.Tx) error {
			var err error
			tn, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: "times-" + string(rune('a'+i)), Name: "T", CreatedAt: ts, UpdatedAt: ts})
			if err != nil {
				return err
			}
			if _, err := tx.CreateToken(f.ctx, guild.Token{TenantID: tn.ID, Name: "t", SecretHash: secretHash(tn.Hash), Hint: "h", CreatedAt: ts}); err != nil {
				return err
			}
			companyID, err = tx.CreateCompany(f.ctx, guild.Company{TenantID: tn.ID, Name: "C", Email: "c@example.com", CreatedAt: ts, UpdatedAt: ts})
			if err != nil {
				return err
			}
			return tx.Enqueue(f.ctx, guild.OutboxMessage{TenantID: tn.ID, Topic: guild.TopicCompanyCreated,
				EntityType: guild.EntityCompany, EntityID: companyID, Payload: json.RawMessage(`{}`), CreatedAt: ts})
		})
		f.update(t, func(tx guild.Tx) error {
			tok, err := tx.TokenBySecretHash(f.ctx, secretHash(tn.Hash))
			if err != nil {
				return err
			}
			return tx.RevokeToken(f.ctx, tn.ID, tok.ID, ts)
		})

		got, err := f.s.TenantByID(f.ctx, tn.ID)
		wantNoErr(t, err, "TenantByID")
		check("tenant CreatedAt", got.CreatedAt, ts)
		check("tenant UpdatedAt", got.UpdatedAt, ts)
		tok, err := f.s.TokenBySecretHash(f.ctx, secretHash(tn.Hash))
		wantNoErr(t, err, "TokenBySecretHash")
		check("token CreatedAt", tok.CreatedAt, ts)
		check("token RevokedAt", tok.RevokedAt, ts)
		c := f.mustCompany(t, tn.ID, companyID)
		check("company CreatedAt", c.CreatedAt, ts)
		check("company UpdatedAt", c.UpdatedAt, ts)
		page, _, err := f.s.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{})
		wantNoErr(t, err, "ListCompanies")
		if len(page) == 1 {
			check("listed company UpdatedAt", page[0].UpdatedAt, ts)
		}
		msgs, err := f.s.ListOutbox(f.ctx, tn.ID, 0, 10)
		wantNoErr(t, err, "ListOutbox")
		if len(msgs) == 1 {
			check("outbox CreatedAt", msgs[0].CreatedAt, ts)
		}
	}
}
