package httpapi

import (
	"net/http"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// Customer groups are Guild's extension: until a commerce platform is
// connected, Guild keeps the store's customer groups itself.

type customerGroupOut struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CompanyID int64  `json:"companyId"`
	CreatedAt int64  `json:"createdAt"`
	UpdatedAt int64  `json:"updatedAt"`
}

func renderGroup(g guild.CustomerGroup) customerGroupOut {
	return customerGroupOut{ID: g.ID, Name: g.Name, CompanyID: g.CompanyID, CreatedAt: g.CreatedAt.Unix(), UpdatedAt: g.UpdatedAt.Unix()}
}

type customerGroupIn struct {
	Name Str `json:"name"`
}

func (s *Server) listCustomerGroups(w http.ResponseWriter, r *http.Request) {
	var c checker
	pg := guild.Page{Limit: queryInt(&c, r.URL.Query(), "limit", app.DefaultLimit), Offset: queryInt(&c, r.URL.Query(), "offset", 0)}
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := app.CheckPage(pg); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	groups, total, err := s.app.ListCustomerGroups(r.Context(), tenantOf(r.Context()), pg)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]customerGroupOut, len(groups))
	for i, g := range groups {
		out[i] = renderGroup(g)
	}
	writeList(w, out, Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total})
}

func (s *Server) getCustomerGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	g, err := s.app.CustomerGroup(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderGroup(g))
}

func (s *Server) createCustomerGroup(w http.ResponseWriter, r *http.Request) {
	var body customerGroupIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.str("name", body.Name)
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	g, err := s.app.CreateCustomerGroup(r.Context(), tenantOf(r.Context()), body.Name.V)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderGroup(g))
}

func (s *Server) updateCustomerGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body customerGroupIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.str("name", body.Name)
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	g, err := s.app.RenameCustomerGroup(r.Context(), tenantOf(r.Context()), id, body.Name.V)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderGroup(g))
}

func (s *Server) deleteCustomerGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeleteCustomerGroup(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}
