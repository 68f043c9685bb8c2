package bcemu

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuth(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name, path, token string
		v2                bool
	}{
		{"v3 wrong token", "/v3/customers", "nope", false},
		{"v3 no token", "/v3/customers", "", false},
		{"v2 wrong token", "/v2/customer_groups", "nope", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.do("GET", tt.path, nil, tt.token)
			if a.status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", a.status)
			}
			if a.header.Get("X-Rate-Limit-Requests-Quota") == "" {
				t.Errorf("401 without the rate-limit headers")
			}
			if tt.v2 {
				var e []v2Error
				a.json(t, &e)
				if len(e) != 1 || e[0].Status != 401 {
					t.Errorf("v2 401 body %s", a.body)
				}
				return
			}
			var e v3Error
			a.json(t, &e)
			if e.Status != 401 || e.Title == "" {
				t.Errorf("v3 401 body %s", a.body)
			}
		})
	}
	if err := h.emu.SetFaults(Faults{TokenRevoked: true}); err != nil {
		t.Fatal(err)
	}
	if a := h.do("GET", "/v3/customers", nil); a.status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", a.status)
	}
	_ = h.emu.SetFaults(Faults{})
	if a := h.do("GET", "/v3/customers", nil); a.status != http.StatusOK {
		t.Errorf("token restored: %d", a.status)
	}
	st, _ := h.emu.Stats("abc123")
	if st.Unauthorized != 4 || st.Total != 1 {
		t.Errorf("stats: unauthorized %d total %d, want 4 and 1 (refused requests use no quota)", st.Unauthorized, st.Total)
	}
	req, _ := http.NewRequest("GET", h.url+"/stores/unknown/v3/customers", nil)
	req.Header.Set("X-Auth-Token", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown store: %d, want 404", resp.StatusCode)
	}
}

func TestRateLimitHeadersAndQuota(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := newHarness(t, Options{Quota: 3, Window: 10 * time.Second, Now: clk.Now})
	type hdr struct{ window, reset, quota, left, retry string }
	get := func() (int, hdr) {
		a := h.do("GET", "/v3/customers", nil)
		return a.status, hdr{a.header.Get("X-Rate-Limit-Time-Window-Ms"), a.header.Get("X-Rate-Limit-Time-Reset-Ms"),
			a.header.Get("X-Rate-Limit-Requests-Quota"), a.header.Get("X-Rate-Limit-Requests-Left"), a.header.Get("X-Retry-After")}
	}
	clk.Add(2500 * time.Millisecond)
	want := []struct {
		status int
		h      hdr
	}{
		{200, hdr{"10000", "7500", "3", "2", ""}},
		{200, hdr{"10000", "7500", "3", "1", ""}},
		{200, hdr{"10000", "7500", "3", "0", ""}},
		{429, hdr{"10000", "7500", "3", "0", "8"}},
	}
	for i, w := range want {
		st, got := get()
		if st != w.status || got != w.h {
			t.Errorf("request %d: %d %+v, want %d %+v", i+1, st, got, w.status, w.h)
		}
	}
	clk.Add(7500 * time.Millisecond) // the next window
	if st, got := get(); st != 200 || got.left != "2" || got.reset != "10000" {
		t.Errorf("after the reset: %d %+v", st, got)
	}
	h.do("GET", "/v3/customers", nil)
	clk.Add(25 * time.Second) // one idle window, then into the next
	get()
	st, _ := h.emu.Stats("abc123")
	if st.QuotaExceeded != 1 || st.RateLimited != 1 || st.PeakPerWindow != 4 || st.Requests["GET /v3/customers"] != 7 {
		t.Errorf("stats = %+v", st)
	}
	var arrived []int
	for _, w := range st.Windows {
		arrived = append(arrived, w.Arrived)
	}
	if diff := cmp.Diff([]int{4, 2, 0}, arrived); diff != "" {
		t.Errorf("window history (-want +got):\n%s", diff)
	}
}

func TestFaultShares(t *testing.T) {
	h := newHarness(t, Options{Seed: 7, Faults: Faults{Share5xx: 1}})
	for range 10 {
		a := h.do("GET", "/v3/customers", nil)
		if a.status != 500 && a.status != 503 {
			t.Fatalf("share_5xx 1: got %d", a.status)
		}
		var e v3Error
		a.json(t, &e)
		if e.Status != a.status {
			t.Errorf("5xx body %s", a.body)
		}
	}
	_ = h.emu.SetFaults(Faults{Share429: 1})
	a := h.do("GET", "/v2/customer_groups", nil)
	if a.status != 429 || a.header.Get("X-Retry-After") == "" {
		t.Errorf("share_429 1: %d retry-after %q", a.status, a.header.Get("X-Retry-After"))
	}
	_ = h.emu.SetFaults(Faults{ShareDrop: 1})
	req, _ := http.NewRequest("GET", h.url+"/stores/abc123/v3/customers", nil)
	req.Header.Set("X-Auth-Token", "secret")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("share_drop 1: got an answer %d", resp.StatusCode)
	}
	_ = h.emu.SetFaults(Faults{ShareDropAfter: 1})
	if a, err := postNoAnswer(h, "/v2/customer_groups", `{"name":"made anyway"}`); err == nil {
		t.Errorf("share_drop_after 1: got an answer %d", a)
	}
	if sn, _ := h.emu.Snapshot("abc123"); len(sn.Groups) != 1 || sn.Groups[0].Name != "made anyway" {
		t.Errorf("drop after: the group was not made: %+v", sn.Groups)
	}
	_ = h.emu.SetFaults(Faults{ShareSlow: 1, SlowDelay: 150 * time.Millisecond})
	start := time.Now()
	if a := h.do("GET", "/v3/customers", nil); a.status != 200 {
		t.Errorf("slow: %d", a.status)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("slow answer came after %v, want at least 150ms", d)
	}
	// Go's transport retries a GET once when a reused connection drops, so
	// Dropped may be 2.
	st, _ := h.emu.Stats("abc123")
	if st.Injected5xx != 10 || st.Injected429 != 1 || st.Dropped < 1 || st.DroppedAfter != 1 || st.Slow != 1 {
		t.Errorf("stats = %+v", st)
	}
	if err := h.emu.SetFaults(Faults{Share429: 0.6, Share5xx: 0.6}); err == nil {
		t.Errorf("shares adding up to 1.2 were accepted")
	}
}

