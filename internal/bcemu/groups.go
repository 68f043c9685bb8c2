package bcemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// groupInput is the body of a v2 group create or update; nil means absent.
type groupInput struct {
	Name             *string         `json:"name"`
	IsDefault        *bool           `json:"is_default"`
	CategoryAccess   *CategoryAccess `json:"category_access"`
	DiscountRules    *[]DiscountRule `json:"discount_rules"`
	IsGroupForGuests *bool           `json:"is_group_for_guests"`
}

// decodeGroup reads and checks a group body; ok is false when an answer was
// written.
func decodeGroup(w http.ResponseWriter, r *http.Request, create bool) (groupInput, bool) {
	var in groupInput
	b, ok := readBody(w, r, true)
	if !ok {
		return in, false
	}
	if len(strings.TrimSpace(string(b))) == 0 && !create {
		return in, true
	}
	if err := json.Unmarshal(b, &in); err != nil {
		_, msg := jsonProblem(err)
		writeV2Error(w, http.StatusBadRequest, msg)
		return in, false
	}
	if msg := in.problem(create); msg != "" {
		writeV2Error(w, http.StatusBadRequest, msg)
		return in, false
	}
	return in, true
}

// problem is what is wrong with the body, "" when nothing.
func (in groupInput) problem(create bool) string {
	if create && in.Name == nil {
		return "The required field 'name' was not supplied."
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		return "The field 'name' cannot be empty."
	}
	if ca := in.CategoryAccess; ca != nil {
		if !slices.Contains([]string{"all", "specific", "none"}, ca.Type) {
			return fmt.Sprintf("The field 'category_access.type' must be one of all, specific, none; got %q.", ca.Type)
		}
		if ca.Type != "specific" && len(ca.Categories) > 0 {
			return "The field 'category_access.categories' is only allowed when category_access.type is specific."
		}
	}
	if in.DiscountRules != nil {
		rules := *in.DiscountRules
		alls := 0
		for i, d := range rules {
			switch d.Type {
			case "price_list":
				if len(rules) != 1 {
					return "A price_list discount rule must be the only rule."
				}
				if d.PriceListID <= 0 {
					return fmt.Sprintf("discount_rules[%d]: a price_list rule needs a positive price_list_id.", i)
				}
				continue
			case "all":
				alls++
				if alls > 1 {
					return "There can be only one discount rule of type all."
				}
			case "category":
				if d.CategoryID <= 0 {
					return fmt.Sprintf("discount_rules[%d]: a category rule needs a positive category_id.", i)
				}
			case "product":
				if d.ProductID <= 0 {
					return fmt.Sprintf("discount_rules[%d]: a product rule needs a positive product_id.", i)
				}
			default:
				return fmt.Sprintf("discount_rules[%d].type must be one of price_list, all, category, product; got %q.", i, d.Type)
			}
			if !slices.Contains([]string{"percent", "fixed", "price"}, d.Method) {
				return fmt.Sprintf("discount_rules[%d].method must be one of percent, fixed, price; got %q.", i, d.Method)
			}
			if d.Amount == "" {
				return fmt.Sprintf("discount_rules[%d].amount is required.", i)
			}
		}
	}
	return ""
}

// apply writes the present fields of in onto g and keeps "one default group"
// and "one guest group" true across the store.
func (in groupInput) apply(s *store, g *Group) {
	if in.Name != nil {
		g.Name = strings.TrimSpace(*in.Name)
	}
	if in.CategoryAccess != nil {
		g.CategoryAccess = *in.CategoryAccess
	}
	if in.DiscountRules != nil {
		g.DiscountRules = slices.Clone(*in.DiscountRules)
	}
	if in.IsDefault != nil {
		if *in.IsDefault {
			for _, o := range s.groups {
				o.IsDefault = false
			}
		}
		g.IsDefault = *in.IsDefault
	}
	if in.IsGroupForGuests != nil {
		if *in.IsGroupForGuests {
			for _, o := range s.groups {
				o.IsGroupForGuests = false
			}
		}
		g.IsGroupForGuests = *in.IsGroupForGuests
	}
}

func (e *Emulator) listGroups(w http.ResponseWriter, r *http.Request, s *store) {
	q := r.URL.Query()
	page, limit, err := pageParams(q, 50)
	if err != nil {
		writeV2Error(w, http.StatusBadRequest, err.msg)
		return
	}
	name := first(q, "name")
	like := strings.ToLower(first(q, "name:like"))
	e.mu.Lock()
	var all []Group
	for _, g := range s.groups {
		if name != "" && g.Name != name {
			continue
		}
		if like != "" && !strings.Contains(strings.ToLower(g.Name), like) {
			continue
		}
		all = append(all, cloneGroup(g))
	}
	e.mu.Unlock()
	slices.SortFunc(all, func(a, b Group) int { return a.ID - b.ID })
	lo, hi := pageBounds(len(all), page, limit)
	if lo == hi {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, all[lo:hi])
}

func (e *Emulator) getGroup(w http.ResponseWriter, s *store, id int) {
	e.mu.Lock()
	g, ok := s.groups[id]
	var out Group
	if ok {
		out = cloneGroup(g)
	}
	e.mu.Unlock()
	if !ok {
		writeV2Error(w, http.StatusNotFound, fmt.Sprintf("Customer group %d was not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) createGroup(w http.ResponseWriter, r *http.Request, s *store) {
	in, ok := decodeGroup(w, r, true)
	if !ok {
		return
	}
	e.mu.Lock()
	now := v2Time(e.now())
	g := &Group{ID: s.nextGroup, CategoryAccess: CategoryAccess{Type: "all"}, DiscountRules: []DiscountRule{},
		DateCreated: now, DateModified: now}
	s.nextGroup++
	in.apply(s, g)
	s.groups[g.ID] = g
	out := cloneGroup(g)
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) updateGroup(w http.ResponseWriter, r *http.Request, s *store, id int) {
	in, ok := decodeGroup(w, r, false)
	if !ok {
		return
	}
	e.mu.Lock()
	g, found := s.groups[id]
	var out Group
	if found {
		in.apply(s, g)
		g.DateModified = v2Time(e.now())
		out = cloneGroup(g)
	}
	e.mu.Unlock()
	if !found {
		writeV2Error(w, http.StatusNotFound, fmt.Sprintf("Customer group %d was not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// deleteGroup removes a group; its customers are left in no group, as the
// spec says.
func (e *Emulator) deleteGroup(w http.ResponseWriter, s *store, id int) {
	e.mu.Lock()
	_, found := s.groups[id]
	if found {
		delete(s.groups, id)
		for _, c := range s.customers {
			if c.CustomerGroupID == id {
				c.CustomerGroupID = 0
			}
		}
	}
	e.mu.Unlock()
	if !found {
		writeV2Error(w, http.StatusNotFound, fmt.Sprintf("Customer group %d was not found.", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func cloneGroup(g *Group) Group {
	out := *g
	out.DiscountRules = slices.Clone(g.DiscountRules)
	if out.DiscountRules == nil {
		out.DiscountRules = []DiscountRule{}
	}
	out.CategoryAccess.Categories = slices.Clone(g.CategoryAccess.Categories)
	return out
}
