package authz

import "strconv"

// Level is the scope at which a role grants a permission code. The values are
// the vendor's permissionLevel numbers.
type Level int

// The permission levels. A higher level includes everything a lower one
// reaches.
const (
	// LevelNone means "not granted". It is never a valid grant.
	LevelNone Level = 0
	// LevelUser reaches the subject's own records (orders, quotes, shopping
	// lists they own) in their own company.
	LevelUser Level = 1
	// LevelCompany reaches every record of the subject's own company.
	LevelCompany Level = 2
	// LevelSubsidiaries reaches the own company and every company below it in
	// the account hierarchy.
	LevelSubsidiaries Level = 3
)

// AllLevels returns the three grantable levels in ascending order, as a new
// slice.
func AllLevels() []Level { return []Level{LevelUser, LevelCompany, LevelSubsidiaries} }

// Valid reports whether l is a grantable level (1, 2 or 3).
func (l Level) Valid() bool { return l >= LevelUser && l <= LevelSubsidiaries }

// String returns the level as the vendor's documentation writes it, e.g.
// "2 (Company)". LevelNone is "0 (none)"; other invalid values are their
// number.
func (l Level) String() string {
	switch l {
	case LevelNone:
		return "0 (none)"
	case LevelUser:
		return "1 (User)"
	case LevelCompany:
		return "2 (Company)"
	case LevelSubsidiaries:
		return "3 (Company and subsidiaries)"
	}
	return strconv.Itoa(int(l))
}
