package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

type createdCompanyOut struct {
	CompanyID       int64 `json:"companyId"`
	CustomerID      int64 `json:"customerId"`
	CustomerGroupID int64 `json:"customerGroupId"`
}

type companyIDOut struct {
	CompanyID int64 `json:"companyId"`
}

type companyIDStringOut struct {
	CompanyID string `json:"companyId"`
}

func (s *Server) createCompany(w http.ResponseWriter, r *http.Request) {
	var body companyIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.CreateCompany(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, createdCompanyOut{CompanyID: out.CompanyID, CustomerID: out.CustomerID, CustomerGroupID: out.CustomerGroupID})
}

func (s *Server) getCompany(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	c, err := s.app.Company(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderCompanyDetail(c))
}

func (s *Server) updateCompany(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body companyPatchIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	pt, err := body.toPatch()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.UpdateCompany(r.Context(), tenantOf(r.Context()), id, pt); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, companyIDOut{CompanyID: id})
}

func (s *Server) deleteCompany(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeleteCompany(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}

// bulkCreatedOut is bulk create's answer, shaped as the vendor's example:
// the company ids travel in meta.
type bulkCreatedOut struct {
	Code int            `json:"code"`
	Data bulkBatchOut   `json:"data"`
	Meta []companyIDOut `json:"meta"`
}

type bulkBatchOut struct {
	ID string `json:"id"`
}

// bulkBody reads a bulk body: an array of at most app.MaxBulk items (413
// past that, whatever the items hold); what names the items in the 413.
// Items that cannot be decoded are reported in errs by index.
func bulkBody[T any](s *Server, w http.ResponseWriter, r *http.Request, what string) (items []T, errs map[int]error, ok bool) {
	var raw []json.RawMessage
	if err := decodeBody(w, r, '[', &raw); err != nil {
		writeError(w, r, s.logger, err)
		return nil, nil, false
	}
	if len(raw) > app.MaxBulk {
		writeError(w, r, s.logger, guild.Errorf(guild.ETooLarge, "a bulk request takes at most %d %s; this one has %d: split it", app.MaxBulk, what, len(raw)))
		return nil, nil, false
	}
	items, errs = make([]T, len(raw)), map[int]error{}
	for i, item := range raw {
		if t := bytes.TrimSpace(item); len(t) == 0 || t[0] != '{' {
			errs[i] = guild.Errorf(guild.EInvalid, "item %d must be a JSON object", i)
			continue
		}
		if err := unmarshal(item, &items[i]); err != nil {
			errs[i] = err
		}
	}
	return items, errs, true
}

// convertItems converts each decoded bulk item with convert, skipping items
// that already failed to decode and recording conversion errors in errs.
func convertItems[T, U any](items []T, errs map[int]error, convert func(T) (U, error)) []U {
	out := make([]U, len(items))
	for i, item := range items {
		if errs[i] != nil {
			continue
		}
		var err error
		if out[i], err = convert(item); err != nil {
			errs[i] = err
		}
	}
	return out
}

// itemErrors turns per-item wire problems into the bulk error shape.
func itemErrors(n int, errs map[int]error) error {
	if len(errs) == 0 {
		return nil
	}
	items := make([]map[string][]string, n)
	var parts []string
	for i := range items {
		items[i] = map[string][]string{}
		var e *guild.Error
		if errors.As(errs[i], &e) {
			if len(e.Fields) > 0 {
				items[i] = e.Fields
			} else {
				items[i] = map[string][]string{"error": {e.Message}}
			}
			parts = append(parts, fmt.Sprintf("item %d: %s", i, e.Message))
		}
	}
	return &guild.Error{Code: guild.EInvalid, Message: "nothing was written; " + strings.Join(parts, "; "), Items: items}
}

func (s *Server) bulkCreateCompanies(w http.ResponseWriter, r *http.Request) {
	body, errs, ok := bulkBody[companyIn](s, w, r, "companies")
	if !ok {
		return
	}
	ins := convertItems(body, errs, companyIn.toInput)
	if err := itemErrors(len(body), errs); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.BulkCreateCompanies(r.Context(), tenantOf(r.Context()), ins)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	meta := make([]companyIDOut, len(out))
	for i, c := range out {
		meta[i] = companyIDOut{CompanyID: c.CompanyID}
	}
	writeJSON(w, http.StatusOK, bulkCreatedOut{Code: http.StatusOK, Data: bulkBatchOut{ID: uuid.NewString()}, Meta: meta})
}

type bulkUpdatedOut struct {
	CompanyIDs []int64 `json:"companyIds"`
}

func (s *Server) bulkUpdateCompanies(w http.ResponseWriter, r *http.Request) {
	body, errs, ok := bulkBody[companyPatchIn](s, w, r, "companies")
	if !ok {
		return
	}
	pts := convertItems(body, errs, companyPatchIn.toPatch)
	if err := itemErrors(len(body), errs); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	ids, err := s.app.BulkUpdateCompanies(r.Context(), tenantOf(r.Context()), pts)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, bulkUpdatedOut{CompanyIDs: ids})
}

