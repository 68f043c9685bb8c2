package httpapi

import (
	"net/http"
	"strings"

	"github.com/guild-b2b/guild/internal/app"
)

// The super-admin endpoints (the vendor's super_admin.yaml) answer
// "Success"; their lists take at most app.MaxSuperAdminLimit items a page.

func (s *Server) createSuperAdmin(w http.ResponseWriter, r *http.Request) {
	var body superAdminIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.CreateSuperAdmin(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, createdSuperAdminOut{UserID: out.SuperAdminID, CustomerID: out.CustomerID})
}

func (s *Server) bulkCreateSuperAdmins(w http.ResponseWriter, r *http.Request) {
	body, errs, ok := bulkBody[superAdminIn](s, w, r, "super admins")
	if !ok {
		return
	}
	ins := convertItems(body, errs, superAdminIn.toInput)
	err := itemErrors(len(body), errs)
	var created []app.CreatedSuperAdmin
	if err == nil {
		created, err = s.app.BulkCreateSuperAdmins(r.Context(), tenantOf(r.Context()), ins)
	}
	if env, ok := bulkItemsError(err); ok {
		writeJSON(w, env.Code, env)
		return
	}
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	ids := make([]int64, len(created))
	for i, c := range created {
		ids[i] = c.SuperAdminID
	}
	writeSuccess(w, bulkSuperAdminsOut{SuperAdminIDs: ids})
}

// getSuperAdminSub dispatches GET /super-admins/{first}/{second}:
// /super-admins/info/{superAdminId} and /super-admins/{superAdminId}/companies
// overlap as mux patterns.
func (s *Server) getSuperAdminSub(w http.ResponseWriter, r *http.Request) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "info":
		r.SetPathValue("superAdminId", second)
		s.getSuperAdmin(w, r)
	case second == "companies":
		r.SetPathValue("superAdminId", first)
		s.superAdminCompanies(w, r)
	default:
		s.noRoute(w, r, http.NotFoundHandler())
	}
}

func (s *Server) getSuperAdmin(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "superAdminId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	sa, err := s.app.SuperAdmin(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := renderSuperAdmin(sa, true)
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), out.ChannelList); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, out)
}

func (s *Server) updateSuperAdmin(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "superAdminId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body superAdminPatchIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	pt, err := body.toPatch()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	sa, err := s.app.UpdateSuperAdmin(r.Context(), tenantOf(r.Context()), id, pt)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := renderSuperAdmin(sa, true)
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), out.ChannelList); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, out)
}

func (s *Server) assignCompanies(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "superAdminId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body companyAssignmentsIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	as, err := toAssignments(body.Companies, "companies", "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.AssignCompanies(r.Context(), tenantOf(r.Context()), id, as); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, struct{}{})
}

func (s *Server) assignSuperAdmins(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body superAdminAssignmentsIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	as, err := toAssignments(body.SuperAdmins, "superAdmins", "superAdminId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.AssignSuperAdmins(r.Context(), tenantOf(r.Context()), id, as); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, struct{}{})
}

func (s *Server) superAdminCompanies(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "superAdminId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	pg := queryPage(&c, r.URL.Query())
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	companies, total, err := s.app.SuperAdminCompanies(r.Context(), tenantOf(r.Context()), id, pg)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]companyCoreOut, len(companies))
	for i, co := range companies {
		out[i] = renderCompanyCore(co)
	}
	writeSuccessList(w, out, Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total})
}

func (s *Server) companiesWithSuperAdmins(w http.ResponseWriter, r *http.Request) {
	var c checker
	v := r.URL.Query()
	pg := queryPage(&c, v)
	desc := queryOrder(&c, v)
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	companies, total, err := s.app.CompaniesWithSuperAdmins(r.Context(), tenantOf(r.Context()), pg, desc)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]companySuperAdminsOut, len(companies))
	for i, co := range companies {
		out[i] = renderCompanySuperAdmins(co)
	}
	writeSuccessList(w, out, Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total})
}

func (s *Server) listSuperAdmins(w http.ResponseWriter, r *http.Request) {
	q, withExtra, err := parseSuperAdminQuery(r.URL.Query())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	admins, total, err := s.app.ListSuperAdmins(r.Context(), tenantOf(r.Context()), q)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]superAdminOut, len(admins))
	for i, sa := range admins {
		out[i] = renderSuperAdmin(sa.SuperAdmin, withExtra)
		n := sa.CompanyCount
		out[i].CompanyCount = &n
	}
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), superAdminChannelLists(out)...); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccessList(w, out, Pagination{Limit: q.Limit, Offset: q.Offset, TotalCount: total})
}

func (s *Server) companySuperAdmins(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	v := r.URL.Query()
	pg := queryPage(&c, v)
	withExtra := queryFlag(&c, v, "isIncludeExtraFields")
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	q := app.SuperAdminQuery{Limit: pg.Limit, Offset: pg.Offset, Query: strings.TrimSpace(v.Get("q"))}
	admins, total, err := s.app.CompanySuperAdmins(r.Context(), tenantOf(r.Context()), id, q)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]superAdminOut, len(admins))
	for i, sa := range admins {
		out[i] = renderSuperAdmin(sa, withExtra)
	}
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), superAdminChannelLists(out)...); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccessList(w, out, Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total})
}
