package bigcommerce

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// CustomerGroup is a v2 customer group.
type CustomerGroup struct {
	ID               int             `json:"id"`
	Name             string          `json:"name"`
	IsDefault        bool            `json:"is_default"`
	CategoryAccess   *CategoryAccess `json:"category_access,omitempty"`
	DiscountRules    []DiscountRule  `json:"discount_rules,omitempty"`
	DateCreated      string          `json:"date_created,omitempty"`
	DateModified     string          `json:"date_modified,omitempty"`
	IsGroupForGuests bool            `json:"is_group_for_guests"`
}

// CategoryAccess says which categories a group's customers see: type all,
// specific (with Categories) or none.
type CategoryAccess struct {
	Type       string `json:"type"`
	Categories []int  `json:"categories,omitempty"`
}

// DiscountRule is one of a group's discount rules.
type DiscountRule struct {
	Type        string `json:"type"`
	Method      string `json:"method,omitempty"`
	Amount      string `json:"amount,omitempty"`
	PriceListID int    `json:"price_list_id,omitempty"`
	CategoryID  int    `json:"category_id,omitempty"`
	ProductID   int    `json:"product_id,omitempty"`
}

// CustomerGroupInput is the body of a group create or update; nil fields
// are left out (an update changes only what is given).
type CustomerGroupInput struct {
	Name             *string         `json:"name,omitempty"`
	IsDefault        *bool           `json:"is_default,omitempty"`
	CategoryAccess   *CategoryAccess `json:"category_access,omitempty"`
	DiscountRules    *[]DiscountRule `json:"discount_rules,omitempty"`
	IsGroupForGuests *bool           `json:"is_group_for_guests,omitempty"`
}

// Ptr returns a pointer to v, for the optional fields of inputs.
func Ptr[T any](v T) *T { return &v }

// CustomerGroupFilter narrows a group list.
type CustomerGroupFilter struct {
	Name  string // exact name
	Page  int    // from 1
	Limit int    // at most 250; 50 when 0
}

func (f CustomerGroupFilter) query() url.Values {
	q := url.Values{}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	setPage(q, f.Page, f.Limit)
	return q
}

func setPage(q url.Values, page, limit int) {
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(min(limit, MaxPageSize)))
	}
}

// MaxPageSize is the largest page BigCommerce answers.
const MaxPageSize = 250

// ListCustomerGroups returns one page of groups (none past the last page:
// BigCommerce answers 204 there).
func (c *Client) ListCustomerGroups(ctx context.Context, f CustomerGroupFilter) ([]CustomerGroup, error) {
	var out []CustomerGroup
	st, err := c.do(ctx, request{method: http.MethodGet, path: "/v2/customer_groups", query: f.query()}, &out)
	if err != nil || st == http.StatusNoContent {
		return nil, err
	}
	return out, nil
}

// CustomerGroups walks every group matching f page by page (f.Page is the
// first page), stopping at the first error.
func (c *Client) CustomerGroups(ctx context.Context, f CustomerGroupFilter) iter.Seq2[CustomerGroup, error] {
	return func(yield func(CustomerGroup, error) bool) {
		if f.Limit <= 0 {
			f.Limit = MaxPageSize
		}
		f.Page = max(f.Page, 1)
		for {
			page, err := c.ListCustomerGroups(ctx, f)
			if err != nil {
				yield(CustomerGroup{}, err)
				return
			}
			for _, g := range page {
				if !yield(g, nil) {
					return
				}
			}
			if len(page) < f.Limit {
				return
			}
			f.Page++
		}
	}
}

// GetCustomerGroup reads one group.
func (c *Client) GetCustomerGroup(ctx context.Context, id int) (CustomerGroup, error) {
	var g CustomerGroup
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v2/customer_groups/" + strconv.Itoa(id)}, &g)
	return g, err
}

// CreateCustomerGroup creates a group; Name is required.
func (c *Client) CreateCustomerGroup(ctx context.Context, in CustomerGroupInput) (CustomerGroup, error) {
	var g CustomerGroup
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v2/customer_groups", body: in}, &g)
	return g, err
}

// UpdateCustomerGroup changes the fields given.
func (c *Client) UpdateCustomerGroup(ctx context.Context, id int, in CustomerGroupInput) (CustomerGroup, error) {
	var g CustomerGroup
	_, err := c.do(ctx, request{method: http.MethodPut, path: "/v2/customer_groups/" + strconv.Itoa(id), body: in}, &g)
	return g, err
}

// DeleteCustomerGroup deletes a group; its customers are left in no group.
func (c *Client) DeleteCustomerGroup(ctx context.Context, id int) error {
	_, err := c.do(ctx, request{method: http.MethodDelete, path: "/v2/customer_groups/" + strconv.Itoa(id)}, nil)
	return err
}