func (s *Server) convertCustomerGroup(w http.ResponseWriter, r *http.Request) {
	groupID, err := pathID(r, "customerGroupId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body companyIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.ConvertCustomerGroup(r.Context(), tenantOf(r.Context()), groupID, in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, companyIDStringOut{CompanyID: strconv.FormatInt(out.CompanyID, 10)})
}

type statusIn struct {
	CompanyStatus Int `json:"companyStatus"`
}

func (s *Server) setCompanyStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var body statusIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.int("company_status", body.CompanyStatus)
	if !body.CompanyStatus.Set || (body.CompanyStatus.Bad == "" && body.CompanyStatus.Ptr() == nil) {
		c.add("company_status", "is required: 0 (pending), 1 (approved), 2 (rejected), 3 (inactive) or 4 (deleted)")
	}
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.SetCompanyStatus(r.Context(), tenantOf(r.Context()), id, guild.CompanyStatus(body.CompanyStatus.V)); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, companyIDOut{CompanyID: id})
}

type catalogIn struct {
	CatalogID Int `json:"catalogId"`
}

func (s *Server) setCompanyCatalog(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	t := tenantOf(r.Context())
	if !t.DependentCompanies {
		writeError(w, r, s.logger, s.app.SetCompanyCatalog(r.Context(), t, id, 0))
		return
	}
	var body catalogIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.int("catalog_id", body.CatalogID)
	if body.CatalogID.Ptr() == nil && body.CatalogID.Bad == "" {
		c.add("catalog_id", "is required: the id of the price list to assign (0 removes it)")
	}
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.SetCompanyCatalog(r.Context(), t, id, body.CatalogID.V); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, companyIDOut{CompanyID: id})
}

func (s *Server) listCompanies(w http.ResponseWriter, r *http.Request) {
	q, err := parseCompanyQuery(r.URL.Query())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	t := tenantOf(r.Context())
	var list []guild.Company
	total := 0
	q.NoMatch = q.noOrders
	list, total, err = s.app.ListCompanies(r.Context(), t, q.CompanyQuery)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	items := make([]companyListItem, len(list))
	for i, c := range list {
		items[i] = renderCompanyListItem(c, q.IncludeExtraFields)
	}
	writeList(w, items, Pagination{Limit: q.Limit, Offset: q.Offset, TotalCount: total})
}

type companyListQuery struct {
	app.CompanyQuery
	// noOrders is set when the request filters by an order: Guild does not
	// track orders yet, so no company matches.
	noOrders bool
}

