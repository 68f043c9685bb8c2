package app

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

// DefaultBigCommerceAPIURL is the BigCommerce API a store connects to when
// no other is given.
const DefaultBigCommerceAPIURL = "https://api.bigcommerce.com"

// InitialSyncBatch is how many entities one transaction of the initial sync
// enqueues.
const InitialSyncBatch = 200

var platformStoreHash = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ConnectInput connects a store to its BigCommerce store.
type ConnectInput struct {
	StoreHash string // the BigCommerce store hash
	Token     string // a BigCommerce API account's access token
	APIURL    string // empty means DefaultBigCommerceAPIURL
	// Resync starts a full initial sync even when the store reconnects to
	// the BigCommerce store it was connected to.
	Resync bool
}

// ConnectResult says what ConnectPlatform did.
type ConnectResult struct {
	Connection guild.PlatformConnection
	// InitialSync is set when the connection started a full initial sync.
	InitialSync bool
	// Superseded counts the pending outbox rows the initial sync replaces.
	Superseded int
}

// tokenAD is the additional data that binds a sealed token to its store.
func tokenAD(tenantID int64) []byte {
	return []byte("guild platform token of store " + strconv.FormatInt(tenantID, 10))
}

// ConnectPlatform connects a store to a BigCommerce store, or changes its
// token. Connecting for the first time, or to another BigCommerce store (or
// API), or with Resync, starts a full initial sync: the rows pending in the
// outbox are superseded (the sync sends the current state instead, so
// nothing is sent twice), deletions excepted, and the remote ids of another
// BigCommerce store are forgotten. Reconnecting to the same BigCommerce store (after a disconnect,
// or a pause for bad credentials) keeps the pending rows, which are then
// delivered, and an initial sync under way goes on where it was.
func (a *App) ConnectPlatform(ctx context.Context, t guild.Tenant, in ConnectInput) (ConnectResult, error) {
	var p problems
	in.StoreHash = strings.TrimSpace(in.StoreHash)
	if !platformStoreHash.MatchString(in.StoreHash) {
		p.add("storeHash", "must be the BigCommerce store hash: 1-64 letters, digits, '-' or '_' (got %q)", in.StoreHash)
	}
	in.Token = strings.TrimSpace(in.Token)
	if in.Token == "" || len(in.Token) > 500 || strings.ContainsAny(in.Token, " \t\r\n") {
		p.add("accessToken", "must be the access token of a BigCommerce API account (one word, at most 500 characters)")
	}
	if in.APIURL == "" {
		in.APIURL = DefaultBigCommerceAPIURL
	}
	in.APIURL = strings.TrimRight(strings.TrimSpace(in.APIURL), "/")
	if u, err := url.Parse(in.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		p.add("apiUrl", "must be an http(s) URL such as %s (got %q)", DefaultBigCommerceAPIURL, in.APIURL)
	}
	if err := p.err(); err != nil {
		return ConnectResult{}, err
	}
	if a.box == nil {
		return ConnectResult{}, guild.Errorf(guild.EConflict, "this Guild server has no secret key to encrypt platform tokens with, so it cannot store the connection: start guild serve with --secret-key or GUILD_SECRET_KEY (the same key on every replica; e.g. `openssl rand -base64 32`)")
	}
	sealed, err := a.box.Seal([]byte(in.Token), tokenAD(t.ID))
	if err != nil {
		return ConnectResult{}, err
	}
	var out ConnectResult
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		out = ConnectResult{}
		now := a.clock()
		old, err := tx.PlatformConnection(ctx, t.ID)
		fresh := guild.IsNotFound(err)
		if err != nil && !fresh {
			return err
		}
		c := guild.PlatformConnection{TenantID: t.ID, Platform: guild.PlatformBigCommerce, StoreHash: in.StoreHash, APIURL: in.APIURL,
			SealedToken: sealed, State: guild.ConnectionActive, ConnectedAt: now, UpdatedAt: now}
		sameStore := !fresh && old.StoreHash == in.StoreHash && old.APIURL == in.APIURL
		if sameStore && !in.Resync {
			c.ConnectedAt = old.ConnectedAt
			c.SyncStage, c.SyncAfterID, c.SyncStartedAt, c.SyncFinishedAt = old.SyncStage, old.SyncAfterID, old.SyncStartedAt, old.SyncFinishedAt
		} else {
			if !fresh && !sameStore {
				if err := tx.DeleteSyncData(ctx, t.ID); err != nil {
					return err
				}
			}
			n, err := tx.SupersedeOutbox(ctx, t.ID)
			if err != nil {
				return err
			}
			out.InitialSync, out.Superseded = true, n
			c.SyncStage, c.SyncStartedAt = guild.InitialSyncStages[0], now
		}
		out.Connection = c
		return tx.PutPlatformConnection(ctx, c)
	})
	return out, err
}

