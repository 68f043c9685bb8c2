package postgres

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const defColumns = `d.id, d.tenant_id, d.kind, d.name, d.field_type, d.is_required, d.is_unique, d.visible_to_enduser,
	d.default_value, d.maximum_length, d.number_of_rows, d.maximum_value, d.list_of_values, d.uuid, d.created_at, d.updated_at`

// defDest returns the scan destinations of defColumns into d; finish
// completes d once scanned.
func defDest(d *guild.ExtraFieldDef) (dest []any, finish func()) {
	var kind string
	var created, updated int64
	dest = []any{&d.ID, &d.TenantID, &kind, &d.Name, &d.Type, &d.Required, &d.Unique, &d.VisibleToEndUser,
		&d.DefaultValue, &d.MaximumLength, &d.NumberOfRows, &d.MaximumValue, &d.ListOfValues, &d.UUID, &created, &updated}
	return dest, func() {
		d.Kind = guild.ExtraFieldKind(kind)
		d.ListOfValues = orNil(d.ListOfValues)
		d.CreatedAt, d.UpdatedAt = fromMicros(created), fromMicros(updated)
	}
}

func scanDef(sc scanner) (guild.ExtraFieldDef, error) {
	var d guild.ExtraFieldDef
	dest, finish := defDest(&d)
	err := sc.Scan(dest...)
	finish()
	return d, err
}

// ExtraFieldDef returns a definition.
func (r reader) ExtraFieldDef(ctx context.Context, tenantID, id int64) (guild.ExtraFieldDef, error) {
	d, err := scanDef(r.db.QueryRow(ctx, `SELECT `+defColumns+` FROM extra_field_defs d WHERE d.tenant_id = $1 AND d.id = $2`, tenantID, id))
	return d, r.fail(err, "extra field %d", id)
}

// ListExtraFieldDefs lists a kind's definitions by ascending id.
func (r reader) ListExtraFieldDefs(ctx context.Context, tenantID int64, kind guild.ExtraFieldKind) ([]guild.ExtraFieldDef, error) {
	rows, err := r.db.Query(ctx, `SELECT `+defColumns+` FROM extra_field_defs d WHERE d.tenant_id = $1 AND d.kind = $2 ORDER BY d.id`,
		tenantID, string(kind))
	defs, err := collect(rows, err, scanDef)
	return defs, r.fail(err, "list the %s extra fields", kind)
}

// ExtraFieldValueOwner returns the lowest id of a record, other than
// exceptRecordID, that holds exactly value for the field.
func (r reader) ExtraFieldValueOwner(ctx context.Context, tenantID, fieldID int64, value string, exceptRecordID int64) (int64, error) {
	var id int64
	err := r.db.QueryRow(ctx, `
		SELECT record_id FROM extra_field_values
		WHERE field_id = $2 AND md5(value) = md5($3) AND value = $3 AND tenant_id = $1 AND record_id <> $4
		ORDER BY record_id LIMIT 1`,
		tenantID, fieldID, value, exceptRecordID).Scan(&id)
	return id, r.fail(err, "a record with the value %q for extra field %d", value, fieldID)
}

// recordTable returns the table of the records of kind; an unknown kind is
// EInvalid.
func recordTable(kind guild.ExtraFieldKind) (string, error) {
	switch kind {
	case guild.ExtraFieldCompany:
		return "companies", nil
	case guild.ExtraFieldUser:
		return "users", nil
	case guild.ExtraFieldAddress:
		return "addresses", nil
	}
	return "", guild.Errorf(guild.EInvalid, "unknown extra-field kind %q", kind)
}

// CountRecordsMissingExtraField counts the records of the field's kind that
// have no value for it; 0 for a kind this store keeps no records of.
func (r reader) CountRecordsMissingExtraField(ctx context.Context, tenantID int64, def guild.ExtraFieldDef) (int, error) {
	table, err := recordTable(def.Kind)
	if err != nil || table == "" {
		return 0, err
	}
	var n int
	err = r.db.QueryRow(ctx, `
		SELECT count(*) FROM `+table+` x
		WHERE x.tenant_id = $1 AND NOT EXISTS (
			SELECT 1 FROM extra_field_values v WHERE v.kind = $3 AND v.record_id = x.id AND v.field_id = $2)`,
		tenantID, def.ID, string(def.Kind)).Scan(&n)
	return n, r.fail(err, "count the %s records without extra field %d", def.Kind, def.ID)
}

