package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// attach sends POST /companies/{child}/parent.
func (e *env) attach(child, parent any) response {
	e.t.Helper()
	return e.do("POST", fmt.Sprintf("/api/v3/io/companies/%v/parent", child), map[string]any{"parentCompanyId": parent})
}

// lastOutboxID returns the id of the tenant's newest outbox row (0: none).
func lastOutboxID(t *testing.T, e *env) int64 {
	t.Helper()
	msgs := outboxAfter(t, e, 0)
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].ID
}

// outboxAfter lists the tenant's outbox rows after id.
func outboxAfter(t *testing.T, e *env, after int64) []guild.OutboxMessage {
	t.Helper()
	var all []guild.OutboxMessage
	for {
		msgs, err := e.app.Store().ListOutbox(context.Background(), e.tenant.ID, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, msgs...)
		if len(msgs) < 1000 {
			return all
		}
		after = msgs[len(msgs)-1].ID
	}
}

// outboxSummary renders rows as "topic entity_type:entity_id payload".
func outboxSummary(msgs []guild.OutboxMessage) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = fmt.Sprintf("%s %s:%d %s", m.Topic, m.EntityType, m.EntityID, m.Payload)
	}
	return out
}

// parents maps every company of the tenant to its parent.
func parents(t *testing.T, e *env) map[int64]int64 {
	t.Helper()
	list, _, err := e.app.Store().ListCompanies(context.Background(), e.tenant.ID, guild.CompanyFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[int64]int64, len(list))
	for _, c := range list {
		out[c.ID] = c.ParentID
	}
	return out
}

// jsonDiff compares two JSON texts by meaning.
func jsonDiff(t *testing.T, want string, got []byte) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v\n%s", err, want)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Sprintf("answer is not JSON: %v\n%s", err, got)
	}
	return cmp.Diff(w, g)
}

