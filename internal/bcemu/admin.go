package bcemu

import (
	"encoding/json"
	"net/http"
	"time"
)

// adminPrefix is where the emulator's own control API lives. It takes no
// token: the emulator is a sandbox for a local machine.
const adminPrefix = "/_emulator/"

// faultsWire is Faults on the admin API, with the delay as a Go duration
// string ("250ms").
type faultsWire struct {
	Share429       float64 `json:"share_429"`
	Share5xx       float64 `json:"share_5xx"`
	ShareSlow      float64 `json:"share_slow"`
	SlowDelay      string  `json:"slow_delay"`
	ShareDrop      float64 `json:"share_drop"`
	ShareDropAfter float64 `json:"share_drop_after"`
	TokenRevoked   bool    `json:"token_revoked"`
}

func toWire(f Faults) faultsWire {
	return faultsWire{Share429: f.Share429, Share5xx: f.Share5xx, ShareSlow: f.ShareSlow, SlowDelay: f.SlowDelay.String(),
		ShareDrop: f.ShareDrop, ShareDropAfter: f.ShareDropAfter, TokenRevoked: f.TokenRevoked}
}

type adminError struct {
	Error string `json:"error"`
}

// adminMux serves the control API:
//
//	GET  /_emulator/faults                 the faults in force
//	PUT  /_emulator/faults                 change them (fields left out keep their value)
//	POST /_emulator/stores                 add a store {"hash": "...", "token": "..."}
//	GET  /_emulator/stores/{hash}/stats    request counts, 429s, peaks, windows
//	GET  /_emulator/stores/{hash}/snapshot the store's groups, customers, assignments
//	POST /_emulator/stores/{hash}/reset-stats
func (e *Emulator) adminMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, toWire(e.Faults()))
	})
	mux.HandleFunc("PUT /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		fw := toWire(e.Faults())
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&fw); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{"the body must be a JSON object of faults: " + err.Error()})
			return
		}
		d, err := time.ParseDuration(fw.SlowDelay)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{`slow_delay must be a duration such as "250ms": ` + err.Error()})
			return
		}
		f := Faults{Share429: fw.Share429, Share5xx: fw.Share5xx, ShareSlow: fw.ShareSlow, SlowDelay: d,
			ShareDrop: fw.ShareDrop, ShareDropAfter: fw.ShareDropAfter, TokenRevoked: fw.TokenRevoked}
		if err := e.SetFaults(f); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, toWire(f))
	})
	mux.HandleFunc("POST /_emulator/stores", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Hash, Token string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{`the body must be {"hash": "...", "token": "..."}: ` + err.Error()})
			return
		}
		if err := e.AddStore(in.Hash, in.Token); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"hash": in.Hash})
	})
	mux.HandleFunc("GET /_emulator/stores/{hash}/stats", func(w http.ResponseWriter, r *http.Request) {
		st, err := e.Stats(r.PathValue("hash"))
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
	mux.HandleFunc("POST /_emulator/stores/{hash}/reset-stats", func(w http.ResponseWriter, r *http.Request) {
		if err := e.ResetStats(r.PathValue("hash")); err != nil {
			writeJSON(w, http.StatusNotFound, adminError{err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/stores/{hash}/snapshot", func(w http.ResponseWriter, r *http.Request) {
		sn, err := e.Snapshot(r.PathValue("hash"))
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, sn)
	})
	return mux
}

func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if _, pattern := e.admin.Handler(r); pattern == "" {
		writeJSON(w, http.StatusNotFound, adminError{"no such emulator endpoint; see docs/operations.md"})
		return
	}
	e.admin.ServeHTTP(w, r) // sets the path values Handler does not
}
