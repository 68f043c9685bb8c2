package authz

import (
	"strconv"

	"github.com/guild-b2b/guild"
)

// MaxDepth bounds the walk up the account hierarchy: a company whose chain of
// parents does not reach a root (parent 0) within MaxDepth steps (a chain too
// long, or a cycle) is treated as nobody's subsidiary. The vendor allows 5
// layers, so a valid chain has at most 4 steps.
const MaxDepth = 16

// Subject is who asks: a company user, or a super admin.
type Subject struct {
	// UserID is the subject's user id (or super admin id); it is compared
	// with Request.OwnerUserID.
	UserID int64
	// CompanyID is a company user's own company. Ignored for super admins.
	CompanyID int64
	// Role is a company user's role. Ignored for super admins, who act with
	// the predefined Admin role's grants.
	Role Role
	// SuperAdmin marks a super admin.
	SuperAdmin bool
	// Assigned is the set of companies assigned to a super admin (true =
	// assigned). Assignment is explicit per company: it is not inherited by a
	// company's subsidiaries. Ignored for company users.
	Assigned map[int64]bool
}

// Companies is the part of the world the engine reads: a consistent snapshot
// the caller supplies (the engine does no I/O).
type Companies interface {
	// Status returns a company's status and whether the company exists.
	Status(companyID int64) (guild.CompanyStatus, bool)
	// Parent returns a company's parent in the account hierarchy, 0 for a
	// root (or an unknown company).
	Parent(companyID int64) int64
}

// Node is one company of a MapCompanies.
type Node struct {
	Parent int64 // 0 = root
	Status guild.CompanyStatus
}

// MapCompanies is an in-memory Companies: company id → node. It suits tests,
// benchmarks and callers that load a hierarchy before deciding.
type MapCompanies map[int64]Node

// Status implements Companies.
func (m MapCompanies) Status(companyID int64) (guild.CompanyStatus, bool) {
	n, ok := m[companyID]
	return n.Status, ok
}

// Parent implements Companies.
func (m MapCompanies) Parent(companyID int64) int64 { return m[companyID].Parent }

// Request is the question: may the subject use Code on CompanyID (and on a
// record owned by OwnerUserID)?
type Request struct {
	// Code is the permission code asked for.
	Code string
	// CompanyID is the company acted on: the company whose records are read
	// or written, or on whose behalf the subject acts (e.g. checks out).
	CompanyID int64
	// OwnerUserID is the owner of the record acted on, for per-user records
	// (orders, quotes, shopping lists). 0 means "not one user's record": a
	// company-wide read or write. To list or create the subject's own
	// records, pass the subject's UserID: level 1 then suffices.
	OwnerUserID int64
}

// Reason says why a Decision went the way it did.
type Reason uint8

// The reasons. ReasonOutOfReach and ReasonUnknownCompany must be answered as
// "not found" (HTTP 404): the subject may not learn whether the company
// exists. The others that refuse are "forbidden" (HTTP 403).
const (
	// ReasonAllowed: the request is allowed.
	ReasonAllowed Reason = iota
	// ReasonNotGranted: the subject's role does not grant the code.
	ReasonNotGranted
	// ReasonLevelTooLow: the role grants the code, at a level too narrow
	// for this company or record (Granted < Needed).
	ReasonLevelTooLow
	// ReasonOutOfReach: the company exists but is neither the subject's own
	// company nor one of its subsidiaries (for super admins: not assigned).
	ReasonOutOfReach
	// ReasonUnknownCompany: the company acted on does not exist.
	ReasonUnknownCompany
	// ReasonCompanyNotApproved: the subject's own company (OwnCompany) or
	// the company acted on is not approved (or the own company no longer
	// exists, reported as status deleted).
	ReasonCompanyNotApproved
)

var reasonNames = [...]string{
	ReasonAllowed:            "allowed",
	ReasonNotGranted:         "not_granted",
	ReasonLevelTooLow:        "level_too_low",
	ReasonOutOfReach:         "out_of_reach",
	ReasonUnknownCompany:     "unknown_company",
	ReasonCompanyNotApproved: "company_not_approved",
}

// String returns the reason's snake_case name, e.g. "level_too_low".
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// MarshalText encodes the reason as its name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Decision is the engine's answer. It holds no pointers into the subject or
// the world; Message builds the human text only when asked.
type Decision struct {
	// Allowed is the answer.
	Allowed bool
	// Reason says why.
	Reason Reason
	// Code is the permission code asked for.
	Code string
	// Role is the name of the role whose grants were used (the Admin role's
	// for a super admin).
	Role string
	// SuperAdmin is true when the subject was a super admin.
	SuperAdmin bool
	// Granted is the level the role grants Code at (LevelNone if it does not,
	// or if the decision was taken before the grant was looked at).
	Granted Level
	// Needed is the level this company/record needs (LevelNone if the
	// decision was taken before it was known).
	Needed Level
	// CompanyID is the company the reason is about: the company acted on, or
	// the subject's own company when OwnCompany is set.
	CompanyID int64
	// OwnCompany is set when a ReasonCompanyNotApproved refusal is about the
	// subject's own company rather than the company acted on.
	OwnCompany bool
	// Status is CompanyID's status for ReasonCompanyNotApproved.
	Status guild.CompanyStatus
}

