package bigcommerce

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// MaxAssignmentBatch is the most price-list assignments one create takes.
const MaxAssignmentBatch = 25

// PriceListAssignment links a price list to a customer group on a channel.
type PriceListAssignment struct {
	ID              int `json:"id"`
	PriceListID     int `json:"price_list_id"`
	CustomerGroupID int `json:"customer_group_id"`
	ChannelID       int `json:"channel_id"`
}

// NewPriceListAssignment is one item of a create; ChannelID 0 leaves it to
// BigCommerce (the default channel).
type NewPriceListAssignment struct {
	PriceListID     int `json:"price_list_id"`
	CustomerGroupID int `json:"customer_group_id"`
	ChannelID       int `json:"channel_id,omitempty"`
}

// AssignmentFilter selects assignments; zero fields do not filter.
type AssignmentFilter struct {
	ID              int
	PriceListID     int
	CustomerGroupID int
	ChannelID       int
	ChannelIDs      []int
	// CustomerGroupIDs selects the assignments of several groups (lists
	// only: BigCommerce's delete takes no customer_group_id:in).
	CustomerGroupIDs []int
	Page, Limit      int // lists only
}

func (f AssignmentFilter) query() url.Values {
	q := url.Values{}
	set := func(k string, v int) {
		if v != 0 {
			q.Set(k, strconv.Itoa(v))
		}
	}
	set("id", f.ID)
	set("price_list_id", f.PriceListID)
	set("customer_group_id", f.CustomerGroupID)
	set("channel_id", f.ChannelID)
	if len(f.ChannelIDs) > 0 {
		q.Set("channel_id:in", joinInts(f.ChannelIDs))
	}
	if len(f.CustomerGroupIDs) > 0 {
		q.Set("customer_group_id:in", joinInts(f.CustomerGroupIDs))
	}
	return q
}

// ListPriceListAssignments returns one page of assignments.
func (c *Client) ListPriceListAssignments(ctx context.Context, f AssignmentFilter) ([]PriceListAssignment, Pagination, error) {
	q := f.query()
	setPage(q, f.Page, f.Limit)
	var a struct {
		Data []PriceListAssignment `json:"data"`
		Meta struct {
			Pagination Pagination `json:"pagination"`
		} `json:"meta"`
	}
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v3/pricelists/assignments", query: q}, &a)
	return a.Data, a.Meta.Pagination, err
}

// CreatePriceListAssignments creates up to 25 assignments, all or none. A
// customer group has one price list per channel: move one by deleting the
// old assignment first.
func (c *Client) CreatePriceListAssignments(ctx context.Context, in []NewPriceListAssignment) error {
	if err := batchSize("POST", "/v3/pricelists/assignments", len(in), MaxAssignmentBatch); err != nil || len(in) == 0 {
		return err
	}
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v3/pricelists/assignments", body: in}, nil)
	return err
}

// DeletePriceListAssignments deletes what the filter selects; an empty
// filter is refused before sending (BigCommerce requires one).
func (c *Client) DeletePriceListAssignments(ctx context.Context, f AssignmentFilter) error {
	q := f.query()
	if len(q) == 0 {
		return &Error{Kind: KindValidation, Method: http.MethodDelete, Path: "/v3/pricelists/assignments",
			Title: "a filter is required to delete price list assignments"}
	}
	_, err := c.do(ctx, request{method: http.MethodDelete, path: "/v3/pricelists/assignments", query: q}, nil)
	return err
}
