package bcemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// maxAssignmentBatch is the most price-list assignments one create takes.
const maxAssignmentBatch = 25

// assignmentFilter holds the list and delete filters; nil means absent.
type assignmentFilter struct {
	id, priceList, group, channel         *int
	ids, priceLists, groups, channels     []int
	hasIDs, hasLists, hasGroups, hasChans bool
}

func (f assignmentFilter) empty() bool {
	return f.id == nil && f.priceList == nil && f.group == nil && f.channel == nil &&
		!f.hasIDs && !f.hasLists && !f.hasGroups && !f.hasChans
}

func (f assignmentFilter) match(a *Assignment) bool {
	eq := func(p *int, v int) bool { return p == nil || *p == v }
	in := func(has bool, list []int, v int) bool { return !has || slices.Contains(list, v) }
	return eq(f.id, a.ID) && eq(f.priceList, a.PriceListID) && eq(f.group, a.CustomerGroupID) && eq(f.channel, a.ChannelID) &&
		in(f.hasIDs, f.ids, a.ID) && in(f.hasLists, f.priceLists, a.PriceListID) &&
		in(f.hasGroups, f.groups, a.CustomerGroupID) && in(f.hasChans, f.channels, a.ChannelID)
}

// parseAssignmentFilter reads the filters; errs names each bad parameter.
// allowed lists the parameters the operation takes.
func parseAssignmentFilter(q url.Values, allowed []string) (assignmentFilter, map[string]string) {
	var f assignmentFilter
	errs := map[string]string{}
	single := map[string]**int{"id": &f.id, "price_list_id": &f.priceList, "customer_group_id": &f.group, "channel_id": &f.channel}
	type multi struct {
		list *[]int
		has  *bool
	}
	lists := map[string]multi{"id:in": {&f.ids, &f.hasIDs}, "price_list_id:in": {&f.priceLists, &f.hasLists},
		"customer_group_id:in": {&f.groups, &f.hasGroups}, "channel_id:in": {&f.channels, &f.hasChans}}
	for _, k := range allowed {
		if !q.Has(k) {
			continue
		}
		if dst, ok := single[k]; ok {
			n, err := strconv.Atoi(q.Get(k))
			if err != nil {
				errs[k] = fmt.Sprintf("%s must be an integer, got %q", k, q.Get(k))
				continue
			}
			*dst = &n
			continue
		}
		m := lists[k]
		l, err := parseIntList(q.Get(k))
		if err != nil {
			errs[k] = k + " must be a comma-separated list of integers: " + err.Error()
			continue
		}
		*m.list, *m.has = l, true
	}
	return f, errs
}

func (e *Emulator) listAssignments(w http.ResponseWriter, r *http.Request, s *store) {
	q := r.URL.Query()
	page, limit, err := pageParams(q, 50)
	if err != nil {
		writeV3Error(w, http.StatusUnprocessableEntity, "The paging parameters are not valid.", map[string]string{err.param: err.msg})
		return
	}
	f, errs := parseAssignmentFilter(q, []string{"id", "price_list_id", "customer_group_id", "channel_id",
		"id:in", "price_list_id:in", "customer_group_id:in", "channel_id:in"})
	if len(errs) > 0 {
		writeV3Error(w, http.StatusUnprocessableEntity, "The filter parameters are not valid.", errs)
		return
	}
	e.mu.Lock()
	var all []Assignment
	for _, a := range s.assignments {
		if f.match(a) {
			all = append(all, *a)
		}
	}
	e.mu.Unlock()
	slices.SortFunc(all, func(a, b Assignment) int { return a.ID - b.ID })
	lo, hi := pageBounds(len(all), page, limit)
	data := all[lo:hi]
	if data == nil {
		data = []Assignment{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{
		"pagination": newPagination(len(all), len(data), page, limit)}})
}

// assignmentInput is one item of a create body.
type assignmentInput struct {
	PriceListID     *int `json:"price_list_id"`
	CustomerGroupID *int `json:"customer_group_id"`
	ChannelID       *int `json:"channel_id"`
}

// batchError is the price-list batch error shape: v3's plus meta.saved_records.
type batchError struct {
	v3Error
	Meta struct {
		SavedRecords int `json:"saved_records"`
	} `json:"meta"`
}

func writeBatchError(w http.ResponseWriter, status int, title string, errs map[string]string) {
	writeJSON(w, status, batchError{v3Error: v3Error{Status: status, Title: title, Type: statusCodesDoc, Errors: errs}})
}

