package sqlite

import (
	"database/sql/driver"
	"fmt"
	"strings"

	msqlite "modernc.org/sqlite"
)

// newDriver returns a SQLite driver of the store's own, with the SQL
// functions the store's queries use registered on it (and nowhere else).
//
// guild_lower(text) lower-cases with Go's Unicode rules; SQLite's built-in
// lower() knows ASCII only. The name_lower columns are written with the same
// rules, so a case-insensitive contains is `guild_lower(x) LIKE pattern`
// with a pattern lower-cased in Go.
func newDriver() (*msqlite.Driver, error) {
	d := &msqlite.Driver{}
	err := d.RegisterDeterministicScalarFunction("guild_lower", 1, func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return nil, nil
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return strings.ToLower(fmt.Sprint(v)), nil
		}
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: register guild_lower: %w", err)
	}
	return d, nil
}
