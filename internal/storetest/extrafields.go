package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

func testExtraFieldDefs(t *testing.T, f *fixture) {
	tn := f.tenant(t, "defs")
	other := f.tenant(t, "defs-other")
	region := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Region",
		Type: guild.FieldText, Required: true, VisibleToEndUser: true, DefaultValue: "N/A", MaximumLength: 50,
		UUID: "erp-region", CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2.000002))})
	size := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Size",
		Type: guild.FieldNumber, Unique: true, MaximumValue: ptr(1000.5)})
	tier := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Tier",
		Type: guild.FieldDropdown, ListOfValues: []string{"gold", "silver", "bronze"}})
	notes := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "Notes",
		Type: guild.FieldMultiLine, NumberOfRows: 4, MaximumValue: ptr(0.0)})
	// The same name in another kind or another tenant is no conflict.
	userRegion := f.textField(t, tn.ID, guild.ExtraFieldUser, "Region")
	f.textField(t, other.ID, guild.ExtraFieldCompany, "Region")

	for _, want := range []guild.ExtraFieldDef{region, size, tier, notes, userRegion} {
		got, err := f.s.ExtraFieldDef(f.ctx, tn.ID, want.ID)
		wantNoErr(t, err, "ExtraFieldDef")
		wantEqual(t, got, want, "ExtraFieldDef "+want.Name)
	}
	if got, err := f.s.ExtraFieldDef(f.ctx, tn.ID, size.ID); err == nil && (got.MaximumValue == nil || *got.MaximumValue != 1000.5) {
		t.Errorf("MaximumValue %v, want 1000.5", got.MaximumValue)
	}
	if got, err := f.s.ExtraFieldDef(f.ctx, tn.ID, notes.ID); err == nil && (got.MaximumValue == nil || *got.MaximumValue != 0) {
		t.Errorf("MaximumValue %v, want a pointer to 0", got.MaximumValue)
	}
	if got, err := f.s.ExtraFieldDef(f.ctx, tn.ID, region.ID); err == nil && got.MaximumValue != nil {
		t.Errorf("MaximumValue %v, want nil", *got.MaximumValue)
	}
	_, err := f.s.ExtraFieldDef(f.ctx, tn.ID, userRegion.ID+1000)
	wantCode(t, err, guild.ENotFound, "ExtraFieldDef of a missing id")

	list, err := f.s.ListExtraFieldDefs(f.ctx, tn.ID, guild.ExtraFieldCompany)
	wantNoErr(t, err, "ListExtraFieldDefs")
	wantEqual(t, list, []guild.ExtraFieldDef{region, size, tier, notes}, "company fields")
	list, err = f.s.ListExtraFieldDefs(f.ctx, tn.ID, guild.ExtraFieldUser)
	wantNoErr(t, err, "ListExtraFieldDefs")
	wantEqual(t, list, []guild.ExtraFieldDef{userRegion}, "user fields")
	list, err = f.s.ListExtraFieldDefs(f.ctx, tn.ID, guild.ExtraFieldAddress)
	wantNoErr(t, err, "ListExtraFieldDefs")
	wantEqual(t, list, nil, "address fields")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateExtraFieldDef(f.ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany,
			Name: "region", Type: guild.FieldText, CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateExtraFieldDef with a name differing only in case")

	upd := size
	upd.Name, upd.Type, upd.Required, upd.Unique, upd.VisibleToEndUser = "Headcount", guild.FieldText, true, false, true
	upd.DefaultValue, upd.MaximumLength, upd.NumberOfRows, upd.MaximumValue = "1", 9, 2, nil
	upd.ListOfValues, upd.UUID, upd.UpdatedAt = []string{"a"}, "erp-size", at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateExtraFieldDef(f.ctx, upd) })
	upd.CreatedAt = size.CreatedAt
	got, err := f.s.ExtraFieldDef(f.ctx, tn.ID, size.ID)
	wantNoErr(t, err, "ExtraFieldDef")
	wantEqual(t, got, upd, "definition after UpdateExtraFieldDef")

	clash := tier
	clash.Name = "REGION"
	err = f.try(func(tx guild.Tx) error { return tx.UpdateExtraFieldDef(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateExtraFieldDef to another field's name")
	missing := tier
	missing.ID = userRegion.ID + 1000
	err = f.try(func(tx guild.Tx) error { return tx.UpdateExtraFieldDef(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateExtraFieldDef of a missing field")

	// Deleting a definition deletes its values.
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "Valued",
		ExtraFields: []guild.ExtraFieldValue{put(region, "North"), put(tier, "gold")}})
	f.update(t, func(tx guild.Tx) error { return tx.DeleteExtraFieldDef(f.ctx, tn.ID, region.ID) })
	_, err = f.s.ExtraFieldDef(f.ctx, tn.ID, region.ID)
	wantCode(t, err, guild.ENotFound, "ExtraFieldDef after DeleteExtraFieldDef")
	wantEqual(t, f.mustCompany(t, tn.ID, c.ID).ExtraFields, []guild.ExtraFieldValue{val(tier, "gold")}, "values after DeleteExtraFieldDef")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, region.ID, "North", 0)
	wantCode(t, err, guild.ENotFound, "ExtraFieldValueOwner of a deleted field")
	list, err = f.s.ListExtraFieldDefs(f.ctx, tn.ID, guild.ExtraFieldCompany)
	wantNoErr(t, err, "ListExtraFieldDefs")
	wantEqual(t, list, []guild.ExtraFieldDef{upd, tier, notes}, "company fields after a deletion")
	err = f.try(func(tx guild.Tx) error { return tx.DeleteExtraFieldDef(f.ctx, tn.ID, region.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteExtraFieldDef of a deleted field")
	// The name is free again.
	f.textField(t, tn.ID, guild.ExtraFieldCompany, "Region")
}

func testExtraFieldValues(t *testing.T, f *fixture) {
	t.Run("Set", func(t *testing.T) { testSetExtraFieldValues(t, f) })
	t.Run("Owner", func(t *testing.T) { testExtraFieldValueOwner(t, f) })
	t.Run("MissingAndFill", func(t *testing.T) { testFillMissing(t, f) })
	t.Run("DuplicateAndUnique", func(t *testing.T) { testUniqueValues(t, f) })
}

func testSetExtraFieldValues(t *testing.T, f *fixture) {
	tn := f.tenant(t, "values")
	fa := f.textField(t, tn.ID, guild.ExtraFieldCompany, "A")
	fb := f.textField(t, tn.ID, guild.ExtraFieldCompany, "B")
	fu := f.textField(t, tn.ID, guild.ExtraFieldCompany, "U")
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "X"})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Y"})
	values := func(c guild.Company) []guild.ExtraFieldValue {
		t.Helper()
		return f.mustCompany(t, tn.ID, c.ID).ExtraFields
	}

	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, put(fa, "a1"))
	wantEqual(t, values(x), []guild.ExtraFieldValue{val(fa, "a1")}, "after the first set")
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, put(fb, "b1"), put(fa, "a2"))
	wantEqual(t, values(x), []guild.ExtraFieldValue{val(fa, "a2"), val(fb, "b1")}, "after an upsert")
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, put(fa, ""))
	wantEqual(t, values(x), []guild.ExtraFieldValue{val(fb, "b1")}, "an empty value deletes only its field")
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, put(fa, ""))
	wantEqual(t, values(x), []guild.ExtraFieldValue{val(fb, "b1")}, "deleting a missing value")

	// Unique values conflict with another record's, not with the record's own.
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, uput(fu, "u1"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, uput(fu, "u1"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, y.ID, put(fb, "yb"))
	err := f.try(func(tx guild.Tx) error {
		return tx.SetExtraFieldValues(f.ctx, tn.ID, guild.ExtraFieldCompany, y.ID, []guild.ExtraFieldValue{put(fa, "ya"), uput(fu, "u1")})
	})
	wantCode(t, err, guild.EConflict, "a unique value taken by another record")
	wantEqual(t, values(y), []guild.ExtraFieldValue{val(fb, "yb")}, "values after a refused set")
	wantEqual(t, values(x), []guild.ExtraFieldValue{val(fb, "b1"), uval(fu, "u1")}, "the owner's values")
	// A freed unique value can be taken.
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, uput(fu, "u2"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, y.ID, uput(fu, "u1"))
	wantEqual(t, values(y), []guild.ExtraFieldValue{val(fb, "yb"), uval(fu, "u1")}, "a freed unique value")

	// Values of a field that is not unique may repeat.
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, x.ID, put(fa, "same"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, y.ID, put(fa, "same"))

	// User records.
	_, u := f.companyUser(t, x, "u@example.com")
	f.setValues(t, tn.ID, guild.ExtraFieldUser, u.ID, put(badge, "B7"))
	gotUser, err := f.s.User(f.ctx, tn.ID, u.ID)
	wantNoErr(t, err, "User")
	wantEqual(t, gotUser.ExtraFields, []guild.ExtraFieldValue{val(badge, "B7")}, "user values")

	for _, c := range []struct {
		what   string
		kind   guild.ExtraFieldKind
		record int64
		value  guild.ExtraFieldValue
	}{
		{"a missing company", guild.ExtraFieldCompany, y.ID + 1000, put(fa, "v")},
		{"a missing user", guild.ExtraFieldUser, u.ID + 1000, put(badge, "v")},
		{"a missing field", guild.ExtraFieldCompany, x.ID, guild.ExtraFieldValue{FieldID: badge.ID + 1000, Value: "v"}},
		{"a field of another kind", guild.ExtraFieldCompany, x.ID, put(badge, "v")},
	} {
		err := f.try(func(tx guild.Tx) error {
			return tx.SetExtraFieldValues(f.ctx, tn.ID, c.kind, c.record, []guild.ExtraFieldValue{c.value})
		})
		wantCode(t, err, guild.ENotFound, "SetExtraFieldValues on "+c.what)
	}
}

