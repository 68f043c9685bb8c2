package authz

import (
	"flag"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/guild-b2b/guild"
	"pgregory.net/rapid"
)

// TestMain runs each property 1,000 times unless -rapid.checks says otherwise
// (rapid's default of 100 reaches subsidiaries too rarely).
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if !explicit {
		if err := flag.Set("rapid.checks", "1000"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// The property tests draw small worlds with arbitrary parent maps (trees most
// of the time, but also cycles, self-loops and dangling parents), subjects
// with arbitrary roles, and requests, and pin the engine's invariants.

// codePool mixes predefined codes of each level shape with custom codes.
var codePool = []string{
	"get_orders", "create_quote", "purchase_enable", "get_company_subsidiaries",
	"submit_shopping_list_for_approval", "get_addresses", "custom_a", "custom_b",
}

// drawWorld draws companies 1..n. Three times in four every parent has a
// smaller id (an acyclic forest); otherwise parents are arbitrary, including
// 0, the company itself and ids that do not exist.
func drawWorld(t *rapid.T) MapCompanies {
	n := rapid.IntRange(2, 24).Draw(t, "companies")
	tree := rapid.IntRange(0, 3).Draw(t, "tree unless 0") != 0
	statuses := rapid.SampledFrom([]guild.CompanyStatus{approved, approved, approved, approved, approved, approved, pending, rejected, inactive})
	w := MapCompanies{}
	for id := int64(1); id <= int64(n); id++ {
		var parent int64
		if tree {
			// Biased towards recent ids, so that trees are deep as well as wide.
			parent = id - 1 - rapid.Int64Range(0, id-1).Draw(t, "parent distance")
		} else {
			parent = rapid.Int64Range(0, int64(n)+2).Draw(t, "parent")
		}
		w[id] = Node{Parent: parent, Status: statuses.Draw(t, "status")}
	}
	return w
}

func drawLevel(t *rapid.T, label string) Level {
	return rapid.SampledFrom([]Level{LevelNone, LevelUser, LevelCompany, LevelSubsidiaries}).Draw(t, label)
}

func drawRole(t *rapid.T) Role {
	g := map[string]Level{}
	grants := rapid.SampledFrom([]Level{LevelNone, LevelUser, LevelCompany, LevelSubsidiaries, LevelSubsidiaries})
	for _, c := range codePool {
		if l := grants.Draw(t, "grant "+c); l != LevelNone {
			g[c] = l
		}
	}
	return Role{ID: 99, Name: "Drawn", Grants: g}
}

// Who drawSubject draws.
const (
	anyone = iota
	companyUser
	superAdmin
)

func drawSubject(t *rapid.T, w MapCompanies, who int) Subject {
	n := int64(len(w))
	s := Subject{
		UserID:     rapid.Int64Range(1, 4).Draw(t, "user"),
		CompanyID:  rapid.OneOf(rapid.Int64Range(1, n), rapid.Int64Range(0, n+1)).Draw(t, "own company"),
		Role:       drawRole(t),
		SuperAdmin: who == superAdmin || who == anyone && rapid.Bool().Draw(t, "super admin"),
	}
	if s.SuperAdmin {
		s.Assigned = map[int64]bool{}
		for id := int64(0); id <= n+1; id++ {
			if rapid.Bool().Draw(t, "assigned") {
				s.Assigned[id] = true
			}
		}
	}
	return s
}

// drawRequest aims at the subject's own company, one of its subsidiaries, an
// assigned company or any id (including ones that do not exist), so that
// every branch of the engine is exercised.
func drawRequest(t *rapid.T, w MapCompanies, s Subject) Request {
	n := int64(len(w))
	target := rapid.Int64Range(0, n+2).Draw(t, "any target")
	switch rapid.IntRange(0, 5).Draw(t, "target kind") {
	case 0:
		target = s.CompanyID
	case 1, 2:
		var below []int64
		for id := int64(1); id <= n; id++ {
			if id != s.CompanyID && inSubtree(w, s.CompanyID, id) {
				below = append(below, id)
			}
		}
		if len(below) > 0 {
			target = rapid.SampledFrom(below).Draw(t, "subsidiary")
		}
	case 3:
		var assigned []int64
		for id, ok := range s.Assigned {
			if ok {
				assigned = append(assigned, id)
			}
		}
		slices.Sort(assigned)
		if len(assigned) > 0 {
			target = rapid.SampledFrom(assigned).Draw(t, "assigned")
		}
	}
	return Request{
		Code:        rapid.SampledFrom(append([]string{"unknown_code"}, codePool...)).Draw(t, "code"),
		CompanyID:   target,
		OwnerUserID: rapid.Int64Range(0, 4).Draw(t, "owner"),
	}
}

// inSubtree is a naive reference: target is own, or own is among target's
// ancestors on an acyclic chain (no depth bound: the engine may be stricter).
func inSubtree(w MapCompanies, own, target int64) bool {
	if target == own {
		return true
	}
	if _, ok := w[target]; !ok {
		return false
	}
	seen := map[int64]bool{target: true}
	found := false
	for c := w[target].Parent; c != 0; c = w[c].Parent {
		if seen[c] {
			return false // a cycle
		}
		seen[c] = true
		if c == own {
			found = true
		}
	}
	return found
}

func grantOf(s Subject, code string) Level {
	if s.SuperAdmin {
		return adminGrants[code]
	}
	return s.Role.Grant(code)
}

func withGrant(s Subject, code string, l Level) Subject {
	g := cloneGrants(s.Role.Grants)
	if l == LevelNone {
		delete(g, code)
	} else {
		g[code] = l
	}
	s.Role.Grants = g
	return s
}

func TestPropNeverAllowedWithoutGrant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if d.Allowed && !grantOf(s, r.Code).Valid() {
			t.Fatalf("allowed %q, which is not granted: %+v", r.Code, d)
		}
		if d.Allowed && d.Granted != grantOf(s, r.Code) {
			t.Fatalf("Granted %v, role grants %v", d.Granted, grantOf(s, r.Code))
		}
	})
}

