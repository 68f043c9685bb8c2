package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

const (
	hash  = "abc123"
	token = "secret"
)

// world is an emulator on a real listener and a client pointed at it.
type world struct {
	emu *bcemu.Emulator
	srv *httptest.Server
	c   *bigcommerce.Client
}

func newWorld(t *testing.T, eo bcemu.Options, co bigcommerce.Options, wrap ...func(http.Handler) http.Handler) *world {
	t.Helper()
	eo.StoreHash, eo.Token = hash, token
	if eo.Quota == 0 {
		eo.Quota, eo.Window = 10000, time.Second
	}
	emu, err := bcemu.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = emu
	for _, w := range wrap {
		h = w(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	co.BaseURL, co.StoreHash = srv.URL, hash
	if co.Token == "" {
		co.Token = token
	}
	if co.Pacing.Quota == 0 {
		co.Pacing.Quota, co.Pacing.Window = eo.Quota, eo.Window
	}
	if co.Retry.BaseDelay == 0 {
		co.Retry.BaseDelay, co.Retry.MaxDelay = time.Millisecond, 20*time.Millisecond
	}
	c, err := bigcommerce.New(co)
	if err != nil {
		t.Fatal(err)
	}
	return &world{emu: emu, srv: srv, c: c}
}

func (w *world) stats(t *testing.T) bcemu.Stats {
	t.Helper()
	st, err := w.emu.Stats(hash)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (w *world) snapshot(t *testing.T) bcemu.Snapshot {
	t.Helper()
	sn, err := w.emu.Snapshot(hash)
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

func asError(t *testing.T, err error) *bigcommerce.Error {
	t.Helper()
	var e *bigcommerce.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *bigcommerce.Error", err, err)
	}
	return e
}

func TestGroupsRoundTrip(t *testing.T) {
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{})
	ctx := context.Background()
	groups, err := w.c.ListCustomerGroups(ctx, bigcommerce.CustomerGroupFilter{})
	if err != nil || groups != nil {
		t.Fatalf("empty list: %v %v", groups, err)
	}
	g, err := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Acme")})
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != 1 || g.Name != "Acme" || g.CategoryAccess == nil || g.CategoryAccess.Type != "all" {
		t.Errorf("created %+v", g)
	}
	g, err = w.c.UpdateCustomerGroup(ctx, g.ID, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Acme Ltd"),
		DiscountRules: &[]bigcommerce.DiscountRule{{Type: "price_list", PriceListID: 4}}})
	if err != nil || g.Name != "Acme Ltd" || len(g.DiscountRules) != 1 {
		t.Fatalf("update: %+v %v", g, err)
	}
	got, err := w.c.GetCustomerGroup(ctx, g.ID)
	if err != nil || !cmp.Equal(got, g) {
		t.Errorf("get: %v\n%s", err, cmp.Diff(g, got))
	}
	for i := range 6 {
		if _, err := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(fmt.Sprint("g", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []int
	for g, err := range w.c.CustomerGroups(ctx, bigcommerce.CustomerGroupFilter{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7}, ids); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
	// pages of 3 over 7 groups: 3 pages, the last short, and no fourth call
	if n := w.stats(t).Requests["GET /v2/customer_groups"]; n != 1+3 {
		t.Errorf("list calls = %d, want 4", n)
	}
	if err := w.c.DeleteCustomerGroup(ctx, 1); err != nil {
		t.Fatal(err)
	}
	_, err = w.c.GetCustomerGroup(ctx, 1)
	if e := asError(t, err); e.Kind != bigcommerce.KindNotFound || e.Status != 404 || e.Attempts != 1 {
		t.Errorf("get deleted: %+v", e)
	}
	_, err = w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{})
	if e := asError(t, err); e.Kind != bigcommerce.KindValidation || !strings.Contains(e.Title, "name") {
		t.Errorf("create without a name: %+v", e)
	}
}

func TestCustomersRoundTrip(t *testing.T) {
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{})
	ctx := context.Background()
	g, _ := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("G")})
	var batch []bigcommerce.NewCustomer
	for i := range 10 {
		batch = append(batch, bigcommerce.NewCustomer{Email: fmt.Sprintf("u%d@example.com", i), FirstName: "U", LastName: fmt.Sprint(i),
			Phone: "555-0100", CustomerGroupID: g.ID})
	}
	made, err := w.c.CreateCustomers(ctx, batch)
	if err != nil || len(made) != 10 || made[0].ID == 0 || made[0].CustomerGroupID != g.ID {
		t.Fatalf("create: %v %+v", err, made)
	}
	more, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: "solo@example.com", FirstName: "S", LastName: "O"}})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := w.c.UpdateCustomers(ctx, []bigcommerce.CustomerUpdate{{ID: more[0].ID, CustomerGroupID: bigcommerce.Ptr(g.ID), Company: bigcommerce.Ptr("Acme")}})
	if err != nil || upd[0].CustomerGroupID != g.ID || upd[0].Company != "Acme" || upd[0].FirstName != "S" {
		t.Fatalf("update: %v %+v", err, upd)
	}
	found, err := w.c.CustomersByEmail(ctx, []string{"U3@EXAMPLE.COM", "solo@example.com", "nobody@example.com"})
	if err != nil || len(found) != 2 || found[0].Email != "u3@example.com" || found[1].ID != more[0].ID {
		t.Errorf("by email: %v %+v", err, found)
	}
	page, p, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{GroupIDs: []int{g.ID}, Limit: 4, Page: 3})
	if err != nil || len(page) != 3 || p.Total != 11 || p.TotalPages != 3 || p.CurrentPage != 3 {
		t.Errorf("page 3 of the group: %v %d %+v", err, len(page), p)
	}
	n := 0
	for _, err := range w.c.Customers(ctx, bigcommerce.CustomerFilter{Limit: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 11 {
		t.Errorf("walked %d customers, want 11", n)
	}
	byID, _, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{IDs: []int{made[2].ID, made[5].ID}})
	if err != nil || len(byID) != 2 {
		t.Errorf("by id: %v %+v", err, byID)
	}
	if err := w.c.DeleteCustomers(ctx, []int{made[0].ID, made[1].ID}); err != nil {
		t.Fatal(err)
	}
	if got := len(w.snapshot(t).Customers); got != 9 {
		t.Errorf("after delete: %d customers", got)
	}
}