func TestHierarchyEndpoints(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		id := map[string]int64{}
		for _, n := range []string{"A", "B", "C", "D", "E", "F"} {
			id[n] = e.createCompany(map[string]any{"companyName": "Company " + n})
		}
		repl := func(s string) string {
			for n, v := range id {
				s = strings.ReplaceAll(s, "$"+n, fmt.Sprint(v))
			}
			return s
		}
		co := func(n string, subs ...string) string {
			s := fmt.Sprintf(`{"companyId":$%s,"companyName":"Company %s","companyStatus":1`, n, n)
			if len(subs) > 0 {
				s += `,"subsidiaries":[` + strings.Join(subs, ",") + `]`
			}
			return s + "}"
		}
		list := func(total, limit, offset int, items ...string) string {
			return repl(fmt.Sprintf(`{"data":[%s],"meta":{"message":"SUCCESS","pagination":{"totalCount":%d,"limit":%d,"offset":%d}}}`,
				strings.Join(items, ","), total, limit, offset))
		}
		get := func(path, template string) response {
			t.Helper()
			r := e.do("GET", repl(path), nil)
			expect(t, r, 200)
			conform(t, r, "GET", template)
			return r
		}

		// The vendor's example: A → B → D → E → F (five layers) and A → C.
		before := lastOutboxID(t, e)
		for _, edge := range [][2]string{{"B", "A"}, {"C", "A"}, {"D", "B"}, {"E", "D"}, {"F", "E"}} {
			r := e.attach(id[edge[0]], fmt.Sprint(id[edge[1]])) // a numeric string is accepted
			expect(t, r, 201)
			conform(t, r, "POST", "/companies/{companyId}/parent")
			if got := string(r.body); got != `{"data":[],"meta":{"message":"SUCCESS"}}`+"\n" {
				t.Errorf("attach answered %s, want the vendor's example", got)
			}
		}
		// Each attach is a company update of the child, and only that.
		var want []string
		for _, n := range []string{"B", "C", "D", "E", "F"} {
			want = append(want, repl(fmt.Sprintf(`company.updated company:$%s {"companyId":$%s,"changed":["parentCompany"]}`, n, n)))
		}
		if diff := cmp.Diff(want, outboxSummary(outboxAfter(t, e, before))); diff != "" {
			t.Errorf("outbox of the attaches (-want +got):\n%s", diff)
		}

		// Any member's hierarchy is the whole tree, from its root.
		whole := list(2, 10, 0, co("A", co("B", co("D", co("E", co("F")))), co("C")))
		for _, from := range []string{"A", "C", "D", "F"} {
			r := get("/api/v3/io/companies/$"+from+"/hierarchy", "/companies/{companyId}/hierarchy")
			if diff := jsonDiff(t, whole, r.body); diff != "" {
				t.Errorf("hierarchy of %s (-want +got):\n%s", from, diff)
			}
		}
		r := get("/api/v3/io/companies/$D/hierarchy?limit=1&offset=1", "/companies/{companyId}/hierarchy")
		if diff := jsonDiff(t, list(2, 1, 1, co("A", co("C"))), r.body); diff != "" {
			t.Errorf("a page of the hierarchy (-want +got):\n%s", diff)
		}

		// Subsidiaries: the direct ones, paged, each with its subtree.
		for _, c := range []struct{ path, want string }{
			{"/api/v3/io/companies/$A/subsidiaries", list(2, 10, 0, co("B", co("D", co("E", co("F")))), co("C"))},
			{"/api/v3/io/companies/$B/subsidiaries", list(1, 10, 0, co("D", co("E", co("F"))))},
			{"/api/v3/io/companies/$A/subsidiaries?limit=1&offset=1", list(2, 1, 1, co("C"))},
			{"/api/v3/io/companies/$F/subsidiaries", list(0, 10, 0)},
		} {
			r := get(c.path, "/companies/{companyId}/subsidiaries")
			if diff := jsonDiff(t, c.want, r.body); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.path, diff)
			}
		}

		// The detail shows the parent; {} for a root.
		for n, want := range map[string]any{
			"D": map[string]any{"id": float64(id["B"]), "name": "Company B"},
			"A": map[string]any{},
		} {
			r := get("/api/v3/io/companies/$"+n, "/companies/{companyId}")
			if diff := cmp.Diff(want, r.data(t)["parentCompany"]); diff != "" {
				t.Errorf("parentCompany of %s (-want +got):\n%s", n, diff)
			}
		}

		// Attaching a company to its parent again changes nothing.
		before = lastOutboxID(t, e)
		expect(t, e.attach(id["C"], id["A"]), 201)
		if msgs := outboxAfter(t, e, before); len(msgs) != 0 {
			t.Errorf("a no-op attach wrote %v", outboxSummary(msgs))
		}

		// Detaching a middle company makes it a root, with its subtree.
		before = lastOutboxID(t, e)
		r = e.do("DELETE", repl("/api/v3/io/companies/$B/subsidiaries/$D"), nil)
		expect(t, r, 204)
		conform(t, r, "DELETE", "/companies/{companyId}/subsidiaries/{childCompanyId}")
		if len(r.body) != 0 {
			t.Errorf("204 with a body: %s", r.body)
		}
		if diff := cmp.Diff([]string{repl(`company.updated company:$D {"companyId":$D,"changed":["parentCompany"]}`)},
			outboxSummary(outboxAfter(t, e, before))); diff != "" {
			t.Errorf("outbox of the detach (-want +got):\n%s", diff)
		}
		r = get("/api/v3/io/companies/$F/hierarchy", "/companies/{companyId}/hierarchy")
		if diff := jsonDiff(t, list(1, 10, 0, co("D", co("E", co("F")))), r.body); diff != "" {
			t.Errorf("the detached company's hierarchy (-want +got):\n%s", diff)
		}
		r = get("/api/v3/io/companies/$A/hierarchy", "/companies/{companyId}/hierarchy")
		if diff := jsonDiff(t, list(2, 10, 0, co("A", co("B"), co("C"))), r.body); diff != "" {
			t.Errorf("the former parent's hierarchy (-want +got):\n%s", diff)
		}
		if pc := get("/api/v3/io/companies/$D", "/companies/{companyId}").data(t)["parentCompany"]; !cmp.Equal(pc, map[string]any{}) {
			t.Errorf("a detached company's parentCompany: %v, want {}", pc)
		}

		// Deleting a company with subsidiaries makes them roots, each a
		// company update written before the deletion.
		expect(t, e.attach(id["D"], id["B"]), 201)
		before = lastOutboxID(t, e)
		expect(t, e.do("DELETE", repl("/api/v3/io/companies/$B"), nil), 200)
		var topics []string
		for _, m := range outboxAfter(t, e, before) {
			if m.EntityType == guild.EntityCompany {
				topics = append(topics, fmt.Sprintf("%s %d", m.Topic, m.EntityID))
			}
		}
		if diff := cmp.Diff([]string{fmt.Sprintf("company.updated %d", id["D"]), fmt.Sprintf("company.deleted %d", id["B"])}, topics); diff != "" {
			t.Errorf("company rows of the delete (-want +got):\n%s", diff)
		}
		r = get("/api/v3/io/companies/$E/hierarchy", "/companies/{companyId}/hierarchy")
		if diff := jsonDiff(t, list(1, 10, 0, co("D", co("E", co("F")))), r.body); diff != "" {
			t.Errorf("hierarchy after deleting the parent (-want +got):\n%s", diff)
		}
		r = get("/api/v3/io/companies/$A/hierarchy", "/companies/{companyId}/hierarchy")
		if diff := jsonDiff(t, list(1, 10, 0, co("A", co("C"))), r.body); diff != "" {
			t.Errorf("hierarchy of the deleted company's parent (-want +got):\n%s", diff)
		}
	})
}

func TestHierarchyBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		other := newEnv(t, b, envOptions{})
		foreign := other.createCompany(nil)
		var chain []int64 // L1 ← L2 ← ... ← L5: five layers
		for i := range 5 {
			chain = append(chain, e.createCompany(map[string]any{"companyName": fmt.Sprintf("L%d", i+1)}))
			if i > 0 {
				expect(t, e.attach(chain[i], chain[i-1]), 201)
			}
		}
		x := e.createCompany(map[string]any{"companyName": "X"})
		y := e.createCompany(map[string]any{"companyName": "Y"})
		y1 := e.createCompany(map[string]any{"companyName": "Y1"})
		expect(t, e.attach(y1, y), 201)
		z := e.createCompany(map[string]any{"companyName": "Z"})
		expect(t, e.attach(z, chain[1]), 201) // layer 3, beside L3
		l := func(i int) int64 { return chain[i-1] }
		parentPath := func(id any) string { return fmt.Sprintf("/api/v3/io/companies/%v/parent", id) }
		detachPath := func(id, child any) string {
			return fmt.Sprintf("/api/v3/io/companies/%v/subsidiaries/%v", id, child)
		}
		body := func(v any) map[string]any { return map[string]any{"parentCompanyId": v} }

		const parentOp, detachOp, hierOp, subsOp = "/companies/{companyId}/parent", "/companies/{companyId}/subsidiaries/{childCompanyId}",
			"/companies/{companyId}/hierarchy", "/companies/{companyId}/subsidiaries"
		cases := []struct {
			name, method, path string
			body               any
			status             int
			says               string // the message contains it
			op                 string // the vendor operation the answer is validated against
		}{
			{"own parent", "POST", parentPath(l(3)), body(l(3)), 400, "its own parent", parentOp},
			{"cycle: an ancestor under its descendant", "POST", parentPath(l(1)), body(l(4)), 400, "cycle", parentOp},
			{"cycle: a parent under its child", "POST", parentPath(l(2)), body(l(3)), 400, "cycle", parentOp},
			{"a sixth layer", "POST", parentPath(x), body(l(5)), 400, "maximum layer", parentOp},
			{"a subtree too deep", "POST", parentPath(y), body(l(4)), 400, "at most 5 layers", parentOp},
			{"a subtree too deep when moved within its tree", "POST", parentPath(l(3)), body(z), 400, "at most 5 layers", parentOp},
			{"a parent of another store", "POST", parentPath(x), body(foreign), 404, "does not exist", hierOp},
			{"a company of another store", "POST", parentPath(foreign), body(x), 404, "does not exist", hierOp},
			{"an unknown parent", "POST", parentPath(x), body(999999), 404, "does not exist", hierOp},
			{"an unknown company", "POST", parentPath(999999), body(x), 404, "does not exist", hierOp},
			{"no parentCompanyId", "POST", parentPath(x), map[string]any{}, 400, "parentCompanyId", parentOp},
			{"parentCompanyId 0", "POST", parentPath(x), body(0), 400, "parentCompanyId", parentOp},
			{"parentCompanyId not a number", "POST", parentPath(x), body("abc"), 400, "parentCompanyId", parentOp},
			{"malformed JSON", "POST", parentPath(x), `{"parentCompanyId": `, 400, "", parentOp},
			{"an array body", "POST", parentPath(x), `[]`, 400, "", parentOp},
			{"a non-numeric company id", "POST", parentPath("abc"), body(x), 400, "companyId", parentOp},
			{"detach a company that is no subsidiary", "DELETE", detachPath(l(1), x), nil, 400, "Invalid child company ID", detachOp},
			{"detach a grandchild", "DELETE", detachPath(l(1), l(3)), nil, 400, "not a direct subsidiary", detachOp},
			{"detach the parent from its child", "DELETE", detachPath(l(2), l(1)), nil, 400, "Invalid child company ID", detachOp},
			{"detach an unknown child", "DELETE", detachPath(l(1), 999999), nil, 400, "Invalid child company ID", detachOp},
			{"detach another store's company", "DELETE", detachPath(l(1), foreign), nil, 400, "Invalid child company ID", detachOp},
			{"detach from an unknown company", "DELETE", detachPath(999999, l(2)), nil, 404, "does not exist", hierOp},
			{"detach with a non-numeric child id", "DELETE", detachPath(l(1), "x"), nil, 400, "childCompanyId", detachOp},
			{"hierarchy of an unknown company", "GET", "/api/v3/io/companies/999999/hierarchy", nil, 404, "does not exist", hierOp},
			{"hierarchy of another store's company", "GET", fmt.Sprintf("/api/v3/io/companies/%d/hierarchy", foreign), nil, 404, "does not exist", hierOp},
			{"subsidiaries of an unknown company", "GET", "/api/v3/io/companies/999999/subsidiaries", nil, 404, "does not exist", subsOp},
			{"subsidiaries with limit 0", "GET", fmt.Sprintf("/api/v3/io/companies/%d/subsidiaries?limit=0", x), nil, 400, "limit", parentOp},
			{"hierarchy with limit 251", "GET", fmt.Sprintf("/api/v3/io/companies/%d/hierarchy?limit=251", x), nil, 400, "limit", parentOp},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantParents, outbox := parents(t, e), lastOutboxID(t, e)
				r := e.do(c.method, c.path, c.body)
				expect(t, r, c.status)
				var got struct {
					Status int               `json:"status"`
					Title  string            `json:"title"`
					Errors map[string]string `json:"errors"`
				}
				if err := json.Unmarshal(r.body, &got); err != nil || got.Status != c.status || got.Title == "" || got.Errors["1"] == "" {
					t.Fatalf("not the hierarchy's error shape: %s", r.body)
				}
				if !strings.Contains(got.Errors["1"], c.says) {
					t.Errorf("message %q does not say %q", got.Errors["1"], c.says)
				}
				if err := vendorCompanySpec(t).Validate(map[string]string{hierOp: "GET", subsOp: "GET", parentOp: "POST", detachOp: "DELETE"}[c.op], c.op, c.status, r.body); err != nil {
					t.Errorf("%v\nbody: %s", err, r.body)
				}
				if diff := cmp.Diff(wantParents, parents(t, e)); diff != "" {
					t.Errorf("a refused request changed the hierarchy (-before +after):\n%s", diff)
				}
				if msgs := outboxAfter(t, e, outbox); len(msgs) != 0 {
					t.Errorf("a refused request wrote to the outbox: %v", outboxSummary(msgs))
				}
			})
		}
	})
}