// DuplicateExtraFieldValue returns the (bytewise) least value that more than
// one record holds for the field.
func (r reader) DuplicateExtraFieldValue(ctx context.Context, tenantID, fieldID int64) (string, bool, error) {
	var v string
	err := r.db.QueryRow(ctx, `
		SELECT value FROM extra_field_values WHERE tenant_id = $1 AND field_id = $2
		GROUP BY value HAVING count(*) > 1 ORDER BY value COLLATE "C" LIMIT 1`,
		tenantID, fieldID).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, r.fail(err, "look for a duplicate value of extra field %d", fieldID)
	}
	return v, true, nil
}

// CreateExtraFieldDef inserts a definition; a name taken (case-insensitively)
// by another field of the kind is EConflict.
func (t *tx) CreateExtraFieldDef(ctx context.Context, d guild.ExtraFieldDef) (int64, error) {
	d.CreatedAt = orNow(d.CreatedAt)
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	return t.insertID(ctx, nil, `
		INSERT INTO extra_field_defs (tenant_id, kind, name, name_lower, field_type, is_required, is_unique,
			visible_to_enduser, default_value, maximum_length, number_of_rows, maximum_value, list_of_values, uuid,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		[]any{d.TenantID, string(d.Kind), d.Name, strings.ToLower(d.Name), int(d.Type), d.Required, d.Unique,
			d.VisibleToEndUser, d.DefaultValue, d.MaximumLength, d.NumberOfRows, d.MaximumValue, orEmpty(d.ListOfValues), d.UUID,
			micros(d.CreatedAt), micros(d.UpdatedAt)},
		"create %s extra field %q", d.Kind, d.Name)
}

// UpdateExtraFieldDef replaces a definition's fields but its kind and
// CreatedAt; UpdatedAt is now when zero.
func (t *tx) UpdateExtraFieldDef(ctx context.Context, d guild.ExtraFieldDef) error {
	return t.exec(ctx, mustAffect("extra field %d does not exist", d.ID), `
		UPDATE extra_field_defs SET name = $3, name_lower = $4, field_type = $5, is_required = $6, is_unique = $7,
			visible_to_enduser = $8, default_value = $9, maximum_length = $10, number_of_rows = $11,
			maximum_value = $12, list_of_values = $13, uuid = $14, updated_at = $15
		WHERE tenant_id = $1 AND id = $2`,
		[]any{d.TenantID, d.ID, d.Name, strings.ToLower(d.Name), int(d.Type), d.Required, d.Unique,
			d.VisibleToEndUser, d.DefaultValue, d.MaximumLength, d.NumberOfRows, d.MaximumValue, orEmpty(d.ListOfValues), d.UUID,
			micros(orNow(d.UpdatedAt))},
		"update extra field %d", d.ID)
}

// DeleteExtraFieldDef deletes the definition and, by cascade, its values.
func (t *tx) DeleteExtraFieldDef(ctx context.Context, tenantID, id int64) error {
	return t.exec(ctx, mustAffect("extra field %d does not exist", id),
		`DELETE FROM extra_field_defs WHERE tenant_id = $1 AND id = $2`, []any{tenantID, id},
		"delete extra field %d", id)
}

// FillMissingExtraField gives value to every record of the field's kind that
// has none; as unique values when def.Unique. The field must be the
// tenant's, of def.Kind, else ENotFound. An empty value fills nothing (an
// empty value is no value).
func (t *tx) FillMissingExtraField(ctx context.Context, tenantID int64, def guild.ExtraFieldDef, value string) (int, error) {
	table, err := recordTable(def.Kind)
	if err != nil {
		return 0, err
	}
	b := &pgx.Batch{}
	fields := []int64{def.ID}
	queueFieldCheck(b, tenantID, def.Kind, fields)
	var n int
	if table != "" && value != "" {
		b.Queue(`
			INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
			SELECT $1, $2, $3, x.id, $4, CASE WHEN $5 THEN $4 END FROM `+table+` x
			WHERE x.tenant_id = $1 AND `+fieldsOK("$3", "$6")+` AND NOT EXISTS (
				SELECT 1 FROM extra_field_values v WHERE v.kind = $3 AND v.record_id = x.id AND v.field_id = $2)
			ORDER BY x.id`,
			tenantID, def.ID, string(def.Kind), value, def.Unique, fields).
			Exec(func(ct pgconn.CommandTag) error { n = int(ct.RowsAffected()); return nil })
	}
	if err := t.write(ctx, b, "fill extra field %d with %q", def.ID, value); err != nil {
		return 0, err
	}
	return n, nil
}

// SetExtraFieldUnique marks every stored value of the field unique or not;
// turning it on while two records share a value is EConflict.
func (t *tx) SetExtraFieldUnique(ctx context.Context, tenantID, fieldID int64, unique bool) error {
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM extra_field_defs WHERE tenant_id = $1 AND id = $2`, []any{tenantID, fieldID},
		"extra field %d does not exist", fieldID)
	b.Queue(`UPDATE extra_field_values SET unique_value = CASE WHEN $3 THEN value END WHERE tenant_id = $1 AND field_id = $2`,
		tenantID, fieldID, unique)
	return t.write(ctx, b, "make the values of extra field %d unique=%t", fieldID, unique)
}

