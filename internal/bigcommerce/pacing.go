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
// is left. The client does two things with that:
//
//   - A token bucket (golang.org/x/time/rate) filling at Share × quota /
//     window spreads a backlog evenly, just under the quota. When other apps
//     use the same quota, "left" falls faster than the bucket expects, and
//     the rate drops to what is left over what remains of the window.
//   - A budget for the current window: what the last answer said was left,
//     less the requests sent after the one it answered (the server may not
//     have counted those yet). When it is down to a small reserve (half of
//     the share of the quota the bucket leaves unused, so that other apps'
//     requests since the last answer fit), nothing more is sent until the
//     window resets. This is what keeps late, bunched requests (a busy
//     machine, many goroutines) from going over: the bucket alone would let
//     a few spill into the next window on top of its own share.
//
// A 429 stops all sending for the longer of the reset and X-Retry-After.

// pace blocks until a request may be sent, counts it in flight and spends
// one from the window's budget. seq numbers the request among those sent.
func (c *Client) pace(ctx context.Context) (seq int, err error) {
	// One goroutine at a time holds a reservation: were each waiting
	// goroutine to hold one, a pause would leave them all spent and the
	// next window would start behind them.
	select {
	case c.gate <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-c.gate }()
	// Until the first answer tells the quota, only one request is out.
	select {
	case <-c.firstAnswer:
	default:
		c.mu.Lock()
		probing := c.inflight > 0
		c.mu.Unlock()
		if probing {
			select {
			case <-c.firstAnswer:
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
	}
	for {
		now := c.clock.Now()
		c.mu.Lock()
		until := c.blockedUntilLocked(now)
		c.mu.Unlock()
		if now.Before(until) {
			if err := c.clock.Sleep(ctx, until.Sub(now)); err != nil {
				return 0, err
			}
			continue
		}
		r := c.limitr.ReserveN(now, 1)
		if !r.OK() {
			return 0, context.Canceled // cannot happen: New makes burst ≥ 1
		}
		if d := r.DelayFrom(now); d > 0 {
			if err := c.clock.Sleep(ctx, d); err != nil {
				r.CancelAt(c.clock.Now())
				return 0, err
			}
		}
		after := c.clock.Now()
		c.mu.Lock()
		if after.Before(c.blockedUntilLocked(after)) {
			// a 429 or the end of the budget came while this one waited
			c.mu.Unlock()
			r.CancelAt(after)
			continue
		}
		if c.known {
			c.left--
		}
		c.inflight++
		c.stats.Sent++
		seq = c.stats.Sent
		c.mu.Unlock()
		return seq, nil
	}
}

// blockedUntilLocked is when sending may resume: after a 429's pause, and
// when the window's budget is spent, at its reset. On the way it moves the
// budget to the window now is in: a window that has reset starts with the
// whole quota until an answer says otherwise.
func (c *Client) blockedUntilLocked(now time.Time) time.Time {
	if c.known && !now.Before(c.resetAt) {
		c.left = c.quota
		for !now.Before(c.resetAt) {
			c.resetAt = c.resetAt.Add(c.window)
		}
	}
	until := c.pausedUntil
	// A few requests of the quota are left to other apps near a window's end:
	// the budget cannot see what they sent since the last answer.
	reserve := int(float64(c.quota) * (1 - c.share) / 2)
	if c.known && c.left <= reserve && c.resetAt.After(until) {
		until = c.resetAt
	}
	return until
}

// done ends request seq: it leaves the in-flight count and, when the answer
// carried rate-limit headers, adjusts the pacing and the budget to them.
func (c *Client) done(h http.Header, status, seq int) {
	now := c.clock.Now()
	c.answered.Do(func() { close(c.firstAnswer) })
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
	resetAt := now.Add(reset)
	if c.known && resetAt.Before(c.resetAt.Add(-c.window/2)) {
		return // a late answer from the previous window
	}
	c.left = left - (c.stats.Sent - seq)
	c.resetAt, c.known = resetAt, true
	lim := base
	if c.left > 0 {
		if fair := rate.Limit(float64(c.left) / reset.Seconds()); fair < base {
			lim = fair
		}
	}
	c.limitr.SetLimitAt(now, lim)
}

func (c *Client) pauseLocked(until time.Time) {
	if until.After(c.pausedUntil) {
		c.pausedUntil = until
	}
}
