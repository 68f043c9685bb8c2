package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The channel endpoints (the vendor's channel.yaml) answer "SUCCESS", and
// their errors are {"code": 404, "message": "..."} rather than the usual
// envelope. GET /channels/{channel_id} takes the platform's channel id.

type channelError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// writeChannelError answers err in the channel endpoints' error shape.
func (s *Server) writeChannelError(w http.ResponseWriter, r *http.Request, err error) {
	var ge *guild.Error
	if !errors.As(err, &ge) || ge.Code == guild.EInternal {
		if r.Context().Err() != nil {
			writeError(w, r, s.logger, err) // the client went away
			return
		}
		s.logger.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		writeJSON(w, http.StatusInternalServerError, channelError{Code: http.StatusInternalServerError,
			Message: "internal error (request id " + requestID(r.Context()) + "); nothing was changed by this request unless it said otherwise"})
		return
	}
	status, _ := statusOf(ge.Code)
	writeJSON(w, status, channelError{Code: status, Message: ge.Message})
}

// storeChannelOut is the vendor's Channel; its times are unix seconds written as
// strings, as the vendor's examples show.
type storeChannelOut struct {
	ID                int64  `json:"id"`
	ChannelID         int64  `json:"channelId"`
	Name              string `json:"name"`
	Type              string `json:"type"`
	Platform          string `json:"platform"`
	Status            string `json:"status"`
	Site              string `json:"site"`
	IsVisible         bool   `json:"isVisible"`
	IsEnabled         bool   `json:"isEnabled"`
	IconURL           string `json:"iconUrl"`
	B2BEnabled        bool   `json:"b2bEnabled"`
	AllowGlobalLogins bool   `json:"allowGlobalLogins"`
	CreatedAt         string `json:"createdAt"`
	UpdatedAt         string `json:"updatedAt"`
}

func renderChannel(c guild.Channel) storeChannelOut {
	return storeChannelOut{ID: c.ID, ChannelID: c.ChannelID, Name: c.Name, Type: c.Type, Platform: c.Platform, Status: c.Status,
		Site: c.Site, IsVisible: c.IsVisible, IsEnabled: c.IsEnabled, IconURL: c.IconURL, B2BEnabled: c.B2BEnabled,
		AllowGlobalLogins: c.AllowGlobalLogins, CreatedAt: strconv.FormatInt(c.CreatedAt.Unix(), 10),
		UpdatedAt: strconv.FormatInt(c.UpdatedAt.Unix(), 10)}
}

// channelIn is the body of Guild's channel create and update.
type channelIn struct {
	ChannelID         Int  `json:"channelId"`
	Name              Str  `json:"name"`
	Type              Str  `json:"type"`
	Platform          Str  `json:"platform"`
	Status            Str  `json:"status"`
	Site              Str  `json:"site"`
	IconURL           Str  `json:"iconUrl"`
	IsVisible         Bool `json:"isVisible"`
	IsEnabled         Bool `json:"isEnabled"`
	B2BEnabled        Bool `json:"b2bEnabled"`
	AllowGlobalLogins Bool `json:"allowGlobalLogins"`
}

// readChannel decodes and checks a channel body (create and update).
func readChannel(w http.ResponseWriter, r *http.Request) (channelIn, error) {
	var body channelIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		return channelIn{}, err
	}
	return body, body.check()
}

func (in channelIn) check() error {
	var c checker
	c.int("channelId", in.ChannelID)
	for name, v := range map[string]Str{"name": in.Name, "type": in.Type, "platform": in.Platform, "status": in.Status, "site": in.Site, "iconUrl": in.IconURL} {
		c.str(name, v)
	}
	for name, v := range map[string]Bool{"isVisible": in.IsVisible, "isEnabled": in.IsEnabled, "b2bEnabled": in.B2BEnabled, "allowGlobalLogins": in.AllowGlobalLogins} {
		c.bool(name, v)
	}
	return c.err()
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.ListChannels(r.Context(), tenantOf(r.Context()), true)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	out := make([]storeChannelOut, len(cs))
	for i, c := range cs {
		out[i] = renderChannel(c)
	}
	writeOK(w, out)
}

// channelPathID reads the platform channel id of the path.
func channelPathID(r *http.Request) (int64, error) {
	raw := r.PathValue("channel_id")
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, guild.Errorf(guild.EBadRequest, "channel_id must be the platform's channel id, a positive integer (got %q)", raw)
	}
	return id, nil
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	id, err := channelPathID(r)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	c, err := s.app.Channel(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	writeOK(w, renderChannel(c))
}

func (s *Server) createChannel(w http.ResponseWriter, r *http.Request) {
	body, err := readChannel(w, r)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	c, err := s.app.CreateChannel(r.Context(), tenantOf(r.Context()), app.ChannelInput{
		ChannelID: body.ChannelID.V, Name: body.Name.V, Type: body.Type.V, Platform: body.Platform.V, Status: body.Status.V,
		Site: body.Site.V, IconURL: body.IconURL.V, IsVisible: body.IsVisible.Ptr(), IsEnabled: body.IsEnabled.Ptr(),
		B2BEnabled: body.B2BEnabled.Ptr(), GlobalLogins: body.AllowGlobalLogins.Ptr(),
	})
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	writeOK(w, renderChannel(c))
}

func (s *Server) updateChannel(w http.ResponseWriter, r *http.Request) {
	id, err := channelPathID(r)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	body, err := readChannel(w, r)
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	c, err := s.app.UpdateChannel(r.Context(), tenantOf(r.Context()), id, app.ChannelPatch{
		ChannelID: body.ChannelID.Ptr(), Name: body.Name.Ptr(), Type: body.Type.Ptr(), Platform: body.Platform.Ptr(),
		Status: body.Status.Ptr(), Site: body.Site.Ptr(), IconURL: body.IconURL.Ptr(), IsVisible: body.IsVisible.Ptr(),
		IsEnabled: body.IsEnabled.Ptr(), B2BEnabled: body.B2BEnabled.Ptr(), GlobalLogins: body.AllowGlobalLogins.Ptr(),
	})
	if err != nil {
		s.writeChannelError(w, r, err)
		return
	}
	writeOK(w, renderChannel(c))
}

// nameChannels fills in channelName and iconUrl of users' and super admins'
// channel lists from the store's channels (a list naming a channel the
// store no longer knows keeps "").
func (s *Server) nameChannels(ctx context.Context, t guild.Tenant, lists ...[]channelOut) error {
	if len(lists) == 0 {
		return nil
	}
	cs, err := s.app.ListChannels(ctx, t, false)
	if err != nil {
		return err
	}
	byID := make(map[int64]guild.Channel, len(cs))
	for _, c := range cs {
		byID[c.ChannelID] = c
	}
	for _, l := range lists {
		for i := range l {
			if c, ok := byID[l[i].ChannelID]; ok {
				l[i].ChannelName, l[i].IconURL = c.Name, c.IconURL
			}
		}
	}
	return nil
}

func userChannelLists(us []userOut) [][]channelOut {
	out := make([][]channelOut, len(us))
	for i := range us {
		out[i] = us[i].ChannelList
	}
	return out
}

func superAdminChannelLists(as []superAdminOut) [][]channelOut {
	out := make([][]channelOut, len(as))
	for i := range as {
		out[i] = as[i].ChannelList
	}
	return out
}