func testExtraFieldValueOwner(t *testing.T, f *fixture) {
	tn := f.tenant(t, "owner")
	fv := f.textField(t, tn.ID, guild.ExtraFieldCompany, "V")
	other := f.textField(t, tn.ID, guild.ExtraFieldCompany, "Other")
	r1 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R1", ExtraFields: []guild.ExtraFieldValue{put(fv, "v")}})
	r2 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R2", ExtraFields: []guild.ExtraFieldValue{put(fv, "w"), put(other, "x")}})

	owner, err := f.s.ExtraFieldValueOwner(f.ctx, tn.ID, fv.ID, "v", 0)
	wantNoErr(t, err, "ExtraFieldValueOwner")
	if owner != r1.ID {
		t.Errorf("owner of v %d, want %d", owner, r1.ID)
	}
	owner, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, fv.ID, "w", r1.ID)
	wantNoErr(t, err, "ExtraFieldValueOwner")
	if owner != r2.ID {
		t.Errorf("owner of w %d, want %d", owner, r2.ID)
	}
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, fv.ID, "v", r1.ID)
	wantCode(t, err, guild.ENotFound, "ExtraFieldValueOwner excepting the owner")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, fv.ID, "x", 0)
	wantCode(t, err, guild.ENotFound, "ExtraFieldValueOwner of another field's value")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, fv.ID, "nobody", 0)
	wantCode(t, err, guild.ENotFound, "ExtraFieldValueOwner of an unused value")
}