// splitValues splits values into those to store (the last one given per
// field wins) and the fields whose value is to be deleted (an empty Value).
func splitValues(values []guild.ExtraFieldValue) (ids []int64, vals []string, uniq []bool, deleted []int64) {
	last := make(map[int64]int, len(values))
	for i, v := range values {
		last[v.FieldID] = i
	}
	ids, vals, uniq, deleted = []int64{}, []string{}, []bool{}, []int64{}
	for i, v := range values {
		if last[v.FieldID] != i {
			continue
		}
		if v.Value == "" {
			deleted = append(deleted, v.FieldID)
			continue
		}
		ids, vals, uniq = append(ids, v.FieldID), append(vals, v.Value), append(uniq, v.Unique)
	}
	return ids, vals, uniq, deleted
}

// SetExtraFieldValues upserts values (by field id) for one record; an empty
// Value deletes that field's value. The record and every field must be the
// tenant's, the fields of kind, else ENotFound; a value taken by another
// record of a unique field is EConflict. On an error no value is changed.
func (t *tx) SetExtraFieldValues(ctx context.Context, tenantID int64, kind guild.ExtraFieldKind, recordID int64, values []guild.ExtraFieldValue) error {
	table, err := recordTable(kind)
	if err != nil {
		return err
	}
	ids, vals, uniq, deleted := splitValues(values)
	fields := append(slices.Clone(ids), deleted...)
	b := &pgx.Batch{}
	// The checks come first; the writes are conditioned on them in SQL, so
	// that a refused call writes nothing.
	ok := fieldsOK("$2", "$4")
	if table != "" {
		queueExists(b, `SELECT 1 FROM `+table+` WHERE tenant_id = $1 AND id = $2`, []any{tenantID, recordID},
			"%s %d does not exist", kind, recordID)
		ok += ` AND EXISTS (SELECT 1 FROM ` + table + ` WHERE tenant_id = $1 AND id = $3)`
	}
	queueFieldCheck(b, tenantID, kind, fields)
	if len(deleted) > 0 {
		b.Queue(`
			DELETE FROM extra_field_values
			WHERE kind = $2 AND record_id = $3 AND field_id = ANY($5) AND tenant_id = $1 AND `+ok,
			tenantID, string(kind), recordID, fields, deleted)
	}
	if len(ids) > 0 {
		b.Queue(`
			INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
			SELECT $1, x.field_id, $2, $3, x.value, CASE WHEN x.is_unique THEN x.value END
			FROM unnest($5::bigint[], $6::text[], $7::boolean[]) AS x(field_id, value, is_unique)
			WHERE `+ok+`
			ON CONFLICT (kind, record_id, field_id) DO UPDATE
			SET value = excluded.value, unique_value = excluded.unique_value`,
			tenantID, string(kind), recordID, fields, ids, vals, uniq)
	}
	return t.write(ctx, b, "set the extra fields of %s %d", kind, recordID)
}

