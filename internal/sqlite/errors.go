package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	guild "github.com/guild-b2b/guild"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// notFound returns the ENotFound error for a missing row.
func notFound(format string, args ...any) error {
	return guild.Errorf(guild.ENotFound, format, args...)
}

// wrap maps a database error to a guild error: a missing row (sql.ErrNoRows)
// or a foreign-key violation (a row it refers to is missing) to ENotFound, a
// unique-constraint violation to EConflict. A guild error passes unchanged;
// any other error is wrapped with what was being done.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return &guild.Error{Code: guild.ENotFound, Message: what + ": not found"}
	}
	if isUnique(err) {
		return &guild.Error{Code: guild.EConflict, Message: what + ": already exists", Err: err}
	}
	if isForeignKey(err) {
		return &guild.Error{Code: guild.ENotFound, Message: what + ": a row it refers to does not exist", Err: err}
	}
	var ge *guild.Error
	if errors.As(err, &ge) {
		return err
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// isForeignKey reports whether err is a FOREIGN KEY violation.
func isForeignKey(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// affected returns ENotFound when res changed no row.
func affected(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: rows affected: %w", err)
	}
	if n == 0 {
		return notFound(format, args...)
	}
	return nil
}
