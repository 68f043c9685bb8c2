package bcemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxCustomerBatch is the most customers one create or update takes.
const maxCustomerBatch = 10

// customerInput is one item of a v3 create or update body; nil means absent.
// Addresses, attributes, form fields and store credit are accepted and not
// kept: the connector does not send them.
type customerInput struct {
	ID                    *int            `json:"id"`
	Email                 *string         `json:"email"`
	FirstName             *string         `json:"first_name"`
	LastName              *string         `json:"last_name"`
	Company               *string         `json:"company"`
	Phone                 *string         `json:"phone"`
	Notes                 *string         `json:"notes"`
	TaxExemptCategory     *string         `json:"tax_exempt_category"`
	CustomerGroupID       *int            `json:"customer_group_id"`
	RegistrationIPAddress *string         `json:"registration_ip_address"`
	Authentication        *authInput      `json:"authentication"`
	AcceptsEmails         *bool           `json:"accepts_product_review_abandoned_cart_emails"`
	OriginChannelID       *int            `json:"origin_channel_id"`
	ChannelIDs            *[]int          `json:"channel_ids"`
	Addresses             json.RawMessage `json:"addresses"`
	Attributes            json.RawMessage `json:"attributes"`
	FormFields            json.RawMessage `json:"form_fields"`
	StoreCreditAmounts    json.RawMessage `json:"store_credit_amounts"`
	TriggerNotification   *bool           `json:"trigger_account_created_notification"`
}

type authInput struct {
	ForcePasswordReset *bool   `json:"force_password_reset"`
	NewPassword        *string `json:"new_password"`
}

// fieldErrors collects "<item>.<field>" → message, BigCommerce's key style
// for batch bodies.
type fieldErrors map[string]string

func (fe fieldErrors) add(i int, field, format string, args ...any) {
	fe[fmt.Sprintf("%d.%s", i, field)] = fmt.Sprintf(format, args...)
}

// checkLen checks a string's length in characters against the spec's bounds.
func (fe fieldErrors) checkLen(i int, field string, v *string, minLen, maxLen int) {
	if v == nil {
		return
	}
	n := utf8.RuneCountInString(*v)
	if n < minLen || n > maxLen {
		if minLen == 0 {
			fe.add(i, field, "%s must be at most %d characters long (got %d)", field, maxLen, n)
			return
		}
		fe.add(i, field, "%s must be %d to %d characters long (got %d)", field, minLen, maxLen, n)
	}
}

// decodeCustomers reads a batch body: a JSON array of 1 to 10 objects. ok is
// false when an answer was written.
func decodeCustomers(w http.ResponseWriter, r *http.Request, title string) ([]customerInput, bool) {
	b, ok := readBody(w, r, false)
	if !ok {
		return nil, false
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, title, map[string]string{"body": "The body must be a JSON array of customer objects: " + err.Error()})
		return nil, false
	}
	if len(raw) == 0 {
		writeV3Error(w, http.StatusUnprocessableEntity, title, map[string]string{"body": "The array of customers is empty."})
		return nil, false
	}
	if len(raw) > maxCustomerBatch {
		writeV3Error(w, http.StatusRequestEntityTooLarge, "The request payload is too large. The maximum number of items allowed in the array is 10.", map[string]string{
			"body": fmt.Sprintf("%d customers sent; at most %d per request", len(raw), maxCustomerBatch)})
		return nil, false
	}
	ins := make([]customerInput, len(raw))
	fe := fieldErrors{}
	for i, item := range raw {
		if err := json.Unmarshal(item, &ins[i]); err != nil {
			field, msg := jsonProblem(err)
			fe.add(i, field, "%s", msg)
		}
	}
	if len(fe) > 0 {
		writeV3Error(w, http.StatusUnprocessableEntity, title, fe)
		return nil, false
	}
	return ins, true
}