// TestHierarchySizeLimit fills a hierarchy to the default limit of 500
// companies (written through the store: only the last attaches go through
// the API) and checks that the 501st is refused.
func TestHierarchySizeLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		root := e.createCompany(map[string]any{"companyName": "Root"})
		fill(t, e, root, guild.DefaultMaxHierarchySize-2) // 499 companies
		pair := e.createCompany(map[string]any{"companyName": "Pair"})
		expect(t, e.attach(e.createCompany(map[string]any{"companyName": "Pair child"}), pair), 201)
		loner := e.createCompany(map[string]any{"companyName": "Loner"})

		wantParents, outbox := parents(t, e), lastOutboxID(t, e)
		r := e.attach(pair, root) // 499 + 2
		expect(t, r, 400)
		conform(t, r, "POST", "/companies/{companyId}/parent")
		if !strings.Contains(string(r.body), "at most 500 companies") {
			t.Errorf("the refusal does not name the limit: %s", r.body)
		}
		if diff := cmp.Diff(wantParents, parents(t, e)); diff != "" || len(outboxAfter(t, e, outbox)) != 0 {
			t.Errorf("a refused attach wrote something: %s", diff)
		}
		expect(t, e.attach(loner, root), 201) // the 500th
		r = e.attach(e.createCompany(map[string]any{"companyName": "501st"}), root)
		expect(t, r, 400)
		conform(t, r, "POST", "/companies/{companyId}/parent")
		r = e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/hierarchy?limit=250", root), nil)
		expect(t, r, 200)
		// The root and the first 250 of its 499 children.
		if n := strings.Count(string(r.body), `"companyId"`); n != 251 || !strings.Contains(string(r.body), `"totalCount":499`) {
			t.Errorf("the hierarchy's first page holds %d companies, want 251 of a total of 499 children: %.300s", n, r.body)
		}
	})
}

