// Package bigcommerce is a typed client for the BigCommerce REST endpoints
// Guild's sync connector uses: customer groups (v2), customers (v3) and
// price-list assignments (v3).
//
// A Client serves one store. It paces its calls from the X-Rate-Limit-*
// headers so that a backlog uses most of the store's quota while 429s stay
// rare, waits out 429s, retries 500/502/503/504 and dropped connections with
// exponential backoff and jitter, and reports what is left as an *Error whose
// Kind says what to do. Use one Client per store and share it between
// goroutines: the quota is the store's, not the goroutine's.
//
// Connector (connector.go) delivers Guild's outbox to BigCommerce with one
// Client per store; the mapping between Guild's entities and BigCommerce's
// (mapping.go) is exported for the inbound import and reconcile.
package bigcommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultBaseURL is BigCommerce's API gateway.
const DefaultBaseURL = "https://api.bigcommerce.com"

// Options configure a Client. StoreHash and Token are required.
type Options struct {
	BaseURL   string // DefaultBaseURL when empty
	StoreHash string
	Token     string
	// HTTPClient sends the requests; its Timeout bounds one attempt. The
	// default has a 30 s timeout and keeps up to 16 idle connections.
	HTTPClient *http.Client
	Pacing     Pacing
	Retry      Retry
	Logger     *slog.Logger // discarded when nil
	Clock      Clock        // the real clock when nil
}

// Pacing sets how the client spends the store's quota. Quota and Window are
// only the assumption before the first answer; the X-Rate-Limit-* headers
// replace them.
type Pacing struct {
	Quota  int           // requests per Window; 150 when 0 (Standard and Plus plans)
	Window time.Duration // 30 s when 0
	// Share of the quota the client aims at, in (0, 1]; 0.95 when 0. Below
	// 1 so that the requests in flight when a window turns never overshoot.
	Share float64
	// Burst is how many requests may start back to back; 1 when 0.
	Burst int
}

// Retry bounds the retries of one call.
type Retry struct {
	MaxAttempts int           // sends per call, 5 when 0
	BaseDelay   time.Duration // first backoff, 250 ms when 0
	MaxDelay    time.Duration // longest backoff, 10 s when 0
}

// Clock is the time source; tests may replace it.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, returning ctx's error then.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// maxParallelPuts is BigCommerce's limit of concurrent PUT /v3/customers.
const maxParallelPuts = 3

// Client calls one store's API. It is safe for concurrent use.
type Client struct {
	base   string // .../stores/{hash}
	token  string
	http   *http.Client
	log    *slog.Logger
	clock  Clock
	share  float64
	retry  Retry
	puts   chan struct{}
	limitr *rate.Limiter
	gate   chan struct{} // held while pacing one request

	firstAnswer chan struct{} // closed when the first request ends
	answered    sync.Once

	mu          sync.Mutex
	quota       int
	window      time.Duration
	pausedUntil time.Time
	inflight    int
	// The current window as the answers tell it: requests left (less
	// those sent since) and when it resets; known once an answer said so.
	left    int
	resetAt time.Time
	known   bool
	rng     *rand.Rand
	stats   Stats
}

// Stats count what a Client did.
type Stats struct {
	Calls       int // calls made (each may send several times)
	Sent        int // requests sent
	RateLimited int // 429 answers received
	Retried     int // requests sent again after a 429, 5xx or dropped connection
}

// New returns a client for one store.
func New(opts Options) (*Client, error) {
	if opts.StoreHash == "" || opts.Token == "" {
		return nil, errors.New("bigcommerce: the store hash and the token are required")
	}
	if strings.ContainsAny(opts.StoreHash, "/?#") {
		return nil, fmt.Errorf("bigcommerce: store hash %q has a character a hash cannot have", opts.StoreHash)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if _, err := url.Parse(opts.BaseURL); err != nil {
		return nil, fmt.Errorf("bigcommerce: base URL: %w", err)
	}
	if opts.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Go keeps 2 idle connections per host by default; a store's
		// goroutines would open and close connections all the time.
		tr.MaxIdleConnsPerHost = 16
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	p := opts.Pacing
	if p.Quota <= 0 {
		p.Quota = 150
	}
	if p.Window <= 0 {
		p.Window = 30 * time.Second
	}
	if p.Share <= 0 || p.Share > 1 {
		p.Share = 0.95
	}
	if p.Burst <= 0 {
		p.Burst = 1
	}
	r := opts.Retry
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 5
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 250 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 10 * time.Second
	}
	c := &Client{
		base:  strings.TrimRight(opts.BaseURL, "/") + "/stores/" + opts.StoreHash,
		token: opts.Token,
		http:  opts.HTTPClient,
		log:   opts.Logger.With("store", opts.StoreHash),
		clock: opts.Clock,
		share: p.Share,
		retry: r,
		puts:  make(chan struct{}, maxParallelPuts),
		gate:  make(chan struct{}, 1),

		firstAnswer: make(chan struct{}),
		quota:       p.Quota,
		window:      p.Window,
		rng:         rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x6a09e667f3bcc909)),
	}
	c.limitr = rate.NewLimiter(c.rateFor(p.Quota, p.Window), p.Burst)
	return c, nil
}