func TestAssignmentsRoundTrip(t *testing.T) {
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{})
	ctx := context.Background()
	g1, _ := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("A")})
	g2, _ := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("B")})
	err := w.c.CreatePriceListAssignments(ctx, []bigcommerce.NewPriceListAssignment{
		{PriceListID: 3, CustomerGroupID: g1.ID, ChannelID: 1}, {PriceListID: 3, CustomerGroupID: g2.ID}})
	if err != nil {
		t.Fatal(err)
	}
	list, p, err := w.c.ListPriceListAssignments(ctx, bigcommerce.AssignmentFilter{CustomerGroupID: g2.ID})
	if err != nil || p.Total != 1 {
		t.Fatalf("list: %v %+v", err, p)
	}
	if diff := cmp.Diff([]bigcommerce.PriceListAssignment{{ID: 2, PriceListID: 3, CustomerGroupID: g2.ID, ChannelID: 1}}, list); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	// moving group 1 to another price list: delete, then create
	err = w.c.CreatePriceListAssignments(ctx, []bigcommerce.NewPriceListAssignment{{PriceListID: 4, CustomerGroupID: g1.ID, ChannelID: 1}})
	if e := asError(t, err); e.Kind != bigcommerce.KindValidation || !strings.Contains(e.ItemErrors(0)["customer_group_id"], "already has") {
		t.Errorf("second assignment for the pair: %+v", e)
	}
	if err := w.c.DeletePriceListAssignments(ctx, bigcommerce.AssignmentFilter{CustomerGroupID: g1.ID, ChannelID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := w.c.CreatePriceListAssignments(ctx, []bigcommerce.NewPriceListAssignment{{PriceListID: 4, CustomerGroupID: g1.ID, ChannelID: 1}}); err != nil {
		t.Fatal(err)
	}
	want := []bcemu.Assignment{{ID: 2, PriceListID: 3, CustomerGroupID: g2.ID, ChannelID: 1}, {ID: 3, PriceListID: 4, CustomerGroupID: g1.ID, ChannelID: 1}}
	if diff := cmp.Diff(want, w.snapshot(t).Assignments); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	err = w.c.DeletePriceListAssignments(ctx, bigcommerce.AssignmentFilter{})
	if e := asError(t, err); e.Kind != bigcommerce.KindValidation || e.Attempts != 0 {
		t.Errorf("delete with no filter: %+v", e)
	}
}

// TestValidationIsNotRetried: 4xx answers come back at once, typed, with
// BigCommerce's message per item and field.
func TestValidationIsNotRetried(t *testing.T) {
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{})
	ctx := context.Background()
	if _, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: "a@example.com", FirstName: "A", LastName: "B"}}); err != nil {
		t.Fatal(err)
	}
	_, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{
		{Email: "new@example.com", FirstName: "N", LastName: "W"},
		{Email: "A@example.com", FirstName: "A", LastName: "B", Phone: strings.Repeat("1", 60)},
	})
	e := asError(t, err)
	if e.Kind != bigcommerce.KindValidation || e.Status != 422 || e.Attempts != 1 || e.Title == "" {
		t.Fatalf("duplicate email: %+v", e)
	}
	item := e.ItemErrors(1)
	if !strings.Contains(item["email"], "already in use") || !strings.Contains(item["phone"], "at most 50") || len(e.ItemErrors(0)) != 0 {
		t.Errorf("item errors: %+v", e.Details)
	}
	if n := w.stats(t).Requests["POST /v3/customers"]; n != 2 {
		t.Errorf("POST /v3/customers sent %d times, want 2 (no retry of a 422)", n)
	}
	eleven := make([]bigcommerce.NewCustomer, 11)
	_, err = w.c.CreateCustomers(ctx, eleven)
	if e := asError(t, err); e.Kind != bigcommerce.KindValidation || e.Status != 413 || e.Attempts != 0 {
		t.Errorf("eleven customers: %+v", e)
	}
	_, err = w.c.UpdateCustomers(ctx, []bigcommerce.CustomerUpdate{{FirstName: bigcommerce.Ptr("x")}})
	if e := asError(t, err); e.Kind != bigcommerce.KindValidation || e.ItemErrors(0)["id"] == "" {
		t.Errorf("update without id: %+v", e)
	}
	if n := w.stats(t).Total; n != 2 {
		t.Errorf("%d requests reached BigCommerce, want 2: batches refused locally must not be sent", n)
	}
}

