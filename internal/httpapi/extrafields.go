package httpapi

import (
	"net/http"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

var extraFieldKinds = []struct {
	path string
	kind guild.ExtraFieldKind
}{
	{"companies", guild.ExtraFieldCompany},
	{"users", guild.ExtraFieldUser},
	{"addresses", guild.ExtraFieldAddress},
}

// extraFieldDefOut is the vendor's extra-field config.
type extraFieldDefOut struct {
	ID               int64    `json:"id"`
	UUID             string   `json:"uuid"`
	FieldName        string   `json:"fieldName"`
	FieldType        int      `json:"fieldType"`
	IsRequired       bool     `json:"isRequired"`
	IsUnique         bool     `json:"isUnique"`
	VisibleToEnduser bool     `json:"visibleToEnduser"`
	ConfigType       int      `json:"configType"`
	DefaultValue     string   `json:"defaultValue"`
	MaximumLength    string   `json:"maximumLength"`
	NumberOfRows     string   `json:"numberOfRows"`
	MaximumValue     string   `json:"maximumValue"`
	ListOfValue      []string `json:"listOfValue"`
}

// configTypeUserDefined marks fields a merchant defined (1 is built-in).
const configTypeUserDefined = 2

func renderExtraFieldDef(d guild.ExtraFieldDef) extraFieldDefOut {
	out := extraFieldDefOut{
		ID: d.ID, UUID: d.UUID, FieldName: d.Name, FieldType: int(d.Type), IsRequired: d.Required,
		IsUnique: d.Unique, VisibleToEnduser: d.VisibleToEndUser, ConfigType: configTypeUserDefined,
		DefaultValue: d.DefaultValue, ListOfValue: d.ListOfValues,
	}
	if d.MaximumLength > 0 {
		out.MaximumLength = strconv.Itoa(d.MaximumLength)
	}
	if d.NumberOfRows > 0 {
		out.NumberOfRows = strconv.Itoa(d.NumberOfRows)
	}
	if d.MaximumValue != nil {
		out.MaximumValue = strconv.FormatFloat(*d.MaximumValue, 'f', -1, 64)
	}
	if out.ListOfValue == nil {
		out.ListOfValue = []string{}
	}
	return out
}

// extraFieldDefIn is the body of Guild's define/update extra-field endpoints.
type extraFieldDefIn struct {
	FieldName        Str    `json:"fieldName"`
	FieldType        Int    `json:"fieldType"`
	IsRequired       Bool   `json:"isRequired"`
	IsUnique         Bool   `json:"isUnique"`
	VisibleToEnduser Bool   `json:"visibleToEnduser"`
	DefaultValue     Str    `json:"defaultValue"`
	MaximumLength    Int    `json:"maximumLength"`
	NumberOfRows     Int    `json:"numberOfRows"`
	MaximumValue     Str    `json:"maximumValue"`
	ListOfValue      *[]Str `json:"listOfValue"`
	UUID             Str    `json:"uuid"`
}

func (in extraFieldDefIn) toPatch() (app.ExtraFieldPatch, error) {
	var c checker
	c.str("fieldName", in.FieldName)
	c.int("fieldType", in.FieldType)
	c.bool("isRequired", in.IsRequired)
	c.bool("isUnique", in.IsUnique)
	c.bool("visibleToEnduser", in.VisibleToEnduser)
	c.str("defaultValue", in.DefaultValue)
	c.int("maximumLength", in.MaximumLength)
	c.int("numberOfRows", in.NumberOfRows)
	c.str("maximumValue", in.MaximumValue)
	c.str("uuid", in.UUID)
	pt := app.ExtraFieldPatch{
		Name: in.FieldName.Ptr(), Required: in.IsRequired.Ptr(), Unique: in.IsUnique.Ptr(),
		VisibleToEndUser: in.VisibleToEnduser.Ptr(), DefaultValue: in.DefaultValue.Ptr(), UUID: in.UUID.Ptr(),
	}
	if in.FieldType.Ptr() != nil {
		t := guild.ExtraFieldType(in.FieldType.V)
		pt.Type = &t
	}
	// null or "" clears a limit.
	if in.MaximumLength.Set {
		n := int(in.MaximumLength.V)
		pt.MaximumLength = &n
	}
	if in.NumberOfRows.Set {
		n := int(in.NumberOfRows.V)
		pt.NumberOfRows = &n
	}
	if in.MaximumValue.Set {
		var mv *float64
		if in.MaximumValue.V != "" {
			f, err := strconv.ParseFloat(in.MaximumValue.V, 64)
			if err != nil {
				c.add("maximumValue", "must be a number (got %q)", in.MaximumValue.V)
			}
			mv = &f
		}
		pt.MaximumValue = &mv
	}
	if in.ListOfValue != nil {
		vals := make([]string, len(*in.ListOfValue))
		for i, v := range *in.ListOfValue {
			c.str("listOfValue", v)
			vals[i] = v.V
		}
		pt.ListOfValues = &vals
	}
	return pt, c.err()
}

func (s *Server) listExtraFields(kind guild.ExtraFieldKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var c checker
		pg := guild.Page{Limit: queryInt(&c, r.URL.Query(), "limit", app.DefaultLimit), Offset: queryInt(&c, r.URL.Query(), "offset", 0)}
		if err := c.err(); err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		defs, total, err := s.app.ListExtraFieldDefs(r.Context(), tenantOf(r.Context()), kind, pg)
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		out := make([]extraFieldDefOut, len(defs))
		for i, d := range defs {
			out[i] = renderExtraFieldDef(d)
		}
		// The vendor's users API says "Success"; companies and addresses "SUCCESS".
		msg := msgSuccess
		if kind == guild.ExtraFieldUser {
			msg = msgSuccessMixed
		}
		writeJSON(w, http.StatusOK, envelope{Code: http.StatusOK, Data: out, Meta: listMeta{Message: msg, Pagination: Pagination{Limit: pg.Limit, Offset: pg.Offset, TotalCount: total}}})
	}
}

func (s *Server) createExtraField(kind guild.ExtraFieldKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body extraFieldDefIn
		if err := decodeBody(w, r, '{', &body); err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		pt, err := body.toPatch()
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		d, err := s.app.CreateExtraFieldDef(r.Context(), tenantOf(r.Context()), kind, pt)
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		writeOK(w, renderExtraFieldDef(d))
	}
}

func (s *Server) updateExtraField(kind guild.ExtraFieldKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		var body extraFieldDefIn
		if err := decodeBody(w, r, '{', &body); err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		pt, err := body.toPatch()
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		d, err := s.app.UpdateExtraFieldDef(r.Context(), tenantOf(r.Context()), kind, id, pt)
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		writeOK(w, renderExtraFieldDef(d))
	}
}

func (s *Server) deleteExtraField(kind guild.ExtraFieldKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		if err := s.app.DeleteExtraFieldDef(r.Context(), tenantOf(r.Context()), kind, id); err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		writeOK(w, struct{}{})
	}
}
