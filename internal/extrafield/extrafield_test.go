package extrafield

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	guild "github.com/guild-b2b/guild"
)

func ptr[T any](v T) *T { return &v }

var testDefs = []guild.ExtraFieldDef{
	{ID: 1, Name: "erp", Type: guild.FieldText, MaximumLength: 5, Unique: true},
	{ID: 2, Name: "notes", Type: guild.FieldMultiLine, NumberOfRows: 2},
	{ID: 3, Name: "limit", Type: guild.FieldNumber, MaximumValue: ptr(100.0)},
	{ID: 4, Name: "tier", Type: guild.FieldDropdown, ListOfValues: []string{"gold", "silver"}, Required: true, DefaultValue: "silver"},
	{ID: 5, Name: "region", Type: guild.FieldText, Required: true},
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name      string
		in        []Input
		mode      Mode
		want      []guild.ExtraFieldValue
		badFields []string
	}{
		{
			name: "create fills defaults and keeps order by id",
			in:   []Input{{"region", " EU "}, {"erp", "A1"}},
			want: []guild.ExtraFieldValue{{FieldID: 1, Value: "A1", Unique: true}, {FieldID: 4, Value: "silver"}, {FieldID: 5, Value: "EU"}},
		},
		{name: "create without a required field", in: nil, badFields: []string{"region"}},
		{name: "names match case-insensitively", mode: Update, in: []Input{{"ERP", "x"}}, want: []guild.ExtraFieldValue{{FieldID: 1, Value: "x", Unique: true}}},
		{name: "update touches only given fields", mode: Update, in: []Input{{"limit", "99.5"}}, want: []guild.ExtraFieldValue{{FieldID: 3, Value: "99.5"}}},
		{name: "update empties an optional field", mode: Update, in: []Input{{"erp", ""}}, want: []guild.ExtraFieldValue{{FieldID: 1, Value: "", Unique: true}}},
		{name: "update cannot empty a required field", mode: Update, in: []Input{{"region", " "}}, badFields: []string{"region"}},
		{name: "unknown field", mode: Update, in: []Input{{"color", "red"}}, badFields: []string{"color"}},
		{name: "text too long", mode: Update, in: []Input{{"erp", "ABCDEF"}}, badFields: []string{"erp"}},
		{name: "text with a line break", mode: Update, in: []Input{{"erp", "A\nB"}}, badFields: []string{"erp"}},
		{name: "too many rows", mode: Update, in: []Input{{"notes", "a\nb\nc"}}, badFields: []string{"notes"}},
		{name: "not a number", mode: Update, in: []Input{{"limit", "ten"}}, badFields: []string{"limit"}},
		{name: "number above maximum", mode: Update, in: []Input{{"limit", "100.01"}}, badFields: []string{"limit"}},
		{name: "not in the list", mode: Update, in: []Input{{"tier", "bronze"}}, badFields: []string{"tier"}},
		{name: "given twice", mode: Update, in: []Input{{"erp", "a"}, {"erp", "b"}}, badFields: []string{"erp"}},
		{name: "every problem at once", mode: Update, in: []Input{{"erp", "ABCDEF"}, {"limit", "x"}}, badFields: []string{"erp", "limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(testDefs, tt.in, tt.mode)
			if tt.badFields != nil {
				e, ok := err.(*guild.Error)
				if !ok || e.Code != guild.EInvalid {
					t.Fatalf("err = %v, want an EInvalid *guild.Error", err)
				}
				var fields []string
				for k := range e.Fields {
					fields = append(fields, k)
				}
				if diff := cmp.Diff(tt.badFields, fields, cmpSorted); diff != "" {
					t.Errorf("fields with problems (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestValidateDef(t *testing.T) {
	tests := []struct {
		name  string
		def   guild.ExtraFieldDef
		field string // "" = valid
	}{
		{"text", guild.ExtraFieldDef{Name: "a", Type: guild.FieldText, MaximumLength: 10}, ""},
		{"dropdown", guild.ExtraFieldDef{Name: "a", Type: guild.FieldDropdown, ListOfValues: []string{"x", "y"}, DefaultValue: "x"}, ""},
		{"no name", guild.ExtraFieldDef{Type: guild.FieldText}, "fieldName"},
		{"padded name", guild.ExtraFieldDef{Name: " a", Type: guild.FieldText}, "fieldName"},
		{"bad type", guild.ExtraFieldDef{Name: "a", Type: 9}, "fieldType"},
		{"length on a number", guild.ExtraFieldDef{Name: "a", Type: guild.FieldNumber, MaximumLength: 3}, "maximumLength"},
		{"rows on text", guild.ExtraFieldDef{Name: "a", Type: guild.FieldText, NumberOfRows: 3}, "numberOfRows"},
		{"maximum on text", guild.ExtraFieldDef{Name: "a", Type: guild.FieldText, MaximumValue: ptr(1.0)}, "maximumValue"},
		{"dropdown without values", guild.ExtraFieldDef{Name: "a", Type: guild.FieldDropdown}, "listOfValue"},
		{"dropdown with duplicates", guild.ExtraFieldDef{Name: "a", Type: guild.FieldDropdown, ListOfValues: []string{"x", "x"}}, "listOfValue"},
		{"list on text", guild.ExtraFieldDef{Name: "a", Type: guild.FieldText, ListOfValues: []string{"x"}}, "listOfValue"},
		{"default not in list", guild.ExtraFieldDef{Name: "a", Type: guild.FieldDropdown, ListOfValues: []string{"x"}, DefaultValue: "z"}, "defaultValue"},
		{"default too long", guild.ExtraFieldDef{Name: "a", Type: guild.FieldText, MaximumLength: 2, DefaultValue: "abc"}, "defaultValue"},
		{"default not a number", guild.ExtraFieldDef{Name: "a", Type: guild.FieldNumber, DefaultValue: "abc"}, "defaultValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateDef(tt.def)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("ValidateDef: %v", err)
				}
				return
			}
			e, ok := err.(*guild.Error)
			if !ok || e.Code != guild.EInvalid || e.Fields[tt.field] == nil {
				t.Fatalf("err = %#v, want EInvalid naming %q", err, tt.field)
			}
		})
	}
}

// FuzzCheckValue: no panic, and whatever is accepted obeys the definition.
func FuzzCheckValue(f *testing.F) {
	for _, s := range []string{"1", "-2.5e3", "gold", "a\nb", "NaN", "Inf", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, d := range testDefs {
			if CheckValue(d, value) != nil {
				continue
			}
			if d.Type == guild.FieldDropdown && value != "gold" && value != "silver" {
				t.Fatalf("dropdown accepted %q", value)
			}
		}
	})
}
