package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// micros converts t to unix microseconds; the zero time is 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros converts unix microseconds to a UTC time; 0 is the zero time.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// orNow returns t, or now when t is zero.
func orNow(t time.Time, now func() time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t
}

// stamps returns the creation and update times of a new row: created
// defaults to now, updated to created.
func stamps(created, updated time.Time, now func() time.Time) (time.Time, time.Time) {
	created = orNow(created, now)
	if updated.IsZero() {
		updated = created
	}
	return created, updated
}

// boolInt converts b to SQLite's 0/1.
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// int64sJSON encodes ids as a JSON array ("[]" for none).
func int64sJSON(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids) // []int64 always marshals
	return string(b)
}

// parseInt64s decodes a JSON array of ids; an empty array is nil.
func parseInt64s(s string) ([]int64, error) {
	var ids []int64
	if err := json.Unmarshal([]byte(s), &ids); err != nil {
		return nil, fmt.Errorf("decode id list %q: %w", s, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

// stringsJSON encodes a list of strings as a JSON array ("[]" for none).
func stringsJSON(ss []string) string {
	if len(ss) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ss) // []string always marshals
	return string(b)
}

// parseStrings decodes a JSON array of strings; an empty array is nil.
func parseStrings(s string) ([]string, error) {
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, fmt.Errorf("decode string list %q: %w", s, err)
	}
	if len(ss) == 0 {
		return nil, nil
	}
	return ss, nil
}

// likeContains returns a LIKE pattern (ESCAPE '\') matching any text that
// contains s lower-cased.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// placeholders returns "?, ?, ..." for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// scanner is a *sql.Row or *sql.Rows.
type scanner = interface{ Scan(dest ...any) error }
