package bigcommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/outbox"
)

// ConnectorOptions configure a Connector. Store is required.
type ConnectorOptions struct {
	// Store keeps the remote ids (each write its own short transaction,
	// never around a call) and answers reads of customers and groups.
	Store guild.Store
	// Metrics counts the 429s BigCommerce answers; nil counts nothing.
	Metrics *outbox.Metrics
	// HTTPClient, Pacing and Retry configure each store's Client.
	HTTPClient *http.Client
	Pacing     Pacing
	Retry      Retry
	Logger     *slog.Logger // discarded when nil
	Now        func() time.Time
}

// Connector delivers the outbox to BigCommerce: it implements
// outbox.Handler. It keeps one Client per connected store across batches,
// so that each store's pacing lives on; a store whose connection changes
// (URL, hash, token) gets a new one. See docs/operations.md, "The
// BigCommerce connector", for the mapping and the handling of errors.
type Connector struct {
	o ConnectorOptions

	mu      sync.Mutex
	clients map[int64]*storeClient
}

type storeClient struct {
	conn outbox.Connection
	c    *Client
}

// NewConnector returns a connector.
func NewConnector(o ConnectorOptions) (*Connector, error) {
	if o.Store == nil {
		return nil, errors.New("bigcommerce: a connector needs a store")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Connector{o: o, clients: map[int64]*storeClient{}}, nil
}

// Client returns the client of a store, made from its connection (a new one
// when the connection changed).
func (k *Connector) Client(tenantID int64, conn outbox.Connection) (*Client, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if sc := k.clients[tenantID]; sc != nil && sc.conn == conn {
		return sc.c, nil
	}
	c, err := New(Options{BaseURL: conn.APIURL, StoreHash: conn.StoreHash, Token: conn.Token,
		HTTPClient: k.o.HTTPClient, Pacing: k.o.Pacing, Retry: k.o.Retry, Logger: k.o.Logger})
	if err != nil {
		return nil, err
	}
	k.clients[tenantID] = &storeClient{conn: conn, c: c}
	return c, nil
}

// Ignored reports whether BigCommerce has nothing to learn from a topic:
// such rows are done without a call. BigCommerce keeps customer groups and
// customers (and price-list assignments); company fields, addresses,
// payments, credit, terms and super-admin assignments live in Guild only,
// and a company's group and users change through their own rows.
func Ignored(topic string) bool {
	switch topic {
	case guild.TopicCustomerGroupCreated, guild.TopicCustomerGroupUpdated, guild.TopicCustomerGroupDeleted,
		guild.TopicCustomerCreated, guild.TopicCustomerUpdated, guild.TopicPriceListAssigned,
		guild.TopicUserCreated, guild.TopicUserUpdated, guild.TopicSuperAdminCreated, guild.TopicSuperAdminUpdated:
		return false
	}
	return true
}

// The payloads internal/app writes (the fields the connector reads).
type (
	groupPayload struct {
		CustomerGroupID int64  `json:"customerGroupId"`
		Name            string `json:"name"`
		CompanyID       int64  `json:"companyId"`
	}
	customerPayload struct {
		CustomerID      int64   `json:"customerId"`
		Email           string  `json:"email"`
		FirstName       string  `json:"firstName"`
		LastName        string  `json:"lastName"`
		Phone           string  `json:"phone"`
		CompanyName     string  `json:"companyName"`
		CustomerGroupID int64   `json:"customerGroupId"`
		OriginChannelID int64   `json:"originChannelId"`
		ChannelIDs      []int64 `json:"channelIds"`
	}
	priceListPayload struct {
		CompanyID       int64 `json:"companyId"`
		CustomerGroupID int64 `json:"customerGroupId"`
		CatalogID       int64 `json:"catalogId"`
		Assignments     []struct {
			ChannelID   int64 `json:"channelId"`
			PriceListID int64 `json:"priceListId"`
		} `json:"assignments"`
	}
	// The customer behind a user or a super admin.
	backedPayload struct {
		CustomerID int64 `json:"customerId"`
	}
)

// delivery is the state of one Deliver call.
type delivery struct {
	k       *Connector
	c       *Client
	b       outbox.Batch
	results []outbox.Result
	set     []bool
	pause   *outbox.Pause
	groups  map[int64]int // local group id → remote id (0: none), this batch's cache
	// customers are the remote ids of customers read ahead (0: none).
	customers map[int64]int
}

// Deliver implements outbox.Handler. Rows are delivered by kind: groups
// first (customers refer to them), then price-list assignments, then
// customers, users and super admins, whose creates and updates go in
// batches of up to ten.
func (k *Connector) Deliver(ctx context.Context, b outbox.Batch) outbox.Report {
	d := &delivery{k: k, b: b, results: make([]outbox.Result, len(b.Rows)), set: make([]bool, len(b.Rows)), groups: map[int64]int{}}
	c, err := k.Client(b.TenantID, b.Connection)
	if err != nil {
		// A connection the client refuses (a hash with a '/') cannot work
		// until it is connected again.
		return outbox.Report{Pause: &outbox.Pause{Reason: guild.PauseUnauthorized, Err: err}}
	}
	d.c = c
	before := c.Stats().RateLimited
	defer func() {
		for range c.Stats().RateLimited - before {
			k.o.Metrics.RateLimited()
		}
	}()

	var groupRows, priceRows, customerRows []int
	for i, r := range b.Rows {
		switch {
		case Ignored(r.Topic):
			d.done(i)
		case r.EntityType == guild.EntityCustomerGroup && r.Topic == guild.TopicPriceListAssigned:
			priceRows = append(priceRows, i)
		case r.EntityType == guild.EntityCustomerGroup:
			groupRows = append(groupRows, i)
		default:
			customerRows = append(customerRows, i)
		}
	}
	for _, i := range groupRows {
		if d.stopped(ctx) {
			break
		}
		d.deliverGroup(ctx, i)
	}
	if !d.stopped(ctx) && len(priceRows) > 0 {
		d.deliverPriceListBatch(ctx, priceRows)
	}
	if !d.stopped(ctx) && len(customerRows) > 0 {
		d.deliverCustomers(ctx, customerRows)
	}
	return d.report(ctx)
}

func (d *delivery) stopped(ctx context.Context) bool { return d.pause != nil || ctx.Err() != nil }

// report returns the results. Rows without an outcome (the handler's time
// ran out, or the store was paused) are retried; when the store is paused,
// only the leading rows with an outcome are reported, so that the others
// are given back without counting an attempt.
func (d *delivery) report(ctx context.Context) outbox.Report {
	if d.pause == nil {
		why := errors.New("not delivered (connector)")
		if err := ctx.Err(); err != nil {
			why = fmt.Errorf("not delivered: %w", err)
		}
		for i := range d.results {
			if !d.set[i] {
				d.results[i] = outbox.Result{Outcome: outbox.Retry, Err: why}
			}
		}
		return outbox.Report{Results: d.results}
	}
	n := 0
	for n < len(d.set) && d.set[n] {
		n++
	}
	return outbox.Report{Results: d.results[:n], Pause: d.pause}
}

func (d *delivery) done(i int) { d.results[i], d.set[i] = outbox.Result{Outcome: outbox.Done}, true }

func (d *delivery) dead(i int, err error) {
	d.results[i], d.set[i] = outbox.Result{Outcome: outbox.DeadLetter, Err: err}, true
}

func (d *delivery) retry(i int, at time.Time, err error) {
	d.results[i], d.set[i] = outbox.Result{Outcome: outbox.Retry, RetryAt: at, Err: err}, true
}

// fail records a failed call for rows: 422 and the like dead-letter them
// with BigCommerce's message, 401/403 pause the store (the rows are given
// back), 429s retry when the quota allows, the rest retries after the
// dispatcher's backoff.
func (d *delivery) fail(err error, rows ...int) {
	var e *Error
	if !errors.As(err, &e) {
		for _, i := range rows {
			d.retry(i, time.Time{}, err)
		}
		return
	}
	switch e.Kind {
	case KindUnauthorized:
		if d.pause == nil {
			d.pause = &outbox.Pause{Reason: guild.PauseUnauthorized, Err: err}
		}
	case KindValidation:
		for _, i := range rows {
			d.dead(i, err)
		}
	case KindRateLimited:
		at := d.k.o.Now().Add(max(e.RetryAfter, time.Second))
		for _, i := range rows {
			d.retry(i, at, err)
		}
	default:
		for _, i := range rows {
			d.retry(i, time.Time{}, err)
		}
	}
}

// failStore records a failure of Guild's own store: retried.
func (d *delivery) failStore(err error, rows ...int) {
	for _, i := range rows {
		d.retry(i, time.Time{}, err)
	}
}

func (d *delivery) key(entityType string, id int64) guild.EntityKey {
	return guild.EntityKey{TenantID: d.b.TenantID, EntityType: entityType, EntityID: id}
}

// remoteID returns an entity's remote id, 0 if none.
func (d *delivery) remoteID(ctx context.Context, entityType string, id int64) (int, error) {
	r, err := d.k.o.Store.RemoteID(ctx, d.key(entityType, id))
	if guild.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the remote id of %s %d: %w", entityType, id, err)
	}
	return int(r), nil
}