func TestPropNeverOutsideOwnSubtree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, companyUser)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if d.Allowed && !inSubtree(w, s.CompanyID, r.CompanyID) {
			t.Fatalf("company user of %d allowed on %d, outside their subtree (%v)", s.CompanyID, r.CompanyID, w)
		}
		// Level 3 is needed exactly when the target is not the own company.
		if d.Allowed && (d.Needed == LevelSubsidiaries) != (r.CompanyID != s.CompanyID) {
			t.Fatalf("needed %v for own %d, target %d", d.Needed, s.CompanyID, r.CompanyID)
		}
		// In a forest (no cycles, shallow), every subsidiary is reachable at level 3.
		if !d.Allowed && d.NotFound() && inSubtree(w, s.CompanyID, r.CompanyID) && len(w) <= MaxDepth {
			t.Fatalf("company %d is in %d's subtree but out of reach: %+v (%v)", r.CompanyID, s.CompanyID, d, w)
		}
	})
}

// TestPropLevelsReach: level 1 reaches only the subject's own records in the
// own company, level 2 only the own company.
func TestPropLevelsReach(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, companyUser)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if !d.Allowed {
			return
		}
		switch s.Role.Grant(r.Code) {
		case LevelUser:
			if r.CompanyID != s.CompanyID || r.OwnerUserID != s.UserID {
				t.Fatalf("level 1 allowed on company %d, owner %d (subject %d of %d)", r.CompanyID, r.OwnerUserID, s.UserID, s.CompanyID)
			}
		case LevelCompany:
			if r.CompanyID != s.CompanyID {
				t.Fatalf("level 2 allowed on company %d (own %d)", r.CompanyID, s.CompanyID)
			}
		}
	})
}

func TestPropSuperAdminOnlyOnAssigned(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, superAdmin)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if d.Allowed && !s.Assigned[r.CompanyID] {
			t.Fatalf("super admin allowed on unassigned company %d", r.CompanyID)
		}
		if !s.Assigned[r.CompanyID] && d.Reason != ReasonOutOfReach {
			t.Fatalf("unassigned company %d: reason %s, want out_of_reach", r.CompanyID, d.Reason)
		}
	})
}

func TestPropNonApprovedNeverActs(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if !d.Allowed {
			return
		}
		if st, ok := w.Status(r.CompanyID); !ok || st != approved {
			t.Fatalf("allowed on company %d with status %v (exists %v)", r.CompanyID, st, ok)
		}
		if !s.SuperAdmin {
			if st, ok := w.Status(s.CompanyID); !ok || st != approved {
				t.Fatalf("user of company %d (status %v, exists %v) allowed", s.CompanyID, st, ok)
			}
		}
	})
}

// TestPropMonotonic: raising a grant's level never turns an allow into a
// refusal, and level 3 allows everything 2 allows, which allows everything 1
// allows.
func TestPropMonotonic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, companyUser)
		r := drawRequest(t, w, s)
		lo := drawLevel(t, "lower")
		hi := rapid.SampledFrom([]Level{LevelUser, LevelCompany, LevelSubsidiaries}).Filter(func(l Level) bool { return l >= lo }).Draw(t, "higher")
		code := rapid.SampledFrom(codePool).Draw(t, "raised code")
		before := Decide(withGrant(s, code, lo), r, w)
		after := Decide(withGrant(s, code, hi), r, w)
		if before.Allowed && !after.Allowed {
			t.Fatalf("raising %s from %v to %v refused: %+v then %+v", code, lo, hi, before, after)
		}
		var prev bool
		for l := LevelUser; l <= LevelSubsidiaries; l++ {
			a := Decide(withGrant(s, r.Code, l), r, w).Allowed
			if prev && !a {
				t.Fatalf("%s allowed at level %v but not at %v", r.Code, l-1, l)
			}
			prev = a
		}
	})
}

