// Package extrafield validates extra-field definitions and the values records
// give them. It is pure: the uniqueness of values across records is checked by
// the caller against the store.
package extrafield

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	guild "github.com/guild-b2b/guild"
)

// Limits on definitions.
const (
	MaxNameLength   = 100
	MaxValueLength  = 1000 // a value of any type, in characters
	MaxListOfValues = 200
)

// Input is one extra-field value as a request gives it: by field name.
type Input struct {
	Name  string
	Value string
}

// Mode says whether values are resolved for a new record or an update.
type Mode int

const (
	// Create fills absent fields with their default value and refuses a
	// required field that stays empty.
	Create Mode = iota
	// Update touches only the fields given; emptying a required field is
	// refused, emptying any other deletes its value.
	Update
)

// Resolve validates in against defs and returns the values to store, ordered
// by field id. Problems are an EInvalid *guild.Error whose Fields are keyed by
// field name.
func Resolve(defs []guild.ExtraFieldDef, in []Input, mode Mode) ([]guild.ExtraFieldValue, error) {
	// Names match case-insensitively, as the vendor's own examples expect
	// (a field defined as licenseNO is sent as LicenseNO).
	byName := make(map[string]guild.ExtraFieldDef, len(defs))
	for _, d := range defs {
		byName[strings.ToLower(d.Name)] = d
	}
	problems := map[string][]string{}
	add := func(field, format string, args ...any) {
		problems[field] = append(problems[field], fmt.Sprintf(format, args...))
	}
	given := make(map[int64]string, len(in))
	for _, item := range in {
		name := strings.TrimSpace(item.Name)
		d, ok := byName[strings.ToLower(name)]
		if !ok {
			add(fieldKey(name), "is not an extra field of this record type; defined fields: %s", names(defs))
			continue
		}
		if _, dup := given[d.ID]; dup {
			add(d.Name, "is given more than once")
			continue
		}
		value := strings.TrimSpace(item.Value)
		given[d.ID] = value
		if value == "" {
			if d.Required {
				add(d.Name, "is required and cannot be empty")
			}
			continue
		}
		if err := CheckValue(d, value); err != nil {
			add(d.Name, "%s", err.Error())
		}
	}
	var out []guild.ExtraFieldValue
	for _, d := range defs {
		value, ok := given[d.ID]
		if !ok {
			if mode == Update {
				continue
			}
			value = d.DefaultValue
			if value == "" {
				if d.Required {
					add(d.Name, "is required")
				}
				continue
			}
		}
		out = append(out, guild.ExtraFieldValue{FieldID: d.ID, Value: value, Unique: d.Unique})
	}
	if len(problems) > 0 {
		return nil, invalid(problems)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FieldID < out[j].FieldID })
	return out, nil
}

// CheckValue reports whether a non-empty value fits the definition's type and
// limits.
func CheckValue(d guild.ExtraFieldDef, value string) error {
	if !utf8.ValidString(value) {
		return fmt.Errorf("must be valid UTF-8 text")
	}
	n := utf8.RuneCountInString(value)
	if n > MaxValueLength {
		return fmt.Errorf("must be at most %d characters (got %d)", MaxValueLength, n)
	}
	switch d.Type {
	case guild.FieldText:
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("is a single-line text field: remove the line breaks")
		}
		if d.MaximumLength > 0 && n > d.MaximumLength {
			return fmt.Errorf("must be at most %d characters (got %d)", d.MaximumLength, n)
		}
	case guild.FieldMultiLine:
		rows := strings.Count(strings.ReplaceAll(value, "\r\n", "\n"), "\n") + 1
		if d.NumberOfRows > 0 && rows > d.NumberOfRows {
			return fmt.Errorf("must have at most %d lines (got %d)", d.NumberOfRows, rows)
		}
	case guild.FieldNumber:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("must be a number (got %q)", value)
		}
		if d.MaximumValue != nil && f > *d.MaximumValue {
			return fmt.Errorf("must be at most %s (got %s)", strconv.FormatFloat(*d.MaximumValue, 'f', -1, 64), value)
		}
	case guild.FieldDropdown:
		for _, v := range d.ListOfValues {
			if v == value {
				return nil
			}
		}
		return fmt.Errorf("must be one of %s (got %q)", quoted(d.ListOfValues), value)
	default:
		return fmt.Errorf("has an unknown field type %d", d.Type)
	}
	return nil
}

