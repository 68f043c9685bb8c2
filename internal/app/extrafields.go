package app

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// ExtraFieldPatch changes an extra-field definition; nil fields stay.
type ExtraFieldPatch struct {
	Name             *string
	Type             *guild.ExtraFieldType
	Required         *bool
	Unique           *bool
	VisibleToEndUser *bool
	DefaultValue     *string
	MaximumLength    *int
	NumberOfRows     *int
	MaximumValue     **float64
	ListOfValues     *[]string
	UUID             *string
}

func fieldNotFound(kind guild.ExtraFieldKind, id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "%s extra field %d does not exist in this store", kind, id)
	}
	return err
}

// ListExtraFieldDefs returns a page of a kind's definitions and their count.
func (a *App) ListExtraFieldDefs(ctx context.Context, t guild.Tenant, kind guild.ExtraFieldKind, pg guild.Page) ([]guild.ExtraFieldDef, int, error) {
	if err := CheckPage(pg); err != nil {
		return nil, 0, err
	}
	defs, err := a.store.ListExtraFieldDefs(ctx, t.ID, kind)
	if err != nil {
		return nil, 0, err
	}
	total := len(defs)
	lo := min(pg.Offset, total)
	hi := min(lo+pg.Limit, total)
	return defs[lo:hi], total, nil
}

// CreateExtraFieldDef defines a new extra field.
//
// A required field must not leave existing records without a value: when
// records of its kind exist, the definition must carry a default value, which
// is written into every existing record in the same transaction; without one
// the definition is refused with the number of records concerned.
func (a *App) CreateExtraFieldDef(ctx context.Context, t guild.Tenant, kind guild.ExtraFieldKind, in ExtraFieldPatch) (guild.ExtraFieldDef, error) {
	d := guild.ExtraFieldDef{TenantID: t.ID, Kind: kind, VisibleToEndUser: true}
	if in.Type == nil {
		return d, guild.FieldError("fieldType", "is required: 0 (text), 1 (multi-line text), 2 (number) or 3 (dropdown)")
	}
	d.Type = *in.Type
	applyFieldPatch(&d, in)
	if err := extrafield.ValidateDef(d); err != nil {
		return d, err
	}
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		now := a.clock()
		d.CreatedAt, d.UpdatedAt = now, now
		id, err := tx.CreateExtraFieldDef(ctx, d)
		if guild.IsConflict(err) {
			return guild.FieldError("fieldName", "a %s extra field named %q already exists", d.Kind, d.Name)
		}
		if err != nil {
			return err
		}
		d.ID = id
		if d.Required {
			return a.fillRequired(ctx, tx, t, d)
		}
		return nil
	})
	return d, err
}

// fillRequired makes sure every record has a value for a required field.
func (a *App) fillRequired(ctx context.Context, tx guild.Tx, t guild.Tenant, d guild.ExtraFieldDef) error {
	missing, err := tx.CountRecordsMissingExtraField(ctx, t.ID, d)
	if err != nil || missing == 0 {
		return err
	}
	if d.DefaultValue == "" {
		return guild.FieldError("isRequired", "%d existing %s records have no value for %q: give a defaultValue to fill them with, or fill them before making the field required", missing, d.Kind, d.Name)
	}
	if d.Unique && missing > 1 {
		return guild.FieldError("isUnique", "%d existing %s records have no value for %q, and one default value cannot fill them all in a unique field: fill them first", missing, d.Kind, d.Name)
	}
	_, err = tx.FillMissingExtraField(ctx, t.ID, d, d.DefaultValue)
	if guild.IsConflict(err) {
		return guild.FieldError("defaultValue", "the default value %q is already used by a record, and the field's values must be unique", d.DefaultValue)
	}
	return err
}

// UpdateExtraFieldDef changes a definition. The type cannot change (existing
// values would not fit); making a field required follows the rule of
// CreateExtraFieldDef; making it unique is refused while two records share a
// value. Tighter limits (length, rows, maximum value, list of values) apply
// to later writes; existing values are kept as they are.
func (a *App) UpdateExtraFieldDef(ctx context.Context, t guild.Tenant, kind guild.ExtraFieldKind, id int64, pt ExtraFieldPatch) (guild.ExtraFieldDef, error) {
	var d guild.ExtraFieldDef
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		d, err = tx.ExtraFieldDef(ctx, t.ID, id)
		if err != nil || d.Kind != kind {
			return fieldNotFound(kind, id, orNotFound(err))
		}
		old := d
		if pt.Type != nil && *pt.Type != d.Type {
			return guild.FieldError("fieldType", "the type of an extra field cannot change; define a new field instead")
		}
		applyFieldPatch(&d, pt)
		if err := extrafield.ValidateDef(d); err != nil {
			return err
		}
		d.UpdatedAt = a.clock()
		if err := tx.UpdateExtraFieldDef(ctx, d); err != nil {
			if guild.IsConflict(err) {
				return guild.FieldError("fieldName", "a %s extra field named %q already exists", d.Kind, d.Name)
			}
			return err
		}
		if d.Unique != old.Unique {
			if d.Unique {
				if v, dup, err := tx.DuplicateExtraFieldValue(ctx, t.ID, id); err != nil {
					return err
				} else if dup {
					return guild.FieldError("isUnique", "several %s records share the value %q for %q; make them distinct first", kind, v, d.Name)
				}
			}
			if err := tx.SetExtraFieldUnique(ctx, t.ID, id, d.Unique); err != nil {
				return err
			}
		}
		if d.Required && !old.Required {
			return a.fillRequired(ctx, tx, t, d)
		}
		return nil
	})
	return d, err
}

func orNotFound(err error) error {
	if err == nil {
		return &guild.Error{Code: guild.ENotFound}
	}
	return err
}

func applyFieldPatch(d *guild.ExtraFieldDef, pt ExtraFieldPatch) {
	if pt.Name != nil {
		d.Name = strings.TrimSpace(*pt.Name)
	}
	if pt.Required != nil {
		d.Required = *pt.Required
	}
	if pt.Unique != nil {
		d.Unique = *pt.Unique
	}
	if pt.VisibleToEndUser != nil {
		d.VisibleToEndUser = *pt.VisibleToEndUser
	}
	if pt.DefaultValue != nil {
		d.DefaultValue = *pt.DefaultValue
	}
	if pt.MaximumLength != nil {
		d.MaximumLength = *pt.MaximumLength
	}
	if pt.NumberOfRows != nil {
		d.NumberOfRows = *pt.NumberOfRows
	}
	if pt.MaximumValue != nil {
		d.MaximumValue = *pt.MaximumValue
	}
	if pt.ListOfValues != nil {
		d.ListOfValues = *pt.ListOfValues
	}
	if pt.UUID != nil {
		d.UUID = *pt.UUID
	}
}

// DeleteExtraFieldDef deletes a definition and every value of it.
func (a *App) DeleteExtraFieldDef(ctx context.Context, t guild.Tenant, kind guild.ExtraFieldKind, id int64) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		d, err := tx.ExtraFieldDef(ctx, t.ID, id)
		if err != nil || d.Kind != kind {
			return fieldNotFound(kind, id, orNotFound(err))
		}
		return tx.DeleteExtraFieldDef(ctx, t.ID, id)
	})
}
