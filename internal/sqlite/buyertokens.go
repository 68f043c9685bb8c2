package sqlite

import (
	"context"
	"time"

	guild "github.com/guild-b2b/guild"
)

const buyerTokenColumns = `id, tenant_id, coalesce(user_id, 0), coalesce(super_admin_id, 0), secret_hash,
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
	if secretHash == nil {
		secretHash = []byte{}
	}
	t, err := scanBuyerToken(r.q.QueryRowContext(ctx,
		`SELECT `+buyerTokenColumns+` FROM buyer_tokens WHERE secret_hash = ?`, secretHash))
	if err != nil {
		return guild.BuyerToken{}, wrap(err, "buyer token")
	}
	return t, nil
}

// owner checks that exactly one of userID and superAdminID is set and that
// it is a row of the tenant, and returns both as the columns' values (NULL
// for the one not set).
func owner(ctx context.Context, q queryer, tenantID, userID, superAdminID int64) (any, any, error) {
	switch {
	case (userID == 0) == (superAdminID == 0):
		return nil, nil, guild.Errorf(guild.EInvalid,
			"a buyer token belongs to a user or to a super admin: exactly one of the two ids must be set (user %d, super admin %d)",
			userID, superAdminID)
	case userID != 0:
		if err := userExists(ctx, q, tenantID, userID); err != nil {
			return nil, nil, err
		}
		return userID, nil, nil
	default:
		if err := superAdminExists(ctx, q, tenantID, superAdminID); err != nil {
			return nil, nil, err
		}
		return nil, superAdminID, nil
	}
}

// CreateBuyerToken inserts a buyer token of a user or super admin of the
// tenant (else ENotFound; both or neither is EInvalid); CreatedAt defaults
// to now. A secret hash already stored is EConflict.
func (t *tx) CreateBuyerToken(ctx context.Context, in guild.BuyerToken) (int64, error) {
	userID, superAdminID, err := owner(ctx, t.q, in.TenantID, in.UserID, in.SuperAdminID)
	if err != nil {
		return 0, err
	}
	if in.SecretHash == nil {
		in.SecretHash = []byte{}
	}
	var id int64
	err = t.q.QueryRowContext(ctx, `
		INSERT INTO buyer_tokens (tenant_id, user_id, super_admin_id, secret_hash, created_at, expires_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.TenantID, userID, superAdminID, in.SecretHash, micros(orNow(in.CreatedAt, t.now)), micros(in.ExpiresAt),
		micros(in.RevokedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create a buyer token")
	}
	return id, nil
}

// RevokeBuyerToken sets the token's RevokedAt (now when at is zero).
func (t *tx) RevokeBuyerToken(ctx context.Context, tenantID, id int64, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE buyer_tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ?`,
		micros(orNow(at, t.now)), tenantID, id)
	if err != nil {
		return wrap(err, "revoke buyer token %d", id)
	}
	return affected(res, "buyer token %d does not exist", id)
}

// RevokeUserBuyerTokens sets RevokedAt (now when at is zero) on every token
// of the user or super admin not revoked yet; revoked tokens keep their
// time. The user or super admin must be the tenant's (else ENotFound).
func (t *tx) RevokeUserBuyerTokens(ctx context.Context, tenantID, userID, superAdminID int64, at time.Time) error {
	if _, _, err := owner(ctx, t.q, tenantID, userID, superAdminID); err != nil {
		return err
	}
	col, id := "user_id", userID
	if userID == 0 {
		col, id = "super_admin_id", superAdminID
	}
	_, err := t.q.ExecContext(ctx, `UPDATE buyer_tokens SET revoked_at = ? WHERE `+col+` = ? AND tenant_id = ? AND revoked_at = 0`,
		micros(orNow(at, t.now)), id, tenantID)
	return wrap(err, "revoke the buyer tokens of user %d / super admin %d", userID, superAdminID)
}
