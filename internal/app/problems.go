package app

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"unicode/utf8"

	guild "github.com/guild-b2b/guild"
)

// problems collects per-field validation messages, keyed by the snake_case
// field names the vendor uses in its errors.
type problems struct {
	fields map[string][]string
	order  []string
}

func (p *problems) add(field, format string, args ...any) {
	if p.fields == nil {
		p.fields = map[string][]string{}
	}
	if _, seen := p.fields[field]; !seen {
		p.order = append(p.order, field)
	}
	p.fields[field] = append(p.fields[field], fmt.Sprintf(format, args...))
}

// merge adds the field messages of a *guild.Error with code EInvalid; it
// returns false (and adds nothing) for any other error.
func (p *problems) merge(err error, prefix string) bool {
	e, ok := err.(*guild.Error)
	if !ok || e.Code != guild.EInvalid {
		return false
	}
	if len(e.Fields) == 0 {
		p.add(strings.TrimSuffix(prefix, "."), "%s", e.Message)
		return true
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, m := range e.Fields[k] {
			p.add(prefix+k, "%s", m)
		}
	}
	return true
}

func (p *problems) empty() bool { return len(p.fields) == 0 }

// err returns nil when nothing was collected, else an EInvalid *guild.Error.
func (p *problems) err() error {
	if p.empty() {
		return nil
	}
	parts := make([]string, 0, len(p.order))
	for _, f := range p.order {
		parts = append(parts, f+": "+strings.Join(p.fields[f], "; "))
	}
	return &guild.Error{Code: guild.EInvalid, Message: strings.Join(parts, "; "), Fields: p.fields}
}

// text checks a string field: trimmed, required or not, at most max runes.
func (p *problems) text(field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			p.add(field, "is required")
		}
		return v
	}
	if !utf8.ValidString(v) {
		p.add(field, "must be valid UTF-8 text")
		return v
	}
	if n := utf8.RuneCountInString(v); n > max {
		p.add(field, "must be at most %d characters (got %d)", max, n)
	}
	return v
}

// email checks an email field: a bare address such as buyer@example.com.
func (p *problems) email(field, v string, required bool, max int) string {
	v = p.text(field, v, required, max)
	if v == "" {
		return v
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		p.add(field, "%q is not a valid email address (expected a bare address like buyer@example.com)", v)
	}
	return v
}

// ids checks a list of positive ids.
func (p *problems) ids(field string, ids []int64) {
	for _, id := range ids {
		if id <= 0 {
			p.add(field, "ids must be positive integers (got %d)", id)
			return
		}
	}
}
