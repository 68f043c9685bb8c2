package guild

import "time"

// ExtraFieldKind names the record type an extra field belongs to.
type ExtraFieldKind string

// The record types that carry extra fields.
const (
	ExtraFieldCompany ExtraFieldKind = "company"
	ExtraFieldUser    ExtraFieldKind = "user"
	ExtraFieldAddress ExtraFieldKind = "address"
)

// ExtraFieldType is the data type of an extra field.
type ExtraFieldType int

// The extra-field types, as the vendor numbers them.
const (
	FieldText      ExtraFieldType = 0
	FieldMultiLine ExtraFieldType = 1
	FieldNumber    ExtraFieldType = 2
	FieldDropdown  ExtraFieldType = 3
)

// ExtraFieldDef defines an extra field of one record kind in one tenant.
type ExtraFieldDef struct {
	ID               int64
	TenantID         int64
	Kind             ExtraFieldKind
	Name             string // unique per tenant and kind
	Type             ExtraFieldType
	Required         bool
	Unique           bool
	VisibleToEndUser bool
	DefaultValue     string
	MaximumLength    int      // text: 0 = no limit
	NumberOfRows     int      // multi-line: 0 = no limit
	MaximumValue     *float64 // number: nil = no limit
	ListOfValues     []string // dropdown
	UUID             string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// ExtraFieldValue is one record's value for one extra field.
type ExtraFieldValue struct {
	FieldID int64
	Value   string
	// Unique is set by the application when the field's values must be unique;
	// the store then enforces uniqueness with a constraint.
	Unique bool
	// Def is filled on reads, for rendering.
	Def *ExtraFieldDef
}
