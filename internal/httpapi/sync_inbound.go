package httpapi

import (
	"net/http"

	"github.com/guild-b2b/guild/internal/app"
)

// POST /api/v3/io/sync/import and POST /api/v3/io/sync/reconcile (Guild's
// extensions). Both read the whole BigCommerce store before they answer.

type importCountsOut struct {
	Created   int `json:"created"`
	Linked    int `json:"linked"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Kept      int `json:"kept"`
}

type importOut struct {
	CustomerGroups importCountsOut `json:"customerGroups"`
	Customers      importCountsOut `json:"customers"`
}

func renderCounts(c app.ImportCounts) importCountsOut {
	return importCountsOut{Created: c.Created, Linked: c.Linked, Updated: c.Updated, Unchanged: c.Unchanged, Kept: c.Kept}
}

func (s *Server) syncImport(w http.ResponseWriter, r *http.Request) {
	res, err := s.app.ImportFromPlatform(r.Context(), tenantOf(r.Context()))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, importOut{CustomerGroups: renderCounts(res.Groups), Customers: renderCounts(res.Customers)})
}

type fieldDiffOut struct {
	Field       string `json:"field"`
	Guild       string `json:"guild"`
	BigCommerce string `json:"bigcommerce"`
}

type driftOut struct {
	Kind          string         `json:"kind"`
	EntityType    string         `json:"entityType"`
	EntityID      int64          `json:"entityId"`
	Label         string         `json:"label"`
	RemoteID      int64          `json:"remoteId"`
	BigCommerceID int64          `json:"bigcommerceId"`
	Fields        []fieldDiffOut `json:"fields"`
	QueuedChanges int            `json:"queuedChanges"`
	Action        string         `json:"action"`
}

type countsOut struct {
	CustomerGroups int `json:"customerGroups"`
	Customers      int `json:"customers"`
}

type reconcileOut struct {
	DryRun         bool       `json:"dryRun"`
	Checked        countsOut  `json:"checked"`
	InSync         int        `json:"inSync"`
	Drift          []driftOut `json:"drift"`
	RemoteOnly     countsOut  `json:"remoteOnly"`
	Enqueued       int        `json:"enqueued"`
	RemoteIDsFixed int        `json:"remoteIdsFixed"`
}

func (s *Server) syncReconcile(w http.ResponseWriter, r *http.Request) {
	var c checker
	dry := queryBool(&c, r.URL.Query(), "dryRun")
	if err := c.err(); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	rep, err := s.app.Reconcile(r.Context(), tenantOf(r.Context()), dry != nil && *dry)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := reconcileOut{DryRun: rep.DryRun, Checked: countsOut{rep.GroupsChecked, rep.CustomersChecked}, InSync: rep.InSync,
		Drift: make([]driftOut, 0, len(rep.Drift)), RemoteOnly: countsOut{rep.RemoteOnlyGroups, rep.RemoteOnlyCustomers},
		Enqueued: rep.Enqueued, RemoteIDsFixed: rep.RemoteIDsFixed}
	for _, d := range rep.Drift {
		o := driftOut{Kind: d.Kind, EntityType: d.EntityType, EntityID: d.EntityID, Label: d.Label, RemoteID: d.RemoteID,
			BigCommerceID: d.MatchID, Fields: make([]fieldDiffOut, 0, len(d.Fields)), QueuedChanges: d.Queued, Action: d.Action}
		for _, f := range d.Fields {
			o.Fields = append(o.Fields, fieldDiffOut(f))
		}
		out.Drift = append(out.Drift, o)
	}
	writeOK(w, out)
}
