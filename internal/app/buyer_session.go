package app

import (
	"context"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// BuyerSession is who makes a buyer API request: the valid buyer token and
// the company user or super admin it belongs to, with their role.
type BuyerSession struct {
	Tenant guild.Tenant
	Token  guild.BuyerToken
	// User is the company user (ID 0 for a super admin).
	User guild.User
	// SuperAdmin is the super admin (ID 0 for a company user).
	SuperAdmin guild.SuperAdmin
	// Subject is what the permission engine decides on. For a super admin,
	// Assigned is filled per request with the companies it concerns.
	Subject authz.Subject
}

// IsSuperAdmin reports whether the session is a super admin's.
func (s *BuyerSession) IsSuperAdmin() bool { return s.SuperAdmin.ID != 0 }

// ID returns the user's id, or the super admin's.
func (s *BuyerSession) ID() int64 {
	if s.IsSuperAdmin() {
		return s.SuperAdmin.ID
	}
	return s.User.ID
}

// RoleName is the name of the role whose grants the session uses.
func (s *BuyerSession) RoleName() string {
	if s.IsSuperAdmin() {
		return authz.AdminRoleName
	}
	return s.Subject.Role.Name
}

// AuthenticateBuyer resolves a buyer token secret (the bearer token of a
// buyer API request) to its session: the token must exist, be neither
// revoked nor expired, and its user or super admin must still exist. An S2S
// API token is refused with a message that says so.
func (a *App) AuthenticateBuyer(ctx context.Context, secret string) (*BuyerSession, error) {
	tok, err := a.authenticateBuyerToken(ctx, secret)
	if err != nil {
		return nil, err
	}
	t, err := a.store.TenantByID(ctx, tok.TenantID)
	if err != nil {
		return nil, err
	}
	s := &BuyerSession{Tenant: t, Token: tok}
	if tok.SuperAdminID != 0 {
		s.SuperAdmin, err = a.store.SuperAdmin(ctx, t.ID, tok.SuperAdminID)
		if guild.IsNotFound(err) {
			return nil, buyerUnauthorized("the super admin of this buyer token no longer exists")
		}
		if err != nil {
			return nil, err
		}
		s.Subject = authz.Subject{UserID: s.SuperAdmin.ID, SuperAdmin: true}
		return s, nil
	}
	s.User, err = a.store.User(ctx, t.ID, tok.UserID)
	if guild.IsNotFound(err) {
		return nil, buyerUnauthorized("the user of this buyer token no longer exists")
	}
	if err != nil {
		return nil, err
	}
	role, err := UserRole(ctx, a.store, s.User)
	if err != nil {
		return nil, err
	}
	s.Subject = authz.Subject{UserID: s.User.ID, CompanyID: s.User.CompanyID, Role: role}
	return s, nil
}

// Refusal is a buyer request the permission engine refused. It unwraps to
// Decision.Err(): a *guild.Error with code EForbidden, or ENotFound when the
// company is out of the subject's reach (not revealing that it exists).
type Refusal struct {
	Decision authz.Decision
	err      error
}

func (r *Refusal) Error() string { return r.err.Error() }

// Unwrap returns the *guild.Error the refusal is answered with.
func (r *Refusal) Unwrap() error { return r.err }

func refusal(d authz.Decision) error { return &Refusal{Decision: d, err: d.Err()} }

// authorize decides whether the session may use code on companyID (and on a
// record of ownerUserID, 0 for a company-wide request). It runs before any
// of the request's data is read: it reads only the companies' statuses (the
// world) and, for a super admin, whether the company is assigned to them.
// A refusal is a *Refusal.
func (a *App) authorize(ctx context.Context, s *BuyerSession, code string, companyID, ownerUserID int64) (*world, authz.Decision, error) {
	w, err := loadWorld(ctx, a.store, s.Tenant, s.Subject.CompanyID, companyID)
	if err != nil {
		return nil, authz.Decision{}, err
	}
	subj := s.Subject
	if s.IsSuperAdmin() {
		if subj.Assigned, err = superAdminAssigned(ctx, a.store, s.Tenant, s.SuperAdmin.ID, companyID); err != nil {
			return nil, authz.Decision{}, err
		}
	}
	d := authz.Decide(subj, authz.Request{Code: code, CompanyID: companyID, OwnerUserID: ownerUserID}, w)
	if !d.Allowed {
		return w, d, refusal(d)
	}
	return w, d, nil
}