// NotFound reports whether the refusal must be answered as "not found"
// (the company is out of reach or does not exist).
func (d Decision) NotFound() bool {
	return d.Reason == ReasonOutOfReach || d.Reason == ReasonUnknownCompany
}

// Message says, for a person, what the decision was and for a refusal what is
// missing. For the not-found reasons it says only "company N not found", so
// it is safe to show: it does not reveal whether the company exists.
func (d Decision) Message() string {
	cid := strconv.FormatInt(d.CompanyID, 10)
	role := "role " + strconv.Quote(d.Role)
	if d.SuperAdmin {
		role = "super admin (acting with the " + strconv.Quote(d.Role) + " role)"
	}
	switch d.Reason {
	case ReasonAllowed:
		return "allowed: " + role + " grants " + d.Code + " at level " + d.Granted.String() +
			"; level " + d.Needed.String() + " is needed"
	case ReasonNotGranted:
		s := "permission " + d.Code + " is not granted to " + role
		if d.Needed.Valid() {
			s += "; this request needs " + d.Code + " at level " + d.Needed.String() + " or higher"
		}
		return s
	case ReasonLevelTooLow:
		s := "permission " + d.Code + " is granted to " + role + " at level " + d.Granted.String() +
			" only; this request needs level " + d.Needed.String()
		switch d.Needed {
		case LevelCompany:
			s += " (the record is not yours, or the request covers the whole company)"
		case LevelSubsidiaries:
			s += " (company " + cid + " is a subsidiary of your company)"
		}
		return s
	case ReasonOutOfReach, ReasonUnknownCompany:
		return "company " + cid + " not found"
	case ReasonCompanyNotApproved:
		st := statusName(d.Status)
		if d.OwnCompany {
			return "your company " + cid + " is " + st + ": only approved companies may act (your profile, GET /api/v3/buyer/me, stays available)"
		}
		return "company " + cid + " is " + st + ": only approved companies may be acted on"
	}
	return d.Reason.String()
}

// Err returns nil when the decision allows, and otherwise a *guild.Error
// carrying Message: guild.ENotFound for the not-found reasons, guild.EForbidden
// for the others.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	code := guild.EForbidden
	if d.NotFound() {
		code = guild.ENotFound
	}
	return &guild.Error{Code: code, Message: d.Message()}
}

func statusName(s guild.CompanyStatus) string {
	switch s {
	case guild.CompanyPending:
		return "pending approval"
	case guild.CompanyApproved:
		return "approved"
	case guild.CompanyRejected:
		return "rejected"
	case guild.CompanyInactive:
		return "inactive"
	case guild.CompanyDeleted:
		return "deleted"
	}
	return "in status " + strconv.Itoa(int(s))
}

// Decide answers "may s use r.Code on r.CompanyID (and on a record owned by
// r.OwnerUserID)", reading only w. It does no I/O and allocates nothing.
//
// For a company user the checks run in this order, the first failing one
// giving the reason:
//
//  1. The own company must exist and be approved (company_not_approved with
//     OwnCompany set); this comes first so that such a user learns nothing
//     about other companies.
//  2. The company acted on must be the own company or a strict descendant of
//     it: its chain of parents reaches a root within MaxDepth steps and passes
//     through the own company. Otherwise unknown_company (no such company) or
//     out_of_reach.
//  3. The level needed: 1 for a record the subject owns in the own company
//     (r.OwnerUserID == s.UserID), 2 for anything else in the own company, 3
//     for a subsidiary. The role must grant the code (not_granted) at that
//     level or above (level_too_low).
//  4. The company acted on must be approved (company_not_approved).
//
// For a super admin: the company acted on must be assigned (out_of_reach),
// exist (unknown_company), the Admin role must grant the code at the level
// needed (1 for own records, else 2: an assigned company counts as the super
// admin's own company) and the company must be approved.
func Decide(s Subject, r Request, w Companies) Decision {
	if s.SuperAdmin {
		return decideSuper(s, r, w, adminGrants[r.Code])
	}
	return decideUser(s, r, w, s.Role.Grant(r.Code))
}

