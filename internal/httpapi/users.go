package httpapi

import (
	"net/http"
)

// The users endpoints (the vendor's user.yaml) answer "Success".

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	f, err := parseUserFilter(r.URL.Query())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	users, total, err := s.app.ListUsers(r.Context(), tenantOf(r.Context()), f)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]userOut, len(users))
	for i, u := range users {
		out[i] = renderUser(u, f.IncludeExtraFields)
	}
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), userChannelLists(out)...); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccessList(w, out, Pagination{Limit: f.Limit, Offset: f.Offset, TotalCount: total})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var body userIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.CreateUser(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, newIDsOut{UserID: out.UserID, BcID: out.CustomerID})
}

func (s *Server) bulkCreateUsers(w http.ResponseWriter, r *http.Request) {
	body, errs, ok := bulkBody[userIn](s, w, r, "users")
	if !ok {
		return
	}
	ins := convertItems(body, errs, userIn.toInput)
	if err := itemErrors(len(body), errs); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	created, err := s.app.BulkCreateUsers(r.Context(), tenantOf(r.Context()), ins)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]newIDsOut, len(created))
	for i, c := range created {
		out[i] = newIDsOut{UserID: c.UserID, BcID: c.CustomerID}
	}
	writeSuccess(w, out)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	u, err := s.app.User(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := renderUser(u, true)
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), out.ChannelList); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, out)
}

func (s *Server) getUserByCustomer(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "customerId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	u, err := s.app.UserByCustomerID(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := renderUser(u, true)
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), out.ChannelList); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, out)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body userPatchIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	pt, err := body.toPatch()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	u, err := s.app.UpdateUser(r.Context(), tenantOf(r.Context()), id, pt)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := renderUser(u, true)
	if err := s.nameChannels(r.Context(), tenantOf(r.Context()), out.ChannelList); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, out)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeleteUser(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeSuccess(w, userIDOut{UserID: id})
}
