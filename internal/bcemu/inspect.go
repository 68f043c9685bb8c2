package bcemu

import (
	"fmt"
	"maps"
	"slices"
)

// Stats count what one store's API received and answered.
type Stats struct {
	// Requests per endpoint ("POST /v3/customers", "GET
	// /v2/customer_groups/{id}"), authenticated requests only.
	Requests map[string]int `json:"requests"`
	Total    int            `json:"total"`
	// RateLimited is every 429 answered: QuotaExceeded +
	// ConcurrencyExceeded (a fourth parallel PUT /v3/customers) + Injected429.
	RateLimited         int `json:"rate_limited"`
	QuotaExceeded       int `json:"quota_exceeded"`
	ConcurrencyExceeded int `json:"concurrency_exceeded"`
	Injected429         int `json:"injected_429"`
	Injected5xx         int `json:"injected_5xx"`
	Dropped             int `json:"dropped"`
	DroppedAfter        int `json:"dropped_after"`
	Slow                int `json:"slow"`
	Unauthorized        int `json:"unauthorized"`
	// PeakPerWindow is the most requests (429s included) one rate-limit
	// window received; PeakSliding the most within any span of one window
	// length. A client that keeps to the quota keeps both at or below it.
	PeakPerWindow int `json:"peak_per_window"`
	PeakSliding   int `json:"peak_sliding"`
	// Windows is the closed windows, oldest first (at most 4096 kept).
	Windows []WindowCount `json:"windows"`
}

// Stats returns a copy of a store's counters.
func (e *Emulator) Stats(hash string) (Stats, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stores[hash]
	if s == nil {
		return Stats{}, fmt.Errorf("no store %q", hash)
	}
	s.limit.roll(e.now(), e.window)
	out := s.stats
	out.Requests = maps.Clone(s.stats.Requests)
	out.PeakPerWindow = s.limit.peak
	out.PeakSliding = s.limit.peakSliding
	out.Windows = slices.Clone(s.limit.history)
	return out, nil
}

// ResetStats zeroes a store's counters and its rate-limit history (not its
// current window's count, which the quota still needs).
func (e *Emulator) ResetStats(hash string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stores[hash]
	if s == nil {
		return fmt.Errorf("no store %q", hash)
	}
	s.stats = Stats{Requests: map[string]int{}}
	s.limit.history = nil
	s.limit.peak = s.limit.arrived
	s.limit.peakSliding = len(s.limit.recent)
	return nil
}

// Snapshot is a copy of one store's data, each list ordered by id.
type Snapshot struct {
	Groups      []Group      `json:"groups"`
	Customers   []Customer   `json:"customers"`
	Assignments []Assignment `json:"assignments"`
}

// Snapshot returns a copy of a store's data.
func (e *Emulator) Snapshot(hash string) (Snapshot, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stores[hash]
	if s == nil {
		return Snapshot{}, fmt.Errorf("no store %q", hash)
	}
	out := Snapshot{Groups: []Group{}, Customers: []Customer{}, Assignments: []Assignment{}}
	for _, id := range slices.Sorted(maps.Keys(s.groups)) {
		out.Groups = append(out.Groups, cloneGroup(s.groups[id]))
	}
	for _, id := range slices.Sorted(maps.Keys(s.customers)) {
		out.Customers = append(out.Customers, cloneCustomer(s.customers[id]))
	}
	for _, id := range slices.Sorted(maps.Keys(s.assignments)) {
		out.Assignments = append(out.Assignments, *s.assignments[id])
	}
	return out, nil
}
