package httpapi

import (
	"net/http"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The buyer API's handlers. Each passes the session to internal/app, which
// asks the permission engine before it reads anything of the company.

type buyerUserOut struct {
	ID            int64  `json:"id"`
	CustomerID    int64  `json:"customerId"`
	Email         string `json:"email"`
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	PhoneNumber   string `json:"phoneNumber"`
	CompanyID     int64  `json:"companyId,omitempty"`
	Role          int    `json:"role"`
	CompanyRoleID int64  `json:"companyRoleId"`
}

type buyerCompanyOut struct {
	CompanyID     int64  `json:"companyId"`
	CompanyName   string `json:"companyName"`
	CompanyStatus int    `json:"companyStatus"`
	// Relation says how the session reaches the company: "own",
	// "subsidiary" or "assigned" (a super admin's).
	Relation string `json:"relation,omitempty"`
}

type buyerRoleOut struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	RoleType int    `json:"roleType"`
}

type buyerTokenOut struct {
	ID        int64 `json:"id"`
	ExpiresAt int64 `json:"expiresAt"`
}

// buyerMeOut is GET /buyer/me's data.
type buyerMeOut struct {
	// UserType is "companyUser" or "superAdmin".
	UserType string       `json:"userType"`
	User     buyerUserOut `json:"user"`
	// Company is a company user's own company; null for a super admin.
	Company *buyerCompanyOut `json:"company"`
	// CanAct is false when the user's company is not approved; Blocked
	// then says why.
	CanAct  bool         `json:"canAct"`
	Blocked string       `json:"blocked,omitempty"`
	Role    buyerRoleOut `json:"role"`
	// Permissions maps each granted code to its level (1, 2 or 3).
	Permissions map[string]int `json:"permissions"`
	Token       buyerTokenOut  `json:"token"`
}

func (s *Server) buyerMe(w http.ResponseWriter, r *http.Request) {
	sess := buyerOf(r.Context())
	p, err := s.app.BuyerMe(r.Context(), sess)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := buyerMeOut{
		CanAct: p.Blocked == "", Blocked: p.Blocked, Permissions: make(map[string]int, len(p.Effective)),
		Token: buyerTokenOut{ID: sess.Token.ID, ExpiresAt: sess.Token.ExpiresAt.Unix()},
	}
	for c, l := range p.Effective {
		out.Permissions[c] = int(l)
	}
	if sess.IsSuperAdmin() {
		a := sess.SuperAdmin
		out.UserType = "superAdmin"
		out.User = buyerUserOut{ID: a.ID, CustomerID: a.CustomerID, Email: a.Email, FirstName: a.FirstName, LastName: a.LastName, PhoneNumber: a.Phone, Role: int(guild.RoleSuperAdmin)}
		out.Role = buyerRoleOut{ID: int64(guild.RoleAdmin), Name: sess.RoleName(), RoleType: int(app.RolePredefined)}
	} else {
		u := sess.User
		out.UserType = "companyUser"
		out.User = buyerUserOut{ID: u.ID, CustomerID: u.CustomerID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, PhoneNumber: u.Phone, CompanyID: u.CompanyID, Role: int(u.Role), CompanyRoleID: u.CompanyRoleID}
		out.Company = &buyerCompanyOut{CompanyID: u.CompanyID, CompanyName: p.Company.Name, CompanyStatus: int(p.Company.Status), Relation: "own"}
		role := sess.Subject.Role
		rt := app.RoleCustom
		if role.Predefined {
			rt = app.RolePredefined
		}
		out.Role = buyerRoleOut{ID: role.ID, Name: role.Name, RoleType: int(rt)}
	}
	writeOK(w, out)
}

// buyerPage reads limit and offset (the page is checked by internal/app).
func buyerPage(r *http.Request) (guild.Page, error) {
	var c checker
	pg := queryPage(&c, r.URL.Query())
	return pg, c.err()
}

func (s *Server) buyerCompanies(w http.ResponseWriter, r *http.Request) {
	sess := buyerOf(r.Context())
	pg, err := buyerPage(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	cs, total, err := s.app.BuyerCompanies(r.Context(), sess, pg)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := make([]buyerCompanyOut, len(cs))
	for i, c := range cs {
		rel := "subsidiary"
		switch {
		case sess.IsSuperAdmin():
			rel = "assigned"
		case c.ID == sess.User.CompanyID:
			rel = "own"
		}
		out[i] = buyerCompanyOut{CompanyID: c.ID, CompanyName: c.Name, CompanyStatus: int(c.Status), Relation: rel}
	}
	writeList(w, out, Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total})
}

