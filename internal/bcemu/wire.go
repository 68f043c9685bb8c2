package bcemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// statusCodesDoc is the "type" BigCommerce puts in v3 errors.
const statusCodesDoc = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"

// maxBody bounds a request body.
const maxBody = 1 << 20

// v3Error is the v3 error shape.
type v3Error struct {
	Status int               `json:"status"`
	Title  string            `json:"title"`
	Type   string            `json:"type"`
	Errors map[string]string `json:"errors"`
}

// v2Error is one element of the v2 error array.
type v2Error struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeV3Error(w http.ResponseWriter, status int, title string, errs map[string]string) {
	if errs == nil {
		errs = map[string]string{}
	}
	writeJSON(w, status, v3Error{Status: status, Title: title, Type: statusCodesDoc, Errors: errs})
}

func writeV2Error(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, []v2Error{{Status: status, Message: msg}})
}

// writeV2ErrorTitled lets the pipeline call either version's writer alike.
func writeV2ErrorTitled(w http.ResponseWriter, status int, msg string, _ map[string]string) {
	writeV2Error(w, status, msg)
}

// readBody reads the request body, bounded; ok is false when an answer was
// already written.
func readBody(w http.ResponseWriter, r *http.Request, v2 bool) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		msg := "The request body could not be read: " + err.Error()
		status := http.StatusBadRequest
		if errors.As(err, &tooBig) {
			status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", maxBody)
		}
		if v2 {
			writeV2Error(w, status, msg)
		} else {
			writeV3Error(w, status, msg, nil)
		}
		return nil, false
	}
	return b, true
}

// jsonProblem turns a decoding error into a message that names the field.
func jsonProblem(err error) (field, msg string) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		f := te.Field
		if f == "" {
			f = "body"
		}
		return f, fmt.Sprintf("%s must be a %s, not a JSON %s", f, goTypeName(te.Type.Kind().String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "body", fmt.Sprintf("The request body is not valid JSON (at byte %d): %v", se.Offset, err)
	}
	return "body", "The request body is not valid JSON: " + err.Error()
}

func goTypeName(kind string) string {
	switch kind {
	case "int", "int64", "int32":
		return "integer"
	case "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	case "ptr":
		return "value of the documented type"
	}
	return kind
}

// parseID reads a positive integer path id.
func parseID(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// parseIntList reads a comma-separated list of integers (a `:in` filter).
func parseIntList(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", p)
		}
		out = append(out, n)
	}
	return out, nil
}

// pageError names the paging parameter that is wrong.
type pageError struct{ param, msg string }

func (e *pageError) Error() string { return e.msg }

// pageParams reads page (from 1) and limit (default def, capped at 250 as
// BigCommerce does). A value that is not a positive integer is a
// *pageError.
func pageParams(q map[string][]string, def int) (page, limit int, err *pageError) {
	page, limit = 1, def
	if v := first(q, "page"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return 0, 0, &pageError{"page", fmt.Sprintf("page must be a positive integer, got %q", v)}
		}
		page = n
	}
	if v := first(q, "limit"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 {
			return 0, 0, &pageError{"limit", fmt.Sprintf("limit must be a positive integer, got %q", v)}
		}
		limit = min(n, maxLimit)
	}
	return page, limit, nil
}

// maxLimit is the largest page BigCommerce answers.
const maxLimit = 250

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// window of a page over n items.
func pageBounds(n, page, limit int) (lo, hi int) {
	lo = min((page-1)*limit, n)
	hi = min(lo+limit, n)
	return lo, hi
}

// pagination is v3's meta.pagination.
type pagination struct {
	Total       int   `json:"total"`
	Count       int   `json:"count"`
	PerPage     int   `json:"per_page"`
	CurrentPage int   `json:"current_page"`
	TotalPages  int   `json:"total_pages"`
	Links       links `json:"links"`
}

type links struct {
	Previous string `json:"previous,omitempty"`
	Current  string `json:"current"`
	Next     string `json:"next,omitempty"`
}

func newPagination(total, count, page, limit int) pagination {
	pages := (total + limit - 1) / limit
	p := pagination{Total: total, Count: count, PerPage: limit, CurrentPage: page, TotalPages: pages,
		Links: links{Current: fmt.Sprintf("?page=%d&limit=%d", page, limit)}}
	if page > 1 {
		p.Links.Previous = fmt.Sprintf("?page=%d&limit=%d", page-1, limit)
	}
	if page < pages {
		p.Links.Next = fmt.Sprintf("?page=%d&limit=%d", page+1, limit)
	}
	return p
}
