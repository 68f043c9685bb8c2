package httpapi

import (
	"net/http"
	"strings"

	"github.com/guild-b2b/guild/internal/app"
)

// listPayments serves GET /payments: the store's payment methods.
func (s *Server) listPayments(w http.ResponseWriter, r *http.Request) {
	ms, err := s.app.ListPaymentMethods(r.Context(), tenantOf(r.Context()))
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	out := make([]paymentOut, len(ms))
	for i, m := range ms {
		out[i] = paymentOut{ID: m.ID, PaymentCode: m.Code, PaymentTitle: m.Title}
	}
	writeSuccess(w, out)
}

func (s *Server) companyPayments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	ps, err := s.app.CompanyPayments(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	out := make([]companyPaymentOut, len(ps))
	for i, p := range ps {
		out[i] = companyPaymentOut{PaymentID: p.Method.ID, Code: p.Method.Code, PaymentTitle: p.Method.Title, IsEnabled: p.Enabled}
	}
	writeSuccess(w, out)
}

func (s *Server) setCompanyPayments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	var body companyPaymentsIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	settings, err := body.toSettings()
	if err == nil {
		err = s.app.SetCompanyPayments(r.Context(), tenantOf(r.Context()), id, settings)
	}
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, []any{})
}

func (s *Server) listEnabledPayments(w http.ResponseWriter, r *http.Request) {
	f, err := parseEnabledPaymentQuery(r.URL.Query())
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	ps, total, err := s.app.ListEnabledCompanyPayments(r.Context(), tenantOf(r.Context()), f)
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	out := make([]enabledPaymentOut, len(ps))
	for i, p := range ps {
		out[i] = enabledPaymentOut{CompanyID: p.CompanyID, PaymentID: p.Method.ID, CreatedAt: p.CreatedAt.Unix(), UpdatedAt: p.UpdatedAt.Unix(),
			PaymentMethodCode: p.Method.Code, PaymentMethodTitle: p.Method.Title}
	}
	writeSuccessList(w, out, Pagination{Limit: f.Limit, Offset: f.Offset, TotalCount: total})
}

func (s *Server) getCompanyCredit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	c, err := s.app.CompanyCredit(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, renderCredit(c))
}

func (s *Server) setCompanyCredit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	var body creditIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	pt, err := body.toPatch()
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	c, err := s.app.UpdateCompanyCredit(r.Context(), tenantOf(r.Context()), id, pt)
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, renderCredit(c))
}

func (s *Server) getCompanyTerms(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	pt, err := s.app.CompanyPaymentTerms(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, termsOut{IsEnabled: pt.Enabled, PaymentTerms: pt.Days})
}

func (s *Server) setCompanyTerms(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	var body termsIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	var c checker
	c.bool("isEnabled", body.IsEnabled)
	c.int("paymentTerms", body.PaymentTerms)
	if err := c.err(); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	pt, err := s.app.SetCompanyPaymentTerms(r.Context(), tenantOf(r.Context()), id, body.IsEnabled.Ptr(), body.PaymentTerms.Ptr())
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, termsOut{IsEnabled: pt.Enabled, PaymentTerms: pt.Days})
}

// The payment-method catalogue endpoints are Guild's extension: the vendor
// manages payment methods only in its control panel.

func (s *Server) getPaymentMethod(w http.ResponseWriter, r *http.Request) {
	m, err := s.app.PaymentMethod(r.Context(), tenantOf(r.Context()), r.PathValue("code"))
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, renderPaymentMethod(m))
}

func (s *Server) createPaymentMethod(w http.ResponseWriter, r *http.Request) {
	var body paymentMethodIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	if err := body.check(); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	m, err := s.app.CreatePaymentMethod(r.Context(), tenantOf(r.Context()), app.PaymentMethodInput{
		Code: body.PaymentCode.V, Title: body.PaymentTitle.V, EnabledByDefault: body.IsEnabledByDefault.Ptr()})
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, renderPaymentMethod(m))
}

func (s *Server) updatePaymentMethod(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	var body paymentMethodIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	var c checker
	if err := body.check(); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	if body.PaymentCode.Set && strings.TrimSpace(body.PaymentCode.V) != code {
		c.add("paymentCode", "is read-only: companies' settings name the method by it; create a new method and delete this one")
	}
	if err := c.err(); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	m, err := s.app.UpdatePaymentMethod(r.Context(), tenantOf(r.Context()), code, app.PaymentMethodPatch{
		Title: body.PaymentTitle.Ptr(), EnabledByDefault: body.IsEnabledByDefault.Ptr()})
	if err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, renderPaymentMethod(m))
}

func (s *Server) deletePaymentMethod(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DeletePaymentMethod(r.Context(), tenantOf(r.Context()), r.PathValue("code")); err != nil {
		s.writePaymentError(w, r, err)
		return
	}
	writeSuccess(w, struct{}{})
}
