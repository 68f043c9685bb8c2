package httpapi

import (
	"net/http"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/authz"
)

// Company roles and permissions (company.yaml, "Company Roles and
// Permissions"): /companies/permissions and /companies/roles.

// msgSuccessLower is the meta.message of the vendor's role list example.
const msgSuccessLower = "success"

type permissionOut struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Code        string `json:"code"`
	IsCustom    bool   `json:"isCustom"`
	ModuleName  string `json:"moduleName"`
	// PermissionLevels is Guild's addition: the levels a role may grant the
	// code at.
	PermissionLevels []int `json:"permissionLevels"`
}

func renderPermission(p authz.Permission) permissionOut {
	levels := p.AllowedLevels()
	ls := make([]int, len(levels))
	for i, l := range levels {
		ls[i] = int(l)
	}
	return permissionOut{ID: p.ID, Name: p.Name, Description: p.Description, Code: p.Code, IsCustom: p.Custom, ModuleName: p.Module, PermissionLevels: ls}
}

type permissionIn struct {
	Name        Str `json:"name"`
	Description Str `json:"description"`
	Code        Str `json:"code"`
	ModuleName  Str `json:"moduleName"`
}

func (in permissionIn) toInput() (app.PermissionInput, error) {
	var c checker
	c.str("name", in.Name)
	c.str("description", in.Description)
	c.str("code", in.Code)
	c.str("module_name", in.ModuleName)
	return app.PermissionInput{Name: in.Name.V, Code: in.Code.V, Description: in.Description.V, Module: in.ModuleName.V}, c.err()
}

func (s *Server) listPermissions(w http.ResponseWriter, r *http.Request) {
	perms, err := s.app.ListPermissions(r.Context(), tenantOf(r.Context()), r.URL.Query().Get("q"))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]permissionOut, len(perms))
	for i, p := range perms {
		out[i] = renderPermission(p)
	}
	writeOK(w, out)
}

// readPermission reads a permission request body.
func readPermission(w http.ResponseWriter, r *http.Request) (app.PermissionInput, error) {
	var body permissionIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		return app.PermissionInput{}, err
	}
	return body.toInput()
}

func (s *Server) createPermission(w http.ResponseWriter, r *http.Request) {
	in, err := readPermission(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	p, err := s.app.CreatePermission(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderPermission(p))
}

func (s *Server) updatePermission(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "permissionId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := readPermission(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	p, err := s.app.UpdatePermission(r.Context(), tenantOf(r.Context()), id, in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderPermission(p))
}

func (s *Server) deletePermission(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "permissionId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeletePermission(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}

// roleLevelStore is the vendor's roleLevel: every role is available to the
// whole store.
const roleLevelStore = 1

type roleOut struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	RoleType int    `json:"roleType"`
	// RoleLevel is always 1: roles are defined for the whole store.
	RoleLevel int `json:"roleLevel"`
}

type roleGrantOut struct {
	// ID is the permission's id (0 for a code no longer defined).
	ID              int64  `json:"id"`
	Code            string `json:"code"`
	PermissionLevel int    `json:"permissionLevel"`
}

type roleDetailOut struct {
	roleOut
	Permissions []roleGrantOut `json:"permissions"`
}

func renderRole(r app.RoleInfo) roleOut {
	return roleOut{ID: r.ID, Name: r.Name, RoleType: int(r.Type), RoleLevel: roleLevelStore}
}

func renderRoleDetail(r app.RoleInfo) roleDetailOut {
	out := roleDetailOut{roleOut: renderRole(r), Permissions: make([]roleGrantOut, len(r.Permissions))}
	for i, g := range r.Permissions {
		out.Permissions[i] = roleGrantOut{ID: g.PermissionID, Code: g.Code, PermissionLevel: int(g.Level)}
	}
	return out
}

type roleGrantIn struct {
	Code            Str `json:"code"`
	PermissionLevel Int `json:"permissionLevel"`
}

type roleIn struct {
	Name        Str           `json:"name"`
	Permissions []roleGrantIn `json:"permissions"`
}

func (in roleIn) toInput() (app.RoleInput, error) {
	var c checker
	c.str("name", in.Name)
	out := app.RoleInput{Name: in.Name.V, Permissions: make([]app.GrantInput, len(in.Permissions))}
	for i, g := range in.Permissions {
		c.str("permissions", g.Code)
		if g.PermissionLevel.Bad != "" {
			c.add("permissions", "permissionLevel of %q %s", g.Code.V, g.PermissionLevel.Bad)
		}
		if !g.PermissionLevel.Set || g.PermissionLevel.Null {
			c.add("permissions", "%q needs a permissionLevel: 1 (User), 2 (Company) or 3 (Company and subsidiaries)", g.Code.V)
		}
		out.Permissions[i] = app.GrantInput{Code: g.Code.V, Level: g.PermissionLevel.V}
	}
	return out, c.err()
}

// readRole reads a role request body.
func readRole(w http.ResponseWriter, r *http.Request) (app.RoleInput, error) {
	var body roleIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		return app.RoleInput{}, err
	}
	return body.toInput()
}

// roleQuery reads q, limit and offset (the page is checked by internal/app).
func roleQuery(r *http.Request) (app.RoleQuery, error) {
	var c checker
	v := r.URL.Query()
	q := app.RoleQuery{Query: v.Get("q"), Page: queryPage(&c, v)}
	return q, c.err()
}

func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) {
	q, err := roleQuery(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	roles, total, err := s.app.ListRoles(r.Context(), tenantOf(r.Context()), q)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]roleOut, len(roles))
	for i, role := range roles {
		out[i] = renderRole(role)
	}
	writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: out, Meta: listMeta{Message: msgSuccessLower,
		Pagination: Pagination{Limit: q.Page.Limit, Offset: q.Page.Offset, TotalCount: total}}})
}

// pathRoleID reads a role id: 0, 1 and 2 are the predefined roles, so 0 is
// a valid id here.
func pathRoleID(r *http.Request) (int64, error) {
	raw := r.PathValue("roleId")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 0 {
		return 0, guild.FieldError("roleId", "must be a role id: 0, 1 or 2 for the predefined roles, or a custom role's id (got %q)", raw)
	}
	return id, nil
}

func (s *Server) getRole(w http.ResponseWriter, r *http.Request) {
	id, err := pathRoleID(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	role, err := s.app.Role(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderRoleDetail(role))
}

func (s *Server) createRole(w http.ResponseWriter, r *http.Request) {
	in, err := readRole(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	role, err := s.app.CreateRole(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderRoleDetail(role))
}

func (s *Server) updateRole(w http.ResponseWriter, r *http.Request) {
	id, err := pathRoleID(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := readRole(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	role, err := s.app.UpdateRole(r.Context(), tenantOf(r.Context()), id, in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderRoleDetail(role))
}

func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request) {
	id, err := pathRoleID(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeleteRole(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}