// check validates one item against the spec (create or update), the store's
// groups and customers, and the other items of the batch (emails seen so
// far, lower-cased, → item index).
func (in *customerInput) check(fe fieldErrors, i int, s *store, create bool, batchEmails map[string]int) {
	emailMax := 255
	if create {
		emailMax = 250 // customer_Post says 250, customer_Put and customer_Full 255
		if in.Email == nil {
			fe.add(i, "email", "email is required")
		}
		if in.FirstName == nil {
			fe.add(i, "first_name", "first_name is required")
		}
		if in.LastName == nil {
			fe.add(i, "last_name", "last_name is required")
		}
	} else {
		if in.ID == nil {
			fe.add(i, "id", "id is required to update a customer")
		} else if _, ok := s.customers[*in.ID]; !ok {
			fe.add(i, "id", "customer %d does not exist", *in.ID)
		}
	}
	fe.checkLen(i, "email", in.Email, 3, emailMax)
	fe.checkLen(i, "first_name", in.FirstName, 1, 100)
	fe.checkLen(i, "last_name", in.LastName, 1, 100)
	fe.checkLen(i, "company", in.Company, 0, 255)
	fe.checkLen(i, "phone", in.Phone, 0, 50)
	fe.checkLen(i, "tax_exempt_category", in.TaxExemptCategory, 0, 255)
	fe.checkLen(i, "registration_ip_address", in.RegistrationIPAddress, 0, 30)
	if in.Email != nil {
		if _, bad := fe[fmt.Sprintf("%d.email", i)]; !bad {
			if a, err := mail.ParseAddress(*in.Email); err != nil || a.Address != *in.Email {
				fe.add(i, "email", "email %q is not a valid email address", *in.Email)
			} else {
				key := strings.ToLower(*in.Email)
				self := 0
				if in.ID != nil {
					self = *in.ID
				}
				if owner, taken := s.emails[key]; taken && owner != self {
					fe.add(i, "email", "The email address %s is already in use by customer %d.", *in.Email, owner)
				} else if j, dup := batchEmails[key]; dup {
					fe.add(i, "email", "The email address %s is also in item %d of this request.", *in.Email, j)
				}
				batchEmails[key] = i
			}
		}
	}
	if g := in.CustomerGroupID; g != nil && *g != 0 {
		if _, ok := s.groups[*g]; !ok {
			fe.add(i, "customer_group_id", "customer group %d does not exist", *g)
		}
	}
	if in.ChannelIDs != nil && len(*in.ChannelIDs) == 0 {
		fe.add(i, "channel_ids", "channel_ids cannot be empty; omit it for global access")
	}
	if in.OriginChannelID != nil && *in.OriginChannelID < 0 {
		fe.add(i, "origin_channel_id", "origin_channel_id must not be negative")
	}
	if !create && in.OriginChannelID != nil {
		if c, ok := s.customers[derefInt(in.ID)]; ok && c.OriginChannelID != *in.OriginChannelID {
			fe.add(i, "origin_channel_id", "origin_channel_id is read-only once the customer exists")
		}
	}
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// apply writes the present fields onto c.
func (in *customerInput) apply(c *Customer) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Email, in.Email)
	set(&c.FirstName, in.FirstName)
	set(&c.LastName, in.LastName)
	set(&c.Company, in.Company)
	set(&c.Phone, in.Phone)
	set(&c.Notes, in.Notes)
	set(&c.TaxExemptCategory, in.TaxExemptCategory)
	set(&c.RegistrationIPAddress, in.RegistrationIPAddress)
	if in.CustomerGroupID != nil {
		c.CustomerGroupID = *in.CustomerGroupID
	}
	if in.Authentication != nil && in.Authentication.ForcePasswordReset != nil {
		c.Authentication.ForcePasswordReset = *in.Authentication.ForcePasswordReset
	}
	if in.AcceptsEmails != nil {
		c.AcceptsProductReviewAbandonedCartEm = *in.AcceptsEmails
	}
	if in.OriginChannelID != nil {
		c.OriginChannelID = *in.OriginChannelID
	}
	if in.ChannelIDs != nil {
		c.ChannelIDs = slices.Clone(*in.ChannelIDs)
	}
}

func (e *Emulator) createCustomers(w http.ResponseWriter, r *http.Request, s *store) {
	const title = "Create customers failed."
	ins, ok := decodeCustomers(w, r, title)
	if !ok {
		return
	}
	e.mu.Lock()
	fe := fieldErrors{}
	seen := map[string]int{}
	for i := range ins {
		ins[i].check(fe, i, s, true, seen)
	}
	if len(fe) > 0 {
		e.mu.Unlock()
		writeV3Error(w, http.StatusUnprocessableEntity, title, fe)
		return
	}
	now := v3Time(e.now())
	out := make([]Customer, 0, len(ins))
	for i := range ins {
		c := &Customer{ID: s.nextCust, DateCreated: now, DateModified: now, OriginChannelID: 1, ChannelIDs: nil}
		s.nextCust++
		ins[i].apply(c)
		s.customers[c.ID] = c
		s.emails[strings.ToLower(c.Email)] = c.ID
		out = append(out, cloneCustomer(c))
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "meta": map[string]any{}})
}

