package app

import (
	"context"
	"slices"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// The buyer API's use-cases. Each one that concerns a company first asks the
// permission engine (authorize), and reads the company's data only when it
// is allowed. A refusal is a *Refusal: 403 naming the missing permission and
// level, or 404 when the company is out of reach.

// BuyerProfile is what GET /api/v3/buyer/me shows: who the session is, their
// company, role and effective permissions, and whether they may act.
type BuyerProfile struct {
	Session *BuyerSession
	// Company is a company user's own company (zero for a super admin).
	Company guild.Company
	// Effective maps each permission code the role grants to its level.
	Effective map[string]authz.Level
	// Blocked, when not empty, says why the user may not act at all (their
	// company is not approved).
	Blocked string
}

// BuyerMe returns the session's profile. It is not a permission code: a
// user of a pending, rejected or inactive company gets it too, and Blocked
// tells them why everything else is refused.
func (a *App) BuyerMe(ctx context.Context, s *BuyerSession) (BuyerProfile, error) {
	p := BuyerProfile{Session: s, Effective: authz.Effective(s.Subject)}
	if s.IsSuperAdmin() {
		return p, nil
	}
	w, err := loadWorld(ctx, a.store, s.Tenant, s.User.CompanyID)
	if err != nil {
		return p, err
	}
	p.Company, _ = w.company(s.User.CompanyID)
	if d := authz.Decide(s.Subject, authz.Request{CompanyID: s.User.CompanyID}, w); d.Reason == authz.ReasonCompanyNotApproved {
		p.Blocked = d.Message()
	}
	return p, nil
}

// BuyerCompanies pages the companies the session may act for: a company
// user's own company (and its subsidiaries, nearest first, where a code is
// granted at level 3); a super admin's assigned companies. Companies that are not approved are left out.
func (a *App) BuyerCompanies(ctx context.Context, s *BuyerSession, pg guild.Page) ([]guild.Company, int, error) {
	if err := CheckPage(pg); err != nil {
		return nil, 0, err
	}
	var candidates []int64
	var w *world
	var err error
	subj := s.Subject
	if s.IsSuperAdmin() {
		ids, err := superAdminCompanyIDs(ctx, a.store, s.Tenant, s.SuperAdmin.ID)
		if err != nil {
			return nil, 0, err
		}
		candidates = ids
		subj.Assigned = make(map[int64]bool, len(ids))
		for _, id := range ids {
			subj.Assigned[id] = true
		}
		if w, err = loadWorld(ctx, a.store, s.Tenant, candidates...); err != nil {
			return nil, 0, err
		}
	} else {
		var subs []int64
		if w, subs, err = loadTreeWorld(ctx, a.store, s.Tenant, s.User.CompanyID); err != nil {
			return nil, 0, err
		}
		candidates = append([]int64{s.User.CompanyID}, subs...)
	}
	reach := authz.Reachable(subj, "", w, candidates)
	total := len(reach)
	lo := min(pg.Offset, total)
	hi := min(lo+pg.Limit, total)
	out := make([]guild.Company, 0, hi-lo)
	for _, id := range reach[lo:hi] {
		c, _ := w.company(id)
		out = append(out, c)
	}
	return out, total, nil
}

// BuyerUsers pages the users of a company (get_users).
func (a *App) BuyerUsers(ctx context.Context, s *BuyerSession, companyID int64, f guild.UserFilter) ([]UserView, int, error) {
	if _, _, err := a.authorize(ctx, s, "get_users", companyID, 0); err != nil {
		return nil, 0, err
	}
	f.CompanyID = &companyID
	return a.ListUsers(ctx, s.Tenant, f)
}

// companyUser reads a user of the company; a user of another company is not
// found.
func (a *App) companyUser(ctx context.Context, s *BuyerSession, companyID, userID int64) (UserView, error) {
	u, err := a.User(ctx, s.Tenant, userID)
	if err == nil && u.CompanyID != companyID {
		err = guild.Errorf(guild.ENotFound, "user %d does not exist in company %d", userID, companyID)
	}
	return u, err
}

// BuyerUser returns a user of a company (get_user_detail).
func (a *App) BuyerUser(ctx context.Context, s *BuyerSession, companyID, userID int64) (UserView, error) {
	if _, _, err := a.authorize(ctx, s, "get_user_detail", companyID, 0); err != nil {
		return UserView{}, err
	}
	return a.companyUser(ctx, s, companyID, userID)
}

// BuyerCreateUser creates a user in a company (create_user). The role given
// must lie within the creator's own permissions (see checkRoleWithin).
func (a *App) BuyerCreateUser(ctx context.Context, s *BuyerSession, companyID int64, in UserInput) (CreatedUser, error) {
	if _, _, err := a.authorize(ctx, s, "create_user", companyID, 0); err != nil {
		return CreatedUser{}, err
	}
	if in.CompanyID != 0 && in.CompanyID != companyID {
		return CreatedUser{}, guild.FieldError("companyId", "is %d in the path; leave it out of the body or give the same id (got %d)", companyID, in.CompanyID)
	}
	in.CompanyID = companyID
	// The role the user would get, decided by the users API's own rule; its
	// problems are left for CreateUser to report.
	var ignored problems
	if err := a.checkGivenRole(ctx, s, in.validate(&ignored)); err != nil {
		return CreatedUser{}, err
	}
	return a.CreateUser(ctx, s.Tenant, in)
}

// BuyerUpdateUser changes a user of a company (update_user). Neither the
// user's current role nor a new one may go beyond the updater's own
// permissions.
func (a *App) BuyerUpdateUser(ctx context.Context, s *BuyerSession, companyID, userID int64, pt UserPatch) (UserView, error) {
	if _, _, err := a.authorize(ctx, s, "update_user", companyID, 0); err != nil {
		return UserView{}, err
	}
	u, err := a.companyUser(ctx, s, companyID, userID)
	if err != nil {
		return UserView{}, err
	}
	if err := a.checkHeldRole(ctx, s, u.User, "change"); err != nil {
		return UserView{}, err
	}
	// The role the user will hold, decided by the users API's own rule.
	next := u.User
	if pt.applyRole(&next) {
		if err := a.checkGivenRole(ctx, s, next); err != nil {
			return UserView{}, err
		}
	}
	return a.UpdateUser(ctx, s.Tenant, userID, pt)
}

// BuyerDeleteUser deletes a user of a company (delete_user), whose role must
// not go beyond the deleter's own permissions.
func (a *App) BuyerDeleteUser(ctx context.Context, s *BuyerSession, companyID, userID int64) error {
	if _, _, err := a.authorize(ctx, s, "delete_user", companyID, 0); err != nil {
		return err
	}
	u, err := a.companyUser(ctx, s, companyID, userID)
	if err != nil {
		return err
	}
	if err := a.checkHeldRole(ctx, s, u.User, "delete"); err != nil {
		return err
	}
	return a.DeleteUser(ctx, s.Tenant, userID)
}

// BuyerRoles pages the roles a user of the company can be given (get_roles):
// the predefined roles and the store's custom roles.
func (a *App) BuyerRoles(ctx context.Context, s *BuyerSession, companyID int64, q RoleQuery) ([]RoleInfo, int, error) {
	if _, _, err := a.authorize(ctx, s, "get_roles", companyID, 0); err != nil {
		return nil, 0, err
	}
	if err := CheckPage(q.Page); err != nil {
		return nil, 0, err
	}
	return a.listRoles(ctx, a.store, s.Tenant, q)
}

// BuyerSubsidiaries lists the companies below a company in the account
// hierarchy, nearest first (get_company_subsidiaries).
func (a *App) BuyerSubsidiaries(ctx context.Context, s *BuyerSession, companyID int64) ([]guild.Company, error) {
	if _, _, err := a.authorize(ctx, s, "get_company_subsidiaries", companyID, 0); err != nil {
		return nil, err
	}
	return subsidiaries(ctx, a.store, s.Tenant, companyID)
}

// RevokeOwnBuyerToken revokes the token the session was opened with (log
// out).
func (a *App) RevokeOwnBuyerToken(ctx context.Context, s *BuyerSession) error {
	return a.RevokeBuyerToken(ctx, s.Tenant, s.Token.ID)
}

// isTopRole reports whether the session holds every permission there is: a
// super admin, or a company user with the predefined Admin role. Custom
// codes count as held by them too.
func isTopRole(s *BuyerSession) bool {
	return s.IsSuperAdmin() || (s.Subject.Role.Predefined && s.Subject.Role.ID == int64(guild.RoleAdmin))
}

// checkRoleWithin refuses a role that grants a code beyond what the session
// itself holds (at a higher level, or not at all): a buyer may not hand out,
// nor take away from others, more than they have. verb describes the act
// for the message.
func checkRoleWithin(s *BuyerSession, role authz.Role, verb string) error {
	if isTopRole(s) {
		return nil
	}
	codes := make([]string, 0, len(role.Grants))
	for c := range role.Grants {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		want := role.Grant(c)
		if !want.Valid() {
			continue
		}
		if have := s.Subject.Role.Grant(c); have < want {
			return guild.Errorf(guild.EForbidden,
				"you cannot %s role %q: it grants %s at level %s, and your role %q grants it at level %s; a buyer may only give or manage roles within their own permissions",
				verb, role.Name, c, want, s.Subject.Role.Name, have)
		}
	}
	return nil
}

// checkGivenRole checks the role a user is to hold (u's custom role, or
// else its predefined role number). Roles that do not exist are left for
// the user rules to report.
func (a *App) checkGivenRole(ctx context.Context, s *BuyerSession, u guild.User) error {
	var role authz.Role
	if u.CompanyRoleID != 0 {
		c, err := a.store.CustomRole(ctx, s.Tenant.ID, u.CompanyRoleID)
		if guild.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		role = customAuthzRole(c)
	} else {
		r, ok := authz.PredefinedRole(u.Role)
		if !ok {
			return nil
		}
		role = r
	}
	return checkRoleWithin(s, role, "give")
}

// checkHeldRole checks that the role a user holds lies within the session's
// own permissions, before the user is changed or deleted.
func (a *App) checkHeldRole(ctx context.Context, s *BuyerSession, u guild.User, verb string) error {
	role, err := UserRole(ctx, a.store, u)
	if err != nil {
		return err
	}
	if err := checkRoleWithin(s, role, "manage"); err != nil {
		return guild.Errorf(guild.EForbidden, "you cannot %s user %d: %s", verb, u.ID, err.(*guild.Error).Message)
	}
	return nil
}