// DisconnectPlatform disconnects a store: its token is erased and nothing is
// delivered until it connects again; changes are kept in the outbox
// meanwhile.
func (a *App) DisconnectPlatform(ctx context.Context, t guild.Tenant) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		c, err := tx.PlatformConnection(ctx, t.ID)
		if guild.IsNotFound(err) || err == nil && c.State == guild.ConnectionDisconnected {
			return guild.Errorf(guild.ENotFound, "store %s is not connected to a platform", t.Hash)
		}
		if err != nil {
			return err
		}
		c.State, c.PausedReason, c.SealedToken, c.UpdatedAt = guild.ConnectionDisconnected, "", nil, a.clock()
		return tx.PutPlatformConnection(ctx, c)
	})
}

// PlatformConnection returns a store's connection (its sealed token is of no
// use outside the dispatcher); ENotFound when it never connected.
func (a *App) PlatformConnection(ctx context.Context, t guild.Tenant) (guild.PlatformConnection, error) {
	c, err := a.store.PlatformConnection(ctx, t.ID)
	if guild.IsNotFound(err) {
		return c, guild.Errorf(guild.ENotFound, "store %s has never been connected to a platform (see `guild stores connect`)", t.Hash)
	}
	return c, err
}

// OpenPlatformToken decrypts a connection's token, for the dispatcher.
func (a *App) OpenPlatformToken(tenantID int64, sealed []byte) (string, error) {
	if a.box == nil {
		return "", guild.Errorf(guild.EInternal, "no secret key is configured to decrypt platform tokens")
	}
	b, err := a.box.Open(sealed, tokenAD(tenantID))
	return string(b), err
}

// AdvanceInitialSyncs enqueues the next batch of every initial sync under
// way, and reports whether any is left. Each batch is one transaction that
// moves the sync's cursor with the rows it writes, so a crash loses nothing
// and a batch is never enqueued twice; replicas doing this at once take
// turns on the store's lock.
func (a *App) AdvanceInitialSyncs(ctx context.Context) (bool, error) {
	conns, err := a.store.ListPlatformConnections(ctx)
	if err != nil {
		return false, err
	}
	more := false
	for _, c := range conns {
		if c.SyncStage == "" || c.State == guild.ConnectionDisconnected {
			continue
		}
		left, err := a.advanceInitialSync(ctx, c.TenantID)
		if err != nil {
			return more, err
		}
		more = more || left
	}
	return more, nil
}

// advanceInitialSync enqueues one batch of the store's initial sync and
// reports whether more is left.
func (a *App) advanceInitialSync(ctx context.Context, tenantID int64) (bool, error) {
	t, err := a.store.TenantByID(ctx, tenantID)
	if err != nil {
		return false, err
	}
	more := false
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		c, err := tx.PlatformConnection(ctx, t.ID)
		if err != nil || c.SyncStage == "" {
			return err
		}
		ids, err := tx.ListEntityIDs(ctx, t.ID, c.SyncStage, c.SyncAfterID, InitialSyncBatch)
		if err != nil {
			return err
		}
		var msgs []guild.OutboxMessage
		for _, id := range ids {
			m, err := a.snapshotMessages(ctx, tx, t, c.SyncStage, id)
			if err != nil {
				return err
			}
			msgs = append(msgs, m...)
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		if len(ids) == InitialSyncBatch {
			c.SyncAfterID = ids[len(ids)-1]
		} else if i := slices.Index(guild.InitialSyncStages, c.SyncStage); i+1 < len(guild.InitialSyncStages) {
			c.SyncStage, c.SyncAfterID = guild.InitialSyncStages[i+1], 0
		} else {
			c.SyncStage, c.SyncAfterID, c.SyncFinishedAt = "", 0, a.clock()
		}
		more = c.SyncStage != ""
		c.UpdatedAt = a.clock()
		return tx.PutPlatformConnection(ctx, c)
	})
	return more, err
}