func TestRevokedToken(t *testing.T) {
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{})
	_ = w.emu.SetFaults(bcemu.Faults{TokenRevoked: true})
	_, _, err := w.c.ListCustomers(context.Background(), bigcommerce.CustomerFilter{})
	e := asError(t, err)
	if e.Kind != bigcommerce.KindUnauthorized || e.Status != 401 || e.Attempts != 1 || !bigcommerce.IsKind(err, bigcommerce.KindUnauthorized) {
		t.Errorf("revoked token: %+v", e)
	}
	w2 := newWorld(t, bcemu.Options{}, bigcommerce.Options{Token: "wrong"})
	_, err = w2.c.GetCustomerGroup(context.Background(), 1)
	if e := asError(t, err); e.Kind != bigcommerce.KindUnauthorized || !strings.Contains(e.Title, "X-Auth-Token") {
		t.Errorf("wrong token on v2: %+v", e)
	}
}

// TestServerErrorsAreRetried: with half the answers 500/503, every create
// still lands exactly once.
func TestServerErrorsAreRetried(t *testing.T) {
	w := newWorld(t, bcemu.Options{Seed: 3, Faults: bcemu.Faults{Share5xx: 0.5}}, bigcommerce.Options{Retry: bigcommerce.Retry{MaxAttempts: 12}})
	ctx := context.Background()
	for i := range 20 {
		if _, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: fmt.Sprintf("c%d@example.com", i), FirstName: "C", LastName: "D"}}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	st := w.stats(t)
	if st.Injected5xx == 0 || len(w.snapshot(t).Customers) != 20 {
		t.Errorf("5xx injected %d, customers %d; want some 5xx and 20 customers", st.Injected5xx, len(w.snapshot(t).Customers))
	}
	if cs := w.c.Stats(); cs.Retried != st.Injected5xx {
		t.Errorf("client retried %d times, emulator injected %d 5xx", cs.Retried, st.Injected5xx)
	}

	_ = w.emu.SetFaults(bcemu.Faults{Share5xx: 1})
	before := w.stats(t).Total
	_, _, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{})
	e := asError(t, err)
	if e.Kind != bigcommerce.KindTransient || e.Attempts != 12 || (e.Status != 500 && e.Status != 503) {
		t.Errorf("always 5xx: %+v", e)
	}
	if n := w.stats(t).Total - before; n != 12 {
		t.Errorf("sent %d times, want MaxAttempts = 12", n)
	}
}

