package bigcommerce

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxCustomerBatch is the most customers one create or update takes.
const MaxCustomerBatch = 10

// filterChunk is how many values one `:in` filter carries, to keep URLs short.
const filterChunk = 50

// Customer is a v3 customer (the fields Guild uses).
type Customer struct {
	ID                int    `json:"id"`
	Email             string `json:"email"`
	FirstName         string `json:"first_name"`
	LastName          string `json:"last_name"`
	Company           string `json:"company"`
	Phone             string `json:"phone"`
	Notes             string `json:"notes"`
	TaxExemptCategory string `json:"tax_exempt_category"`
	CustomerGroupID   int    `json:"customer_group_id"`
	DateCreated       string `json:"date_created"`
	DateModified      string `json:"date_modified"`
	OriginChannelID   int    `json:"origin_channel_id"`
	ChannelIDs        []int  `json:"channel_ids"`
}

// NewCustomer is one item of a create. Email, FirstName and LastName are
// required; CustomerGroupID 0 is no group.
type NewCustomer struct {
	Email           string `json:"email"`
	FirstName       string `json:"first_name"`
	LastName        string `json:"last_name"`
	Company         string `json:"company,omitempty"`
	Phone           string `json:"phone,omitempty"`
	Notes           string `json:"notes,omitempty"`
	CustomerGroupID int    `json:"customer_group_id,omitempty"`
	OriginChannelID int    `json:"origin_channel_id,omitempty"`
	// ChannelIDs nil gives global access; when given it cannot be empty.
	ChannelIDs []int `json:"channel_ids,omitempty"`
}

// CustomerUpdate is one item of an update: ID and the fields to change.
type CustomerUpdate struct {
	ID              int     `json:"id"`
	Email           *string `json:"email,omitempty"`
	FirstName       *string `json:"first_name,omitempty"`
	LastName        *string `json:"last_name,omitempty"`
	Company         *string `json:"company,omitempty"`
	Phone           *string `json:"phone,omitempty"`
	Notes           *string `json:"notes,omitempty"`
	CustomerGroupID *int    `json:"customer_group_id,omitempty"`
	ChannelIDs      *[]int  `json:"channel_ids,omitempty"`
}

// CustomerFilter narrows a customer list; empty lists do not filter.
type CustomerFilter struct {
	Emails   []string
	IDs      []int
	GroupIDs []int
	Page     int // from 1
	Limit    int // at most 250; 50 when 0
}

func (f CustomerFilter) query() url.Values {
	q := url.Values{}
	if len(f.Emails) > 0 {
		q.Set("email:in", strings.Join(f.Emails, ","))
	}
	if len(f.IDs) > 0 {
		q.Set("id:in", joinInts(f.IDs))
	}
	if len(f.GroupIDs) > 0 {
		q.Set("customer_group_id:in", joinInts(f.GroupIDs))
	}
	setPage(q, f.Page, f.Limit)
	return q
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

// Pagination is v3's meta.pagination.
type Pagination struct {
	Total       int `json:"total"`
	Count       int `json:"count"`
	PerPage     int `json:"per_page"`
	CurrentPage int `json:"current_page"`
	TotalPages  int `json:"total_pages"`
}

type customersAnswer struct {
	Data []Customer `json:"data"`
	Meta struct {
		Pagination Pagination `json:"pagination"`
	} `json:"meta"`
}

// ListCustomers returns one page of customers and the pagination.
func (c *Client) ListCustomers(ctx context.Context, f CustomerFilter) ([]Customer, Pagination, error) {
	var a customersAnswer
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v3/customers", query: f.query()}, &a)
	return a.Data, a.Meta.Pagination, err
}

// Customers walks every customer matching f page by page (from f.Page),
// for the inbound import; it stops at the first error.
func (c *Client) Customers(ctx context.Context, f CustomerFilter) iter.Seq2[Customer, error] {
	return func(yield func(Customer, error) bool) {
		if f.Limit <= 0 {
			f.Limit = MaxPageSize
		}
		f.Page = max(f.Page, 1)
		for {
			page, p, err := c.ListCustomers(ctx, f)
			if err != nil {
				yield(Customer{}, err)
				return
			}
			for _, cu := range page {
				if !yield(cu, nil) {
					return
				}
			}
			if len(page) == 0 || f.Page >= p.TotalPages {
				return
			}
			f.Page++
		}
	}
}

// CustomersByEmail looks customers up by email (case-insensitively, as
// BigCommerce matches), in as many calls as the list needs.
func (c *Client) CustomersByEmail(ctx context.Context, emails []string) ([]Customer, error) {
	var out []Customer
	for lo := 0; lo < len(emails); lo += filterChunk {
		chunk := emails[lo:min(lo+filterChunk, len(emails))]
		for cu, err := range c.Customers(ctx, CustomerFilter{Emails: chunk}) {
			if err != nil {
				return nil, err
			}
			out = append(out, cu)
		}
	}
	return out, nil
}

// CreateCustomers creates up to 10 customers in one call, all or none: on
// a 422, Error.ItemErrors(i) says what was wrong with item i.
func (c *Client) CreateCustomers(ctx context.Context, in []NewCustomer) ([]Customer, error) {
	if err := batchSize("POST", "/v3/customers", len(in), MaxCustomerBatch); err != nil || len(in) == 0 {
		return nil, err
	}
	var a customersAnswer
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v3/customers", body: in}, &a)
	return a.Data, err
}

// UpdateCustomers updates up to 10 customers in one call. At most three
// run at once per client, BigCommerce's limit for this endpoint.
func (c *Client) UpdateCustomers(ctx context.Context, in []CustomerUpdate) ([]Customer, error) {
	if err := batchSize("PUT", "/v3/customers", len(in), MaxCustomerBatch); err != nil || len(in) == 0 {
		return nil, err
	}
	for i, u := range in {
		if u.ID <= 0 {
			return nil, &Error{Kind: KindValidation, Method: "PUT", Path: "/v3/customers", Title: "every customer update needs its id",
				Details: map[string]string{fmt.Sprintf("%d.id", i): "id is required to update a customer"}}
		}
	}
	select {
	case c.puts <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("bigcommerce PUT /v3/customers: waiting for a free slot: %w", ctx.Err())
	}
	defer func() { <-c.puts }()
	var a customersAnswer
	_, err := c.do(ctx, request{method: http.MethodPut, path: "/v3/customers", body: in}, &a)
	return a.Data, err
}

// DeleteCustomers deletes customers by id; unknown ids are ignored.
func (c *Client) DeleteCustomers(ctx context.Context, ids []int) error {
	for lo := 0; lo < len(ids); lo += filterChunk {
		q := url.Values{"id:in": {joinInts(ids[lo:min(lo+filterChunk, len(ids))])}}
		if _, err := c.do(ctx, request{method: http.MethodDelete, path: "/v3/customers", query: q}, nil); err != nil {
			return err
		}
	}
	return nil
}

// batchSize refuses a batch larger than BigCommerce takes, before sending.
func batchSize(method, path string, n, most int) error {
	if n > most {
		return &Error{Kind: KindValidation, Method: method, Path: path, Status: http.StatusRequestEntityTooLarge,
			Title: fmt.Sprintf("%d items in one batch; BigCommerce takes at most %d (split the batch)", n, most)}
	}
	return nil
}
