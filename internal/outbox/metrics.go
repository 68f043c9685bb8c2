package outbox

import (
	"context"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the sync's Prometheus metrics. A nil *Metrics records nothing.
type Metrics struct {
	deliveries  prometheus.Counter
	retries     prometheus.Counter
	deadLetters prometheus.Counter
	pauses      prometheus.Counter
	rateLimited prometheus.Counter
}

// NewMetrics registers the sync's metrics on reg. The queue's depth and the
// age of its oldest pending row are read from store at each scrape (every
// connected store's rows; now gives the time).
func NewMetrics(reg prometheus.Registerer, store guild.Store, now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{
		deliveries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guild_sync_deliveries_total", Help: "Outbox rows delivered to a platform."}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guild_sync_retries_total", Help: "Outbox deliveries that failed and were scheduled again."}),
		deadLetters: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guild_sync_dead_letters_total", Help: "Outbox rows given up on (dead letters)."}),
		pauses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guild_sync_pauses_total", Help: "Platform connections paused (bad credentials, say)."}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guild_sync_rate_limited_total", Help: "Platform answers of 429 Too Many Requests."}),
	}
	reg.MustRegister(m.deliveries, m.retries, m.deadLetters, m.pauses, m.rateLimited, &queueCollector{store: store, now: now})
	return m
}

// RateLimited counts a 429 answer of the platform; the connector calls it.
func (m *Metrics) RateLimited() {
	if m != nil {
		m.rateLimited.Inc()
	}
}

func (m *Metrics) delivered() {
	if m != nil {
		m.deliveries.Inc()
	}
}

func (m *Metrics) retried() {
	if m != nil {
		m.retries.Inc()
	}
}

func (m *Metrics) dead() {
	if m != nil {
		m.deadLetters.Inc()
	}
}

func (m *Metrics) paused() {
	if m != nil {
		m.pauses.Inc()
	}
}

var (
	queueDepthDesc = prometheus.NewDesc("guild_sync_queue_depth",
		"Outbox rows of connected stores not yet delivered, by state (pending: due; scheduled: waiting for a retry; leased: being delivered; dead).",
		[]string{"state"}, nil)
	oldestDesc = prometheus.NewDesc("guild_sync_oldest_pending_age_seconds",
		"Age of the oldest outbox row of a connected store not yet delivered; 0 if none.", nil, nil)
)

// queueCollector reads the queue's state from the store at each scrape.
type queueCollector struct {
	store guild.Store
	now   func() time.Time
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepthDesc
	ch <- oldestDesc
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := c.now()
	st, err := c.store.OutboxStats(ctx, 0, now)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(queueDepthDesc, err)
		return
	}
	for state, n := range map[string]int{"pending": st.Pending, "scheduled": st.Scheduled, "leased": st.Leased, "dead": st.Dead} {
		ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(n), state)
	}
	age := 0.0
	if !st.OldestDue.IsZero() {
		age = max(now.Sub(st.OldestDue).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age)
}