func TestDroppedConnectionsAreRetried(t *testing.T) {
	w := newWorld(t, bcemu.Options{Seed: 5, Faults: bcemu.Faults{ShareDrop: 0.3}}, bigcommerce.Options{Retry: bigcommerce.Retry{MaxAttempts: 10}})
	ctx := context.Background()
	for i := range 20 {
		if _, err := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(fmt.Sprint("g", i))}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	if st := w.stats(t); st.Dropped == 0 || len(w.snapshot(t).Groups) != 20 {
		t.Errorf("dropped %d, groups %d: want drops and 20 groups", st.Dropped, len(w.snapshot(t).Groups))
	}
	_ = w.emu.SetFaults(bcemu.Faults{ShareDrop: 1})
	_, err := w.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("never")})
	if e := asError(t, err); e.Kind != bigcommerce.KindTransient || e.Status != 0 || e.Err == nil || e.Attempts != 10 {
		t.Errorf("always dropped: %+v", e)
	}
}

// TestLostAnswers: when the answer to a create is lost after BigCommerce
// made the change, the client's retry meets its own success as a 422
// "already in use". The client reports it as such (no upsert exists); the
// connector looks the email up then. Nothing is made twice.
func TestLostAnswers(t *testing.T) {
	w := newWorld(t, bcemu.Options{Seed: 21, Faults: bcemu.Faults{ShareDropAfter: 0.3}}, bigcommerce.Options{Retry: bigcommerce.Retry{MaxAttempts: 10}})
	ctx := context.Background()
	taken := 0
	for i := range 20 {
		email := fmt.Sprintf("l%d@example.com", i)
		_, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: email, FirstName: "L", LastName: "M"}})
		if err != nil {
			e := asError(t, err)
			if e.Kind != bigcommerce.KindValidation || !strings.Contains(e.ItemErrors(0)["email"], "already in use") {
				t.Fatalf("create %d: %v", i, err)
			}
			taken++
		}
	}
	sn := w.snapshot(t)
	if st := w.stats(t); st.DroppedAfter == 0 || taken == 0 || len(sn.Customers) != 20 {
		t.Errorf("answers lost %d, creates that met themselves %d, customers %d; want some, some and 20", st.DroppedAfter, taken, len(sn.Customers))
	}
}