// fill creates n companies as children of parent, in one transaction of the
// store (the API would take a request each).
func fill(t testing.TB, e *env, parent int64, n int) []int64 {
	t.Helper()
	ids := make([]int64, 0, n)
	err := e.app.Store().Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
		for i := range n {
			id, err := tx.CreateCompany(ctx, guild.Company{TenantID: e.tenant.ID, Name: fmt.Sprintf("Filler %d", i),
				Email: "filler@example.com", Status: guild.CompanyApproved})
			if err != nil {
				return err
			}
			if err := tx.SetCompanyParent(ctx, e.tenant.ID, id, parent, time.Now()); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestHierarchyConcurrentAttaches sends attaches that race in pairs (a under
// b while b goes under a), which unserialized would make cycles, and that
// together would break the limits; no answer may be a 5xx and the final
// forest must keep every rule.
func TestHierarchyConcurrentAttaches(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		const depth, size, n = 3, 6, 12
		e := newEnv(t, b, envOptions{maxDepth: depth, maxSize: size})
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = e.createCompany(map[string]any{"companyName": fmt.Sprintf("Racer %d", i)})
		}
		rng := rand.New(rand.NewPCG(1, 2))
		type attach struct{ child, parent int64 }
		var reqs []attach
		for range 3 {
			for i := range n {
				j := rng.IntN(n)
				if j == i {
					j = (j + 1) % n
				}
				reqs = append(reqs, attach{ids[i], ids[j]}, attach{ids[j], ids[i]})
			}
		}
		statuses := make([]int, len(reqs))
		errs := make([]error, len(reqs))
		var start, done sync.WaitGroup
		start.Add(1)
		for i, rq := range reqs {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				statuses[i], errs[i] = rawDo(e, "POST", fmt.Sprintf("/api/v3/io/companies/%d/parent", rq.child), fmt.Sprintf(`{"parentCompanyId":%d}`, rq.parent))
			}()
		}
		start.Done()
		done.Wait()
		count := map[int]int{}
		for i, st := range statuses {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			count[st]++
			if st != 201 && st != 400 {
				t.Errorf("request %d answered %d", i, st)
			}
		}
		if count[201] == 0 || count[400] == 0 {
			t.Errorf("answers %v: expected some attaches to win and some to be refused", count)
		}
		ps := parents(t, e)
		checkForest(t, ps, depth, size)
		// Every company's hierarchy, as the store reads it, is the tree its
		// parents make.
		rootOf := func(c int64) int64 {
			for ps[c] != 0 {
				c = ps[c]
			}
			return c
		}
		for c := range ps {
			nodes, err := e.app.Store().CompanyTree(context.Background(), e.tenant.ID, c)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []int64
			for _, n := range nodes {
				got = append(got, n.ID)
			}
			for o := range ps {
				if rootOf(o) == rootOf(c) {
					want = append(want, o)
				}
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CompanyTree(%d) (-parents +store):\n%s", c, diff)
			}
		}
	})
}