// TestPropOwnRecordsNeedNoMore: whatever the subject may do to someone else's
// record or company-wide, they may do to their own record.
func TestPropOwnRecordsNeedNoMore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		own := r
		own.OwnerUserID = s.UserID
		if Decide(s, r, w).Allowed && !Decide(s, own, w).Allowed {
			t.Fatalf("allowed for owner %d but not for the subject's own record", r.OwnerUserID)
		}
	})
}

// TestPropNotFoundIgnoresGrants: whether a company answers "not found" does
// not depend on the role, so a refusal reveals nothing about companies out of
// reach.
func TestPropNotFoundIgnoresGrants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		s2 := s
		s2.Role = drawRole(t)
		if a, b := Decide(s, r, w), Decide(s2, r, w); a.NotFound() != b.NotFound() {
			t.Fatalf("not-found depends on the role: %+v vs %+v", a, b)
		}
	})
}

func TestPropDecisionConsistent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		d := Decide(s, r, w)
		if d.Allowed != (d.Reason == ReasonAllowed) || d.Allowed != (d.Err() == nil) {
			t.Fatalf("Allowed/Reason/Err disagree: %+v", d)
		}
		if d.Allowed && (!d.Needed.Valid() || d.Granted < d.Needed) {
			t.Fatalf("allowed with granted %v < needed %v", d.Granted, d.Needed)
		}
		if d.Reason == ReasonLevelTooLow && d.Granted >= d.Needed {
			t.Fatalf("level_too_low with granted %v >= needed %v", d.Granted, d.Needed)
		}
		if d.Code != r.Code || d.Message() == "" {
			t.Fatalf("bad decision %+v", d)
		}
		if d.NotFound() && d.Message() != "company "+strconv.FormatInt(r.CompanyID, 10)+" not found" {
			t.Fatalf("not-found message %q", d.Message())
		}
	})
}

// countingWorld counts the engine's reads, to show they are bounded.
type countingWorld struct {
	MapCompanies
	status, parent int
}

func (c *countingWorld) Status(id int64) (guild.CompanyStatus, bool) {
	c.status++
	return c.MapCompanies.Status(id)
}

func (c *countingWorld) Parent(id int64) int64 {
	c.parent++
	return c.MapCompanies.Parent(id)
}

// TestPropTerminates: on arbitrary parent maps (cycles, self-loops, long
// chains, parents that do not exist) Decide returns after a bounded number of
// reads.
func TestPropTerminates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := MapCompanies{}
		n := rapid.IntRange(1, 64).Draw(t, "companies")
		for id := int64(1); id <= int64(n); id++ {
			w[id] = Node{
				Parent: rapid.Int64Range(-1, int64(n)+1).Draw(t, "parent"),
				Status: guild.CompanyStatus(rapid.IntRange(-1, 4).Draw(t, "status")),
			}
		}
		s := drawSubject(t, w, anyone)
		r := drawRequest(t, w, s)
		cw := &countingWorld{MapCompanies: w}
		d := Decide(s, r, cw)
		if cw.parent > MaxDepth || cw.status > 2 {
			t.Fatalf("%d Parent and %d Status reads for one decision", cw.parent, cw.status)
		}
		if d.Allowed && !s.SuperAdmin && !inSubtree(w, s.CompanyID, r.CompanyID) {
			t.Fatalf("allowed outside the subtree on %v", w)
		}
	})
}

func TestPropReachableAgreesWithDecide(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t)
		s := drawSubject(t, w, anyone)
		code := rapid.SampledFrom(append([]string{"unknown_code"}, codePool...)).Draw(t, "code")
		var cands, want []int64
		for id := int64(0); id <= int64(len(w))+2; id++ {
			cands = append(cands, id)
			if Decide(s, Request{code, id, s.UserID}, w).Allowed {
				want = append(want, id)
			}
		}
		got := Reachable(s, code, w, cands)
		if len(got) != len(want) {
			t.Fatalf("Reachable = %v, Decide allows %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("Reachable = %v, Decide allows %v", got, want)
			}
		}
		// With no code: the union over the codes the subject holds.
		any := Reachable(s, "", w, cands)
		union := map[int64]bool{}
		for c := range Effective(s) {
			for _, id := range Reachable(s, c, w, cands) {
				union[id] = true
			}
		}
		if len(any) != len(union) {
			t.Fatalf("Reachable(\"\") = %v, union over codes %v", any, union)
		}
		for _, id := range any {
			if !union[id] {
				t.Fatalf("Reachable(\"\") has %d, no code reaches it", id)
			}
		}
	})
}