func TestSlowAnswers(t *testing.T) {
	w := newWorld(t, bcemu.Options{Seed: 9, Faults: bcemu.Faults{ShareSlow: 1, SlowDelay: 400 * time.Millisecond}},
		bigcommerce.Options{HTTPClient: &http.Client{Timeout: 80 * time.Millisecond}, Retry: bigcommerce.Retry{MaxAttempts: 3}})
	ctx := context.Background()
	_, _, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{})
	if e := asError(t, err); e.Kind != bigcommerce.KindTransient || e.Attempts != 3 || e.Err == nil {
		t.Errorf("always slow past the timeout: %+v", e)
	}
	_ = w.emu.SetFaults(bcemu.Faults{ShareSlow: 0.3, SlowDelay: 400 * time.Millisecond})
	for i := range 10 {
		if _, _, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{}); err != nil && !bigcommerce.IsKind(err, bigcommerce.KindTransient) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if st := w.stats(t); st.Slow < 4 {
		t.Errorf("slow answers %d, want some", st.Slow)
	}
	// a context deadline ends the call, it is not retried as a timeout
	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	w2 := newWorld(t, bcemu.Options{Faults: bcemu.Faults{ShareSlow: 1, SlowDelay: 400 * time.Millisecond}}, bigcommerce.Options{})
	start := time.Now()
	_, _, err = w2.c.ListCustomers(cctx, bigcommerce.CustomerFilter{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 300*time.Millisecond {
		t.Errorf("ctx deadline: %v after %v", err, time.Since(start))
	}
}

// TestInjected429s: the client waits the reset out and the call succeeds.
func TestInjected429s(t *testing.T) {
	w := newWorld(t, bcemu.Options{Seed: 11, Quota: 1000, Window: 100 * time.Millisecond, Faults: bcemu.Faults{Share429: 0.25}},
		bigcommerce.Options{Retry: bigcommerce.Retry{MaxAttempts: 10}})
	ctx := context.Background()
	for i := range 8 {
		if _, _, err := w.c.ListCustomers(ctx, bigcommerce.CustomerFilter{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	st := w.stats(t)
	if st.Injected429 == 0 || w.c.Stats().RateLimited != st.Injected429 {
		t.Errorf("emulator injected %d 429s, the client saw %d", st.Injected429, w.c.Stats().RateLimited)
	}
	_ = w.emu.SetFaults(bcemu.Faults{Share429: 1})
	c2, _ := bigcommerce.New(bigcommerce.Options{BaseURL: w.srv.URL, StoreHash: hash, Token: token, Retry: bigcommerce.Retry{MaxAttempts: 2}})
	_, _, err := c2.ListCustomers(ctx, bigcommerce.CustomerFilter{})
	e := asError(t, err)
	// X-Retry-After is whole seconds, so it wins over the 100 ms reset
	if e.Kind != bigcommerce.KindRateLimited || e.Status != 429 || e.RetryAfter != time.Second {
		t.Errorf("always 429: %+v", e)
	}
}

// TestWaitsTheLongerOfResetAndRetryAfter: after a 429 nothing is sent
// before the longer of the two has passed.
func TestWaitsTheLongerOfResetAndRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		w.Header().Set("X-Rate-Limit-Time-Window-Ms", "1000")
		w.Header().Set("X-Rate-Limit-Requests-Quota", "100")
		w.Header().Set("X-Rate-Limit-Requests-Left", "50")
		w.Header().Set("X-Rate-Limit-Time-Reset-Ms", "50")
		if n == 1 {
			w.Header().Set("X-Retry-After", "0.3")
			w.WriteHeader(429)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[],"meta":{}}`))
	}))
	defer srv.Close()
	c, _ := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: hash, Token: token})
	if _, _, err := c.ListCustomers(context.Background(), bigcommerce.CustomerFilter{}); err != nil {
		t.Fatal(err)
	}
	if len(times) != 2 || times[1].Sub(times[0]) < 300*time.Millisecond {
		t.Errorf("retried after %v, want at least the 300 ms of X-Retry-After", times[1].Sub(times[0]))
	}
}

// TestWhichStatusesAreRetried pins the retry policy per status.
func TestWhichStatusesAreRetried(t *testing.T) {
	tests := []struct {
		status int
		kind   bigcommerce.Kind
		sends  int
	}{
		{500, bigcommerce.KindTransient, 3},
		{502, bigcommerce.KindTransient, 3},
		{503, bigcommerce.KindTransient, 3},
		{504, bigcommerce.KindTransient, 3},
		{501, bigcommerce.KindPermanent, 1},
		{505, bigcommerce.KindPermanent, 1},
		{400, bigcommerce.KindValidation, 1},
		{413, bigcommerce.KindValidation, 1},
		{422, bigcommerce.KindValidation, 1},
		{403, bigcommerce.KindUnauthorized, 1},
		{404, bigcommerce.KindNotFound, 1},
		{405, bigcommerce.KindPermanent, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			var sends atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sends.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = fmt.Fprintf(w, `{"status":%d,"title":"status %d","type":"x","errors":{"0.email":"bad"}}`, tt.status, tt.status)
			}))
			defer srv.Close()
			c, _ := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: hash, Token: token,
				Retry: bigcommerce.Retry{MaxAttempts: 3, BaseDelay: time.Millisecond}, Pacing: bigcommerce.Pacing{Quota: 1000, Window: time.Second}})
			_, _, err := c.ListCustomers(context.Background(), bigcommerce.CustomerFilter{})
			e := asError(t, err)
			if e.Kind != tt.kind || e.Status != tt.status || int(sends.Load()) != tt.sends || e.Title != fmt.Sprint("status ", tt.status) {
				t.Errorf("%d: kind %v status %d sends %d title %q; want %v and %d sends", tt.status, e.Kind, e.Status, sends.Load(), e.Title, tt.kind, tt.sends)
			}
		})
	}
}

// TestAtMostThreeParallelPuts: ten goroutines updating at once never have
// more than three PUT /v3/customers in flight.
func TestAtMostThreeParallelPuts(t *testing.T) {
	var cur, peak atomic.Int32
	track := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut {
				n := cur.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				defer cur.Add(-1)
			}
			next.ServeHTTP(w, r)
		})
	}
	w := newWorld(t, bcemu.Options{}, bigcommerce.Options{}, track)
	ctx := context.Background()
	made, err := w.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: "p@example.com", FirstName: "P", LastName: "Q"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.emu.SetFaults(bcemu.Faults{ShareSlow: 1, SlowDelay: 30 * time.Millisecond})
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := w.c.UpdateCustomers(ctx, []bigcommerce.CustomerUpdate{{ID: made[0].ID, Notes: bigcommerce.Ptr(fmt.Sprint(i))}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak parallel PUTs = %d, want at most 3 (and some parallelism)", p)
	}
	if st := w.stats(t); st.ConcurrencyExceeded != 0 {
		t.Errorf("the emulator refused %d PUTs as a fourth in parallel", st.ConcurrencyExceeded)
	}
}

// TestQueryAsDocumented: filters go out as BigCommerce writes them
// (`email:in=a@x.io,b+1@x.io`), escaping what must be.
func TestQueryAsDocumented(t *testing.T) {
	var raw string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.RawQuery
		_, _ = w.Write([]byte(`{"data":[],"meta":{"pagination":{"total_pages":1}}}`))
	}))
	defer srv.Close()
	c, _ := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: hash, Token: token})
	if _, err := c.CustomersByEmail(context.Background(), []string{"a@x.io", "b+1@x.io"}); err != nil {
		t.Fatal(err)
	}
	if want := "email:in=a%40x.io,b%2B1%40x.io&limit=250&page=1"; raw != want {
		t.Errorf("query %q, want %q", raw, want)
	}
}
