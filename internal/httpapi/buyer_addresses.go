package httpapi

import (
	"net/http"

	guild "github.com/guild-b2b/guild"
)

// The buyer API's address book: each request names its company in the
// path, and internal/app asks the permission engine before reading.

// companyAndAddress reads the {companyId} and {addressId} path values.
func companyAndAddress(r *http.Request) (int64, int64, error) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		return 0, 0, err
	}
	aid, err := pathID(r, "addressId")
	return cid, aid, err
}

func (s *Server) buyerListAddresses(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	q, err := parseAddressQuery(r.URL.Query())
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	list, total, err := s.app.BuyerAddresses(r.Context(), buyerOf(r.Context()), cid, q)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	out := make([]addressOut, len(list))
	for i, a := range list {
		out[i] = renderAddress(a, q.IncludeExtraFields)
	}
	writeList(w, out, Pagination{Limit: q.Limit, Offset: q.Offset, TotalCount: total})
}

func (s *Server) buyerGetAddress(w http.ResponseWriter, r *http.Request) {
	cid, aid, err := companyAndAddress(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	a, err := s.app.BuyerAddress(r.Context(), buyerOf(r.Context()), cid, aid)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderAddress(a, true))
}

func (s *Server) buyerDefaultAddress(which guild.AddressDefault) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cid, err := pathID(r, "companyId")
		if err != nil {
			writeBuyerError(w, r, s.logger, err)
			return
		}
		a, err := s.app.BuyerDefaultAddress(r.Context(), buyerOf(r.Context()), cid, which)
		if err != nil {
			writeBuyerError(w, r, s.logger, err)
			return
		}
		writeOK(w, renderAddress(a, true))
	}
}

func (s *Server) buyerCreateAddress(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "companyId")
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	in, err := readAddress(w, r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	a, err := s.app.BuyerCreateAddress(r.Context(), buyerOf(r.Context()), cid, in)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderAddress(a, true))
}

func (s *Server) buyerUpdateAddress(w http.ResponseWriter, r *http.Request) {
	cid, aid, err := companyAndAddress(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	in, err := readAddress(w, r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	a, err := s.app.BuyerUpdateAddress(r.Context(), buyerOf(r.Context()), cid, aid, in)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderAddress(a, true))
}

func (s *Server) buyerDeleteAddress(w http.ResponseWriter, r *http.Request) {
	cid, aid, err := companyAndAddress(r)
	if err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	if err := s.app.BuyerDeleteAddress(r.Context(), buyerOf(r.Context()), cid, aid); err != nil {
		writeBuyerError(w, r, s.logger, err)
		return
	}
	writeOK(w, addressIDOut{AddressID: aid})
}
