package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyTenant
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func tenantOf(ctx context.Context) guild.Tenant {
	t, _ := ctx.Value(keyTenant).(guild.Tenant)
	return t
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// ServeHTTP runs every request through request ids, recovery, routing (with
// the mux's own 404/405 answers wrapped in the envelope), logs and metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if !requestIDPattern.MatchString(id) {
		id = newRequestID()
	}
	w.Header().Set("X-Request-Id", id)
	r = r.WithContext(context.WithValue(r.Context(), keyRequestID, id))
	rec := &statusRecorder{ResponseWriter: w}

	// mux.Handler only finds the route; the mux itself must serve a matched
	// request, since only it sets the request's path values.
	var h http.Handler = s.mux
	muxAnswer, pattern := s.mux.Handler(r)
	route := pattern
	if pattern == "" {
		route = "unmatched"
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.noRoute(w, r, muxAnswer) })
	}
	defer func() {
		if v := recover(); v != nil {
			s.logger.ErrorContext(r.Context(), "panic while serving request", "panic", fmt.Sprint(v), "route", route)
			if rec.status == 0 {
				writeError(rec, r, s.logger, fmt.Errorf("panic: %v", v))
			}
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		elapsed := time.Since(start)
		s.metrics.observe(route, r.Method, status, elapsed)
		if s.accessLog {
			s.logger.InfoContext(r.Context(), "request", "request_id", id, "method", r.Method, "path", r.URL.Path, "route", route, "status", status, "duration_ms", float64(elapsed.Microseconds())/1000)
		}
	}()
	h.ServeHTTP(rec, r)
}

// noRoute answers what the mux itself would answer (404, or 405 with its
// Allow header) in the vendor's envelope.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request, muxHandler http.Handler) {
	probe := &headerProbe{header: http.Header{}}
	muxHandler.ServeHTTP(probe, r)
	if allow := probe.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	if probe.status == http.StatusMethodNotAllowed {
		writeError(w, r, s.logger, guild.Errorf(guild.ENotAllowed, "%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, probe.header.Get("Allow")))
		return
	}
	writeError(w, r, s.logger, guild.Errorf(guild.ENotFound, "no endpoint at %s %s", r.Method, r.URL.Path))
}

// headerProbe captures what a handler would answer, discarding its body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(code int)        { p.status = code }

// authenticated requires an S2S API token: authToken, or X-Auth-Token with
// X-Store-Hash.
func (s *Server) authenticated(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret := r.Header.Get("authToken")
		hash := ""
		if b := bearer(r); secret == "" && r.Header.Get("X-Auth-Token") == "" && app.IsBuyerTokenSecret(b) {
			secret = b // only to be refused with a message that says what it is
		}
		if secret == "" {
			secret = r.Header.Get("X-Auth-Token")
			hash = r.Header.Get("X-Store-Hash")
			if secret != "" && hash == "" && !app.IsBuyerTokenSecret(secret) {
				writeError(w, r, s.logger, guild.Errorf(guild.EUnauthorized, "X-Auth-Token needs the X-Store-Hash header too (or send the token in the authToken header)"))
				return
			}
		}
		t, err := s.app.Authenticate(r.Context(), secret, hash)
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), keyTenant, t)))
	}
}

// pathID reads a positive integer path value.
func pathID(r *http.Request, name string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, guild.FieldError(name, "must be a positive integer id (got %q)", raw)
	}
	return id, nil
}