func testFillMissing(t *testing.T, f *fixture) {
	tn := f.tenant(t, "fill")
	other := f.tenant(t, "fill-other")
	fv := f.textField(t, tn.ID, guild.ExtraFieldCompany, "V")
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	has := f.company(t, guild.Company{TenantID: tn.ID, Name: "Has", ExtraFields: []guild.ExtraFieldValue{put(fv, "mine")}})
	m1 := f.company(t, guild.Company{TenantID: tn.ID, Name: "Missing 1"})
	m2 := f.company(t, guild.Company{TenantID: tn.ID, Name: "Missing 2"})
	f.company(t, guild.Company{TenantID: other.ID, Name: "Other tenant"})
	_, u1 := f.companyUser(t, has, "u1@example.com", put(badge, "B1"))
	_, u2 := f.companyUser(t, has, "u2@example.com")
	count := func(def guild.ExtraFieldDef) int {
		t.Helper()
		n, err := f.s.CountRecordsMissingExtraField(f.ctx, tn.ID, def)
		wantNoErr(t, err, "CountRecordsMissingExtraField")
		return n
	}
	fill := func(def guild.ExtraFieldDef, value string) (int, error) {
		var n int
		err := f.try(func(tx guild.Tx) error {
			var err error
			n, err = tx.FillMissingExtraField(f.ctx, tn.ID, def, value)
			return err
		})
		return n, err
	}
	if n := count(fv); n != 2 {
		t.Errorf("companies missing V: %d, want 2", n)
	}
	if n := count(badge); n != 1 {
		t.Errorf("users missing Badge: %d, want 1", n)
	}

	// A unique fill of several records cannot succeed.
	uniqueV := fv
	uniqueV.Unique = true
	_, err := fill(uniqueV, "one for all")
	wantCode(t, err, guild.EConflict, "a unique fill of two records")
	if n := count(fv); n != 2 {
		t.Errorf("companies missing V after a refused fill: %d, want 2", n)
	}

	n, err := fill(fv, "filled")
	wantNoErr(t, err, "FillMissingExtraField")
	if n != 2 {
		t.Errorf("FillMissingExtraField filled %d, want 2", n)
	}
	if n := count(fv); n != 0 {
		t.Errorf("companies missing V after the fill: %d, want 0", n)
	}
	wantEqual(t, f.mustCompany(t, tn.ID, has.ID).ExtraFields, []guild.ExtraFieldValue{val(fv, "mine")}, "a value the fill must keep")
	for _, c := range []guild.Company{m1, m2} {
		wantEqual(t, f.mustCompany(t, tn.ID, c.ID).ExtraFields, []guild.ExtraFieldValue{val(fv, "filled")}, "a filled value")
	}

	// A unique fill of one record: the value must be free, and is stored unique.
	uniqueBadge := badge
	uniqueBadge.Unique = true
	f.update(t, func(tx guild.Tx) error { return tx.SetExtraFieldUnique(f.ctx, tn.ID, badge.ID, true) })
	_, err = fill(uniqueBadge, "B1")
	wantCode(t, err, guild.EConflict, "a unique fill with a value another record holds")
	n, err = fill(uniqueBadge, "B2")
	wantNoErr(t, err, "FillMissingExtraField")
	if n != 1 {
		t.Errorf("FillMissingExtraField filled %d users, want 1", n)
	}
	got, err := f.s.User(f.ctx, tn.ID, u2.ID)
	wantNoErr(t, err, "User")
	wantEqual(t, got.ExtraFields, []guild.ExtraFieldValue{uval(badge, "B2")}, "a unique filled value")
	err = f.try(func(tx guild.Tx) error {
		return tx.SetExtraFieldValues(f.ctx, tn.ID, guild.ExtraFieldUser, u1.ID, []guild.ExtraFieldValue{uput(badge, "B2")})
	})
	wantCode(t, err, guild.EConflict, "taking a unique filled value")

	n, err = fill(fv, "again")
	wantNoErr(t, err, "FillMissingExtraField with nothing missing")
	if n != 0 {
		t.Errorf("FillMissingExtraField with nothing missing filled %d", n)
	}
}

