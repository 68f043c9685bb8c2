package storetest

import (
	"encoding/json"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

func testOutbox(t *testing.T, f *fixture) {
	a := f.tenant(t, "outbox-a")
	b := f.tenant(t, "outbox-b")
	msg := func(tenantID int64, topic string, entityID int64, payload string, created time.Time) guild.OutboxMessage {
		return guild.OutboxMessage{TenantID: tenantID, Topic: topic, EntityType: guild.EntityCompany, EntityID: entityID,
			Payload: json.RawMessage(payload), CreatedAt: created}
	}
	in := []guild.OutboxMessage{
		msg(a.ID, guild.TopicCompanyCreated, 1, `{"companyId": 1}`, at(secs(1.000001))),
		msg(b.ID, guild.TopicCompanyCreated, 1, `{"companyId": 1, "tenant": "b"}`, at(secs(1))),
		msg(a.ID, guild.TopicCompanyUpdated, 1, `{"companyId":1,"changed":["name","phone"]}`, at(secs(2))),
		msg(a.ID, guild.TopicCompanyCreated, 2, `{"companyId":2,"nested":{"a":[1,2.5,"x",null,true]}}`, at(secs(3))),
	}
	f.update(t, func(tx guild.Tx) error { return tx.Enqueue(f.ctx, in...) })
	f.update(t, func(tx guild.Tx) error { return tx.Enqueue(f.ctx) }) // nothing to enqueue
	more := []guild.OutboxMessage{
		msg(a.ID, guild.TopicCompanyDeleted, 2, `{"companyId":2}`, at(secs(4))),
		msg(a.ID, guild.TopicCompanyStatusUpdated, 1, `{"companyId":1,"companyStatus":1}`, at(secs(5))),
		msg(b.ID, guild.TopicCompanyDeleted, 1, `{}`, at(secs(5))),
	}
	f.update(t, func(tx guild.Tx) error { return tx.Enqueue(f.ctx, more...) })

	list, err := f.s.ListOutbox(f.ctx, a.ID, 0, 100)
	wantNoErr(t, err, "ListOutbox")
	if len(list) != 5 {
		t.Fatalf("ListOutbox of tenant a: %d messages, want 5", len(list))
	}
	wantA := []guild.OutboxMessage{in[0], in[2], in[3], more[0], more[1]}
	for i := range list {
		if list[i].ID <= 0 || i > 0 && list[i].ID <= list[i-1].ID {
			t.Errorf("outbox ids not increasing: %d after %d", list[i].ID, list[max(i-1, 0)].ID)
		}
		wantA[i].ID = list[i].ID
	}
	wantEqual(t, list, wantA, "ListOutbox of tenant a, in order")

	page, err := f.s.ListOutbox(f.ctx, a.ID, list[1].ID, 2)
	wantNoErr(t, err, "ListOutbox")
	wantEqual(t, page, wantA[2:4], "ListOutbox after an id, limited")
	page, err = f.s.ListOutbox(f.ctx, a.ID, list[4].ID, 10)
	wantNoErr(t, err, "ListOutbox")
	wantEqual(t, page, nil, "ListOutbox after the last id")

	listB, err := f.s.ListOutbox(f.ctx, b.ID, 0, 100)
	wantNoErr(t, err, "ListOutbox")
	if len(listB) != 2 || listB[0].Topic != guild.TopicCompanyCreated || listB[1].Topic != guild.TopicCompanyDeleted {
		t.Errorf("ListOutbox of tenant b: %+v, want its own two messages", listB)
	}

	// A message without CreatedAt gets the current time.
	before := time.Now().Truncate(time.Microsecond)
	f.update(t, func(tx guild.Tx) error {
		return tx.Enqueue(f.ctx, guild.OutboxMessage{TenantID: a.ID, Topic: guild.TopicCustomerCreated,
			EntityType: guild.EntityCustomer, EntityID: 9, Payload: json.RawMessage(`{"customerId":9}`)})
	})
	after := time.Now()
	page, err = f.s.ListOutbox(f.ctx, a.ID, list[4].ID, 10)
	wantNoErr(t, err, "ListOutbox")
	if len(page) != 1 {
		t.Fatalf("got %d messages, want 1", len(page))
	}
	if c := page[0].CreatedAt; c.Before(before) || c.After(after) {
		t.Errorf("CreatedAt of a message enqueued without one: %v, want between %v and %v", c, before, after)
	}
}
