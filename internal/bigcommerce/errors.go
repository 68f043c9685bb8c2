package bigcommerce

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind says what a caller can do about an Error.
type Kind int

// The kinds of failure.
const (
	// KindValidation: BigCommerce refused the request as sent (400, 409, 413,
	// 422); Details holds its message per item and field. Retrying the same
	// request fails the same way.
	KindValidation Kind = iota + 1
	// KindUnauthorized: the token is wrong, revoked or lacks a scope (401,
	// 403). Stop the store's sync until it is reconnected.
	KindUnauthorized
	// KindNotFound: the resource does not exist (404).
	KindNotFound
	// KindTransient: a 500/502/503/504, a dropped connection or a timeout,
	// still failing after the client's retries. Try again later.
	KindTransient
	// KindRateLimited: still 429 after the client's retries; RetryAfter says
	// how long the store's quota needs.
	KindRateLimited
	// KindPermanent: any other answer the client will not retry, such as 501
	// or 505, or a 2xx whose body could not be read.
	KindPermanent
)

// String names the kind, for logs and messages.
func (k Kind) String() string {
	switch k {
	case KindValidation:
		return "validation"
	case KindUnauthorized:
		return "unauthorized"
	case KindNotFound:
		return "not found"
	case KindTransient:
		return "transient"
	case KindRateLimited:
		return "rate limited"
	case KindPermanent:
		return "permanent"
	}
	return "kind " + strconv.Itoa(int(k))
}

// Error is a failed BigCommerce call.
type Error struct {
	Kind   Kind
	Method string
	Path   string // below /stores/{hash}, e.g. "/v3/customers"
	Status int    // 0 when no answer came
	// Title is BigCommerce's title (v3) or its messages joined (v2).
	Title string
	// Details is BigCommerce's "errors" object: for batch bodies, keys are
	// "<item index>.<field>" (see ItemErrors).
	Details map[string]string
	// RetryAfter is how long to wait before calling again (rate limits).
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the transport error behind a call that got no answer.
	Err error
}

// Error says what failed: method, path, kind, status, BigCommerce's title
// and messages, the transport error, the wait asked for and the attempts.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bigcommerce %s %s: %s", e.Method, e.Path, e.Kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (%d)", e.Status)
	}
	if e.Title != "" {
		b.WriteString(": " + e.Title)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Details)) {
		fmt.Fprintf(&b, "; %s: %s", k, e.Details[k])
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %v)", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

// ItemErrors returns the messages BigCommerce gave for item i of a batch,
// by field.
func (e *Error) ItemErrors(i int) map[string]string {
	out := map[string]string{}
	prefix := strconv.Itoa(i) + "."
	for k, v := range e.Details {
		if f, ok := strings.CutPrefix(k, prefix); ok {
			out[f] = v
		}
	}
	return out
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// kindOf classifies an answer's status.
func kindOf(status int) Kind {
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return KindValidation
	case http.StatusUnauthorized, http.StatusForbidden:
		return KindUnauthorized
	case http.StatusNotFound:
		return KindNotFound
	case http.StatusTooManyRequests:
		return KindRateLimited
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return KindTransient
	}
	return KindPermanent
}

// parseErrorBody reads BigCommerce's error shapes: v3 {"status", "title",
// "type", "errors": {...}} and v2 [{"status", "message"}].
func parseErrorBody(body []byte) (title string, details map[string]string) {
	var v3 struct {
		Title  string         `json:"title"`
		Errors map[string]any `json:"errors"`
	}
	if json.Unmarshal(body, &v3) == nil && (v3.Title != "" || len(v3.Errors) > 0) {
		if len(v3.Errors) > 0 {
			details = make(map[string]string, len(v3.Errors))
			for k, v := range v3.Errors {
				if s, ok := v.(string); ok {
					details[k] = s
				} else {
					b, _ := json.Marshal(v)
					details[k] = string(b)
				}
			}
		}
		return v3.Title, details
	}
	var v2 []struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &v2) == nil && len(v2) > 0 {
		msgs := make([]string, 0, len(v2))
		for _, m := range v2 {
			msgs = append(msgs, m.Message)
		}
		return strings.Join(msgs, "; "), nil
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s, nil
}