// fieldsOK is an SQL condition: every field id of the array parameter ids
// is a field of the tenant ($1) of the kind parameter kind.
func fieldsOK(kind, ids string) string {
	return `(SELECT count(*) FROM extra_field_defs WHERE tenant_id = $1 AND kind = ` + kind + ` AND id = ANY(` + ids + `)) = cardinality(` + ids + `)`
}

// foundFields is an SQL expression: the array of the ids of the array
// parameter ids that are fields of the tenant ($1) of the kind parameter
// kind. missingField reads it.
func foundFields(kind, ids string) string {
	return `ARRAY(SELECT id FROM extra_field_defs WHERE tenant_id = $1 AND kind = ` + kind + ` AND id = ANY(` + ids + `))`
}

// missingField refuses, as ENotFound, the first of fieldIDs that found (see
// foundFields) lacks.
func missingField(kind guild.ExtraFieldKind, fieldIDs, found []int64) error {
	for _, id := range fieldIDs {
		if !slices.Contains(found, id) {
			return notFound("extra field %d is not a %s field of this store", id, kind)
		}
	}
	return nil
}

// queueFieldCheck queues on b a query that refuses, as ENotFound, the first
// of fieldIDs (distinct) that is not a field of kind of the tenant. Writes
// queued after it must be conditioned on fieldsOK.
func queueFieldCheck(b *pgx.Batch, tenantID int64, kind guild.ExtraFieldKind, fieldIDs []int64) {
	if len(fieldIDs) == 0 {
		return
	}
	b.Queue(`SELECT COALESCE(array_agg(id), '{}') FROM extra_field_defs WHERE tenant_id = $1 AND kind = $2 AND id = ANY($3)`,
		tenantID, string(kind), fieldIDs).QueryRow(func(row pgx.Row) error {
		var found []int64
		if err := row.Scan(&found); err != nil {
			return err
		}
		return missingField(kind, fieldIDs, found)
	})
}

// valueColumns are the columns valuesOf reads: a value with its definition.
const valueColumns = `v.record_id, v.field_id, v.value, v.unique_value IS NOT NULL, ` + defColumns

// queueValues queues on b the query of the extra-field values of records of
// kind, and returns the map the results go to, by record id, each record's
// values by ascending field id. Every value gets its own copy of the
// definition.
func queueValues(b *pgx.Batch, tenantID int64, kind guild.ExtraFieldKind, recordIDs []int64) map[int64][]guild.ExtraFieldValue {
	return queueValuesOf(b, kind, `$2`, []any{tenantID, recordIDs})
}

// queueValuesOf is queueValues for the records whose ids the SQL array
// expression ids gives, with args as its parameters; $1 is the tenant id.
func queueValuesOf(b *pgx.Batch, kind guild.ExtraFieldKind, ids string, args []any) map[int64][]guild.ExtraFieldValue {
	out := make(map[int64][]guild.ExtraFieldValue)
	args = append(slices.Clip(args), string(kind))
	b.Queue(`
		SELECT `+valueColumns+`
		FROM extra_field_values v JOIN extra_field_defs d ON d.id = v.field_id AND d.tenant_id = v.tenant_id
		WHERE v.kind = $`+strconv.Itoa(len(args))+` AND v.record_id = ANY(`+ids+`) AND v.tenant_id = $1
		ORDER BY v.record_id, v.field_id`,
		args...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var recordID int64
			var v guild.ExtraFieldValue
			d := new(guild.ExtraFieldDef)
			dest, finish := defDest(d)
			if err := rows.Scan(append([]any{&recordID, &v.FieldID, &v.Value, &v.Unique}, dest...)...); err != nil {
				return err
			}
			finish()
			v.Def = d
			out[recordID] = append(out[recordID], v)
		}
		return rows.Err()
	})
	return out
}
