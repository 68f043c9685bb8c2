package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	guild "github.com/guild-b2b/guild"
)

const defColumns = `d.id, d.tenant_id, d.kind, d.name, d.field_type, d.is_required, d.is_unique,
	d.visible_to_enduser, d.default_value, d.maximum_length, d.number_of_rows, d.maximum_value,
	d.list_of_values, d.uuid, d.created_at, d.updated_at`

// defDest collects the scan destinations of defColumns.
type defDest struct {
	d                         guild.ExtraFieldDef
	kind, list                string
	required, unique, visible int64
	maxValue                  sql.NullFloat64
	created, updated          int64
}

func (x *defDest) dest() []any {
	d := &x.d
	return []any{&d.ID, &d.TenantID, &x.kind, &d.Name, &d.Type, &x.required, &x.unique,
		&x.visible, &d.DefaultValue, &d.MaximumLength, &d.NumberOfRows, &x.maxValue,
		&x.list, &d.UUID, &x.created, &x.updated}
}

func (x *defDest) def() (guild.ExtraFieldDef, error) {
	d := x.d
	d.Kind = guild.ExtraFieldKind(x.kind)
	d.Required, d.Unique, d.VisibleToEndUser = x.required != 0, x.unique != 0, x.visible != 0
	if x.maxValue.Valid {
		v := x.maxValue.Float64
		d.MaximumValue = &v
	}
	var err error
	if d.ListOfValues, err = parseStrings(x.list); err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = fromMicros(x.created), fromMicros(x.updated)
	return d, nil
}

func scanDef(sc scanner) (guild.ExtraFieldDef, error) {
	var x defDest
	if err := sc.Scan(x.dest()...); err != nil {
		return guild.ExtraFieldDef{}, err
	}
	return x.def()
}

// ExtraFieldDef returns an extra-field definition.
func (r reader) ExtraFieldDef(ctx context.Context, tenantID, id int64) (guild.ExtraFieldDef, error) {
	d, err := scanDef(r.q.QueryRowContext(ctx,
		`SELECT `+defColumns+` FROM extra_field_defs d WHERE d.tenant_id = ? AND d.id = ?`, tenantID, id))
	return d, wrap(err, "extra field %d", id)
}

// ListExtraFieldDefs lists a kind's definitions by ascending id.
func (r reader) ListExtraFieldDefs(ctx context.Context, tenantID int64, kind guild.ExtraFieldKind) ([]guild.ExtraFieldDef, error) {
	rows, err := r.q.QueryContext(ctx,
		`SELECT `+defColumns+` FROM extra_field_defs d WHERE d.tenant_id = ? AND d.kind = ? ORDER BY d.id`, tenantID, string(kind))
	if err != nil {
		return nil, wrap(err, "list %s extra fields", kind)
	}
	return collect(rows, scanDef, "list extra fields")
}

