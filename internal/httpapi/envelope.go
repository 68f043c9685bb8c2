package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	guild "github.com/guild-b2b/guild"
)

// The vendor's success message differs by resource.
const (
	msgSuccess      = "SUCCESS" // companies, addresses
	msgSuccessMixed = "Success" // users, super admins, payments
)

// envelope is the vendor's answer: {"code", "data", "meta"}.
type envelope struct {
	Code int `json:"code"`
	Data any `json:"data"`
	Meta any `json:"meta"`
}

type message struct {
	Message string `json:"message"`
}

// Pagination is the vendor's list paging block.
type Pagination struct {
	Limit      int `json:"limit"`
	Offset     int `json:"offset"`
	TotalCount int `json:"totalCount"`
}

type listMeta struct {
	Message    string     `json:"message"`
	Pagination Pagination `json:"pagination"`
}

type errorData struct {
	ErrMsg any `json:"errMsg,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"code":500,"data":{"errMsg":"the answer could not be encoded"},"meta":{"message":"Internal Server Error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeOK(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: data, Meta: message{Message: msgSuccess}})
}

func writeList(w http.ResponseWriter, data any, p Pagination) {
	writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: data, Meta: listMeta{Message: msgSuccess, Pagination: p}})
}

// writeSuccess answers with the users and super admins' "Success".
func writeSuccess(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: data, Meta: message{Message: msgSuccessMixed}})
}

// writeSuccessList is writeList with the users and super admins' "Success".
func writeSuccessList(w http.ResponseWriter, data any, p Pagination) {
	writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: data, Meta: listMeta{Message: msgSuccessMixed, Pagination: p}})
}

// statusOf maps an error code to the HTTP status and the vendor's meta.message.
func statusOf(code guild.ErrorCode) (int, string) {
	switch code {
	case guild.EInvalid:
		return http.StatusUnprocessableEntity, "Parameter Error"
	case guild.ENotFound:
		return http.StatusNotFound, "This resource is not found."
	case guild.EConflict:
		return http.StatusConflict, "Conflict"
	case guild.EBadRequest:
		return http.StatusBadRequest, "Bad Request"
	case guild.EUnauthorized:
		return http.StatusUnauthorized, "Unauthorized"
	case guild.EForbidden:
		return http.StatusForbidden, "Forbidden"
	case guild.ENotAllowed:
		return http.StatusMethodNotAllowed, "Method Not Allowed"
	case guild.ETooLarge:
		return http.StatusRequestEntityTooLarge, "Request Entity Too Large"
	case guild.EUnsupported:
		return http.StatusUnsupportedMediaType, "Unsupported Media Type"
	case guild.EUpstream:
		return http.StatusBadGateway, "Bad Gateway"
	default:
		return http.StatusInternalServerError, "Internal Server Error"
	}
}

// writeError answers err in the vendor's error envelope. Errors without a
// code are logged and answered as 500 without their text.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		// The client went away; nobody reads the answer. 499 is nginx's
		// "client closed request", so the access log and metrics tell it
		// apart from a server error.
		logger.DebugContext(r.Context(), "client closed the request", "method", r.Method, "path", r.URL.Path)
		w.WriteHeader(499)
		return
	}
	var ge *guild.Error
	if !errors.As(err, &ge) || ge.Code == guild.EInternal {
		logger.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		status, msg := statusOf(guild.EInternal)
		writeJSON(w, status, envelope{Code: status, Data: errorData{ErrMsg: "internal error (request id " + requestID(r.Context()) + "); nothing was changed by this request unless it said otherwise"}, Meta: message{Message: msg}})
		return
	}
	status, msg := statusOf(ge.Code)
	var detail any = ge.Message
	switch {
	case ge.Items != nil:
		detail = ge.Items
	case len(ge.Fields) > 0:
		detail = ge.Fields
	}
	writeJSON(w, status, envelope{Code: status, Data: errorData{ErrMsg: detail}, Meta: message{Message: msg}})
}
