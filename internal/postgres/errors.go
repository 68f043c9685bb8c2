package postgres

import (
	"errors"
	"fmt"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The SQLSTATE codes the store acts on.
const (
	codeUniqueViolation          = "23505"
	codeForeignKeyViolation      = "23503"
	codeSerializationFailure     = "40001"
	codeDeadlockDetected         = "40P01"
	codeCharacterNotInRepertoire = "22021" // invalid UTF-8 or a NUL character in text
	codeUntranslatable           = "22P05"
)

// conflictMessage says what a violation of a unique constraint of the
// schema means to a person.
func conflictMessage(constraint string) string {
	switch constraint {
	case "tenants_hash_key":
		return "a store with this hash already exists"
	case "tokens_secret_hash_key":
		return "a token with this secret already exists"
	case "customers_email_key":
		return "a customer with this email already exists"
	case "users_email_key":
		return "a user with this email already exists"
	case "super_admins_email_key":
		return "a super admin with this email already exists"
	case "custom_permissions_name_key":
		return "a custom permission with this name already exists"
	case "custom_permissions_code_key":
		return "a custom permission with this code already exists"
	case "custom_roles_name_key":
		return "a custom role with this name already exists"
	case "custom_role_grants_pkey":
		return "a role grants a permission code more than once"
	case "buyer_tokens_secret_hash_key":
		return "a buyer token with this secret already exists"
	case "extra_field_defs_name_key":
		return "an extra field of this kind with this name already exists"
	case "extra_field_values_unique":
		return "the value is already used by another record, and the field's values must be unique"
	case "company_price_lists_pkey":
		return "a channel is given more than one price list"
	case "addresses_default_billing":
		return "the company already has a default billing address"
	case "addresses_default_shipping":
		return "the company already has a default shipping address"
	case "attachments_pkey":
		return "an attachment with this id already exists"
	}
	return "already exists"
}

// wrap maps a database error to a guild error: a missing row (pgx.ErrNoRows)
// to ENotFound, a unique violation to EConflict, a foreign-key violation
// (a reference to a row that does not exist) to ENotFound, text PostgreSQL
// cannot store to EInvalid. A *guild.Error passes through; any other error is
// wrapped with what was being done.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var ge *guild.Error
	if errors.As(err, &ge) {
		return err
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, pgx.ErrNoRows) {
		return &guild.Error{Code: guild.ENotFound, Message: what + ": not found"}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case codeUniqueViolation:
			return &guild.Error{Code: guild.EConflict, Message: what + ": " + conflictMessage(pe.ConstraintName), Err: err}
		case codeForeignKeyViolation:
			return &guild.Error{Code: guild.ENotFound, Message: what + ": a row it refers to does not exist", Err: err}
		case codeCharacterNotInRepertoire, codeUntranslatable:
			return &guild.Error{Code: guild.EInvalid, Message: what + ": " + invalidTextMessage, Err: err}
		}
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

const invalidTextMessage = "text must be valid UTF-8 without NUL characters"

// invalidText returns the EInvalid error of text PostgreSQL cannot store.
func invalidText(what string) error {
	return &guild.Error{Code: guild.EInvalid, Message: what + ": " + invalidTextMessage}
}

// notFound returns the ENotFound error for a missing row.
func notFound(format string, args ...any) error {
	return guild.Errorf(guild.ENotFound, format, args...)
}

// retryable reports whether err is a serialization failure or a deadlock:
// the transaction lost a race and can be run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected
}

// mustAffect returns a check that refuses, as ENotFound, a statement that
// changed no row.
func mustAffect(format string, args ...any) func(pgconn.CommandTag) error {
	return func(ct pgconn.CommandTag) error {
		if ct.RowsAffected() == 0 {
			return notFound(format, args...)
		}
		return nil
	}
}