func maxValueArg(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// CreateExtraFieldDef inserts a definition; a name already used by the
// tenant's fields of the kind (compared case-insensitively) is EConflict.
func (t *tx) CreateExtraFieldDef(ctx context.Context, d guild.ExtraFieldDef) (int64, error) {
	d.CreatedAt, d.UpdatedAt = stamps(d.CreatedAt, d.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO extra_field_defs (tenant_id, kind, name, name_lower, field_type, is_required, is_unique,
			visible_to_enduser, default_value, maximum_length, number_of_rows, maximum_value, list_of_values,
			uuid, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.TenantID, string(d.Kind), d.Name, strings.ToLower(d.Name), d.Type, boolInt(d.Required), boolInt(d.Unique),
		boolInt(d.VisibleToEndUser), d.DefaultValue, d.MaximumLength, d.NumberOfRows, maxValueArg(d.MaximumValue),
		stringsJSON(d.ListOfValues), d.UUID, micros(d.CreatedAt), micros(d.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create %s extra field %q", d.Kind, d.Name)
	}
	return id, nil
}

// UpdateExtraFieldDef replaces a definition, all but its kind and
// CreatedAt. Stored values are left as they are (see SetExtraFieldUnique).
func (t *tx) UpdateExtraFieldDef(ctx context.Context, d guild.ExtraFieldDef) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE extra_field_defs SET name = ?, name_lower = ?, field_type = ?, is_required = ?, is_unique = ?,
			visible_to_enduser = ?, default_value = ?, maximum_length = ?, number_of_rows = ?, maximum_value = ?,
			list_of_values = ?, uuid = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		d.Name, strings.ToLower(d.Name), d.Type, boolInt(d.Required), boolInt(d.Unique),
		boolInt(d.VisibleToEndUser), d.DefaultValue, d.MaximumLength, d.NumberOfRows, maxValueArg(d.MaximumValue),
		stringsJSON(d.ListOfValues), d.UUID, micros(orNow(d.UpdatedAt, t.now)), d.TenantID, d.ID)
	if err != nil {
		return wrap(err, "update extra field %d", d.ID)
	}
	return affected(res, "extra field %d does not exist", d.ID)
}

// DeleteExtraFieldDef deletes the definition and every value of it.
func (t *tx) DeleteExtraFieldDef(ctx context.Context, tenantID, id int64) error {
	if _, err := fieldKind(ctx, t.q, tenantID, id); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `DELETE FROM extra_field_values WHERE tenant_id = ? AND field_id = ?`, tenantID, id); err != nil {
		return wrap(err, "delete the values of extra field %d", id)
	}
	if _, err := t.q.ExecContext(ctx, `DELETE FROM extra_field_defs WHERE tenant_id = ? AND id = ?`, tenantID, id); err != nil {
		return wrap(err, "delete extra field %d", id)
	}
	return nil
}

// fieldKind returns the kind of the tenant's field; ENotFound if it has none.
func fieldKind(ctx context.Context, q queryer, tenantID, fieldID int64) (guild.ExtraFieldKind, error) {
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM extra_field_defs WHERE tenant_id = ? AND id = ?`, tenantID, fieldID).Scan(&kind)
	if err != nil {
		return "", wrap(err, "extra field %d", fieldID)
	}
	return guild.ExtraFieldKind(kind), nil
}

// recordTable returns the table holding the records of kind.
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

// SetExtraFieldValues upserts values for one record of kind; an empty Value
// deletes the field's value. The record and every field must be the
// tenant's (fields of kind), else ENotFound.
func (t *tx) SetExtraFieldValues(ctx context.Context, tenantID int64, kind guild.ExtraFieldKind, recordID int64, values []guild.ExtraFieldValue) error {
	table, err := recordTable(kind)
	if err != nil {
		return err
	}
	if table != "" {
		var one int
		err := t.q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE tenant_id = ? AND id = ?`, tenantID, recordID).Scan(&one)
		if err != nil {
			return wrap(err, "%s %d", kind, recordID)
		}
	}
	return setExtraFieldValues(ctx, t.q, tenantID, kind, recordID, values)
}

// setExtraFieldValues writes values for a record known to exist.
func setExtraFieldValues(ctx context.Context, q queryer, tenantID int64, kind guild.ExtraFieldKind, recordID int64, values []guild.ExtraFieldValue) error {
	for _, v := range values {
		k, err := fieldKind(ctx, q, tenantID, v.FieldID)
		if err != nil {
			return err
		}
		if k != kind {
			return notFound("extra field %d is not a %s field", v.FieldID, kind)
		}
		if v.Value == "" {
			if _, err := q.ExecContext(ctx, `DELETE FROM extra_field_values WHERE kind = ? AND record_id = ? AND field_id = ?`,
				string(kind), recordID, v.FieldID); err != nil {
				return wrap(err, "delete extra field %d of %s %d", v.FieldID, kind, recordID)
			}
			continue
		}
		var unique any
		if v.Unique {
			unique = v.Value
		}
		if _, err := q.ExecContext(ctx, `
			INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, record_id, field_id) DO UPDATE SET value = excluded.value, unique_value = excluded.unique_value`,
			tenantID, v.FieldID, string(kind), recordID, v.Value, unique); err != nil {
			return wrap(err, "set extra field %d of %s %d", v.FieldID, kind, recordID)
		}
	}
	return nil
}