func (s *Server) buyerListUsers(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	f, err := parseUserFilter(r.URL.Query())
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	users, total, err := s.app.BuyerUsers(r.Context(), buyerOf(r.Context()), cid, f)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := make([]userOut, len(users))
	for i, u := range users {
		out[i] = renderUser(u, f.IncludeExtraFields)
	}
	if err := s.nameChannels(r.Context(), buyerOf(r.Context()).Tenant, userChannelLists(out)...); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeList(w, out, Pagination{Limit: f.Limit, Offset: f.Offset, TotalCount: total})
}

// companyAndUser reads the {companyId} and {userId} path values.
func companyAndUser(r *http.Request) (int64, int64, error) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		return 0, 0, err
	}
	uid, err := pathID(r, "userId")
	return cid, uid, err
}

func (s *Server) buyerGetUser(w http.ResponseWriter, r *http.Request) {
	cid, uid, err := companyAndUser(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	u, err := s.app.BuyerUser(r.Context(), buyerOf(r.Context()), cid, uid)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := renderUser(u, true)
	if err := s.nameChannels(r.Context(), buyerOf(r.Context()).Tenant, out.ChannelList); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, out)
}

func (s *Server) buyerCreateUser(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	var body userIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out, err := s.app.BuyerCreateUser(r.Context(), buyerOf(r.Context()), cid, in)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, newIDsOut{UserID: out.UserID, BcID: out.CustomerID})
}

func (s *Server) buyerUpdateUser(w http.ResponseWriter, r *http.Request) {
	cid, uid, err := companyAndUser(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	var body userPatchIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	pt, err := body.toPatch()
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	u, err := s.app.BuyerUpdateUser(r.Context(), buyerOf(r.Context()), cid, uid, pt)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := renderUser(u, true)
	if err := s.nameChannels(r.Context(), buyerOf(r.Context()).Tenant, out.ChannelList); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, out)
}

func (s *Server) buyerDeleteUser(w http.ResponseWriter, r *http.Request) {
	cid, uid, err := companyAndUser(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	if err := s.app.BuyerDeleteUser(r.Context(), buyerOf(r.Context()), cid, uid); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, userIDOut{UserID: uid})
}

func (s *Server) buyerListRoles(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	q, err := roleQuery(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	roles, total, err := s.app.BuyerRoles(r.Context(), buyerOf(r.Context()), cid, q)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := make([]roleDetailOut, len(roles))
	for i, role := range roles {
		out[i] = renderRoleDetail(role)
	}
	writeList(w, out, Pagination{Limit: q.Page.Limit, Offset: q.Page.Offset, TotalCount: total})
}

func (s *Server) buyerSubsidiaries(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	subs, err := s.app.BuyerSubsidiaries(r.Context(), buyerOf(r.Context()), cid)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := make([]buyerCompanyOut, len(subs))
	for i, c := range subs {
		out[i] = buyerCompanyOut{CompanyID: c.ID, CompanyName: c.Name, CompanyStatus: int(c.Status), Relation: "subsidiary"}
	}
	writeOK(w, out)
}

// purchaseAuthorizationOut is a purchase the storefront may let through.
type purchaseAuthorizationOut struct {
	DecisionID   string `json:"decisionId"`
	Allowed      bool   `json:"allowed"`
	Code         string `json:"code"`
	CompanyID    int64  `json:"companyId"`
	UserID       int64  `json:"userId"`
	SuperAdminID int64  `json:"superAdminId"`
	CustomerID   int64  `json:"customerId"`
	Role         string `json:"role"`
	GrantedLevel int    `json:"grantedLevel"`
	NeededLevel  int    `json:"neededLevel"`
	IssuedAt     int64  `json:"issuedAt"`
	ExpiresAt    int64  `json:"expiresAt"`
}

func (s *Server) buyerAuthorizePurchase(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	pa, err := s.app.AuthorizePurchase(r.Context(), buyerOf(r.Context()), cid)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, purchaseAuthorizationOut{
		DecisionID: pa.ID, Allowed: true, Code: pa.Code, CompanyID: pa.CompanyID, UserID: pa.UserID,
		SuperAdminID: pa.SuperAdminID, CustomerID: pa.CustomerID, Role: pa.Role,
		GrantedLevel: int(pa.Granted), NeededLevel: int(pa.Needed), IssuedAt: pa.IssuedAt.Unix(), ExpiresAt: pa.ExpiresAt.Unix(),
	})
}

func (s *Server) buyerLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.app.RevokeOwnBuyerToken(r.Context(), buyerOf(r.Context())); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}