func (d *delivery) putRemoteID(ctx context.Context, entityType string, id int64, remote int) error {
	// Recorded even when the dispatcher stops: BigCommerce has the entity.
	err := d.k.o.Store.Update(context.WithoutCancel(ctx), func(ctx context.Context, tx guild.Tx) error {
		return tx.PutRemoteID(ctx, d.key(entityType, id), int64(remote))
	})
	if err != nil {
		return fmt.Errorf("record the remote id of %s %d: %w", entityType, id, err)
	}
	return nil
}

// putCustomerIDs records the remote ids of customers in one transaction.
func (d *delivery) putCustomerIDs(ctx context.Context, ids map[int64]int) error {
	if len(ids) == 0 {
		return nil
	}
	err := d.k.o.Store.Update(context.WithoutCancel(ctx), func(ctx context.Context, tx guild.Tx) error {
		for local, remote := range ids {
			if err := tx.PutRemoteID(ctx, d.key(guild.EntityCustomer, local), int64(remote)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record the remote ids of %d customers: %w", len(ids), err)
	}
	return nil
}

func (d *delivery) deleteRemoteID(ctx context.Context, entityType string, id int64) error {
	err := d.k.o.Store.Update(context.WithoutCancel(ctx), func(ctx context.Context, tx guild.Tx) error {
		return tx.DeleteRemoteID(ctx, d.key(entityType, id))
	})
	if err != nil && !guild.IsNotFound(err) {
		return fmt.Errorf("forget the remote id of %s %d: %w", entityType, id, err)
	}
	return nil
}

// remoteGroup returns the remote id of a local group for a customer: 0 for
// no group or a group deleted since; ok false while the group exists in
// Guild but has not reached BigCommerce yet.
func (d *delivery) remoteGroup(ctx context.Context, local int64) (remote int, ok bool, err error) {
	if local <= 0 {
		return 0, true, nil
	}
	if r, seen := d.groups[local]; seen {
		return r, r != 0, nil
	}
	r, err := d.remoteID(ctx, guild.EntityCustomerGroup, local)
	if err != nil {
		return 0, false, err
	}
	if r == 0 {
		if _, err := d.k.o.Store.CustomerGroup(ctx, d.b.TenantID, local); guild.IsNotFound(err) {
			return 0, true, nil
		} else if err != nil {
			return 0, false, fmt.Errorf("read customer group %d: %w", local, err)
		}
		return 0, false, nil
	}
	d.groups[local] = r
	return r, true, nil
}

// deliverGroup creates, renames or deletes one customer group.
func (d *delivery) deliverGroup(ctx context.Context, i int) {
	r := d.b.Rows[i]
	var p groupPayload
	if err := json.Unmarshal(r.Payload, &p); err != nil {
		d.dead(i, fmt.Errorf("read the payload of %s: %w", r.Topic, err))
		return
	}
	remote, err := d.remoteID(ctx, guild.EntityCustomerGroup, r.EntityID)
	if err != nil {
		d.failStore(err, i)
		return
	}
	if r.Topic == guild.TopicCustomerGroupDeleted {
		if remote != 0 {
			if err := d.c.DeleteCustomerGroup(ctx, remote); err != nil && !IsKind(err, KindNotFound) {
				d.fail(err, i)
				return
			}
		}
		if err := d.deleteRemoteID(ctx, guild.EntityCustomerGroup, r.EntityID); err != nil {
			d.failStore(err, i)
			return
		}
		delete(d.groups, r.EntityID)
		d.done(i)
		return
	}
	in := GroupInputFrom(guild.CustomerGroup{ID: r.EntityID, Name: p.Name, CompanyID: p.CompanyID})
	if remote != 0 {
		_, err := d.c.UpdateCustomerGroup(ctx, remote, in)
		switch {
		case err == nil:
			d.groups[r.EntityID] = remote
			d.done(i)
			return
		case !IsKind(err, KindNotFound):
			d.fail(err, i)
			return
		}
		// Deleted in BigCommerce: made again below.
	}
	adopt := d.linkGroupByName
	if r.Attempts > 1 {
		// An earlier attempt may have made the group and lost the answer.
		adopt = d.adoptGroup
	}
	if r.Attempts > 1 || p.CompanyID == 0 {
		adopted, err := adopt(ctx, r, p.Name)
		if err != nil {
			d.fail(err, i)
			return
		}
		if adopted != 0 {
			if err := d.putRemoteID(ctx, guild.EntityCustomerGroup, r.EntityID, adopted); err != nil {
				d.failStore(err, i)
				return
			}
			d.groups[r.EntityID] = adopted
			d.done(i)
			return
		}
	}
	g, err := d.createGroup(ctx, in)
	if err != nil {
		d.fail(err, i)
		return
	}
	if err := d.putRemoteID(ctx, guild.EntityCustomerGroup, r.EntityID, g.ID); err != nil {
		d.failStore(err, i)
		return
	}
	d.groups[r.EntityID] = g.ID
	d.done(i)
}

// createGroup creates a group. A v2 create has no natural key BigCommerce
// checks, so a create whose answer was lost and that the client sent again
// makes the group twice: when the call was sent again after an answer that
// may hide a success (a 5xx or a dropped connection; a 429 is never carried
// out), the groups of the same name made during the call are deleted again.
// One store's groups are created one at a time by one connector, so those
// are the ids just below the one answered; a group this batch already
// synced is never taken for one.
func (d *delivery) createGroup(ctx context.Context, in CustomerGroupInput) (CustomerGroup, error) {
	before := d.c.Stats()
	g, err := d.c.CreateCustomerGroup(ctx, in)
	if err != nil {
		return g, err
	}
	after := d.c.Stats()
	extra := (after.Sent - before.Sent - 1) - (after.RateLimited - before.RateLimited)
	if extra <= 0 {
		return g, nil
	}
	ours := map[int]bool{}
	for _, r := range d.groups {
		ours[r] = true
	}
	same, err := d.c.ListCustomerGroups(ctx, CustomerGroupFilter{Name: g.Name, Limit: MaxPageSize})
	if err != nil {
		d.k.o.Logger.Warn("bigcommerce: list groups to remove a duplicate create", "group", g.ID, "err", err)
		return g, nil
	}
	for _, o := range same {
		if o.Name == g.Name && o.ID < g.ID && o.ID >= g.ID-extra && !ours[o.ID] {
			if err := d.c.DeleteCustomerGroup(ctx, o.ID); err != nil && !IsKind(err, KindNotFound) {
				d.k.o.Logger.Warn("bigcommerce: delete a group created twice", "group", o.ID, "err", err)
			}
		}
	}
	return g, nil
}

// groupAssignments is one price-list row to deliver: the remote group and
// the assignments it must have.
type groupAssignments struct {
	row    int
	remote int
	want   map[int]int
}

// v2Time is the layout of v2 dates ("2023-07-17 06:30:41", UTC).
const v2Time = "2006-01-02 15:04:05"

// adoptGroup looks, before a group create is tried again, for the groups an
// earlier attempt made without Guild learning it (every send of the call
// failed, one of them after BigCommerce had done it): groups of the name,
// made since the row was written, that no other Guild group of that name
// has. The oldest is adopted (its id returned) and the others deleted; 0
// when there is none.
func (d *delivery) adoptGroup(ctx context.Context, r guild.OutboxRow, name string) (int, error) {
	since := r.CreatedAt.UTC().Truncate(time.Second).Add(-time.Second)
	cands, err := d.freeGroupsNamed(ctx, r, name, func(g CustomerGroup) bool {
		made, err := time.Parse(v2Time, g.DateCreated)
		return err == nil && !made.Before(since)
	})
	if err != nil || len(cands) == 0 {
		return 0, err
	}
	for _, id := range cands[1:] {
		if err := d.c.DeleteCustomerGroup(ctx, id); err != nil && !IsKind(err, KindNotFound) {
			return 0, err
		}
	}
	return cands[0], nil
}

// linkGroupByName finds, before a merchant's group (one that is no
// company's own) is first created, a BigCommerce group of the same name that
// no other Guild group is linked to, and returns the oldest one's id (0 when
// there is none): connecting a store that already has a "Wholesale" group
// links Guild's "Wholesale" to it instead of making a second one, as a
// customer is linked by email. A company's own group (dependent mode) is
// always created: it is named after the company and deleted with it.
func (d *delivery) linkGroupByName(ctx context.Context, r guild.OutboxRow, name string) (int, error) {
	cands, err := d.freeGroupsNamed(ctx, r, name, func(CustomerGroup) bool { return true })
	if err != nil || len(cands) == 0 {
		return 0, err
	}
	return cands[0], nil
}

// freeGroupsNamed returns the ids, ascending, of BigCommerce's groups named
// name that keep passes and that no other Guild group (than r's) is linked to.
func (d *delivery) freeGroupsNamed(ctx context.Context, r guild.OutboxRow, name string, keep func(CustomerGroup) bool) ([]int, error) {
	same, err := d.c.ListCustomerGroups(ctx, CustomerGroupFilter{Name: name, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	var cands []int
	for _, g := range same {
		if g.Name == name && keep(g) {
			cands = append(cands, g.ID)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	taken, err := d.groupsNamed(ctx, name, r.EntityID)
	if err != nil {
		return nil, err
	}
	cands = slices.DeleteFunc(cands, func(id int) bool { return taken[id] })
	slices.Sort(cands)
	return cands, nil
}

// groupsNamed returns the remote ids of the tenant's other groups named
// name (reading every group of the tenant: a rare path).
func (d *delivery) groupsNamed(ctx context.Context, name string, except int64) (map[int]bool, error) {
	taken := map[int]bool{}
	const page = 1000
	for off := 0; ; off += page {
		gs, _, err := d.k.o.Store.ListCustomerGroups(ctx, d.b.TenantID, guild.Page{Limit: page, Offset: off})
		if err != nil {
			return nil, fmt.Errorf("list customer groups: %w", err)
		}
		for _, g := range gs {
			if g.Name != name || g.ID == except {
				continue
			}
			r, err := d.remoteID(ctx, guild.EntityCustomerGroup, g.ID)
			if err != nil {
				return nil, err
			}
			taken[r] = true
		}
		if len(gs) < page {
			return taken, nil
		}
	}
}

// deliverPriceListBatch makes the groups' price-list assignments match
// Guild's, for all the batch's rows at once: one list for up to 50 groups,
// creates 25 a call across groups. A create BigCommerce refuses sends the
// rows one by one (deliverPriceLists), so that only the culprit
// dead-letters.
func (d *delivery) deliverPriceListBatch(ctx context.Context, rows []int) {
	var todo []groupAssignments
	for _, i := range rows {
		if ga, ok := d.priceListRow(ctx, i); ok {
			todo = append(todo, ga)
		}
	}
	if len(todo) == 0 {
		return
	}
	failAll := func(err error) {
		for _, ga := range todo {
			d.fail(err, ga.row)
		}
	}
	byGroup := map[int][]PriceListAssignment{}
	for lo := 0; lo < len(todo); lo += filterChunk {
		var ids []int
		for _, ga := range todo[lo:min(lo+filterChunk, len(todo))] {
			ids = append(ids, ga.remote)
		}
		for page := 1; ; page++ {
			got, pg, err := d.c.ListPriceListAssignments(ctx, AssignmentFilter{CustomerGroupIDs: ids, Page: page, Limit: MaxPageSize})
			if err != nil {
				failAll(err)
				return
			}
			for _, a := range got {
				byGroup[a.CustomerGroupID] = append(byGroup[a.CustomerGroupID], a)
			}
			if len(got) == 0 || page >= pg.TotalPages {
				break
			}
		}
	}
	var adds []NewPriceListAssignment
	for _, ga := range todo {
		del, add := AssignmentChanges(ga.remote, byGroup[ga.remote], ga.want)
		for _, id := range del {
			if err := d.c.DeletePriceListAssignments(ctx, AssignmentFilter{ID: id}); err != nil && !IsKind(err, KindNotFound) {
				failAll(err)
				return
			}
		}
		adds = append(adds, add...)
	}
	for lo := 0; lo < len(adds); lo += MaxAssignmentBatch {
		err := d.c.CreatePriceListAssignments(ctx, adds[lo:min(lo+MaxAssignmentBatch, len(adds))])
		if IsKind(err, KindValidation) {
			for _, ga := range todo {
				d.syncPriceLists(ctx, ga)
			}
			return
		}
		if err != nil {
			failAll(err)
			return
		}
	}
	for _, ga := range todo {
		d.done(ga.row)
	}
}

// priceListRow reads a price-list row: ok when it has a group to sync
// (otherwise its outcome is set).
func (d *delivery) priceListRow(ctx context.Context, i int) (groupAssignments, bool) {
	r := d.b.Rows[i]
	var p priceListPayload
	if err := json.Unmarshal(r.Payload, &p); err != nil {
		d.dead(i, fmt.Errorf("read the payload of %s: %w", r.Topic, err))
		return groupAssignments{}, false
	}
	remote, ok, err := d.remoteGroup(ctx, r.EntityID)
	switch {
	case err != nil:
		d.failStore(err, i)
		return groupAssignments{}, false
	case !ok:
		d.retry(i, time.Time{}, fmt.Errorf("customer group %d is not in BigCommerce yet", r.EntityID))
		return groupAssignments{}, false
	case remote == 0:
		d.done(i) // the group is gone, and its assignments with it
		return groupAssignments{}, false
	}
	lists := make([]guild.PriceListAssignment, 0, len(p.Assignments))
	for _, a := range p.Assignments {
		lists = append(lists, guild.PriceListAssignment{ChannelID: a.ChannelID, PriceListID: a.PriceListID})
	}
	return groupAssignments{row: i, remote: remote, want: WantedAssignments(p.CatalogID, lists)}, true
}

// syncPriceLists makes one group's assignments match Guild's.
func (d *delivery) syncPriceLists(ctx context.Context, ga groupAssignments) {
	i, remote, want := ga.row, ga.remote, ga.want
	// A create whose answer was lost meets its own assignment when sent
	// again (422): compare again and go on.
	for attempt := 1; ; attempt++ {
		err := d.syncAssignments(ctx, remote, want)
		if err == nil {
			d.done(i)
			return
		}
		if attempt == 3 || !IsKind(err, KindValidation) {
			d.fail(err, i)
			return
		}
	}
}

// syncAssignments makes a remote group's assignments the wanted ones.
func (d *delivery) syncAssignments(ctx context.Context, remote int, want map[int]int) error {
	var have []PriceListAssignment
	for page := 1; ; page++ {
		got, pg, err := d.c.ListPriceListAssignments(ctx, AssignmentFilter{CustomerGroupID: remote, Page: page, Limit: MaxPageSize})
		if err != nil {
			return err
		}
		have = append(have, got...)
		if len(got) == 0 || page >= pg.TotalPages {
			break
		}
	}
	del, add := AssignmentChanges(remote, have, want)
	for _, id := range del {
		if err := d.c.DeletePriceListAssignments(ctx, AssignmentFilter{ID: id}); err != nil && !IsKind(err, KindNotFound) {
			return err
		}
	}
	for lo := 0; lo < len(add); lo += MaxAssignmentBatch {
		if err := d.c.CreatePriceListAssignments(ctx, add[lo:min(lo+MaxAssignmentBatch, len(add))]); err != nil {
			return err
		}
	}
	return nil
}

// customerJob is one Guild customer to upsert, and the rows waiting on it.
type customerJob struct {
	rows   []int
	cust   guild.Customer
	group  int // remote group id
	remote int // remote customer id, 0 until known
	lookup bool
	alone  bool // sent in a batch of its own (a batch 422 named no item)
}

// chunks cuts jobs into batches BigCommerce takes: up to ten, and a batch
// of one for each job that must go alone.
func chunks(jobs []*customerJob) [][]*customerJob {
	var out [][]*customerJob
	var cur []*customerJob
	for _, j := range jobs {
		if j.alone {
			out = append(out, []*customerJob{j})
			continue
		}
		cur = append(cur, j)
		if len(cur) == MaxCustomerBatch {
			out, cur = append(out, cur), nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// deliverCustomers upserts the customers of customer rows and the backing
// customers of user and super-admin rows whose customer is not in
// BigCommerce yet (those whose customer is there are done without a call:
// their changes come as customer rows).
func (d *delivery) deliverCustomers(ctx context.Context, rows []int) {
	jobs := map[int64]*customerJob{}
	var order []*customerJob
	add := func(i int, c guild.Customer) {
		if j := jobs[c.ID]; j != nil {
			j.rows = append(j.rows, i)
			if d.b.Rows[i].EntityType == guild.EntityCustomer {
				j.cust = c // the row's own payload is the newest state
			}
			return
		}
		j := &customerJob{rows: []int{i}, cust: c}
		jobs[c.ID] = j
		order = append(order, j)
	}
	d.prefetchCustomers(ctx, rows)
	var backed []int
	for _, i := range rows {
		r := d.b.Rows[i]
		if r.EntityType == guild.EntityCustomer {
			var p customerPayload
			if err := json.Unmarshal(r.Payload, &p); err != nil {
				d.dead(i, fmt.Errorf("read the payload of %s: %w", r.Topic, err))
				continue
			}
			add(i, guild.Customer{ID: r.EntityID, TenantID: d.b.TenantID, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName,
				Phone: p.Phone, CompanyName: p.CompanyName, CustomerGroupID: p.CustomerGroupID, OriginChannelID: p.OriginChannelID, ChannelIDs: p.ChannelIDs})
			continue
		}
		backed = append(backed, i)
	}
	for _, i := range backed {
		r := d.b.Rows[i]
		var p backedPayload
		if err := json.Unmarshal(r.Payload, &p); err != nil || p.CustomerID <= 0 {
			d.dead(i, fmt.Errorf("read the customer of %s %d from the payload: %v", r.EntityType, r.EntityID, err))
			continue
		}
		if j := jobs[p.CustomerID]; j != nil {
			j.rows = append(j.rows, i)
			continue
		}
		remote, err := d.customerRemote(ctx, p.CustomerID)
		if err != nil {
			d.failStore(err, i)
			continue
		}
		if remote != 0 {
			d.done(i)
			continue
		}
		c, err := d.k.o.Store.Customer(ctx, d.b.TenantID, p.CustomerID)
		if guild.IsNotFound(err) {
			d.done(i) // nothing left to send
			continue
		}
		if err != nil {
			d.failStore(fmt.Errorf("read customer %d: %w", p.CustomerID, err), i)
			continue
		}
		add(i, c)
	}

	var creates, updates []*customerJob
	for _, j := range order {
		g, ok, err := d.remoteGroup(ctx, j.cust.CustomerGroupID)
		if err != nil {
			d.failStore(err, j.rows...)
			continue
		}
		if !ok {
			d.retryJob(j, time.Time{}, fmt.Errorf("customer group %d is not in BigCommerce yet", j.cust.CustomerGroupID))
			continue
		}
		j.group = g
		if j.remote, err = d.customerRemote(ctx, j.cust.ID); err != nil {
			d.failStore(err, j.rows...)
			continue
		}
		if j.remote != 0 {
			updates = append(updates, j)
		} else {
			j.lookup = true
			creates = append(creates, j)
		}
	}
	// A few rounds: a create may turn into a link (the email is there), an
	// update into a create (the customer was deleted in BigCommerce).
	for round := 0; round < 4 && (len(creates) > 0 || len(updates) > 0) && !d.stopped(ctx); round++ {
		var more []*customerJob
		linked, recreate := d.link(ctx, creates)
		creates = nil
		updates = append(updates, linked...)
		more = append(more, recreate...)
		for _, ch := range chunks(updates) {
			if d.stopped(ctx) {
				break
			}
			more = append(more, d.updateChunk(ctx, ch)...)
		}
		updates = nil
		for _, j := range more {
			if j.remote != 0 {
				updates = append(updates, j)
			} else {
				creates = append(creates, j)
			}
		}
	}
}

// prefetchCustomers reads the remote ids of the rows' customers ahead, in
// one store read: a batch has up to a hundred, and on PostgreSQL a read each
// was a round trip each. A failed read is left to customerRemote.
func (d *delivery) prefetchCustomers(ctx context.Context, rows []int) {
	var ids []int64
	for _, i := range rows {
		r := d.b.Rows[i]
		if r.EntityType == guild.EntityCustomer {
			ids = append(ids, r.EntityID)
			continue
		}
		var p backedPayload
		if json.Unmarshal(r.Payload, &p) == nil && p.CustomerID > 0 {
			ids = append(ids, p.CustomerID)
		}
	}
	d.customers = make(map[int64]int, len(ids))
	remote, err := d.k.o.Store.RemoteIDs(ctx, d.b.TenantID, guild.EntityCustomer, ids)
	if err != nil {
		return
	}
	for _, id := range ids {
		d.customers[id] = int(remote[id]) // 0: none
	}
}

// customerRemote returns a customer's remote id (0: none), read ahead or
// now.
func (d *delivery) customerRemote(ctx context.Context, id int64) (int, error) {
	if r, ok := d.customers[id]; ok {
		return r, nil
	}
	return d.remoteID(ctx, guild.EntityCustomer, id)
}

func (d *delivery) retryJob(j *customerJob, at time.Time, err error) {
	for _, i := range j.rows {
		d.retry(i, at, err)
	}
}

// link looks the jobs' emails up (those not looked up yet): a customer
// BigCommerce already has is linked and updated; the others are created.
// It returns the jobs to update, and those to create again (after a create
// refused for a reason that a later round can fix).
func (d *delivery) link(ctx context.Context, jobs []*customerJob) (update, again []*customerJob) {
	if len(jobs) == 0 {
		return nil, nil
	}
	var emails []string
	for _, j := range jobs {
		if j.lookup {
			emails = append(emails, j.cust.Email)
		}
	}
	found := map[string]int{}
	if len(emails) > 0 {
		got, err := d.c.CustomersByEmail(ctx, emails)
		if err != nil {
			for _, j := range jobs {
				d.fail(err, j.rows...)
			}
			return nil, nil
		}
		for _, c := range got {
			found[strings.ToLower(c.Email)] = c.ID
		}
	}
	var creates, linked []*customerJob
	ids := map[int64]int{}
	for _, j := range jobs {
		j.lookup = false
		if id := found[strings.ToLower(j.cust.Email)]; id != 0 {
			j.remote, ids[j.cust.ID] = id, id
			linked = append(linked, j)
			continue
		}
		creates = append(creates, j)
	}
	if err := d.putCustomerIDs(ctx, ids); err != nil {
		for _, j := range linked {
			d.failStore(err, j.rows...)
		}
	} else {
		update = linked
	}
	for _, ch := range chunks(creates) {
		if d.stopped(ctx) {
			break
		}
		again = append(again, d.createChunk(ctx, ch)...)
	}
	return update, again
}

// createChunk creates up to ten customers. On a 422, the items BigCommerce
// blamed are settled (an email already in use is looked up and linked next
// round; anything else dead-letters that row with BigCommerce's message)
// and the others are returned to be sent again.
func (d *delivery) createChunk(ctx context.Context, jobs []*customerJob) (again []*customerJob) {
	in := make([]NewCustomer, len(jobs))
	for n, j := range jobs {
		in[n] = NewCustomerFrom(j.cust, j.group)
	}
	made, err := d.c.CreateCustomers(ctx, in)
	if err == nil {
		byEmail := map[string]int{}
		for _, c := range made {
			byEmail[strings.ToLower(c.Email)] = c.ID
		}
		ids := map[int64]int{}
		for _, j := range jobs {
			if id := byEmail[strings.ToLower(j.cust.Email)]; id != 0 {
				ids[j.cust.ID] = id
			}
		}
		storeErr := d.putCustomerIDs(ctx, ids)
		for _, j := range jobs {
			switch {
			case ids[j.cust.ID] == 0:
				d.retryJob(j, time.Time{}, fmt.Errorf("BigCommerce's answer to the create has no customer %s", j.cust.Email))
			case storeErr != nil:
				// Delivered again, the create meets the email and links it.
				d.failStore(storeErr, j.rows...)
			default:
				for _, i := range j.rows {
					d.done(i)
				}
			}
		}
		return nil
	}
	return d.itemErrors(err, jobs, "create")
}

// updateChunk updates up to ten customers; see createChunk for a 422. A
// customer deleted in BigCommerce is created again.
func (d *delivery) updateChunk(ctx context.Context, jobs []*customerJob) (again []*customerJob) {
	in := make([]CustomerUpdate, len(jobs))
	for n, j := range jobs {
		in[n] = CustomerUpdateFrom(j.cust, j.remote, j.group)
	}
	if _, err := d.c.UpdateCustomers(ctx, in); err != nil {
		return d.itemErrors(err, jobs, "update")
	}
	for _, j := range jobs {
		for _, i := range j.rows {
			d.done(i)
		}
	}
	return nil
}

// itemErrors settles a failed batch of customers and returns the jobs to
// send again.
func (d *delivery) itemErrors(err error, jobs []*customerJob, op string) (again []*customerJob) {
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindValidation {
		for _, j := range jobs {
			d.fail(err, j.rows...)
		}
		return nil
	}
	blamed := false
	for n, j := range jobs {
		fields := e.ItemErrors(n)
		if len(fields) == 0 {
			continue
		}
		blamed = true
		switch {
		case op == "create" && len(fields) == 1 && strings.Contains(fields["email"], "already in use"):
			// A create whose answer was lost, or a customer made elsewhere
			// since the lookup: link it.
			j.lookup = true
			again = append(again, j)
		case op == "update" && len(fields) == 1 && strings.Contains(fields["id"], "does not exist"):
			// Deleted in BigCommerce: create it again.
			j.remote, j.lookup = 0, true
			again = append(again, j)
		default:
			msg := make([]string, 0, len(fields))
			for f, m := range fields {
				msg = append(msg, f+": "+m)
			}
			for _, i := range j.rows {
				d.dead(i, fmt.Errorf("BigCommerce refused to %s customer %s: %s", op, j.cust.Email, strings.Join(msg, "; ")))
			}
		}
	}
	if !blamed {
		if len(jobs) == 1 {
			d.fail(err, jobs[0].rows...)
			return nil
		}
		// No item named: send them one by one, so that only the culprit
		// dead-letters.
		for _, j := range jobs {
			j.alone = true
		}
		return jobs
	}
	for n, j := range jobs {
		if len(e.ItemErrors(n)) == 0 {
			again = append(again, j)
		}
	}
	return again
}
