package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/authz"
)

// The buyer API (/api/v3/buyer/...) serves company users and super admins
// holding a buyer token. Its envelope is the S2S API's {code, data, meta}
// with meta.message "SUCCESS"; a refusal by the permission engine adds what
// is missing to data (see buyerRefusalData).

const keyBuyer ctxKey = 100

func buyerOf(ctx context.Context) *app.BuyerSession {
	s, _ := ctx.Value(keyBuyer).(*app.BuyerSession)
	return s
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// buyerAuthenticated requires a valid buyer token in "Authorization: Bearer".
// A token sent in the S2S headers instead is read only to say what is wrong
// with it (an S2S token is refused; a buyer token must move to the
// Authorization header).
func (s *Server) buyerAuthenticated(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret := bearer(r)
		if secret == "" {
			other := r.Header.Get("authToken")
			if other == "" {
				other = r.Header.Get("X-Auth-Token")
			}
			if app.IsBuyerTokenSecret(other) {
				writeBuyerError(w, r, s.logger, guild.Errorf(guild.EUnauthorized, "send the buyer token as \"Authorization: Bearer guildb_...\", not in the authToken or X-Auth-Token header"))
				return
			}
			secret = other
		}
		sess, err := s.app.AuthenticateBuyer(r.Context(), secret)
		if err != nil {
			writeBuyerError(w, r, s.logger, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), keyBuyer, sess)))
	}
}

// buyerPermissionOut says, in a 403, which permission was missing.
type buyerPermissionOut struct {
	Code         string `json:"code"`
	NeededLevel  int    `json:"neededLevel"`
	GrantedLevel int    `json:"grantedLevel"`
	Role         string `json:"role"`
}

// buyerRefusalData is data of a 403 the permission engine decided: errMsg
// (Decision.Message), the engine's reason, and the permission missing.
type buyerRefusalData struct {
	ErrMsg     string              `json:"errMsg"`
	Reason     authz.Reason        `json:"reason"`
	CompanyID  int64               `json:"companyId"`
	Permission *buyerPermissionOut `json:"permission,omitempty"`
}

// writeBuyerError answers an error of the buyer API. A refusal answered as
// 403 carries the engine's reason and the missing permission; one answered
// as 404 carries only its message, so that it reveals nothing.
func writeBuyerError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	var ref *app.Refusal
	if !errors.As(err, &ref) || ref.Decision.NotFound() {
		writeError(w, r, logger, err)
		return
	}
	d := ref.Decision
	status, msg := statusOf(guild.EForbidden)
	data := buyerRefusalData{ErrMsg: d.Message(), Reason: d.Reason, CompanyID: d.CompanyID}
	if d.Reason == authz.ReasonNotGranted || d.Reason == authz.ReasonLevelTooLow {
		data.Permission = &buyerPermissionOut{Code: d.Code, NeededLevel: int(d.Needed), GrantedLevel: int(d.Granted), Role: d.Role}
	}
	writeJSON(w, status, envelope{Code: status, Data: data, Meta: message{Message: msg}})
}