// TestFaultsDeterministic: the same seed and requests give the same answers.
func TestFaultsDeterministic(t *testing.T) {
	run := func(seed uint64) []int {
		h := newHarness(t, Options{Seed: seed, Faults: Faults{Share429: 0.2, Share5xx: 0.3}})
		var out []int
		for range 40 {
			out = append(out, h.do("GET", "/v3/customers", nil).status)
		}
		return out
	}
	a, b, c := run(1), run(1), run(2)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults:\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Errorf("seeds 1 and 2 gave the same 40 answers")
	}
}

func TestAdminAPI(t *testing.T) {
	h := newHarness(t, Options{})
	call := func(method, path, body string) (int, []byte) {
		req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b json.RawMessage
		_ = json.NewDecoder(resp.Body).Decode(&b)
		return resp.StatusCode, b
	}
	st, b := call("PUT", "/_emulator/faults", `{"share_5xx":0.25,"slow_delay":"40ms","token_revoked":true}`)
	if st != 200 {
		t.Fatalf("put faults: %d %s", st, b)
	}
	if f := h.emu.Faults(); f != (Faults{Share5xx: 0.25, SlowDelay: 40 * time.Millisecond, TokenRevoked: true}) {
		t.Errorf("faults after PUT = %+v", f)
	}
	st, _ = call("PUT", "/_emulator/faults", `{"token_revoked":false}`)
	if f := h.emu.Faults(); st != 200 || f.TokenRevoked || f.Share5xx != 0.25 {
		t.Errorf("a partial PUT: %d %+v, want only token_revoked changed", st, f)
	}
	if st, b := call("PUT", "/_emulator/faults", `{"share_429":2}`); st != 400 || !strings.Contains(string(b), "between 0 and 1") {
		t.Errorf("bad share: %d %s", st, b)
	}
	if st, b := call("POST", "/_emulator/stores", `{"hash":"two","token":"t2"}`); st != 201 {
		t.Errorf("add store: %d %s", st, b)
	}
	_ = h.emu.SetFaults(Faults{})
	h.do("POST", "/v2/customer_groups", map[string]any{"name": "G"})
	st, b = call("GET", "/_emulator/stores/abc123/snapshot", "")
	var sn Snapshot
	if err := json.Unmarshal(b, &sn); st != 200 || err != nil || len(sn.Groups) != 1 {
		t.Errorf("snapshot: %d %s", st, b)
	}
	st, b = call("GET", "/_emulator/stores/abc123/stats", "")
	var stats Stats
	if err := json.Unmarshal(b, &stats); st != 200 || err != nil || stats.Requests["POST /v2/customer_groups"] != 1 {
		t.Errorf("stats: %d %s", st, b)
	}
	if st, _ := call("GET", "/_emulator/stores/nope/stats", ""); st != 404 {
		t.Errorf("stats of an unknown store: %d", st)
	}
	if st, _ := call("GET", "/_emulator/nothing", ""); st != 404 {
		t.Errorf("unknown admin path: %d", st)
	}
}

// TestStoresHaveTheirOwnQuota: one store's traffic leaves another's alone.
func TestStoresHaveTheirOwnQuota(t *testing.T) {
	h := newHarness(t, Options{Quota: 2, Window: time.Hour})
	if err := h.emu.AddStore("other", "t2"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		h.do("GET", "/v3/customers", nil)
	}
	req, _ := http.NewRequest("GET", h.url+"/stores/other/v3/customers", nil)
	req.Header.Set("X-Auth-Token", "t2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if left, _ := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Requests-Left")); resp.StatusCode != 200 || left != 1 {
		t.Errorf("other store: %d left %d", resp.StatusCode, left)
	}
	if err := h.emu.AddStore("other", "x"); err == nil {
		t.Errorf("adding a store twice: %v", err)
	}
}

// postNoAnswer posts once (Go's transport does not retry a POST).
func postNoAnswer(h *harness, path, body string) (int, error) {
	req, _ := http.NewRequest("POST", h.url+"/stores/abc123"+path, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestFourthParallelPutIs429: BigCommerce runs at most 3 PUT /v3/customers
// of a store at once.
func TestFourthParallelPutIs429(t *testing.T) {
	h := newHarness(t, Options{})
	h.do("POST", "/v3/customers", []map[string]any{{"email": "a@example.com", "first_name": "A", "last_name": "B"}})
	_ = h.emu.SetFaults(Faults{ShareSlow: 1, SlowDelay: 200 * time.Millisecond})
	statuses := make(chan int, 4)
	for range 4 {
		go func() {
			statuses <- h.do("PUT", "/v3/customers", []map[string]any{{"id": 1, "notes": "x"}}).status
		}()
	}
	count := map[int]int{}
	for range 4 {
		count[<-statuses]++
	}
	if count[200] != 3 || count[429] != 1 {
		t.Errorf("four parallel PUTs: %v, want three 200 and one 429", count)
	}
	if st, _ := h.emu.Stats("abc123"); st.ConcurrencyExceeded != 1 || st.RateLimited != 1 {
		t.Errorf("stats = %+v", st)
	}
}