func decideUser(s Subject, r Request, w Companies, granted Level) Decision {
	d := Decision{Code: r.Code, Role: s.Role.Name, CompanyID: r.CompanyID}
	own, ok := w.Status(s.CompanyID)
	if !ok || own != guild.CompanyApproved {
		if !ok {
			own = guild.CompanyDeleted
		}
		d.Reason, d.CompanyID, d.OwnCompany, d.Status = ReasonCompanyNotApproved, s.CompanyID, true, own
		return d
	}
	target := own
	if r.CompanyID == s.CompanyID {
		d.Needed = LevelCompany
		if r.OwnerUserID != 0 && r.OwnerUserID == s.UserID {
			d.Needed = LevelUser
		}
	} else {
		if target, ok = w.Status(r.CompanyID); !ok {
			d.Reason = ReasonUnknownCompany
			return d
		}
		if !below(w, r.CompanyID, s.CompanyID) {
			d.Reason = ReasonOutOfReach
			return d
		}
		d.Needed = LevelSubsidiaries
	}
	return grantAndStatus(d, granted, target)
}

func decideSuper(s Subject, r Request, w Companies, granted Level) Decision {
	d := Decision{Code: r.Code, Role: AdminRoleName, SuperAdmin: true, CompanyID: r.CompanyID}
	if !s.Assigned[r.CompanyID] {
		d.Reason = ReasonOutOfReach
		return d
	}
	target, ok := w.Status(r.CompanyID)
	if !ok {
		d.Reason = ReasonUnknownCompany
		return d
	}
	d.Needed = LevelCompany
	if r.OwnerUserID != 0 && r.OwnerUserID == s.UserID {
		d.Needed = LevelUser
	}
	return grantAndStatus(d, granted, target)
}

// grantAndStatus finishes a decision whose company is in reach and whose
// needed level is known.
func grantAndStatus(d Decision, granted Level, target guild.CompanyStatus) Decision {
	if !granted.Valid() {
		d.Reason = ReasonNotGranted
		return d
	}
	d.Granted = granted
	if granted < d.Needed {
		d.Reason = ReasonLevelTooLow
		return d
	}
	if target != guild.CompanyApproved {
		d.Reason, d.Status = ReasonCompanyNotApproved, target
		return d
	}
	d.Allowed, d.Reason = true, ReasonAllowed
	return d
}

// below reports whether company c is a strict descendant of ancestor: the
// chain of parents from c reaches a root (0) within MaxDepth steps and meets
// ancestor on the way. A chain that does not end within MaxDepth steps (too
// deep, or a cycle) is below nothing, so the walk always terminates.
func below(w Companies, c, ancestor int64) bool {
	if c == ancestor || ancestor == 0 {
		return false
	}
	seen := false
	for range MaxDepth {
		c = w.Parent(c)
		if c == 0 {
			return seen
		}
		if c == ancestor {
			seen = true
		}
	}
	return false
}

// Effective returns the codes the subject's role grants and their levels
// (code → level, valid levels only), as a new map: for GET /buyer/me. A super
// admin gets the Admin role's grants; their reach is their assigned companies
// whatever the level says. The grants take effect only while the company
// acted for (and a company user's own company) is approved; Decide enforces
// that.
func Effective(s Subject) map[string]Level {
	if s.SuperAdmin {
		return cloneGrants(adminGrants)
	}
	return cloneGrants(s.Role.Grants)
}

// Reachable returns, in their order, the candidates the subject may use code
// on: for each, Decide allows Request{Code: code, CompanyID: c, OwnerUserID:
// s.UserID}, i.e. at least the subject's own records there. With code "", it
// is the companies the subject may act for with at least one granted code:
// the own company (if approved and anything is granted), its approved
// subsidiaries if some code is granted at level 3, a super admin's approved
// assigned companies. The result is a new slice, nil when nothing is
// reachable.
func Reachable(s Subject, code string, w Companies, candidates []int64) []int64 {
	var granted Level
	switch {
	case code != "" && s.SuperAdmin:
		granted = adminGrants[code]
	case code != "":
		granted = s.Role.Grant(code)
	case s.SuperAdmin:
		granted = maxGrant(adminGrants)
	default:
		granted = maxGrant(s.Role.Grants)
	}
	if !granted.Valid() {
		return nil
	}
	var out []int64
	if s.SuperAdmin {
		for _, c := range candidates {
			if decideSuper(s, Request{Code: code, CompanyID: c, OwnerUserID: s.UserID}, w, granted).Allowed {
				out = append(out, c)
			}
		}
		return out
	}
	if st, ok := w.Status(s.CompanyID); !ok || st != guild.CompanyApproved {
		return nil
	}
	for _, c := range candidates {
		if c != s.CompanyID && granted < LevelSubsidiaries {
			continue // only the own company is reachable below level 3
		}
		if decideUser(s, Request{Code: code, CompanyID: c, OwnerUserID: s.UserID}, w, granted).Allowed {
			out = append(out, c)
		}
	}
	return out
}

func maxGrant(m map[string]Level) Level {
	best := LevelNone
	for _, l := range m {
		if l.Valid() && l > best {
			best = l
		}
	}
	return best
}