// Stats returns what the client has done so far.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func (c *Client) rateFor(quota int, window time.Duration) rate.Limit {
	return rate.Limit(c.share * float64(quota) / window.Seconds())
}

// request is one call's description.
type request struct {
	method string
	path   string // below the store, e.g. "/v3/customers"
	query  url.Values
	body   any
}

// do runs a call: pacing, sending, retrying. out receives a 2xx JSON body;
// status is the final 2xx status.
func (c *Client) do(ctx context.Context, rq request, out any) (status int, err error) {
	var payload []byte
	if rq.body != nil {
		payload, err = json.Marshal(rq.body)
		if err != nil {
			return 0, fmt.Errorf("bigcommerce %s %s: encode the body: %w", rq.method, rq.path, err)
		}
	}
	u := c.base + rq.path
	if len(rq.query) > 0 {
		u += "?" + encodeQuery(rq.query)
	}
	c.mu.Lock()
	c.stats.Calls++
	c.mu.Unlock()
	for attempt := 1; ; attempt++ {
		seq, err := c.pace(ctx)
		if err != nil {
			return 0, fmt.Errorf("bigcommerce %s %s: waiting for the rate limit: %w", rq.method, rq.path, err)
		}
		st, body, hdr, sendErr := c.send(ctx, rq.method, u, payload)
		c.done(hdr, st, seq)
		if sendErr != nil && ctx.Err() != nil {
			return 0, fmt.Errorf("bigcommerce %s %s: %w", rq.method, rq.path, ctx.Err())
		}
		var e *Error
		switch {
		case sendErr != nil:
			e = &Error{Kind: KindTransient, Err: sendErr}
		case st >= 200 && st < 300:
			if out != nil && len(bytes.TrimSpace(body)) > 0 {
				if err := json.Unmarshal(body, out); err != nil {
					return st, &Error{Kind: KindPermanent, Method: rq.method, Path: rq.path, Status: st, Attempts: attempt,
						Title: "the answer is not the JSON expected", Err: err}
				}
			}
			return st, nil
		default:
			e = &Error{Kind: kindOf(st), Status: st}
			e.Title, e.Details = parseErrorBody(body)
			if st == http.StatusTooManyRequests {
				e.RetryAfter = retryAfter(hdr)
			}
		}
		e.Method, e.Path, e.Attempts = rq.method, rq.path, attempt
		if e.Kind != KindTransient && e.Kind != KindRateLimited {
			return st, e
		}
		if attempt >= c.retry.MaxAttempts {
			return st, e
		}
		c.mu.Lock()
		c.stats.Retried++
		c.mu.Unlock()
		if e.Kind == KindRateLimited {
			c.log.Warn("bigcommerce: 429, waiting for the quota", "method", rq.method, "path", rq.path, "retry_after", e.RetryAfter, "attempt", attempt)
			continue // pace waits out the pause done() set
		}
		d := c.backoff(attempt)
		c.log.Debug("bigcommerce: retrying", "method", rq.method, "path", rq.path, "status", st, "err", sendErr, "attempt", attempt, "backoff", d)
		if err := c.clock.Sleep(ctx, d); err != nil {
			return 0, fmt.Errorf("bigcommerce %s %s: backing off after %v: %w", rq.method, rq.path, e, err)
		}
	}
}

// encodeQuery is url.Values.Encode keeping the ':' of filter names
// ("email:in") and the commas between listed values as BigCommerce's
// documentation writes them; everything else is escaped.
func encodeQuery(q url.Values) string {
	unescape := strings.NewReplacer("%3A", ":", "%2C", ",")
	return unescape.Replace(q.Encode())
}

// send makes one attempt. A status of 0 means no answer (err says why).
func (c *Client) send(ctx context.Context, method, u string, payload []byte) (int, []byte, http.Header, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("X-Auth-Token", c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		// the answer broke off: as good as a dropped connection
		return 0, nil, resp.Header, fmt.Errorf("read the answer: %w", err)
	}
	return resp.StatusCode, body, resp.Header, nil
}

// backoff is the wait before attempt+1: exponential, capped, with jitter
// (between half and all of it).
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.BaseDelay << min(attempt-1, 30)
	if d <= 0 || d > c.retry.MaxDelay {
		d = c.retry.MaxDelay
	}
	c.mu.Lock()
	j := time.Duration(c.rng.Int64N(int64(d)/2 + 1))
	c.mu.Unlock()
	return d/2 + j
}

// retryAfter is how long a 429 asks for: the longer of X-Rate-Limit-Time-Reset-Ms
// and X-Retry-After (seconds).
func retryAfter(h http.Header) time.Duration {
	var d time.Duration
	if ms, err := strconv.ParseInt(h.Get("X-Rate-Limit-Time-Reset-Ms"), 10, 64); err == nil && ms > 0 {
		d = time.Duration(ms) * time.Millisecond
	}
	if s, err := strconv.ParseFloat(h.Get("X-Retry-After"), 64); err == nil && s > 0 {
		d = max(d, time.Duration(s*float64(time.Second)))
	}
	if d == 0 {
		d = time.Second
	}
	return d
}
