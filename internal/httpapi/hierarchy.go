package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sort"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The account-hierarchy endpoints of company.yaml. They answer as the
// vendor's examples do: success bodies without "code", errors in the
// hierarchy's own shape {"status", "title", "errors": {"1": ...}}, 201 for
// attaching a parent and 204 for detaching a subsidiary.

// hierarchyErrorOut is the hierarchy endpoints' error body.
type hierarchyErrorOut struct {
	Status int               `json:"status"`
	Title  string            `json:"title"`
	Errors map[string]string `json:"errors"`
}

// writeHierarchyError answers err in the hierarchy's error shape: a request
// the vendor calls a parameter error (bad input, a broken rule) is 400, an
// unknown company 404; other codes keep their usual status.
func writeHierarchyError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	var ge *guild.Error
	if !errors.As(err, &ge) || ge.Code == guild.EInternal {
		if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
			w.WriteHeader(499) // as writeError: the client went away
			return
		}
		logger.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		writeJSON(w, http.StatusInternalServerError, hierarchyErrorOut{Status: http.StatusInternalServerError, Title: "Internal Server Error",
			Errors: map[string]string{"1": "internal error (request id " + requestID(r.Context()) + "); nothing was changed"}})
		return
	}
	status, title := statusOf(ge.Code)
	switch ge.Code {
	case guild.EInvalid, guild.EBadRequest:
		status, title = http.StatusBadRequest, "Parameter Error."
	case guild.ENotFound:
		title = "Parameter Error."
	}
	out := hierarchyErrorOut{Status: status, Title: title, Errors: map[string]string{}}
	if len(ge.Fields) == 0 {
		out.Errors["1"] = ge.Message
	} else {
		fields := make([]string, 0, len(ge.Fields))
		for f := range ge.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			for _, m := range ge.Fields[f] {
				out.Errors[strconv.Itoa(len(out.Errors)+1)] = f + ": " + m
			}
		}
	}
	writeJSON(w, status, out)
}

// hierarchyCompanyOut is the vendor's hierarchyCompany, with its
// subsidiaries (left out when it has none, as in the vendor's examples).
type hierarchyCompanyOut struct {
	CompanyID     int64                 `json:"companyId"`
	CompanyName   string                `json:"companyName"`
	CompanyStatus int                   `json:"companyStatus"`
	Subsidiaries  []hierarchyCompanyOut `json:"subsidiaries,omitempty"`
}

func renderHierarchy(tr *app.HierarchyTree) hierarchyCompanyOut {
	out := hierarchyCompanyOut{CompanyID: tr.ID, CompanyName: tr.Name, CompanyStatus: int(tr.Status)}
	if len(tr.Subsidiaries) > 0 {
		out.Subsidiaries = renderHierarchies(tr.Subsidiaries)
	}
	return out
}

func renderHierarchies(trs []*app.HierarchyTree) []hierarchyCompanyOut {
	out := make([]hierarchyCompanyOut, len(trs))
	for i, tr := range trs {
		out[i] = renderHierarchy(tr)
	}
	return out
}

// hierarchyPagination is the hierarchy lists' paging block, in the order of
// the vendor's examples.
type hierarchyPagination struct {
	TotalCount int `json:"totalCount"`
	Limit      int `json:"limit"`
	Offset     int `json:"offset"`
}

type hierarchyListOut struct {
	Data []hierarchyCompanyOut `json:"data"`
	Meta struct {
		Message    string              `json:"message"`
		Pagination hierarchyPagination `json:"pagination"`
	} `json:"meta"`
}

// writeHierarchyList answers a hierarchy list. A hierarchy can be large (500
// companies are about 30 kB), so it is encoded straight into the answer
// rather than into a copy first (writeJSON); its types cannot fail to
// encode.
func writeHierarchyList(w http.ResponseWriter, data []hierarchyCompanyOut, pg guild.Page, total int) {
	out := hierarchyListOut{Data: data}
	out.Meta.Message = msgSuccess
	out.Meta.Pagination = hierarchyPagination{TotalCount: total, Limit: pg.Limit, Offset: pg.Offset}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out) // the client going away is no error of ours
}

// hierarchyPage reads the path's company id and the query's page.
func hierarchyPage(r *http.Request) (int64, guild.Page, error) {
	id, err := pathID(r, "companyId")
	if err != nil {
		return 0, guild.Page{}, err
	}
	var c checker
	pg := queryPage(&c, r.URL.Query())
	return id, pg, c.err()
}

func (s *Server) companySubsidiaries(w http.ResponseWriter, r *http.Request) {
	id, pg, err := hierarchyPage(r)
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	subs, total, err := s.app.Subsidiaries(r.Context(), tenantOf(r.Context()), id, pg)
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	writeHierarchyList(w, renderHierarchies(subs), pg, total)
}

func (s *Server) companyHierarchy(w http.ResponseWriter, r *http.Request) {
	id, pg, err := hierarchyPage(r)
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	root, total, err := s.app.Hierarchy(r.Context(), tenantOf(r.Context()), id, pg)
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	writeHierarchyList(w, []hierarchyCompanyOut{renderHierarchy(root)}, pg, total)
}

type parentIn struct {
	ParentCompanyID Int `json:"parentCompanyId"`
}

// attachedOut is the vendor's example answer of POST /parent.
type attachedOut struct {
	Data []struct{} `json:"data"`
	Meta message    `json:"meta"`
}

func (s *Server) attachParent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	var body parentIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	var c checker
	c.int("parentCompanyId", body.ParentCompanyID)
	if body.ParentCompanyID.Bad == "" && (body.ParentCompanyID.Ptr() == nil || body.ParentCompanyID.V <= 0) {
		c.add("parentCompanyId", "is required: the id of the company to become the parent of company %d", id)
	}
	if err := c.err(); err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	if err := s.app.AttachParent(r.Context(), tenantOf(r.Context()), id, body.ParentCompanyID.V); err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	writeJSON(w, http.StatusCreated, attachedOut{Data: []struct{}{}, Meta: message{Message: msgSuccess}})
}

func (s *Server) detachSubsidiary(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	child, err := pathID(r, "childCompanyId")
	if err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	if err := s.app.DetachSubsidiary(r.Context(), tenantOf(r.Context()), id, child); err != nil {
		writeHierarchyError(w, r, s.logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// parentCompanyOut is company detail's parentCompany: empty ({}) for a root.
type parentCompanyOut struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}