// snapshotMessages are the outbox rows that tell a platform the whole
// current state of one entity: the rows its creation writes.
func (a *App) snapshotMessages(ctx context.Context, tx guild.Tx, t guild.Tenant, entityType string, id int64) ([]guild.OutboxMessage, error) {
	switch entityType {
	case guild.EntityCustomerGroup:
		g, err := tx.CustomerGroup(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		return []guild.OutboxMessage{groupMessage(t, guild.TopicCustomerGroupCreated, g)}, nil
	case guild.EntityCompany:
		c, err := tx.Company(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		msgs := []guild.OutboxMessage{companyMessage(t, guild.TopicCompanyCreated, c.ID, nil)}
		if (len(c.PriceLists) > 0 || c.CatalogID > 0) && c.CustomerGroupID != 0 {
			msgs = append(msgs, priceListMessage(t, c, c.PriceLists))
		}
		return msgs, nil
	case guild.EntityCustomer:
		c, err := tx.Customer(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		return []guild.OutboxMessage{customerMessage(t, guild.TopicCustomerCreated, c)}, nil
	case guild.EntityUser:
		u, err := tx.User(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		return []guild.OutboxMessage{userMessage(t, guild.TopicUserCreated, u)}, nil
	case guild.EntitySuperAdmin:
		sa, err := tx.SuperAdmin(ctx, t.ID, id)
		if err != nil {
			return nil, err
		}
		return []guild.OutboxMessage{superAdminMessage(t, guild.TopicSuperAdminCreated, sa, nil)}, nil
	}
	return nil, guild.Errorf(guild.EInvalid, "unknown entity type %q", entityType)
}

// SyncStatus is a store's sync state at a glance.
type SyncStatus struct {
	Connection  *guild.PlatformConnection // nil: never connected
	Queue       guild.OutboxStats
	DeadLetters []guild.OutboxRow // the oldest, at most DeadLetterLimit
	Now         time.Time
}

// DeadLetterLimit is how many dead letters SyncStatus lists.
const DeadLetterLimit = 50

// SyncStatus returns the store's connection, queue and dead letters.
func (a *App) SyncStatus(ctx context.Context, t guild.Tenant) (SyncStatus, error) {
	st := SyncStatus{Now: a.clock()}
	c, err := a.store.PlatformConnection(ctx, t.ID)
	switch {
	case err == nil:
		c.SealedToken = nil
		st.Connection = &c
	case !guild.IsNotFound(err):
		return st, err
	}
	if st.Queue, err = a.store.OutboxStats(ctx, t.ID, st.Now); err != nil {
		return st, err
	}
	st.DeadLetters, err = a.store.ListOutboxRows(ctx, t.ID, guild.OutboxDead, 0, DeadLetterLimit)
	return st, err
}

// RetryDeadLetters puts dead letters back in the queue, due now: row id, or
// every dead letter of the store when id is 0. It returns how many.
func (a *App) RetryDeadLetters(ctx context.Context, t guild.Tenant, id int64) (int, error) {
	if id < 0 {
		return 0, guild.FieldError("id", "must be an outbox row id")
	}
	var n int
	err := a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		var err error
		n, err = tx.RequeueOutbox(ctx, t.ID, id, a.clock())
		if guild.IsNotFound(err) {
			return guild.Errorf(guild.ENotFound, "outbox row %d is not a dead letter of store %s (see `guild sync status --store %s`)", id, t.Hash, t.Hash)
		}
		return err
	})
	return n, err
}

// SyncEntityTypes are the entity types whose sync state can be asked for.
var SyncEntityTypes = []string{guild.EntityCompany, guild.EntityCustomerGroup, guild.EntityCustomer, guild.EntityUser, guild.EntitySuperAdmin}

// EntitySync is one entity's sync state as reported.
type EntitySync struct {
	guild.SyncEntity
	RemoteID    int64 // 0: none yet
	PendingRows int
	DeadRows    int
}

// EntitySyncState reports one entity's sync state: pending while it has
// rows to deliver, failed while it has dead letters and nothing pending,
// else the state of its last delivery (in_sync), or pending if it has none.
func (a *App) EntitySyncState(ctx context.Context, t guild.Tenant, entityType string, id int64) (EntitySync, error) {
	if !slices.Contains(SyncEntityTypes, entityType) {
		return EntitySync{}, guild.FieldError("type", "must be one of %s", strings.Join(SyncEntityTypes, ", "))
	}
	k := guild.EntityKey{TenantID: t.ID, EntityType: entityType, EntityID: id}
	e, err := a.store.SyncEntity(ctx, k)
	if err != nil && !guild.IsNotFound(err) {
		return EntitySync{}, err
	}
	out := EntitySync{SyncEntity: e}
	out.EntityKey = k
	if out.PendingRows, out.DeadRows, err = a.store.EntityOutboxCounts(ctx, k); err != nil {
		return out, err
	}
	if out.RemoteID, err = a.store.RemoteID(ctx, k); err != nil && !guild.IsNotFound(err) {
		return out, err
	}
	switch {
	case out.PendingRows > 0:
		out.State = guild.SyncPending
	case out.DeadRows > 0:
		out.State = guild.SyncFailed
	case out.State == "":
		return out, guild.Errorf(guild.ENotFound, "%s %d has no sync state in store %s: nothing about it is waiting or was ever delivered", entityType, id, t.Hash)
	}
	return out, nil
}
