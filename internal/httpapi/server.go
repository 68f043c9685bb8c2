// Package httpapi serves Guild's HTTP API: the vendor-compatible
// server-to-server API under /api/v3/io, Guild's extensions beside it, health
// checks and metrics. Vendor quirks (envelopes, scalar types, messages) live
// here and nowhere else.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configures a Server.
type Options struct {
	App    *app.App
	Logger *slog.Logger
	// Registry receives the HTTP metrics and is served at /metrics; nil
	// creates a fresh one.
	Registry *prometheus.Registry
	// OpenAPI is Guild's OpenAPI document, served at /api/v3/io/openapi.yaml.
	OpenAPI []byte
	// Ready reports whether the service can serve (e.g. the database
	// answers); nil means always ready.
	Ready func(ctx context.Context) error
	// AccessLog logs one line per request.
	AccessLog bool
}

// Server is the HTTP API. It implements http.Handler.
type Server struct {
	app       *app.App
	logger    *slog.Logger
	mux       *http.ServeMux
	metrics   *metrics
	openAPI   []byte
	ready     func(ctx context.Context) error
	accessLog bool
}

// New returns a Server with every route registered.
func New(opts Options) *Server {
	s := &Server{app: opts.App, logger: opts.Logger, mux: http.NewServeMux(), openAPI: opts.OpenAPI, ready: opts.Ready, accessLog: opts.AccessLog}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	s.routes()
	return s
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)
	m.HandleFunc("GET /api/v3/io/openapi.yaml", s.openAPIDoc)

	auth := s.authenticated
	// Companies (vendor).
	m.HandleFunc("GET /api/v3/io/companies", auth(s.listCompanies))
	m.HandleFunc("POST /api/v3/io/companies", auth(s.createCompany))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}", auth(s.getCompany))
	m.HandleFunc("PUT /api/v3/io/companies/{companyId}", auth(s.updateCompany))
	m.HandleFunc("DELETE /api/v3/io/companies/{companyId}", auth(s.deleteCompany))
	m.HandleFunc("POST /api/v3/io/companies/bulk", auth(s.bulkCreateCompanies))
	m.HandleFunc("PUT /api/v3/io/companies/bulk", auth(s.bulkUpdateCompanies))
	m.HandleFunc("POST /api/v3/io/customer-groups/{customerGroupId}/companies", auth(s.convertCustomerGroup))
	// PUT /companies/{companyId}/status|catalogs and PUT
	// /companies/extra-fields/{id} overlap as mux patterns; one route
	// dispatches them.
	m.HandleFunc("PUT /api/v3/io/companies/{first}/{second}", auth(s.putCompanySub))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/attachments", auth(s.listAttachments))
	m.HandleFunc("POST /api/v3/io/companies/{companyId}/attachments", auth(s.addAttachment))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/attachments/{attachmentId}", auth(s.downloadAttachment))
	m.HandleFunc("DELETE /api/v3/io/companies/{companyId}/attachments/{attachmentId}", auth(s.deleteAttachment))
	// Account hierarchy (vendor).
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/subsidiaries", auth(s.companySubsidiaries))
	m.HandleFunc("DELETE /api/v3/io/companies/{companyId}/subsidiaries/{childCompanyId}", auth(s.detachSubsidiary))
	m.HandleFunc("POST /api/v3/io/companies/{companyId}/parent", auth(s.attachParent))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/hierarchy", auth(s.companyHierarchy))

	// Extra-field definitions: GET is the vendor's; the writes are Guild's.
	for _, kind := range extraFieldKinds {
		base := "/api/v3/io/" + kind.path + "/extra-fields"
		m.HandleFunc("GET "+base, auth(s.listExtraFields(kind.kind)))
		m.HandleFunc("POST "+base, auth(s.createExtraField(kind.kind)))
		if kind.path != "companies" {
			m.HandleFunc("PUT "+base+"/{id}", auth(s.updateExtraField(kind.kind)))
		}
		m.HandleFunc("DELETE "+base+"/{id}", auth(s.deleteExtraField(kind.kind)))
	}

	// Users (vendor). GET /users/extra-fields is among the extra-field routes.
	m.HandleFunc("GET /api/v3/io/users", auth(s.listUsers))
	m.HandleFunc("POST /api/v3/io/users", auth(s.createUser))
	m.HandleFunc("POST /api/v3/io/users/bulk", auth(s.bulkCreateUsers))
	m.HandleFunc("GET /api/v3/io/users/{userId}", auth(s.getUser))
	m.HandleFunc("PUT /api/v3/io/users/{userId}", auth(s.updateUser))
	m.HandleFunc("DELETE /api/v3/io/users/{userId}", auth(s.deleteUser))
	m.HandleFunc("GET /api/v3/io/users/customer/{customerId}", auth(s.getUserByCustomer))

	// Super admins (vendor). PUT /companies/{companyId}/super-admins is
	// dispatched by putCompanySub.
	m.HandleFunc("POST /api/v3/io/super-admins", auth(s.createSuperAdmin))
	m.HandleFunc("POST /api/v3/io/super-admins/bulk", auth(s.bulkCreateSuperAdmins))
	m.HandleFunc("GET /api/v3/io/super-admins/companies", auth(s.companiesWithSuperAdmins))
	m.HandleFunc("PUT /api/v3/io/super-admins/{superAdminId}", auth(s.assignCompanies))
	// GET /super-admins/info/{superAdminId} and
	// /super-admins/{superAdminId}/companies overlap as mux patterns.
	m.HandleFunc("GET /api/v3/io/super-admins/{first}/{second}", auth(s.getSuperAdminSub))
	m.HandleFunc("PUT /api/v3/io/super-admins/info/{superAdminId}", auth(s.updateSuperAdmin))
	m.HandleFunc("GET /api/v3/io/companies/super-admins", auth(s.listSuperAdmins))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/super-admins", auth(s.companySuperAdmins))

	// Company roles and permissions (vendor). GET /companies/roles/{roleId}
	// overlaps GET /companies/{companyId}/attachments as mux patterns;
	// getCompanySub dispatches it.
	m.HandleFunc("GET /api/v3/io/companies/permissions", auth(s.listPermissions))
	m.HandleFunc("POST /api/v3/io/companies/permissions", auth(s.createPermission))
	m.HandleFunc("PUT /api/v3/io/companies/permissions/{permissionId}", auth(s.updatePermission))
	m.HandleFunc("DELETE /api/v3/io/companies/permissions/{permissionId}", auth(s.deletePermission))
	m.HandleFunc("GET /api/v3/io/companies/roles", auth(s.listRoles))
	m.HandleFunc("POST /api/v3/io/companies/roles", auth(s.createRole))
	m.HandleFunc("GET /api/v3/io/companies/{first}/{second}", auth(s.getCompanySub))
	m.HandleFunc("PUT /api/v3/io/companies/roles/{roleId}", auth(s.updateRole))
	m.HandleFunc("DELETE /api/v3/io/companies/roles/{roleId}", auth(s.deleteRole))

	// Addresses (vendor). GET /addresses/extra-fields is among the
	// extra-field routes.
	m.HandleFunc("GET /api/v3/io/addresses", auth(s.listAddresses))
	m.HandleFunc("POST /api/v3/io/addresses", auth(s.createAddress))
	m.HandleFunc("POST /api/v3/io/addresses/bulk", auth(s.bulkCreateAddresses))
	m.HandleFunc("GET /api/v3/io/addresses/{addressId}", auth(s.getAddress))
	m.HandleFunc("PUT /api/v3/io/addresses/{addressId}", auth(s.updateAddress))
	m.HandleFunc("DELETE /api/v3/io/addresses/{addressId}", auth(s.deleteAddress))
	m.HandleFunc("GET /api/v3/io/countries", auth(s.getCountry))
	m.HandleFunc("GET /api/v3/io/states", auth(s.getState))

	// Buyer tokens (vendor: /api/io/auth; revocation is Guild's extension).
	m.HandleFunc("POST /api/io/auth/customers/storefront", auth(s.issueStorefrontToken))
	m.HandleFunc("DELETE /api/io/auth/buyer-tokens/{tokenId}", auth(s.revokeBuyerToken))
	m.HandleFunc("DELETE /api/io/auth/customers/{customerId}/buyer-tokens", auth(s.revokeCustomerBuyerTokens))

	// The buyer API (Guild's): a buyer token, every route decided by the
	// permission engine.
	buyer := s.buyerAuthenticated
	m.HandleFunc("GET /api/v3/buyer/me", buyer(s.buyerMe))
	m.HandleFunc("DELETE /api/v3/buyer/token", buyer(s.buyerLogout))
	m.HandleFunc("GET /api/v3/buyer/companies", buyer(s.buyerCompanies))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/users", buyer(s.buyerListUsers))
	m.HandleFunc("POST /api/v3/buyer/companies/{companyId}/users", buyer(s.buyerCreateUser))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/users/{userId}", buyer(s.buyerGetUser))
	m.HandleFunc("PUT /api/v3/buyer/companies/{companyId}/users/{userId}", buyer(s.buyerUpdateUser))
	m.HandleFunc("DELETE /api/v3/buyer/companies/{companyId}/users/{userId}", buyer(s.buyerDeleteUser))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/roles", buyer(s.buyerListRoles))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/subsidiaries", buyer(s.buyerSubsidiaries))
	m.HandleFunc("POST /api/v3/buyer/companies/{companyId}/purchase-authorizations", buyer(s.buyerAuthorizePurchase))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/addresses", buyer(s.buyerListAddresses))
	m.HandleFunc("POST /api/v3/buyer/companies/{companyId}/addresses", buyer(s.buyerCreateAddress))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/addresses/default-billing", buyer(s.buyerDefaultAddress(guild.DefaultBilling)))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/addresses/default-shipping", buyer(s.buyerDefaultAddress(guild.DefaultShipping)))
	m.HandleFunc("GET /api/v3/buyer/companies/{companyId}/addresses/{addressId}", buyer(s.buyerGetAddress))
	m.HandleFunc("PUT /api/v3/buyer/companies/{companyId}/addresses/{addressId}", buyer(s.buyerUpdateAddress))
	m.HandleFunc("DELETE /api/v3/buyer/companies/{companyId}/addresses/{addressId}", buyer(s.buyerDeleteAddress))

	// Payments (vendor). PUT /companies/{companyId}/payments|credit|payment-terms
	// are dispatched by putCompanySub. The catalogue's reads by code and its
	// writes are Guild's extension.
	m.HandleFunc("GET /api/v3/io/payments", auth(s.listPayments))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/payments", auth(s.companyPayments))
	m.HandleFunc("GET /api/v3/io/company-payment-methods", auth(s.listEnabledPayments))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/credit", auth(s.getCompanyCredit))
	m.HandleFunc("GET /api/v3/io/companies/{companyId}/payment-terms", auth(s.getCompanyTerms))
	m.HandleFunc("POST /api/v3/io/payments", auth(s.createPaymentMethod))
	m.HandleFunc("GET /api/v3/io/payments/{code}", auth(s.getPaymentMethod))
	m.HandleFunc("PUT /api/v3/io/payments/{code}", auth(s.updatePaymentMethod))
	m.HandleFunc("DELETE /api/v3/io/payments/{code}", auth(s.deletePaymentMethod))

	// Channels (vendor reads; the writes are Guild's extension).
	m.HandleFunc("GET /api/v3/io/channels", auth(s.listChannels))
	m.HandleFunc("GET /api/v3/io/channels/{channel_id}", auth(s.getChannel))
	m.HandleFunc("POST /api/v3/io/channels", auth(s.createChannel))
	m.HandleFunc("PUT /api/v3/io/channels/{channel_id}", auth(s.updateChannel))

	// Customer groups (Guild's extension, while Guild is the platform).
	m.HandleFunc("GET /api/v3/io/customer-groups", auth(s.listCustomerGroups))
	m.HandleFunc("POST /api/v3/io/customer-groups", auth(s.createCustomerGroup))
	m.HandleFunc("GET /api/v3/io/customer-groups/{id}", auth(s.getCustomerGroup))
	m.HandleFunc("PUT /api/v3/io/customer-groups/{id}", auth(s.updateCustomerGroup))
	m.HandleFunc("DELETE /api/v3/io/customer-groups/{id}", auth(s.deleteCustomerGroup))

	// The platform connection and the sync's state (Guild's extension).
	m.HandleFunc("GET /api/v3/io/platform-connection", auth(s.getPlatformConnection))
	m.HandleFunc("PUT /api/v3/io/platform-connection", auth(s.putPlatformConnection))
	m.HandleFunc("DELETE /api/v3/io/platform-connection", auth(s.deletePlatformConnection))
	m.HandleFunc("GET /api/v3/io/sync/status", auth(s.syncStatus))
	m.HandleFunc("POST /api/v3/io/sync/retry", auth(s.retryDeadLetters))
	m.HandleFunc("GET /api/v3/io/sync/entities/{type}/{id}", auth(s.entitySync))
	m.HandleFunc("POST /api/v3/io/sync/import", auth(s.syncImport))
	m.HandleFunc("POST /api/v3/io/sync/reconcile", auth(s.syncReconcile))
}

