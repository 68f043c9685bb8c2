package bigcommerce

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// How the client paces itself
//
// BigCommerce counts requests per store in fixed windows and says, on every
// answer, the window's length, the time until it resets, the quota and what
// is left. The client keeps a token bucket (golang.org/x/time/rate) filling
// at Share × quota / window, one token per request, so a backlog is spread
// evenly and stays just under the quota in any window. Each answer adjusts it:
//
//   - quota and window replace the assumed ones;
//   - when other apps use the same quota, "left" falls faster than the bucket
//     expects, and the rate drops to what is left over what remains of the
//     window;
//   - when what is left is no more than the requests still in flight, or on
//     a 429, the client stops sending until the window resets (the longer of
//     the reset and X-Retry-After on a 429).

// pace blocks until a request may be sent, then counts it in flight.
func (c *Client) pace(ctx context.Context) error {
	for {
		now := c.clock.Now()
		c.mu.Lock()
		until := c.pausedUntil
		c.mu.Unlock()
		if now.Before(until) {
			if err := c.clock.Sleep(ctx, until.Sub(now)); err != nil {
				return err
			}
			continue
		}
		r := c.limitr.ReserveN(now, 1)
		if !r.OK() {
			return context.Canceled // burst < 1 cannot happen: New sets it
		}
		if d := r.DelayFrom(now); d > 0 {
			if err := c.clock.Sleep(ctx, d); err != nil {
				r.CancelAt(c.clock.Now())
				return err
			}
		}
		c.mu.Lock()
		if after := c.clock.Now(); after.Before(c.pausedUntil) {
			// a 429 or an empty quota arrived while this one waited
			c.mu.Unlock()
			r.CancelAt(after)
			continue
		}
		c.inflight++
		c.stats.Sent++
		c.mu.Unlock()
		return nil
	}
}

// done ends a request: it leaves the in-flight count and, when the answer
// carried rate-limit headers, adjusts the pacing to them.
func (c *Client) done(h http.Header, status int) {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight--
	if status == http.StatusTooManyRequests {
		c.stats.RateLimited++
		c.pauseLocked(now.Add(retryAfter(h)))
	}
	if h == nil {
		return
	}
	quota, qerr := strconv.Atoi(h.Get("X-Rate-Limit-Requests-Quota"))
	windowMs, werr := strconv.ParseInt(h.Get("X-Rate-Limit-Time-Window-Ms"), 10, 64)
	left, lerr := strconv.Atoi(h.Get("X-Rate-Limit-Requests-Left"))
	resetMs, rerr := strconv.ParseInt(h.Get("X-Rate-Limit-Time-Reset-Ms"), 10, 64)
	if qerr != nil || werr != nil || quota <= 0 || windowMs <= 0 {
		return
	}
	c.quota, c.window = quota, time.Duration(windowMs)*time.Millisecond
	base := c.rateFor(c.quota, c.window)
	if lerr != nil || rerr != nil || resetMs <= 0 {
		c.limitr.SetLimitAt(now, base)
		return
	}
	reset := time.Duration(resetMs) * time.Millisecond
	avail := left - c.inflight
	if avail <= 0 {
		c.pauseLocked(now.Add(reset))
		c.limitr.SetLimitAt(now, base)
		return
	}
	lim := base
	if fair := rate.Limit(float64(avail) / reset.Seconds()); fair < base {
		lim = fair
	}
	c.limitr.SetLimitAt(now, lim)
}

func (c *Client) pauseLocked(until time.Time) {
	if until.After(c.pausedUntil) {
		c.pausedUntil = until
	}
}