// createAssignments adds a batch, all or nothing. A customer group has at
// most one price list per channel, so a second assignment for the same
// group and channel is refused.
func (e *Emulator) createAssignments(w http.ResponseWriter, r *http.Request, s *store) {
	const title = "Create price list assignments failed."
	b, ok := readBody(w, r, false)
	if !ok {
		return
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		writeBatchError(w, http.StatusUnprocessableEntity, title, map[string]string{"body": "The body must be a JSON array of assignments: " + err.Error()})
		return
	}
	if len(raw) == 0 {
		writeBatchError(w, http.StatusUnprocessableEntity, title, map[string]string{"body": "The array of assignments is empty."})
		return
	}
	if len(raw) > maxAssignmentBatch {
		writeBatchError(w, http.StatusRequestEntityTooLarge, "The request payload is too large. The batch limit for price list assignments is 25.",
			map[string]string{"body": fmt.Sprintf("%d assignments sent; at most %d per request", len(raw), maxAssignmentBatch)})
		return
	}
	fe := fieldErrors{}
	ins := make([]assignmentInput, len(raw))
	for i, item := range raw {
		if err := json.Unmarshal(item, &ins[i]); err != nil {
			field, msg := jsonProblem(err)
			fe.add(i, field, "%s", msg)
		}
	}
	if len(fe) > 0 {
		writeBatchError(w, http.StatusUnprocessableEntity, title, fe)
		return
	}
	e.mu.Lock()
	type key struct{ group, channel int }
	taken := map[key]int{}
	for _, a := range s.assignments {
		taken[key{a.CustomerGroupID, a.ChannelID}] = -1 - a.ID
	}
	made := make([]Assignment, 0, len(ins))
	for i, in := range ins {
		a := Assignment{ChannelID: 1}
		switch {
		case in.PriceListID == nil:
			fe.add(i, "price_list_id", "price_list_id is required")
		case *in.PriceListID <= 0:
			fe.add(i, "price_list_id", "price_list_id must be a positive integer")
		default:
			a.PriceListID = *in.PriceListID
		}
		if in.CustomerGroupID != nil {
			a.CustomerGroupID = *in.CustomerGroupID
			if _, ok := s.groups[a.CustomerGroupID]; !ok && a.CustomerGroupID != 0 {
				fe.add(i, "customer_group_id", "customer group %d does not exist", a.CustomerGroupID)
			}
		}
		if in.ChannelID != nil {
			a.ChannelID = *in.ChannelID
			if a.ChannelID <= 0 {
				fe.add(i, "channel_id", "channel_id must be a positive integer")
			}
		}
		k := key{a.CustomerGroupID, a.ChannelID}
		if prev, dup := taken[k]; dup {
			if prev < 0 {
				fe.add(i, "customer_group_id", "customer group %d already has a price list on channel %d (assignment %d)", k.group, k.channel, -1-prev)
			} else {
				fe.add(i, "customer_group_id", "customer group %d and channel %d are also in item %d of this request", k.group, k.channel, prev)
			}
		} else {
			taken[k] = i
		}
		made = append(made, a)
	}
	if len(fe) > 0 {
		e.mu.Unlock()
		writeBatchError(w, http.StatusUnprocessableEntity, title, fe)
		return
	}
	for _, a := range made {
		a.ID = s.nextAssign
		s.nextAssign++
		s.assignments[a.ID] = &a
	}
	e.mu.Unlock()
	w.WriteHeader(http.StatusOK) // the spec's "200 No content"
}

// deleteAssignments deletes what the filters match; at least one filter is
// required.
func (e *Emulator) deleteAssignments(w http.ResponseWriter, r *http.Request, s *store) {
	f, errs := parseAssignmentFilter(r.URL.Query(), []string{"id", "price_list_id", "customer_group_id", "channel_id", "channel_id:in"})
	if len(errs) > 0 {
		writeV3Error(w, http.StatusUnprocessableEntity, "The filter parameters are not valid.", errs)
		return
	}
	if f.empty() {
		writeV3Error(w, http.StatusUnprocessableEntity, "A filter is required to delete price list assignments.", map[string]string{
			"query": "give at least one of id, price_list_id, customer_group_id, channel_id, channel_id:in"})
		return
	}
	e.mu.Lock()
	for id, a := range s.assignments {
		if f.match(a) {
			delete(s.assignments, id)
		}
	}
	e.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