// ValidateDef checks a definition on its own: name, type, limits that fit
// the type, and a default value that is itself a valid value. Problems are an
// EInvalid *guild.Error keyed by the vendor's config field names.
func ValidateDef(d guild.ExtraFieldDef) error {
	problems := map[string][]string{}
	add := func(field, format string, args ...any) {
		problems[field] = append(problems[field], fmt.Sprintf(format, args...))
	}
	name := strings.TrimSpace(d.Name)
	switch {
	case name == "":
		add("fieldName", "is required")
	case name != d.Name:
		add("fieldName", "must not start or end with spaces")
	case utf8.RuneCountInString(name) > MaxNameLength:
		add("fieldName", "must be at most %d characters", MaxNameLength)
	}
	if d.Type < guild.FieldText || d.Type > guild.FieldDropdown {
		add("fieldType", "must be 0 (text), 1 (multi-line text), 2 (number) or 3 (dropdown); got %d", d.Type)
	}
	if d.MaximumLength < 0 || d.MaximumLength > MaxValueLength {
		add("maximumLength", "must be between 1 and %d, or 0 for no limit", MaxValueLength)
	} else if d.MaximumLength > 0 && d.Type != guild.FieldText {
		add("maximumLength", "applies to text fields only")
	}
	if d.NumberOfRows < 0 {
		add("numberOfRows", "must be a positive number of lines, or 0 for no limit")
	} else if d.NumberOfRows > 0 && d.Type != guild.FieldMultiLine {
		add("numberOfRows", "applies to multi-line text fields only")
	}
	if d.MaximumValue != nil {
		if math.IsInf(*d.MaximumValue, 0) || math.IsNaN(*d.MaximumValue) {
			add("maximumValue", "must be a finite number")
		} else if d.Type != guild.FieldNumber {
			add("maximumValue", "applies to number fields only")
		}
	}
	if d.Type == guild.FieldDropdown {
		checkList(d.ListOfValues, add)
	} else if len(d.ListOfValues) > 0 {
		add("listOfValue", "applies to dropdown fields only")
	}
	if len(problems) == 0 && d.DefaultValue != "" {
		if err := CheckValue(d, d.DefaultValue); err != nil {
			add("defaultValue", "%s", err.Error())
		}
	}
	if len(problems) > 0 {
		return invalid(problems)
	}
	return nil
}

func checkList(list []string, add func(field, format string, args ...any)) {
	if len(list) == 0 {
		add("listOfValue", "is required for a dropdown field: give the values buyers choose from")
		return
	}
	if len(list) > MaxListOfValues {
		add("listOfValue", "may hold at most %d values (got %d)", MaxListOfValues, len(list))
	}
	seen := make(map[string]bool, len(list))
	for _, v := range list {
		switch {
		case strings.TrimSpace(v) == "":
			add("listOfValue", "must not contain empty values")
			return
		case strings.TrimSpace(v) != v:
			add("listOfValue", "value %q must not start or end with spaces", v)
			return
		case utf8.RuneCountInString(v) > MaxValueLength:
			add("listOfValue", "values must be at most %d characters", MaxValueLength)
			return
		case seen[v]:
			add("listOfValue", "value %q appears more than once", v)
			return
		}
		seen[v] = true
	}
}

func invalid(problems map[string][]string) error {
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(problems[k], "; "))
	}
	return &guild.Error{Code: guild.EInvalid, Message: strings.Join(parts, "; "), Fields: problems}
}

func fieldKey(name string) string {
	if name == "" {
		return "fieldName"
	}
	return name
}

func names(defs []guild.ExtraFieldDef) string {
	if len(defs) == 0 {
		return "none"
	}
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = strconv.Quote(d.Name)
	}
	return strings.Join(out, ", ")
}

func quoted(list []string) string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = strconv.Quote(v)
	}
	return strings.Join(out, ", ")
}