func parseCompanyQuery(v url.Values) (companyListQuery, error) {
	var c checker
	var q companyListQuery
	q.Limit = queryInt(&c, v, "limit", app.DefaultLimit)
	q.Offset = queryInt(&c, v, "offset", 0)
	q.MinModified = queryTime(&c, v, "minModified")
	q.MaxModified = queryTime(&c, v, "maxModified")
	q.MinCreated = queryTime(&c, v, "minCreated")
	q.MaxCreated = queryTime(&c, v, "maxCreated")
	switch sb := v.Get("sortBy"); sb {
	case "", "updatedAt":
		q.SortBy = guild.SortByUpdatedAt
	case "companyName":
		q.SortBy = guild.SortByCompanyName
	default:
		c.add("sortBy", "must be updatedAt or companyName (got %q)", sb)
	}
	switch ob := strings.ToUpper(v.Get("orderBy")); ob {
	case "", "DESC":
		q.Descending = true
	case "ASC":
	default:
		c.add("orderBy", "must be ASC or DESC (got %q)", v.Get("orderBy"))
	}
	switch ie := strings.ToLower(v.Get("isIncludeExtraFields")); ie {
	case "", "0", "false":
	case "1", "true":
		q.IncludeExtraFields = true
	default:
		c.add("isIncludeExtraFields", "must be 0 or 1 (got %q)", ie)
	}
	if v.Has("companyStatus") && v.Get("companyStatus") != "" {
		st := guild.CompanyStatus(queryInt(&c, v, "companyStatus", 0))
		q.Status = &st
	}
	q.Query = strings.TrimSpace(v.Get("q"))
	if v.Get("bcGroupId") != "" {
		g := int64(queryInt(&c, v, "bcGroupId", 0))
		q.CustomerGroupID = &g
	}
	if v.Get("customerId") != "" {
		id := int64(queryInt(&c, v, "customerId", 0))
		q.CustomerID = &id
	}
	if v.Get("bcOrderId") != "" {
		queryInt(&c, v, "bcOrderId", 0)
		q.noOrders = true
	}
	if v.Get("orderId") != "" {
		queryInt(&c, v, "orderId", 0)
		q.noOrders = true
	}
	switch ft := v.Get("extraFieldFilterType"); ft {
	case "", "search":
	case "exact-match":
		q.ExactExtraFields = true
	default:
		c.add("extraFieldFilterType", "must be search or exact-match (got %q)", ft)
	}
	for _, raw := range append(v["extraFields"], v["extraFields[]"]...) {
		for _, pair := range splitExtraFieldFilters(raw) {
			name, value, ok := strings.Cut(pair, ":")
			if !ok || strings.TrimSpace(name) == "" {
				c.add("extraFields", "each filter must be name:value (got %q)", pair)
				continue
			}
			q.ExtraFieldFilters = append(q.ExtraFieldFilters, app.ExtraFieldFilter{Name: strings.TrimSpace(name), Value: value})
		}
	}
	return q, c.err()
}

// splitExtraFieldFilters splits "a:1,b:2" into its name:value pairs; a comma
// followed by text without a colon belongs to the previous value.
func splitExtraFieldFilters(raw string) []string {
	var out []string
	for _, part := range strings.Split(raw, ",") {
		if len(out) > 0 && !strings.Contains(part, ":") {
			out[len(out)-1] += "," + part
			continue
		}
		out = append(out, part)
	}
	return out
}

func queryInt(c *checker, v url.Values, name string, def int) int {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def
	}
	n, err := parseInt(raw)
	if err != nil || n > 1<<31 || n < -(1<<31) {
		c.add(name, "must be an integer (got %q)", raw)
		return def
	}
	return int(n)
}

// queryTime reads a unix-seconds timestamp.
func queryTime(c *checker, v url.Values, name string) time.Time {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return time.Time{}
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || f < 0 || f > 1<<40 {
		c.add(name, "must be a unix timestamp in seconds (got %q)", raw)
		return time.Time{}
	}
	return time.Unix(int64(f), 0).UTC()
}
