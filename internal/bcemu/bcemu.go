// Package bcemu emulates the part of the BigCommerce REST API that Guild's
// sync connector talks to: customer groups (v2), customers (v3) and
// price-list assignments (v3), under /stores/{store_hash}/v2|v3/..., with
// X-Auth-Token authentication, BigCommerce's per-store rate limit and its
// X-Rate-Limit-* headers, and faults on demand (429s, 500/503s, slow
// answers, dropped connections, a revoked token).
//
// Everything is kept in memory and is safe for concurrent use. With the same
// seed and the same sequence of requests, the same faults are injected and the
// same ids handed out.
package bcemu

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Defaults BigCommerce applies to Standard and Plus plans (150 requests per
// 30 s per store, shared by every app).
const (
	DefaultQuota  = 150
	DefaultWindow = 30 * time.Second
)

// Options configure an Emulator. The zero value is usable: one store
// "store1" with token "token1", BigCommerce's default quota, no faults.
type Options struct {
	// StoreHash and Token name the first store and its API token.
	StoreHash string
	Token     string
	// Quota requests per Window, per store.
	Quota  int
	Window time.Duration
	// Seed makes the injected faults reproducible.
	Seed uint64
	// Faults in force from the start; change them later with SetFaults.
	Faults Faults
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives one debug line per injected fault (discarded when nil).
	Logger *slog.Logger
}

// Faults are the failures injected into answers. A share is a probability in
// [0, 1] drawn per request; at most one of 429, 5xx and drop hits a request,
// and a slow answer can come on top of any of them.
type Faults struct {
	Share429  float64       `json:"share_429"`
	Share5xx  float64       `json:"share_5xx"`
	ShareSlow float64       `json:"share_slow"`
	SlowDelay time.Duration `json:"-"`
	ShareDrop float64       `json:"share_drop"`
	// ShareDropAfter closes the connection after the request was carried
	// out: the change is made, the answer is lost (what makes a retried
	// create meet its own earlier success).
	ShareDropAfter float64 `json:"share_drop_after"`
	TokenRevoked   bool    `json:"token_revoked"`
}

// Validate reports a share outside [0, 1], a negative delay, or shares of
// exclusive faults adding up to more than 1.
func (f Faults) Validate() error {
	for name, v := range map[string]float64{"429": f.Share429, "5xx": f.Share5xx, "slow": f.ShareSlow, "drop": f.ShareDrop, "drop after": f.ShareDropAfter} {
		if v < 0 || v > 1 {
			return fmt.Errorf("fault share %s is %v: it must be between 0 and 1", name, v)
		}
	}
	if sum := f.Share429 + f.Share5xx + f.ShareDrop + f.ShareDropAfter; sum > 1 {
		return fmt.Errorf("fault shares 429 + 5xx + drop + drop after add up to %v: at most 1", sum)
	}
	if f.SlowDelay < 0 {
		return fmt.Errorf("slow delay %v is negative", f.SlowDelay)
	}
	return nil
}

// Emulator is an http.Handler answering like BigCommerce.
type Emulator struct {
	now    func() time.Time
	log    *slog.Logger
	quota  int
	window time.Duration

	mu     sync.Mutex
	rng    *rand.Rand
	faults Faults
	stores map[string]*store

	admin *http.ServeMux
}

// New returns an emulator holding one empty store.
func New(opts Options) (*Emulator, error) {
	if opts.StoreHash == "" {
		opts.StoreHash = "store1"
	}
	if opts.Token == "" {
		opts.Token = "token1"
	}
	if opts.Quota == 0 {
		opts.Quota = DefaultQuota
	}
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	if opts.Quota < 0 || opts.Window < time.Millisecond {
		return nil, fmt.Errorf("quota %d per %v: the quota must be positive and the window at least 1ms", opts.Quota, opts.Window)
	}
	if err := opts.Faults.Validate(); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Emulator{
		now:    opts.Now,
		log:    opts.Logger,
		quota:  opts.Quota,
		window: opts.Window,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		faults: opts.Faults,
		stores: map[string]*store{},
	}
	e.admin = e.adminMux()
	if err := e.AddStore(opts.StoreHash, opts.Token); err != nil {
		return nil, err
	}
	return e, nil
}

// AddStore adds an empty store with its own token and its own quota.
func (e *Emulator) AddStore(hash, token string) error {
	if hash == "" || token == "" || strings.Contains(hash, "/") {
		return fmt.Errorf("store hash %q and token: both are required and the hash has no '/'", hash)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.stores[hash]; ok {
		return fmt.Errorf("store %q exists", hash)
	}
	e.stores[hash] = newStore(hash, token, e.now())
	return nil
}

// SetFaults replaces the faults in force.
func (e *Emulator) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	e.mu.Lock()
	e.faults = f
	e.mu.Unlock()
	return nil
}

// Faults returns the faults in force.
func (e *Emulator) Faults() Faults {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.faults
}

// Quota returns the requests allowed per window and the window.
func (e *Emulator) Quota() (int, time.Duration) { return e.quota, e.window }

// maxConcurrentPuts is BigCommerce's limit of parallel PUT /v3/customers.
const maxConcurrentPuts = 3

// fault is what the dice decided for one request.
type fault int

const (
	faultNone fault = iota
	fault429
	fault5xx
	faultDrop
	faultDropAfter
)

// ServeHTTP routes a request: the admin API under /_emulator/, else the
// store API: authentication, the rate limit, injected faults, then the
// endpoint.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		e.serveAdmin(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/stores/")
	if !ok {
		writeV3Error(w, http.StatusNotFound, "Not Found", nil)
		return
	}
	hash, rest, _ := strings.Cut(rest, "/")
	version, route, _ := strings.Cut(rest, "/")
	v2 := version == "v2"
	if !v2 && version != "v3" {
		writeV3Error(w, http.StatusNotFound, "Not Found", nil)
		return
	}
	errf := writeV3Error
	if v2 {
		errf = writeV2ErrorTitled
	}

	e.mu.Lock()
	s := e.stores[hash]
	if s == nil {
		e.mu.Unlock()
		errf(w, http.StatusNotFound, "Store not found.", nil)
		return
	}
	now := e.now()
	f := e.faults
	token := r.Header.Get("X-Auth-Token")
	if token == "" || token != s.token || f.TokenRevoked {
		s.stats.Unauthorized++
		s.limit.headers(now, e.quota, e.window).set(w.Header())
		e.mu.Unlock()
		errf(w, http.StatusUnauthorized, "You are not authorized to access this resource: the X-Auth-Token is missing, wrong or revoked.", nil)
		return
	}
	endpoint := r.Method + " /" + version + "/" + routeName(route)
	allowed := s.limit.take(now, e.quota, e.window)
	s.stats.Requests[endpoint]++
	s.stats.Total++
	h := s.limit.headers(now, e.quota, e.window)
	var inj fault
	slow := false
	if allowed {
		u := e.rng.Float64()
		switch {
		case u < f.Share429:
			inj = fault429
		case u < f.Share429+f.Share5xx:
			inj = fault5xx
		case u < f.Share429+f.Share5xx+f.ShareDrop:
			inj = faultDrop
		case u < f.Share429+f.Share5xx+f.ShareDrop+f.ShareDropAfter:
			inj = faultDropAfter
		}
		slow = f.ShareSlow > 0 && e.rng.Float64() < f.ShareSlow
	}
	status5xx := http.StatusInternalServerError
	if inj == fault5xx && e.rng.IntN(2) == 1 {
		status5xx = http.StatusServiceUnavailable
	}
	// BigCommerce allows 3 concurrent PUT /v3/customers per store and
	// answers 429 to a fourth.
	tooMany := false
	if allowed && inj == faultNone && r.Method == http.MethodPut && route == "customers" {
		if s.putsInFlight >= maxConcurrentPuts {
			tooMany = true
		} else {
			s.putsInFlight++
			defer func() {
				e.mu.Lock()
				s.putsInFlight--
				e.mu.Unlock()
			}()
		}
	}
	switch {
	case !allowed:
		s.stats.RateLimited++
		s.stats.QuotaExceeded++
	case tooMany:
		s.stats.RateLimited++
		s.stats.ConcurrencyExceeded++
	case inj == fault429:
		s.stats.RateLimited++
		s.stats.Injected429++
	case inj == fault5xx:
		s.stats.Injected5xx++
	case inj == faultDrop:
		s.stats.Dropped++
	case inj == faultDropAfter:
		s.stats.DroppedAfter++
	}
	if slow {
		s.stats.Slow++
	}
	e.mu.Unlock()

	h.set(w.Header())
	if slow && f.SlowDelay > 0 {
		t := time.NewTimer(f.SlowDelay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case tooMany:
		w.Header().Set("X-Retry-After", "1")
		errf(w, http.StatusTooManyRequests, "Too many concurrent requests: at most 3 PUT /v3/customers run at once per store.", nil)
		return
	case !allowed || inj == fault429:
		if inj == fault429 {
			e.log.Debug("bcemu: injected 429", "store", hash, "endpoint", endpoint)
		}
		w.Header().Set("X-Retry-After", h.retryAfterSeconds())
		errf(w, http.StatusTooManyRequests, "Too many requests: the store's rate limit is used up; retry after X-Retry-After seconds.", nil)
		return
	case inj == fault5xx:
		e.log.Debug("bcemu: injected 5xx", "store", hash, "endpoint", endpoint, "status", status5xx)
		errf(w, status5xx, http.StatusText(status5xx)+" (injected by the emulator)", nil)
		return
	case inj == faultDrop:
		e.log.Debug("bcemu: dropping the connection", "store", hash, "endpoint", endpoint)
		drop(w)
		return
	case inj == faultDropAfter:
		e.log.Debug("bcemu: carrying the request out, then dropping the connection", "store", hash, "endpoint", endpoint)
		e.route(&discard{h: http.Header{}}, r, s, v2, route)
		drop(w)
		return
	}
	e.route(w, r, s, v2, route)
}

// routeName folds ids out of a route so counts group by endpoint.
func routeName(route string) string {
	if g, ok := strings.CutPrefix(route, "customer_groups/"); ok && g != "" && g != "count" {
		return "customer_groups/{id}"
	}
	return route
}

// drop closes the connection without an answer, as a broken network does.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// discard is a ResponseWriter that keeps nothing: the answer of a request
// whose connection is dropped after it was carried out.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// route dispatches to the endpoint handlers.
func (e *Emulator) route(w http.ResponseWriter, r *http.Request, s *store, v2 bool, route string) {
	switch {
	case v2 && route == "customer_groups":
		switch r.Method {
		case http.MethodGet:
			e.listGroups(w, r, s)
		case http.MethodPost:
			e.createGroup(w, r, s)
		default:
			methodNotAllowed(w, true, "GET, POST")
		}
	case v2 && strings.HasPrefix(route, "customer_groups/"):
		id, ok := parseID(strings.TrimPrefix(route, "customer_groups/"))
		if !ok {
			writeV2Error(w, http.StatusNotFound, "The requested resource was not found.")
			return
		}
		switch r.Method {
		case http.MethodGet:
			e.getGroup(w, s, id)
		case http.MethodPut:
			e.updateGroup(w, r, s, id)
		case http.MethodDelete:
			e.deleteGroup(w, s, id)
		default:
			methodNotAllowed(w, true, "GET, PUT, DELETE")
		}
	case !v2 && route == "customers":
		switch r.Method {
		case http.MethodGet:
			e.listCustomers(w, r, s)
		case http.MethodPost:
			e.createCustomers(w, r, s)
		case http.MethodPut:
			e.updateCustomers(w, r, s)
		case http.MethodDelete:
			e.deleteCustomers(w, r, s)
		default:
			methodNotAllowed(w, false, "GET, POST, PUT, DELETE")
		}
	case !v2 && route == "pricelists/assignments":
		switch r.Method {
		case http.MethodGet:
			e.listAssignments(w, r, s)
		case http.MethodPost:
			e.createAssignments(w, r, s)
		case http.MethodDelete:
			e.deleteAssignments(w, r, s)
		default:
			methodNotAllowed(w, false, "GET, POST, DELETE")
		}
	default:
		if v2 {
			writeV2Error(w, http.StatusNotFound, "The requested resource was not found (the emulator serves /v2/customer_groups only).")
			return
		}
		writeV3Error(w, http.StatusNotFound, "The requested resource was not found (the emulator serves /v3/customers and /v3/pricelists/assignments only).", nil)
	}
}

func methodNotAllowed(w http.ResponseWriter, v2 bool, allow string) {
	w.Header().Set("Allow", allow)
	msg := "The method is not allowed on this resource; allowed: " + allow + "."
	if v2 {
		writeV2Error(w, http.StatusMethodNotAllowed, msg)
		return
	}
	writeV3Error(w, http.StatusMethodNotAllowed, msg, nil)
}