// loadExtraFields returns the extra-field values, with their definitions,
// of the records ids of kind, by record id and ascending field id.
func loadExtraFields(ctx context.Context, q queryer, tenantID int64, kind guild.ExtraFieldKind, ids []int64) (map[int64][]guild.ExtraFieldValue, error) {
	out := make(map[int64][]guild.ExtraFieldValue, len(ids))
	defs := map[int64]*guild.ExtraFieldDef{}
	const chunk = 500
	for lo := 0; lo < len(ids); lo += chunk {
		ph, args := idArgs(ids[lo:min(lo+chunk, len(ids))])
		rows, err := q.QueryContext(ctx, `
			SELECT v.record_id, v.value, v.unique_value IS NOT NULL, `+defColumns+`
			FROM extra_field_values v JOIN extra_field_defs d ON d.id = v.field_id AND d.tenant_id = v.tenant_id
			WHERE v.kind = ? AND v.record_id IN (`+ph+`) AND v.tenant_id = ?
			ORDER BY v.record_id, v.field_id`,
			append(append([]any{string(kind)}, args...), tenantID)...)
		if err != nil {
			return nil, wrap(err, "load %s extra fields", kind)
		}
		if err := scanValues(rows, defs, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanValues(rows *sql.Rows, defs map[int64]*guild.ExtraFieldDef, out map[int64][]guild.ExtraFieldValue) error {
	defer rows.Close()
	for rows.Next() {
		var recordID int64
		var v guild.ExtraFieldValue
		var unique int64
		var x defDest
		if err := rows.Scan(append([]any{&recordID, &v.Value, &unique}, x.dest()...)...); err != nil {
			return wrap(err, "scan extra field value")
		}
		d, ok := defs[x.d.ID]
		if !ok {
			def, err := x.def()
			if err != nil {
				return wrap(err, "scan extra field %d", x.d.ID)
			}
			d = &def
			defs[def.ID] = d
		}
		v.FieldID, v.Unique, v.Def = d.ID, unique != 0, d
		out[recordID] = append(out[recordID], v)
	}
	return wrap(rows.Err(), "load extra fields")
}

// ExtraFieldValueOwner returns the lowest id of a record other than
// exceptRecordID holding value for the field.
func (r reader) ExtraFieldValueOwner(ctx context.Context, tenantID, fieldID int64, value string, exceptRecordID int64) (int64, error) {
	var id int64
	err := r.q.QueryRowContext(ctx, `
		SELECT record_id FROM extra_field_values
		WHERE field_id = ? AND value = ? AND tenant_id = ? AND record_id <> ?
		ORDER BY record_id LIMIT 1`, fieldID, value, tenantID, exceptRecordID).Scan(&id)
	return id, wrap(err, "a record with value %q for extra field %d", value, fieldID)
}

// CountRecordsMissingExtraField counts the tenant's records of def's kind
// without a value for def.
func (r reader) CountRecordsMissingExtraField(ctx context.Context, tenantID int64, def guild.ExtraFieldDef) (int, error) {
	table, err := recordTable(def.Kind)
	if err != nil || table == "" {
		return 0, err
	}
	var n int
	err = r.q.QueryRowContext(ctx, `
		SELECT count(*) FROM `+table+` r WHERE r.tenant_id = ? AND NOT EXISTS (
			SELECT 1 FROM extra_field_values v WHERE v.kind = ? AND v.record_id = r.id AND v.field_id = ?)`,
		tenantID, string(def.Kind), def.ID).Scan(&n)
	return n, wrap(err, "count %s records missing extra field %d", def.Kind, def.ID)
}

// FillMissingExtraField gives value to every record of def's kind that has
// no value for def, marked unique when def.Unique.
func (t *tx) FillMissingExtraField(ctx context.Context, tenantID int64, def guild.ExtraFieldDef, value string) (int, error) {
	kind, err := fieldKind(ctx, t.q, tenantID, def.ID)
	if err != nil {
		return 0, err
	}
	if kind != def.Kind {
		return 0, notFound("extra field %d is not a %s field", def.ID, def.Kind)
	}
	table, err := recordTable(kind)
	if err != nil || table == "" || value == "" {
		return 0, err
	}
	var unique any
	if def.Unique {
		unique = value
	}
	res, err := t.q.ExecContext(ctx, `
		INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
		SELECT ?, ?, ?, r.id, ?, ? FROM `+table+` r WHERE r.tenant_id = ? AND NOT EXISTS (
			SELECT 1 FROM extra_field_values v WHERE v.kind = ? AND v.record_id = r.id AND v.field_id = ?)`,
		tenantID, def.ID, string(kind), value, unique, tenantID, string(kind), def.ID)
	if err != nil {
		return 0, wrap(err, "fill extra field %d", def.ID)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(err, "fill extra field %d", def.ID)
	}
	return int(n), nil
}

// DuplicateExtraFieldValue returns the smallest value held by more than
// one record for the field.
func (r reader) DuplicateExtraFieldValue(ctx context.Context, tenantID, fieldID int64) (string, bool, error) {
	var v string
	err := r.q.QueryRowContext(ctx, `
		SELECT value FROM extra_field_values WHERE field_id = ? AND tenant_id = ?
		GROUP BY value HAVING count(*) > 1 ORDER BY value LIMIT 1`, fieldID, tenantID).Scan(&v)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap(err, "find a duplicate value of extra field %d", fieldID)
	}
	return v, true, nil
}

// SetExtraFieldUnique marks every stored value of the field unique or not.
func (t *tx) SetExtraFieldUnique(ctx context.Context, tenantID, fieldID int64, unique bool) error {
	if _, err := fieldKind(ctx, t.q, tenantID, fieldID); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `
		UPDATE extra_field_values SET unique_value = CASE WHEN ? THEN value END
		WHERE field_id = ? AND tenant_id = ?`, boolInt(unique), fieldID, tenantID)
	return wrap(err, "make the values of extra field %d unique", fieldID)
}

// decodeExtraFieldValues reads json_group_array(json_array(v.value,
// v.unique_value IS NOT NULL, defColumns...)): one record's values with
// their definitions.
func decodeExtraFieldValues(s string) ([]guild.ExtraFieldValue, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal([]byte(s), &rows); err != nil {
		return nil, err
	}
	out := make([]guild.ExtraFieldValue, 0, len(rows))
	for _, row := range rows {
		var v guild.ExtraFieldValue
		var unique int64
		var x defDest
		dest := append([]any{&v.Value, &unique}, x.dest()...)
		if len(row) != len(dest) {
			return nil, fmt.Errorf("an extra field value has %d columns, want %d", len(row), len(dest))
		}
		for i, raw := range row {
			if err := decodeColumn(raw, dest[i]); err != nil {
				return nil, fmt.Errorf("extra field value column %d: %w", i, err)
			}
		}
		def, err := x.def()
		if err != nil {
			return nil, err
		}
		v.FieldID, v.Unique, v.Def = def.ID, unique != 0, &def
		out = append(out, v)
	}
	return out, nil
}

// decodeColumn decodes one JSON-encoded column into a scan destination.
func decodeColumn(raw json.RawMessage, dest any) error {
	if n, ok := dest.(*sql.NullFloat64); ok {
		var f *float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return err
		}
		*n = sql.NullFloat64{}
		if f != nil {
			*n = sql.NullFloat64{Float64: *f, Valid: true}
		}
		return nil
	}
	return json.Unmarshal(raw, dest)
}