func (e *Emulator) updateCustomers(w http.ResponseWriter, r *http.Request, s *store) {
	const title = "Update customers failed."
	ins, ok := decodeCustomers(w, r, title)
	if !ok {
		return
	}
	e.mu.Lock()
	fe := fieldErrors{}
	seen := map[string]int{}
	ids := map[int]int{}
	for i := range ins {
		ins[i].check(fe, i, s, false, seen)
		if id := derefInt(ins[i].ID); id != 0 {
			if j, dup := ids[id]; dup {
				fe.add(i, "id", "customer %d is also in item %d of this request", id, j)
			}
			ids[id] = i
		}
	}
	if len(fe) > 0 {
		e.mu.Unlock()
		writeV3Error(w, http.StatusUnprocessableEntity, title, fe)
		return
	}
	now := v3Time(e.now())
	out := make([]Customer, 0, len(ins))
	for i := range ins {
		c := s.customers[*ins[i].ID]
		delete(s.emails, strings.ToLower(c.Email))
		ins[i].apply(c)
		c.DateModified = now
		s.emails[strings.ToLower(c.Email)] = c.ID
		out = append(out, cloneCustomer(c))
	}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": out, "meta": map[string]any{}})
}

// customerFilter is the list filters the emulator understands.
type customerFilter struct {
	ids, groups []int
	emails      map[string]bool
}

func (f customerFilter) match(c *Customer) bool {
	if f.ids != nil && !slices.Contains(f.ids, c.ID) {
		return false
	}
	if f.groups != nil && !slices.Contains(f.groups, c.CustomerGroupID) {
		return false
	}
	if f.emails != nil && !f.emails[strings.ToLower(c.Email)] {
		return false
	}
	return true
}

func (e *Emulator) listCustomers(w http.ResponseWriter, r *http.Request, s *store) {
	const title = "The filter parameters are not valid."
	q := r.URL.Query()
	page, limit, err := pageParams(q, 50)
	if err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, title, map[string]string{err.param: err.msg})
		return
	}
	var f customerFilter
	errs := map[string]string{}
	for _, k := range []string{"id:in", "customer_group_id:in"} {
		if !q.Has(k) {
			continue
		}
		list, err := parseIntList(q.Get(k))
		if err != nil {
			errs[k] = k + " must be a comma-separated list of integers: " + err.Error()
			continue
		}
		if list == nil {
			list = []int{}
		}
		if k == "id:in" {
			f.ids = list
		} else {
			f.groups = list
		}
	}
	if q.Has("email:in") {
		f.emails = map[string]bool{}
		for _, em := range strings.Split(q.Get("email:in"), ",") {
			if em = strings.TrimSpace(em); em != "" {
				f.emails[strings.ToLower(em)] = true
			}
		}
	}
	if len(errs) > 0 {
		writeV3Error(w, http.StatusUnprocessableEntity, title, errs)
		return
	}
	e.mu.Lock()
	var all []Customer
	for _, c := range s.customers {
		if f.match(c) {
			all = append(all, cloneCustomer(c))
		}
	}
	e.mu.Unlock()
	slices.SortFunc(all, func(a, b Customer) int { return a.ID - b.ID })
	lo, hi := pageBounds(len(all), page, limit)
	data := all[lo:hi]
	if data == nil {
		data = []Customer{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{
		"pagination": newPagination(len(all), len(data), page, limit)}})
}

// deleteCustomers deletes the customers listed in id:in; unknown ids are
// ignored and no id:in deletes nothing, both answering 204 as the spec says.
func (e *Emulator) deleteCustomers(w http.ResponseWriter, r *http.Request, s *store) {
	q := r.URL.Query()
	if !q.Has("id:in") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ids, err := parseIntList(q.Get("id:in"))
	if err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "The id:in filter is not valid.", map[string]string{"id:in": "id:in must be a comma-separated list of integers: " + err.Error()})
		return
	}
	e.mu.Lock()
	for _, id := range ids {
		if c, ok := s.customers[id]; ok {
			delete(s.emails, strings.ToLower(c.Email))
			delete(s.customers, id)
		}
	}
	e.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func cloneCustomer(c *Customer) Customer {
	out := *c
	out.ChannelIDs = slices.Clone(c.ChannelIDs)
	if out.ChannelIDs == nil {
		out.ChannelIDs = []int{}
	}
	return out
}
