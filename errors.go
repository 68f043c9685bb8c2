// Package guild holds Guild's domain types, its error codes and the Store
// interface that every storage backend implements. It depends on the standard
// library only.
package guild

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an error; the HTTP layer maps each code to a status
// and the vendor's envelope in one place.
type ErrorCode string

// The error codes. Each is set where the error arises.
const (
	ENotFound     ErrorCode = "not_found"    // 404
	EConflict     ErrorCode = "conflict"     // 409: a uniqueness rule of the store
	EInvalid      ErrorCode = "invalid"      // 422: the input breaks a rule
	EBadRequest   ErrorCode = "bad_request"  // 400: the request cannot be read
	EUnauthorized ErrorCode = "unauthorized" // 401
	EForbidden    ErrorCode = "forbidden"    // 403
	ENotAllowed   ErrorCode = "not_allowed"  // 405: not available in this store's mode
	ETooLarge     ErrorCode = "too_large"    // 413
	EUnsupported  ErrorCode = "unsupported"  // 415: wrong media or file type
	EUpstream     ErrorCode = "upstream"     // 502: the connected commerce platform failed
	EInternal     ErrorCode = "internal"     // 500: never for bad input
)

// Error is Guild's error. Message is written for a person who must act on it.
// Fields carries per-field messages (field names as the API spells them);
// Items carries per-item errors of a bulk request, aligned with its items.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  map[string][]string
	Items   []map[string][]string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError builds an EInvalid error for one field.
func FieldError(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EInvalid, Message: field + ": " + msg, Fields: map[string][]string{field: {msg}}}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return ErrorCodeOf(err) == ENotFound }

// IsConflict reports whether err is a conflict error.
func IsConflict(err error) bool { return ErrorCodeOf(err) == EConflict }
