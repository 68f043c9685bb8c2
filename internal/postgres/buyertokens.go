package postgres

import (
	"context"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

const buyerTokenColumns = `id, tenant_id, COALESCE(user_id, 0), COALESCE(super_admin_id, 0), secret_hash,
	created_at, expires_at, revoked_at`

func scanBuyerToken(sc scanner) (guild.BuyerToken, error) {
	var t guild.BuyerToken
	var created, expires, revoked int64
	err := sc.Scan(&t.ID, &t.TenantID, &t.UserID, &t.SuperAdminID, &t.SecretHash, &created, &expires, &revoked)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt = fromMicros(created), fromMicros(expires), fromMicros(revoked)
	return t, err
}

// BuyerTokenBySecretHash finds a buyer token, expired, revoked or not, by
// its secret's hash, in any tenant.
func (r reader) BuyerTokenBySecretHash(ctx context.Context, secretHash []byte) (guild.BuyerToken, error) {
	t, err := scanBuyerToken(r.db.QueryRow(ctx, `SELECT `+buyerTokenColumns+` FROM buyer_tokens WHERE secret_hash = $1`,
		orEmpty(secretHash)))
	return t, r.fail(err, "buyer token")
}

// owner checks that exactly one of userID and superAdminID is set, queues on
// b a check that it is a row of the tenant, and returns an SQL condition
// that holds when it is, on the parameters $1 (the tenant), $2 (the user
// id, or NULL) and $3 (the super admin id, or NULL), and those two values.
func owner(b *pgx.Batch, tenantID, userID, superAdminID int64) (cond string, user, superAdmin any, err error) {
	switch {
	case (userID == 0) == (superAdminID == 0):
		return "", nil, nil, guild.Errorf(guild.EInvalid,
			"a buyer token belongs to a user or to a super admin: exactly one of the two ids must be set (user %d, super admin %d)",
			userID, superAdminID)
	case userID != 0:
		queueExists(b, `SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2`, []any{tenantID, userID},
			"user %d does not exist", userID)
		return `EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2::bigint)`, userID, nil, nil
	default:
		queueExists(b, `SELECT 1 FROM super_admins WHERE tenant_id = $1 AND id = $2`, []any{tenantID, superAdminID},
			"super admin %d does not exist", superAdminID)
		return `EXISTS (SELECT 1 FROM super_admins WHERE tenant_id = $1 AND id = $3::bigint)`, nil, superAdminID, nil
	}
}

// CreateBuyerToken inserts a buyer token of a user or super admin of the
// tenant (else ENotFound; both or neither is EInvalid); CreatedAt defaults
// to now. A secret hash already stored is EConflict.
func (t *tx) CreateBuyerToken(ctx context.Context, in guild.BuyerToken) (int64, error) {
	b := &pgx.Batch{}
	ok, user, superAdmin, err := owner(b, in.TenantID, in.UserID, in.SuperAdminID)
	if err != nil {
		return 0, err
	}
	return t.insertID(ctx, b, `
		INSERT INTO buyer_tokens (tenant_id, user_id, super_admin_id, secret_hash, created_at, expires_at, revoked_at)
		SELECT $1, $2, $3, $4, $5, $6, $7 WHERE `+ok+`
		RETURNING id`,
		[]any{in.TenantID, user, superAdmin, orEmpty(in.SecretHash), micros(orNow(in.CreatedAt)), micros(in.ExpiresAt),
			micros(in.RevokedAt)},
		"create a buyer token")
}

// RevokeBuyerToken sets the token's RevokedAt (now when at is zero).
func (t *tx) RevokeBuyerToken(ctx context.Context, tenantID, id int64, at time.Time) error {
	return t.exec(ctx, mustAffect("buyer token %d does not exist", id),
		`UPDATE buyer_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2`,
		[]any{tenantID, id, micros(orNow(at))},
		"revoke buyer token %d", id)
}

// RevokeUserBuyerTokens sets RevokedAt (now when at is zero) on every token
// of the user or super admin not revoked yet; revoked tokens keep their
// time. The user or super admin must be the tenant's (else ENotFound).
func (t *tx) RevokeUserBuyerTokens(ctx context.Context, tenantID, userID, superAdminID int64, at time.Time) error {
	b := &pgx.Batch{}
	ok, user, superAdmin, err := owner(b, tenantID, userID, superAdminID)
	if err != nil {
		return err
	}
	b.Queue(`
		UPDATE buyer_tokens SET revoked_at = $4
		WHERE tenant_id = $1 AND revoked_at = 0
			AND (user_id = $2::bigint OR super_admin_id = $3::bigint) AND `+ok,
		tenantID, user, superAdmin, micros(orNow(at)))
	return t.write(ctx, b, "revoke the buyer tokens of user %d / super admin %d", userID, superAdminID)
}
