package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// Lenient scalar types: the vendor's clients send numbers as strings and
// strings as numbers, so decoding never fails on a scalar's type. A value
// that cannot be read is kept in Bad and reported per field by check.

// Int accepts a JSON number or a numeric string.
type Int struct {
	V    int64
	Set  bool // the key was present (also when null or "")
	Null bool // the value was null or ""
	Bad  string
}

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	*i = Int{Set: true}
	b = bytes.TrimSpace(b)
	s := string(b)
	if s == "null" {
		i.Null = true
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			i.Bad = "must be an integer"
			return nil
		}
		s = strings.TrimSpace(s)
		if s == "" {
			i.Null = true
			return nil
		}
	}
	v, err := parseInt(s)
	if err != nil {
		i.Bad = fmt.Sprintf("must be an integer (got %s)", truncate(string(b)))
		return nil
	}
	i.V = v
	return nil
}

func parseInt(s string) (int64, error) {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, errors.New("not an integer")
	}
	return int64(f), nil
}

// Ptr returns a pointer to the value when the key was present with a value;
// null and "" count as absent.
func (i Int) Ptr() *int64 {
	if !i.Set || i.Null {
		return nil
	}
	v := i.V
	return &v
}

// Str accepts a JSON string, or a number or boolean written as text.
type Str struct {
	V   string
	Set bool
	Bad string
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Str) UnmarshalJSON(b []byte) error {
	*s = Str{Set: true}
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s.V); err != nil {
			s.Bad = "must be a string"
		}
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		s.V = string(b)
	case string(b) == "true" || string(b) == "false":
		s.V = string(b)
	default:
		s.Bad = fmt.Sprintf("must be a string (got %s)", truncate(string(b)))
	}
	return nil
}

// Ptr returns a pointer to the value when the key was present.
func (s Str) Ptr() *string {
	if !s.Set {
		return nil
	}
	v := s.V
	return &v
}

// Bool accepts true/false, 1/0 and their string forms.
type Bool struct {
	V   bool
	Set bool
	Bad string
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	*v = Bool{Set: true}
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	switch strings.ToLower(s) {
	case "true", "1":
		v.V = true
	case "false", "0", "", "null":
	default:
		v.Bad = fmt.Sprintf("must be true or false (got %s)", truncate(string(b)))
	}
	return nil
}

// Ptr returns a pointer to the value when the key was present.
func (v Bool) Ptr() *bool {
	if !v.Set {
		return nil
	}
	x := v.V
	return &x
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// checker collects per-field problems found while reading a request.
type checker struct {
	fields map[string][]string
}

func (c *checker) add(field, format string, args ...any) {
	if c.fields == nil {
		c.fields = map[string][]string{}
	}
	c.fields[field] = append(c.fields[field], fmt.Sprintf(format, args...))
}

func (c *checker) int(field string, v Int) {
	if v.Bad != "" {
		c.add(field, "%s", v.Bad)
	}
}

func (c *checker) str(field string, v Str) {
	if v.Bad != "" {
		c.add(field, "%s", v.Bad)
	}
}

func (c *checker) bool(field string, v Bool) {
	if v.Bad != "" {
		c.add(field, "%s", v.Bad)
	}
}

func (c *checker) err() error {
	if len(c.fields) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c.fields))
	for k := range c.fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + strings.Join(c.fields[k], "; ")
	}
	return &guild.Error{Code: guild.EInvalid, Message: strings.Join(parts, "; "), Fields: c.fields}
}

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// decodeBody reads a JSON body into v. want is '{' or '[': the top-level
// JSON type the endpoint expects.
func decodeBody(w http.ResponseWriter, r *http.Request, want byte, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return guild.Errorf(guild.ETooLarge, "the request body is larger than %d bytes", maxBody)
		}
		return guild.Errorf(guild.EBadRequest, "the request body could not be read: %v", err)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return guild.Errorf(guild.EBadRequest, "the request body is empty; send a JSON %s", kindName(want))
	}
	if !json.Valid(trimmed) {
		var se *json.SyntaxError
		if err := json.Unmarshal(trimmed, new(any)); errors.As(err, &se) {
			return guild.Errorf(guild.EBadRequest, "the request body is not valid JSON: %v (at byte %d)", se, se.Offset)
		}
		return guild.Errorf(guild.EBadRequest, "the request body is not valid JSON")
	}
	if trimmed[0] != want {
		return guild.Errorf(guild.EInvalid, "the request body must be a JSON %s", kindName(want))
	}
	return unmarshal(trimmed, v)
}

// unmarshal decodes JSON into v, turning type mismatches into field errors.
func unmarshal(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "body"
			}
			return guild.FieldError(field, "must be a JSON %s (got %s)", jsonKind(te.Type.Kind().String()), te.Value)
		}
		var ge *guild.Error
		if errors.As(err, &ge) {
			return ge
		}
		return guild.Errorf(guild.EInvalid, "the request body could not be read: %v", err)
	}
	return nil
}

func kindName(b byte) string {
	if b == '[' {
		return "array"
	}
	return "object"
}

func jsonKind(goKind string) string {
	switch goKind {
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "string":
		return "string"
	case "bool":
		return "boolean"
	default:
		return goKind
	}
}
