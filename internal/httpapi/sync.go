package httpapi

import (
	"net/http"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The platform connection and the sync's state are Guild's extensions. The
// platform token is write-only: no answer ever carries it.

type initialSyncOut struct {
	State      string `json:"state"` // none, running, done
	Stage      string `json:"stage,omitempty"`
	StartedAt  int64  `json:"startedAt,omitempty"`
	FinishedAt int64  `json:"finishedAt,omitempty"`
}

type connectionOut struct {
	Platform     string         `json:"platform"`
	StoreHash    string         `json:"storeHash"`
	APIURL       string         `json:"apiUrl"`
	State        string         `json:"state"`
	PausedReason string         `json:"pausedReason,omitempty"`
	LastError    string         `json:"lastError,omitempty"`
	ConnectedAt  int64          `json:"connectedAt"`
	UpdatedAt    int64          `json:"updatedAt"`
	InitialSync  initialSyncOut `json:"initialSync"`
}

func renderConnection(c guild.PlatformConnection) connectionOut {
	out := connectionOut{Platform: c.Platform, StoreHash: c.StoreHash, APIURL: c.APIURL, State: c.State,
		PausedReason: c.PausedReason, LastError: c.LastError, ConnectedAt: c.ConnectedAt.Unix(), UpdatedAt: c.UpdatedAt.Unix()}
	switch {
	case c.SyncStage != "":
		out.InitialSync = initialSyncOut{State: "running", Stage: c.SyncStage, StartedAt: c.SyncStartedAt.Unix()}
	case !c.SyncFinishedAt.IsZero():
		out.InitialSync = initialSyncOut{State: "done", StartedAt: c.SyncStartedAt.Unix(), FinishedAt: c.SyncFinishedAt.Unix()}
	default:
		out.InitialSync = initialSyncOut{State: "none"}
	}
	return out
}

type connectIn struct {
	StoreHash   Str  `json:"storeHash"`
	AccessToken Str  `json:"accessToken"`
	APIURL      Str  `json:"apiUrl"`
	Resync      Bool `json:"resync"`
}

type connectOut struct {
	connectionOut
	InitialSyncStarted bool `json:"initialSyncStarted"`
	Superseded         int  `json:"supersededChanges"`
}

func (s *Server) getPlatformConnection(w http.ResponseWriter, r *http.Request) {
	c, err := s.app.PlatformConnection(r.Context(), tenantOf(r.Context()))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderConnection(c))
}

func (s *Server) putPlatformConnection(w http.ResponseWriter, r *http.Request) {
	var body connectIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.str("storeHash", body.StoreHash)
	c.str("accessToken", body.AccessToken)
	c.str("apiUrl", body.APIURL)
	c.bool("resync", body.Resync)
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	res, err := s.app.ConnectPlatform(r.Context(), tenantOf(r.Context()), app.ConnectInput{
		StoreHash: body.StoreHash.V, Token: body.AccessToken.V, APIURL: body.APIURL.V, Resync: body.Resync.V})
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, connectOut{connectionOut: renderConnection(res.Connection), InitialSyncStarted: res.InitialSync, Superseded: res.Superseded})
}

func (s *Server) deletePlatformConnection(w http.ResponseWriter, r *http.Request) {
	if err := s.app.DisconnectPlatform(r.Context(), tenantOf(r.Context())); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}

type queueOut struct {
	Pending                 int   `json:"pending"`
	Scheduled               int   `json:"scheduled"`
	Leased                  int   `json:"leased"`
	Dead                    int   `json:"dead"`
	OldestPendingAt         int64 `json:"oldestPendingAt,omitempty"`
	OldestPendingAgeSeconds int64 `json:"oldestPendingAgeSeconds"`
}

type outboxRowOut struct {
	ID         int64  `json:"id"`
	Topic      string `json:"topic"`
	EntityType string `json:"entityType"`
	EntityID   int64  `json:"entityId"`
	Attempts   int    `json:"attempts"`
	LastError  string `json:"lastError"`
	CreatedAt  int64  `json:"createdAt"`
}

type syncStatusOut struct {
	Connection  *connectionOut `json:"connection"`
	Queue       queueOut       `json:"queue"`
	DeadLetters []outboxRowOut `json:"deadLetters"`
}

func renderQueue(st guild.OutboxStats, now time.Time) queueOut {
	q := queueOut{Pending: st.Pending, Scheduled: st.Scheduled, Leased: st.Leased, Dead: st.Dead}
	if !st.OldestDue.IsZero() {
		q.OldestPendingAt = st.OldestDue.Unix()
		q.OldestPendingAgeSeconds = max(int64(now.Sub(st.OldestDue).Seconds()), 0)
	}
	return q
}

func (s *Server) syncStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.app.SyncStatus(r.Context(), tenantOf(r.Context()))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := syncStatusOut{Queue: renderQueue(st.Queue, st.Now), DeadLetters: make([]outboxRowOut, 0, len(st.DeadLetters))}
	if st.Connection != nil {
		c := renderConnection(*st.Connection)
		out.Connection = &c
	}
	for _, d := range st.DeadLetters {
		out.DeadLetters = append(out.DeadLetters, outboxRowOut{ID: d.ID, Topic: d.Topic, EntityType: d.EntityType, EntityID: d.EntityID,
			Attempts: d.Attempts, LastError: d.LastError, CreatedAt: d.CreatedAt.Unix()})
	}
	writeOK(w, out)
}

type retryIn struct {
	ID  Int  `json:"id"`
	All Bool `json:"all"`
}

func (s *Server) retryDeadLetters(w http.ResponseWriter, r *http.Request) {
	var body retryIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	var c checker
	c.int("id", body.ID)
	c.bool("all", body.All)
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if body.ID.V != 0 == body.All.V {
		writeError(w, r, s.logger, guild.Errorf(guild.EInvalid, "give either the id of a dead letter, or \"all\": true"))
		return
	}
	n, err := s.app.RetryDeadLetters(r.Context(), tenantOf(r.Context()), body.ID.V)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, map[string]int{"requeued": n})
}

type entitySyncOut struct {
	EntityType   string `json:"entityType"`
	EntityID     int64  `json:"entityId"`
	State        string `json:"state"`
	RemoteID     int64  `json:"remoteId,omitempty"`
	LastSyncedAt int64  `json:"lastSyncedAt,omitempty"`
	LastError    string `json:"lastError,omitempty"`
	PendingRows  int    `json:"pendingChanges"`
	DeadRows     int    `json:"deadLetters"`
}

func (s *Server) entitySync(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	e, err := s.app.EntitySyncState(r.Context(), tenantOf(r.Context()), r.PathValue("type"), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := entitySyncOut{EntityType: e.EntityType, EntityID: e.EntityID, State: e.State, RemoteID: e.RemoteID,
		LastError: e.LastError, PendingRows: e.PendingRows, DeadRows: e.DeadRows}
	if !e.LastSyncedAt.IsZero() {
		out.LastSyncedAt = e.LastSyncedAt.Unix()
	}
	writeOK(w, out)
}