func testUniqueValues(t *testing.T, f *fixture) {
	tn := f.tenant(t, "unique")
	fv := f.textField(t, tn.ID, guild.ExtraFieldCompany, "V")
	r1 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R1"})
	r2 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R2"})
	r3 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R3"})
	r4 := f.company(t, guild.Company{TenantID: tn.ID, Name: "R4"})
	dup := func() (string, bool) {
		t.Helper()
		v, ok, err := f.s.DuplicateExtraFieldValue(f.ctx, tn.ID, fv.ID)
		wantNoErr(t, err, "DuplicateExtraFieldValue")
		return v, ok
	}
	setUnique := func(on bool) error {
		return f.try(func(tx guild.Tx) error { return tx.SetExtraFieldUnique(f.ctx, tn.ID, fv.ID, on) })
	}

	if v, ok := dup(); ok || v != "" {
		t.Errorf("DuplicateExtraFieldValue without values: %q, %v", v, ok)
	}
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r1.ID, put(fv, "A"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r2.ID, put(fv, "B"))
	if v, ok := dup(); ok || v != "" {
		t.Errorf("DuplicateExtraFieldValue of distinct values: %q, %v", v, ok)
	}
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r2.ID, put(fv, "A"))
	if v, ok := dup(); !ok || v != "A" {
		t.Errorf("DuplicateExtraFieldValue: %q, %v, want A, true", v, ok)
	}
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r3.ID, put(fv, "C"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r4.ID, put(fv, "C"))
	if v, ok := dup(); !ok || (v != "A" && v != "C") {
		t.Errorf("DuplicateExtraFieldValue with two duplicates: %q, %v, want A or C", v, ok)
	}

	wantCode(t, setUnique(true), guild.EConflict, "SetExtraFieldUnique while values repeat")
	if got := f.mustCompany(t, tn.ID, r1.ID).ExtraFields; len(got) != 1 || got[0].Unique {
		t.Errorf("values after a refused SetExtraFieldUnique: %+v, want one not unique", got)
	}

	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r2.ID, put(fv, "B"))
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r4.ID, put(fv, "D"))
	wantNoErr(t, setUnique(true), "SetExtraFieldUnique")
	wantEqual(t, f.mustCompany(t, tn.ID, r1.ID).ExtraFields, []guild.ExtraFieldValue{uval(fv, "A")}, "a value made unique")
	err := f.try(func(tx guild.Tx) error {
		return tx.SetExtraFieldValues(f.ctx, tn.ID, guild.ExtraFieldCompany, r3.ID, []guild.ExtraFieldValue{uput(fv, "A")})
	})
	wantCode(t, err, guild.EConflict, "taking a value made unique")

	wantNoErr(t, setUnique(false), "SetExtraFieldUnique(false)")
	wantEqual(t, f.mustCompany(t, tn.ID, r1.ID).ExtraFields, []guild.ExtraFieldValue{val(fv, "A")}, "a value made not unique")
	f.setValues(t, tn.ID, guild.ExtraFieldCompany, r3.ID, put(fv, "A"))

	err = f.try(func(tx guild.Tx) error { return tx.SetExtraFieldUnique(f.ctx, tn.ID, fv.ID+1000, true) })
	wantCode(t, err, guild.ENotFound, "SetExtraFieldUnique of a missing field")
}