// rawDo sends a request from any goroutine (e.do stops the test on a
// transport error, which only the test's goroutine may do).
func rawDo(e *env, method, path, body string) (int, error) {
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("authToken", e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// checkForest fails the test unless parents (company → parent) is a forest
// of trees of at most depth layers and size companies.
func checkForest(t *testing.T, parents map[int64]int64, depth, size int) {
	t.Helper()
	sizes := map[int64]int{}
	for c := range parents {
		layers, cur := 1, c
		for parents[cur] != 0 {
			cur = parents[cur]
			layers++
			if layers > len(parents) {
				t.Fatalf("company %d is on a cycle: %v", c, parents)
			}
		}
		if layers > depth {
			t.Errorf("company %d is on layer %d; the limit is %d", c, layers, depth)
		}
		sizes[cur]++
	}
	for root, n := range sizes {
		if n > size {
			t.Errorf("the hierarchy of %d holds %d companies; the limit is %d", root, n, size)
		}
	}
}

// TestHierarchyLoweredLimits: a store's limits lowered below an existing
// hierarchy keep it as it is; moves inside it that grow nothing are
// allowed, growing it is refused.
func TestHierarchyLoweredLimits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		root := e.createCompany(map[string]any{"companyName": "Root"})
		a := e.createCompany(map[string]any{"companyName": "A"})
		a1 := e.createCompany(map[string]any{"companyName": "A1"})
		b1 := e.createCompany(map[string]any{"companyName": "B1"})
		expect(t, e.attach(a, root), 201)
		expect(t, e.attach(a1, a), 201)
		expect(t, e.attach(b1, root), 201)
		three, two := 3, 2
		if _, err := e.app.UpdateTenant(context.Background(), e.tenant.Hash, app.UpdateTenantInput{MaxHierarchySize: &three, MaxHierarchyDepth: &two}); err != nil {
			t.Fatal(err)
		}
		// 4 companies and 3 layers, beyond both new limits: kept.
		r := e.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/hierarchy", root), nil)
		expect(t, r, 200)
		if n := strings.Count(string(r.body), `"companyId"`); n != 4 {
			t.Errorf("the hierarchy holds %d companies after the limits were lowered, want 4 kept", n)
		}
		expect(t, e.attach(a1, root), 201) // within the tree, 2 layers: allowed
		r = e.attach(e.createCompany(map[string]any{"companyName": "New"}), root)
		expect(t, r, 400)
		if !strings.Contains(string(r.body), "at most 3 companies") {
			t.Errorf("growing refused without naming the size limit: %s", r.body)
		}
		r = e.attach(b1, a1) // within the tree, but a third layer
		expect(t, r, 400)
		if !strings.Contains(string(r.body), "at most 2 layers") {
			t.Errorf("deepening refused without naming the depth limit: %s", r.body)
		}
	})
}
