package authz

import (
	"testing"

	"github.com/guild-b2b/guild"
)

// benchWorld builds one account hierarchy at the vendor's limits: 5 layers,
// 500 companies. Layers 1-4 fan out by 4 (1, 4, 16, 64 companies); layer 5
// holds the remaining 415, spread over layer 4. It returns the world and the
// companies of each layer, in id order.
func benchWorld() (MapCompanies, [5][]int64) {
	w := MapCompanies{}
	var layers [5][]int64
	next := int64(1)
	add := func(layer int, parent int64) {
		w[next] = Node{Parent: parent, Status: guild.CompanyApproved}
		layers[layer] = append(layers[layer], next)
		next++
	}
	add(0, 0)
	for l := 1; l < 4; l++ {
		for _, p := range layers[l-1] {
			for range 4 {
				add(l, p)
			}
		}
	}
	for i := 0; len(w) < 500; i++ {
		add(4, layers[3][i%len(layers[3])])
	}
	return w, layers
}

type benchCase struct {
	s Subject
	r Request
}

// benchCases returns the request mixes the benchmark runs.
func benchCases(b *testing.B) map[string][]benchCase {
	w, layers := benchWorld()
	if len(w) != 500 {
		b.Fatalf("%d companies", len(w))
	}
	root, mid, leafParent := layers[0][0], layers[2][0], layers[3][0]
	deepest := layers[4][0] // a child of leafParent, 4 steps below the root
	if w[deepest].Parent != leafParent {
		b.Fatalf("company %d's parent is %d, want %d", deepest, w[deepest].Parent, leafParent)
	}
	otherBranch := layers[4][len(layers[4])-1]
	admin := Subject{UserID: 1, CompanyID: root, Role: role(guild.RoleAdmin)}
	midAdmin := Subject{UserID: 2, CompanyID: mid, Role: role(guild.RoleAdmin)}
	senior := Subject{UserID: 3, CompanyID: mid, Role: role(guild.RoleSeniorBuyer)}
	junior := Subject{UserID: 4, CompanyID: leafParent, Role: role(guild.RoleJuniorBuyer)}
	super := Subject{UserID: 5, SuperAdmin: true, Assigned: map[int64]bool{mid: true, deepest: true}}

	own := []benchCase{
		{admin, Request{"get_orders", root, 0}},
		{senior, Request{"purchase_enable", mid, 0}},
		{junior, Request{"get_orders", leafParent, 4}},
		{junior, Request{"create_shopping_list", leafParent, 4}},
		{super, Request{"create_user", deepest, 0}}, // an assigned company counts as own
	}
	deep := []benchCase{
		{admin, Request{"get_orders", deepest, 0}},
		{admin, Request{"create_user", deepest, 0}},
		{midAdmin, Request{"purchase_enable", deepest, 0}},
		{admin, Request{"get_company_subsidiaries", layers[4][len(layers[4])/2], 0}},
	}
	refused := []benchCase{
		{junior, Request{"purchase_enable", leafParent, 0}}, // not_granted
		{junior, Request{"get_orders", leafParent, 9}},      // level_too_low
		{senior, Request{"get_orders", deepest, 0}},         // level_too_low, level 3 needed
		{midAdmin, Request{"get_orders", otherBranch, 0}},   // out_of_reach after a full walk
		{midAdmin, Request{"get_orders", root, 0}},          // out_of_reach: the parent
		{super, Request{"get_orders", root, 0}},             // out_of_reach: not assigned
		{midAdmin, Request{"get_orders", 100000, 0}},        // unknown_company
	}
	var mix []benchCase
	mix = append(mix, own...)
	mix = append(mix, deep...)
	mix = append(mix, refused...)
	return map[string][]benchCase{"mix": mix, "own": own, "deepest": deep, "refused": refused}
}

// BenchmarkDecide reports decisions per second on a 5-layer, 500-company
// hierarchy: "mix" cycles through requests on the own company, on the deepest
// subsidiaries at level 3 and refused ones; the other sub-benchmarks run each
// group alone. Run with -cpu 1 for the one-core figure:
//
//	go test -run xxx -bench Decide -cpu 1 ./internal/authz
func BenchmarkDecide(b *testing.B) {
	w, _ := benchWorld()
	cases := benchCases(b)
	for _, name := range []string{"mix", "own", "deepest", "refused"} {
		cs := cases[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			allowed, n := 0, 0
			for b.Loop() {
				c := &cs[n%len(cs)]
				if Decide(c.s, c.r, w).Allowed {
					allowed++
				}
				n++
			}
			if (allowed == 0) != (name == "refused") {
				b.Fatalf("%d of %d allowed", allowed, n)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
}

// BenchmarkReachable lists the companies the root's admin may act for among
// all 500 of the hierarchy.
func BenchmarkReachable(b *testing.B) {
	w, layers := benchWorld()
	var all []int64
	for _, l := range layers {
		all = append(all, l...)
	}
	admin := Subject{UserID: 1, CompanyID: layers[0][0], Role: role(guild.RoleAdmin)}
	b.ReportAllocs()
	for b.Loop() {
		if got := Reachable(admin, "get_orders", w, all); len(got) != 500 {
			b.Fatalf("%d reachable", len(got))
		}
	}
}
