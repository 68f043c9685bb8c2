package authz

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rolesTable renders the predefined roles' grants as ROLES.md's table.
func rolesTable() string {
	roles := PredefinedRoles()
	var b strings.Builder
	b.WriteString("| Code | Allowed levels | Admin | Senior Buyer | Junior Buyer |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, p := range Predefined() {
		var ls []string
		for _, l := range p.Levels {
			ls = append(ls, l.String()[:1])
		}
		b.WriteString("| `" + p.Code + "` | " + strings.Join(ls, ", ") + " |")
		for _, r := range roles {
			if l := r.Grant(p.Code); l.Valid() {
				b.WriteString(" " + l.String()[:1] + " |")
			} else {
				b.WriteString(" — |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestRolesDoc keeps ROLES.md's table in step with PredefinedRoles.
func TestRolesDoc(t *testing.T) {
	doc, err := os.ReadFile("ROLES.md")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "| `") || strings.HasPrefix(line, "| Code |") || strings.HasPrefix(line, "|---") {
			got = append(got, line)
		}
	}
	want := strings.Split(strings.TrimSuffix(rolesTable(), "\n"), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ROLES.md's table differs from PredefinedRoles (-want +got):\n%s\nwant:\n%s", diff, rolesTable())
	}
}
