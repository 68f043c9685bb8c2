package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The payment endpoints (the vendor's payment.yaml) answer "Success", and
// their errors differ from the other endpoints': bad input is a 400 whose
// errMsg is one string, an unknown payment code or company a 404 whose
// meta.message names what is missing, and credit on a store without the
// credit feature a 400 "API logic error".

const (
	msgPaymentBadRequest = "Bad Requests Error"
	msgPaymentLogic      = "API logic error"
	msgPaymentMissing    = "Payment Does not Exist"
	msgCompanyMissing    = "Company Does not Exist"
)

// writePaymentError answers err in the payment endpoints' shapes.
func (s *Server) writePaymentError(w http.ResponseWriter, r *http.Request, err error) {
	var ge *guild.Error
	if !errors.As(err, &ge) {
		writeError(w, r, s.logger, err)
		return
	}
	var status int
	var msg string
	switch {
	case ge.Code == guild.EBadRequest && errors.Is(err, app.ErrCreditDisabled):
		status, msg = http.StatusBadRequest, msgPaymentLogic
	case ge.Code == guild.EInvalid || ge.Code == guild.EBadRequest:
		status, msg = http.StatusBadRequest, msgPaymentBadRequest
	case ge.Code == guild.ENotFound && errors.Is(err, app.ErrNoSuchPayment):
		status, msg = http.StatusNotFound, msgPaymentMissing
	case ge.Code == guild.ENotFound:
		status, msg = http.StatusNotFound, msgCompanyMissing
	default:
		writeError(w, r, s.logger, err)
		return
	}
	writeJSON(w, status, envelope{Code: status, Data: errorData{ErrMsg: ge.Message}, Meta: message{Message: msg}})
}

// paymentOut is an item of GET /payments.
type paymentOut struct {
	ID           int64  `json:"id"`
	PaymentCode  string `json:"paymentCode"`
	PaymentTitle string `json:"paymentTitle"`
}

// paymentMethodOut is a payment method as Guild's extension endpoints show
// it: GET /payments' item plus the default and times.
type paymentMethodOut struct {
	paymentOut
	IsEnabledByDefault bool  `json:"isEnabledByDefault"`
	CreatedAt          int64 `json:"createdAt"`
	UpdatedAt          int64 `json:"updatedAt"`
}

func renderPaymentMethod(m guild.PaymentMethod) paymentMethodOut {
	return paymentMethodOut{paymentOut: paymentOut{ID: m.ID, PaymentCode: m.Code, PaymentTitle: m.Title},
		IsEnabledByDefault: m.EnabledByDefault, CreatedAt: m.CreatedAt.Unix(), UpdatedAt: m.UpdatedAt.Unix()}
}

// companyPaymentOut is an item of GET /companies/{companyId}/payments.
type companyPaymentOut struct {
	PaymentID    int64  `json:"paymentId"`
	Code         string `json:"code"`
	PaymentTitle string `json:"paymentTitle"`
	IsEnabled    bool   `json:"isEnabled"`
}

// enabledPaymentOut is an item of GET /company-payment-methods.
type enabledPaymentOut struct {
	CompanyID          int64  `json:"companyId"`
	PaymentID          int64  `json:"paymentId"`
	CreatedAt          int64  `json:"createdAt"`
	UpdatedAt          int64  `json:"updatedAt"`
	PaymentMethodCode  string `json:"paymentMethodCode"`
	PaymentMethodTitle string `json:"paymentMethodTitle"`
}

// creditOut is the vendor's creditStatus; availableCredit is a JSON number
// written from the exact decimal.
type creditOut struct {
	CreditEnabled   bool        `json:"creditEnabled"`
	CreditCurrency  string      `json:"creditCurrency"`
	AvailableCredit json.Number `json:"availableCredit"`
	LimitPurchases  bool        `json:"limitPurchases"`
	CreditHold      bool        `json:"creditHold"`
}

func renderCredit(c guild.CompanyCredit) creditOut {
	return creditOut{CreditEnabled: c.CreditEnabled, CreditCurrency: c.CreditCurrency, AvailableCredit: json.Number(c.AvailableCredit),
		LimitPurchases: c.LimitPurchases, CreditHold: c.CreditHold}
}

// termsOut is the vendor's termsStatus.
type termsOut struct {
	IsEnabled    bool `json:"isEnabled"`
	PaymentTerms int  `json:"paymentTerms"`
}

type paymentSettingIn struct {
	Code      Str  `json:"code"`
	IsEnabled Bool `json:"isEnabled"`
}

type companyPaymentsIn struct {
	Payments *[]paymentSettingIn `json:"payments"`
}

func (in companyPaymentsIn) toSettings() ([]app.PaymentSetting, error) {
	var c checker
	if in.Payments == nil {
		c.add("payments", "is required: a list of {code, isEnabled}")
		return nil, c.err()
	}
	out := make([]app.PaymentSetting, len(*in.Payments))
	for i, p := range *in.Payments {
		c.str(fmt.Sprintf("payments[%d].code", i), p.Code)
		c.bool(fmt.Sprintf("payments[%d].isEnabled", i), p.IsEnabled)
		out[i] = app.PaymentSetting{Code: p.Code.V, Enabled: p.IsEnabled.Ptr()}
	}
	return out, c.err()
}

type creditIn struct {
	CreditEnabled   Bool `json:"creditEnabled"`
	CreditCurrency  Str  `json:"creditCurrency"`
	AvailableCredit Str  `json:"availableCredit"`
	LimitPurchases  Bool `json:"limitPurchases"`
	CreditHold      Bool `json:"creditHold"`
}

func (in creditIn) toPatch() (app.CreditPatch, error) {
	var c checker
	c.bool("creditEnabled", in.CreditEnabled)
	c.str("creditCurrency", in.CreditCurrency)
	c.str("availableCredit", in.AvailableCredit)
	c.bool("limitPurchases", in.LimitPurchases)
	c.bool("creditHold", in.CreditHold)
	return app.CreditPatch{CreditEnabled: in.CreditEnabled.Ptr(), CreditCurrency: in.CreditCurrency.Ptr(),
		AvailableCredit: in.AvailableCredit.Ptr(), LimitPurchases: in.LimitPurchases.Ptr(), CreditHold: in.CreditHold.Ptr()}, c.err()
}

type termsIn struct {
	IsEnabled    Bool `json:"isEnabled"`
	PaymentTerms Int  `json:"paymentTerms"`
}

type paymentMethodIn struct {
	PaymentCode        Str  `json:"paymentCode"`
	PaymentTitle       Str  `json:"paymentTitle"`
	IsEnabledByDefault Bool `json:"isEnabledByDefault"`
}

func (in paymentMethodIn) check() error {
	var c checker
	c.str("paymentCode", in.PaymentCode)
	c.str("paymentTitle", in.PaymentTitle)
	c.bool("isEnabledByDefault", in.IsEnabledByDefault)
	return c.err()
}

// parseEnabledPaymentQuery reads GET /company-payment-methods' parameters.
func parseEnabledPaymentQuery(v url.Values) (guild.EnabledCompanyPaymentFilter, error) {
	var c checker
	f := guild.EnabledCompanyPaymentFilter{
		Limit: queryInt(&c, v, "limit", app.DefaultLimit), Offset: queryInt(&c, v, "offset", 0),
		Query: strings.TrimSpace(v.Get("q")), Desc: true,
	}
	switch order := strings.ToUpper(strings.TrimSpace(v.Get("orderBy"))); order {
	case "", "DESC":
	case "ASC":
		f.Desc = false
	default:
		c.add("orderBy", "must be ASC or DESC (got %q)", v.Get("orderBy"))
	}
	switch sort := strings.TrimSpace(v.Get("sortBy")); sort {
	case "", string(guild.PaymentSortUpdatedAt):
		f.Sort = guild.PaymentSortUpdatedAt
	case string(guild.PaymentSortCreatedAt):
		f.Sort = guild.PaymentSortCreatedAt
	default:
		c.add("sortBy", "must be updatedAt or createdAt (got %q)", sort)
	}
	if raw := strings.TrimSpace(v.Get("companyId")); raw != "" {
		id, err := parseInt(raw)
		if err != nil {
			c.add("companyId", "must be a company id (got %q)", raw)
		} else {
			f.CompanyID = &id
		}
	}
	return f, c.err()
}
