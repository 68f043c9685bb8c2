package httpapi

import (
	"net/http"
	"time"

	"github.com/guild-b2b/guild/internal/app"
)

// Buyer tokens (authentication.yaml, base path /api/io): a storefront,
// authenticated with the store's S2S token, exchanges a customer id for a
// buyer token. Guild adds revocation.

// storefrontTokenIn is POST /auth/customers/storefront's body: the vendor's
// customerId, channelId and customerAccessToken (accepted, not checked:
// Guild does not see the storefront's sessions), and Guild's additions:
// userId or superAdminId instead of customerId, and the token's lifetime as
// expiresIn (seconds) or endAt (unix seconds, as /auth/customers names it).
type storefrontTokenIn struct {
	CustomerID   Int `json:"customerId"`
	UserID       Int `json:"userId"`
	SuperAdminID Int `json:"superAdminId"`
	ChannelID    Int `json:"channelId"`
	ExpiresIn    Int `json:"expiresIn"`
	EndAt        Int `json:"endAt"`
}

// storefrontTokenOut is the answer: the vendor's token (an array holding the
// one secret, as the vendor's schema has it) and Guild's additions.
type storefrontTokenOut struct {
	Token        []string `json:"token"`
	TokenID      int64    `json:"tokenId"`
	TokenType    string   `json:"tokenType"`
	ExpiresAt    int64    `json:"expiresAt"`
	ExpiresIn    int64    `json:"expiresIn"`
	CustomerID   int64    `json:"customerId"`
	UserID       int64    `json:"userId"`
	SuperAdminID int64    `json:"superAdminId"`
	CompanyID    int64    `json:"companyId"`
}

func (in storefrontTokenIn) toInput() (app.IssueBuyerTokenInput, error) {
	var c checker
	c.int("customerId", in.CustomerID)
	c.int("userId", in.UserID)
	c.int("superAdminId", in.SuperAdminID)
	c.int("channelId", in.ChannelID)
	c.int("expiresIn", in.ExpiresIn)
	c.int("endAt", in.EndAt)
	out := app.IssueBuyerTokenInput{CustomerID: in.CustomerID.V, UserID: in.UserID.V, SuperAdminID: in.SuperAdminID.V, ChannelID: in.ChannelID.V}
	if in.ExpiresIn.Set && !in.ExpiresIn.Null {
		if in.ExpiresIn.V <= 0 {
			c.add("expiresIn", "must be a number of seconds above 0 (got %d)", in.ExpiresIn.V)
		}
		out.TTL = time.Duration(min(in.ExpiresIn.V, 1<<32)) * time.Second
	}
	if in.EndAt.Set && !in.EndAt.Null {
		if in.EndAt.V <= 0 || in.EndAt.V > 1<<40 {
			c.add("endAt", "must be a unix time in seconds (got %d)", in.EndAt.V)
		}
		out.ExpiresAt = time.Unix(min(max(in.EndAt.V, 0), 1<<40), 0)
	}
	return out, c.err()
}

func (s *Server) issueStorefrontToken(w http.ResponseWriter, r *http.Request) {
	var body storefrontTokenIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	in, err := body.toInput()
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.IssueBuyerToken(r.Context(), tenantOf(r.Context()), in)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	tok := out.Token
	writeOK(w, storefrontTokenOut{
		Token: []string{out.Secret}, TokenID: tok.ID, TokenType: "Bearer",
		ExpiresAt: tok.ExpiresAt.Unix(), ExpiresIn: int64(tok.ExpiresAt.Sub(tok.CreatedAt).Seconds()),
		CustomerID: out.CustomerID, UserID: out.User.ID, SuperAdminID: out.SuperAdmin.ID, CompanyID: out.User.CompanyID,
	})
}

func (s *Server) revokeBuyerToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "tokenId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.RevokeBuyerToken(r.Context(), tenantOf(r.Context()), id); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}

type revokedForOut struct {
	CustomerID   int64 `json:"customerId"`
	UserID       int64 `json:"userId"`
	SuperAdminID int64 `json:"superAdminId"`
}

func (s *Server) revokeCustomerBuyerTokens(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "customerId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out, err := s.app.RevokeCustomerBuyerTokens(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, revokedForOut{CustomerID: out.CustomerID, UserID: out.User.ID, SuperAdminID: out.SuperAdmin.ID})
}
