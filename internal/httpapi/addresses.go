package httpapi

import (
	"errors"
	"net/http"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The addresses endpoints (the vendor's address.yaml) answer "SUCCESS",
// except bulk create's "Success" (its example).

// writeAddressError answers an address endpoint's error. A missing address
// is the vendor's "Not Found Error"; update's 422 carries errMsg as a string
// (flat), as its schema has it.
func (s *Server) writeAddressError(w http.ResponseWriter, r *http.Request, err error, flat bool) {
	var ge *guild.Error
	if errors.As(err, &ge) {
		switch {
		case ge.Code == guild.ENotFound:
			writeJSON(w, http.StatusNotFound, envelope{Code: http.StatusNotFound, Data: errorData{ErrMsg: ge.Message}, Meta: message{Message: "Not Found Error"}})
			return
		case flat && ge.Code == guild.EInvalid && (len(ge.Fields) > 0 || ge.Items != nil):
			err = &guild.Error{Code: guild.EInvalid, Message: ge.Message}
		}
	}
	writeError(w, r, s.logger, err)
}

func (s *Server) listAddresses(w http.ResponseWriter, r *http.Request) {
	q, err := parseAddressQuery(r.URL.Query())
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	list, total, err := s.app.ListAddresses(r.Context(), tenantOf(r.Context()), q)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]addressOut, len(list))
	for i, a := range list {
		out[i] = renderAddress(a, q.IncludeExtraFields)
	}
	writeList(w, out, Pagination{Limit: q.Limit, Offset: q.Offset, TotalCount: total})
}

func (s *Server) createAddress(w http.ResponseWriter, r *http.Request) {
	in, err := readAddress(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	a, err := s.app.CreateAddress(r.Context(), tenantOf(r.Context()), in, 0)
	if err != nil {
		s.writeAddressError(w, r, err, false)
		return
	}
	writeOK(w, addressIDOut{AddressID: a.ID})
}

func (s *Server) bulkCreateAddresses(w http.ResponseWriter, r *http.Request) {
	body, errs, ok := bulkBody[addressIn](s, w, r, "addresses")
	if !ok {
		return
	}
	for i, err := range errs {
		errs[i] = snakeKeys(err)
	}
	ins := convertItems(body, errs, addressIn.toFields)
	if err := itemErrors(len(body), errs); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	created, err := s.app.BulkCreateAddresses(r.Context(), tenantOf(r.Context()), ins)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]addressOut, len(created))
	for i, a := range created {
		out[i] = renderAddress(a, true)
	}
	writeSuccess(w, out)
}

func (s *Server) getAddress(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "addressId")
	if err != nil {
		s.writeAddressError(w, r, err, false)
		return
	}
	a, err := s.app.Address(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		s.writeAddressError(w, r, err, false)
		return
	}
	writeOK(w, renderAddress(a, true))
}

func (s *Server) updateAddress(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "addressId")
	if err != nil {
		s.writeAddressError(w, r, err, true)
		return
	}
	in, err := readAddress(w, r)
	if err != nil {
		s.writeAddressError(w, r, err, true)
		return
	}
	if _, err := s.app.UpdateAddress(r.Context(), tenantOf(r.Context()), id, in); err != nil {
		s.writeAddressError(w, r, err, true)
		return
	}
	writeOK(w, addressIDOut{AddressID: id})
}

func (s *Server) deleteAddress(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "addressId")
	if err != nil {
		s.writeAddressError(w, r, err, false)
		return
	}
	if err := s.app.DeleteAddress(r.Context(), tenantOf(r.Context()), id); err != nil {
		s.writeAddressError(w, r, err, false)
		return
	}
	writeOK(w, addressIDOut{AddressID: id})
}

// countryOut and stateOut are GET /countries' and GET /states' data.
type countryOut struct {
	CountryCode string `json:"countryCode"`
	CountryName string `json:"countryName"`
}

type stateOut struct {
	StateCode string `json:"stateCode"`
	StateName string `json:"stateName"`
}

// searchType reads GET /countries' and /states' searchType: 0 (by name,
// the default) or 1 (by code).
func searchType(r *http.Request) (byCode bool, err error) {
	switch st := strings.TrimSpace(r.URL.Query().Get("searchType")); st {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, guild.FieldError("searchType", "must be 0 (search by name) or 1 (search by ISO code), got %q", st)
	}
}

// writeGeoNotFound answers the vendor's 404 of /countries and /states: its
// meta.message, and Guild's errMsg saying what to fix.
func writeGeoNotFound(w http.ResponseWriter, vendorMessage, detail string) {
	writeJSON(w, http.StatusNotFound, envelope{Code: http.StatusNotFound, Data: errorData{ErrMsg: detail}, Meta: message{Message: vendorMessage}})
}

func (s *Server) getCountry(w http.ResponseWriter, r *http.Request) {
	byCode, err := searchType(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	c, ok := app.LookupCountry(q, byCode)
	if !ok {
		what := "English name (searchType 0), e.g. q=United States"
		if byCode {
			what = "ISO 3166-1 alpha-2 code (searchType 1), e.g. q=US"
		}
		writeGeoNotFound(w, "Resource not found", "no country matches q="+quoteOrNone(q)+"; give a country's "+what)
		return
	}
	writeOK(w, countryOut{CountryCode: c.Code, CountryName: c.Name})
}

func (s *Server) getState(w http.ResponseWriter, r *http.Request) {
	const vendorMessage = "Please enter a valid state name or state abbreviation for the country."
	byCode, err := searchType(r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	v := r.URL.Query()
	country := strings.TrimSpace(v.Get("country"))
	if country == "" {
		country = "US"
	}
	// The country is taken by name or code whatever searchType says.
	c, ok := app.LookupCountry(country, true)
	if !ok {
		c, ok = app.LookupCountry(country, false)
	}
	if !ok {
		writeGeoNotFound(w, vendorMessage, "country="+quoteOrNone(country)+" is not a known country; give its English name or ISO 3166-1 alpha-2 code")
		return
	}
	if !app.StateRequired(c.Code) {
		writeGeoNotFound(w, vendorMessage, c.Name+" has no state list: its addresses take the state (if any) as free text in stateName")
		return
	}
	q := strings.TrimSpace(v.Get("q"))
	st, ok := app.LookupState(c.Code, q, byCode)
	if !ok {
		what := "name (searchType 0)"
		if byCode {
			what = "code (searchType 1)"
		}
		writeGeoNotFound(w, vendorMessage, "no state of "+c.Name+" has the "+what+" q="+quoteOrNone(q))
		return
	}
	writeOK(w, stateOut{StateCode: st.Code, StateName: st.Name})
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return `"` + s + `"`
}
