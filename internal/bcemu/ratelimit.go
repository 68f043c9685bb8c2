package bcemu

import (
	"net/http"
	"strconv"
	"time"
)

// maxHistory bounds the per-window history kept for inspection.
const maxHistory = 4096

// window is a store's rate-limit state: fixed windows of the configured
// length, counted from the store's creation, as BigCommerce's reset header
// suggests (a countdown to the next refill of the whole quota).
type window struct {
	origin   time.Time
	start    time.Time // start of the current window
	accepted int       // requests let through in the current window
	arrived  int       // requests received in the current window, 429s included

	history []WindowCount // closed windows, oldest first
	peak    int           // most arrivals in one window

	recent      []time.Time // arrival times within the last window length
	peakSliding int
}

// WindowCount is what one rate-limit window received.
type WindowCount struct {
	Start    time.Time
	Arrived  int // every request, 429s included
	Accepted int // requests within the quota
}

// roll moves to the window holding now, recording the windows that closed
// (empty ones too, so gaps show).
func (l *window) roll(now time.Time, d time.Duration) {
	if l.start.IsZero() {
		l.start = l.origin
	}
	for !now.Before(l.start.Add(d)) {
		if len(l.history) < maxHistory {
			l.history = append(l.history, WindowCount{Start: l.start, Arrived: l.arrived, Accepted: l.accepted})
		}
		l.accepted, l.arrived = 0, 0
		next := l.start.Add(d)
		if gap := now.Sub(next); gap > 4*d {
			// a long idle stretch: jump, keeping the alignment
			next = next.Add(gap / d * d)
		}
		l.start = next
	}
}

// take counts one arrival and reports whether it is within the quota.
func (l *window) take(now time.Time, quota int, d time.Duration) bool {
	l.roll(now, d)
	l.arrived++
	l.peak = max(l.peak, l.arrived)
	cut := now.Add(-d)
	i := 0
	for i < len(l.recent) && !l.recent[i].After(cut) {
		i++
	}
	l.recent = append(l.recent[i:], now)
	l.peakSliding = max(l.peakSliding, len(l.recent))
	if l.accepted >= quota {
		return false
	}
	l.accepted++
	return true
}

// limitHeaders are the X-Rate-Limit-* values of one answer.
type limitHeaders struct {
	windowMs, resetMs, quota, left int64
}

func (l *window) headers(now time.Time, quota int, d time.Duration) limitHeaders {
	l.roll(now, d)
	reset := l.start.Add(d).Sub(now)
	return limitHeaders{
		windowMs: d.Milliseconds(),
		resetMs:  max(reset.Milliseconds(), 1),
		quota:    int64(quota),
		left:     int64(max(quota-l.accepted, 0)),
	}
}

func (h limitHeaders) set(hd http.Header) {
	hd.Set("X-Rate-Limit-Time-Window-Ms", strconv.FormatInt(h.windowMs, 10))
	hd.Set("X-Rate-Limit-Time-Reset-Ms", strconv.FormatInt(h.resetMs, 10))
	hd.Set("X-Rate-Limit-Requests-Quota", strconv.FormatInt(h.quota, 10))
	hd.Set("X-Rate-Limit-Requests-Left", strconv.FormatInt(h.left, 10))
}

// retryAfterSeconds is X-Retry-After: whole seconds until the quota is back,
// rounded up.
func (h limitHeaders) retryAfterSeconds() string {
	return strconv.FormatInt((h.resetMs+999)/1000, 10)
}
