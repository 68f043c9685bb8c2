package app

import (
	"slices"
	"strings"
	"unicode"

	"github.com/biter777/countries"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Countries and their states come from github.com/biter777/countries: ISO
// 3166-1 countries and ISO 3166-2 subdivisions (4,885 of them), kept up to
// date upstream; Guild already used it for companies' countries. A state's
// code is its ISO 3166-2 code without the country prefix ("TX" of "US-TX",
// "NSW" of "AU-NSW", "13" of "JP-13"). Names are the standard's, often in
// the local language ("Bayern", "Québec"); lookups ignore case and accents,
// and a name's bracketed English form counts too ("Abu Dhabi" for
// "Abū Ȥaby [Abu Dhabi]").

// Place is a country or a state: its code and its name.
type Place struct {
	Code string
	Name string
}

// stateCountries are the countries whose addresses need a state, as the
// vendor lists them (address.yaml, GET /states); only they answer states.
var stateCountries = []string{"AR", "AU", "AT", "BR", "CA", "CL", "DE", "IN", "ID", "IE", "IT", "JP",
	"MY", "MX", "MM", "NZ", "PH", "QA", "RO", "ZA", "ES", "CH", "AE", "US"}

// StateRequired reports whether addresses in the country (alpha-2 code)
// need a state.
func StateRequired(countryCode string) bool { return slices.Contains(stateCountries, countryCode) }

// fold lower-cases s and strips its accents, for comparing names.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// LookupCountry finds a country by its ISO 3166-1 alpha-2 code (byCode) or
// by its English name (common variants count: "USA", "United States of
// America").
func LookupCountry(q string, byCode bool) (Place, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return Place{}, false
	}
	if byCode {
		if len(q) != 2 {
			return Place{}, false
		}
		c := countries.ByName(strings.ToUpper(q))
		if c == countries.Unknown || !c.IsValid() || c.Alpha2() != strings.ToUpper(q) {
			return Place{}, false
		}
		return Place{Code: c.Alpha2(), Name: c.String()}, true
	}
	if len(q) <= 3 && strings.ToUpper(q) == q {
		return Place{}, false // a code, not a name
	}
	code, name, ok := resolveCountry(q)
	return Place{Code: code, Name: name}, ok
}

// states returns the states of a country that needs them, ordered by code.
func states(countryCode string) []Place {
	if !StateRequired(countryCode) {
		return nil
	}
	subs := countries.ByName(countryCode).Subdivisions()
	out := make([]Place, 0, len(subs))
	for _, s := range subs {
		out = append(out, Place{Code: strings.TrimPrefix(string(s), countryCode+"-"), Name: s.String()})
	}
	slices.SortFunc(out, func(a, b Place) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// LookupState finds a state of a country that needs states, by its code
// (byCode; the ISO 3166-2 form "US-TX" counts too) or by its name. Where
// two subdivisions share a name (a Spanish community and its province), the
// one with the smaller code wins.
func LookupState(countryCode, q string, byCode bool) (Place, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return Place{}, false
	}
	f := fold(q)
	for _, s := range states(countryCode) {
		if byCode {
			if strings.EqualFold(s.Code, q) || strings.EqualFold(countryCode+"-"+s.Code, q) {
				return s, true
			}
			continue
		}
		if fold(s.Name) == f {
			return s, true
		}
		if i := strings.Index(s.Name, "["); i >= 0 && strings.HasSuffix(s.Name, "]") &&
			(fold(s.Name[i+1:len(s.Name)-1]) == f || fold(s.Name[:i]) == f) {
			return s, true
		}
	}
	return Place{}, false
}

// stateExample names a state of the country, for messages.
func stateExample(countryCode string) string {
	ss := states(countryCode)
	if len(ss) == 0 {
		return ""
	}
	s := ss[0]
	if countryCode == "US" {
		s = Place{Code: "TX", Name: "Texas"}
	}
	return `"` + s.Name + `" or code "` + s.Code + `"`
}