// getCompanySub dispatches GET /companies/{first}/{second}: today only
// /companies/roles/{roleId} (the more specific patterns, such as
// /companies/{companyId}/attachments, are served by their own routes).
func (s *Server) getCompanySub(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("first") == "roles" {
		r.SetPathValue("roleId", r.PathValue("second"))
		s.getRole(w, r)
		return
	}
	s.noRoute(w, r, http.NotFoundHandler())
}

// putCompanySub dispatches PUT /companies/{first}/{second}.
func (s *Server) putCompanySub(w http.ResponseWriter, r *http.Request) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "extra-fields":
		r.SetPathValue("id", second)
		s.updateExtraField("company")(w, r)
	case second == "super-admins":
		r.SetPathValue("companyId", first)
		s.assignSuperAdmins(w, r)
	case second == "status":
		r.SetPathValue("companyId", first)
		s.setCompanyStatus(w, r)
	case second == "catalogs":
		r.SetPathValue("companyId", first)
		s.setCompanyCatalog(w, r)
	case second == "payments":
		r.SetPathValue("companyId", first)
		s.setCompanyPayments(w, r)
	case second == "credit":
		r.SetPathValue("companyId", first)
		s.setCompanyCredit(w, r)
	case second == "payment-terms":
		r.SetPathValue("companyId", first)
		s.setCompanyTerms(w, r)
	default:
		s.noRoute(w, r, http.NotFoundHandler())
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(r.Context()); err != nil {
			s.logger.WarnContext(r.Context(), "not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openAPIDoc(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.openAPI)
}
