package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/guild-b2b/guild/internal/authz"
)

// PurchaseAuthorizationTTL is how long a purchase authorization is good for
// (never past the buyer token's own expiry). A storefront asks right before
// checkout; a decision older than this must be asked again, so that a role
// or company status change takes effect within it.
const PurchaseAuthorizationTTL = 5 * time.Minute

// PurchaseCode is the permission code a purchase needs.
const PurchaseCode = "purchase_enable"

// PurchaseAuthorization is the engine's "yes" to a purchase: who may buy for
// which company, on what grant, until when. ID names the decision in Guild's
// log, where every purchase decision, allowed or refused, is written.
type PurchaseAuthorization struct {
	ID           string
	UserID       int64 // 0 for a super admin
	SuperAdminID int64 // 0 for a company user
	CustomerID   int64
	CompanyID    int64
	Code         string
	Role         string
	Granted      authz.Level
	Needed       authz.Level
	IssuedAt     time.Time
	ExpiresAt    time.Time
}

// AuthorizePurchase decides whether the session may complete a checkout for
// a company (purchase_enable). Allowed: the authorization; refused: a
// *Refusal (403, or 404 for a company out of reach).
func (a *App) AuthorizePurchase(ctx context.Context, s *BuyerSession, companyID int64) (PurchaseAuthorization, error) {
	_, d, err := a.authorize(ctx, s, PurchaseCode, companyID, 0)
	var ref *Refusal
	if err != nil && !errors.As(err, &ref) {
		return PurchaseAuthorization{}, err
	}
	id := newDecisionID()
	log := a.logger.With("decision_id", id, "store", s.Tenant.Hash, "company_id", companyID,
		"user_id", s.User.ID, "super_admin_id", s.SuperAdmin.ID, "code", PurchaseCode, "reason", d.Reason.String())
	if err != nil {
		log.InfoContext(ctx, "purchase refused", "message", d.Message())
		return PurchaseAuthorization{}, err
	}
	now := a.clock()
	exp := now.Add(PurchaseAuthorizationTTL)
	if s.Token.ExpiresAt.Before(exp) {
		exp = s.Token.ExpiresAt
	}
	customer := s.User.CustomerID
	if s.IsSuperAdmin() {
		customer = s.SuperAdmin.CustomerID
	}
	pa := PurchaseAuthorization{
		ID: id, UserID: s.User.ID, SuperAdminID: s.SuperAdmin.ID, CustomerID: customer, CompanyID: companyID,
		Code: PurchaseCode, Role: d.Role, Granted: d.Granted, Needed: d.Needed, IssuedAt: now, ExpiresAt: exp,
	}
	log.InfoContext(ctx, "purchase authorized", "expires_at", exp)
	return pa, nil
}

// newDecisionID returns a random id for a decision: "pa_" and 32 hex digits.
func newDecisionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "pa_" + hex.EncodeToString(b)
}
