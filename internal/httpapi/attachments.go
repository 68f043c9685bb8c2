package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/attach"
)

// attachmentOut renders an attachment. The vendor's documents disagree on
// the URL's name (attachmentFile in the OpenAPI file, attachmentUrl in the
// published docs); Guild sends both.
type attachmentOut struct {
	ID             string `json:"id"`
	AttachmentFile string `json:"attachmentFile"`
	AttachmentURL  string `json:"attachmentUrl"`
	FileName       string `json:"fileName"`
	ContentType    string `json:"contentType"`
	Size           int64  `json:"size"`
	CreatedAt      int64  `json:"createdAt"`
}

func renderAttachment(r *http.Request, a guild.Attachment) attachmentOut {
	u := baseURL(r) + "/api/v3/io/companies/" + strconv.FormatInt(a.CompanyID, 10) + "/attachments/" + url.PathEscape(a.ID)
	return attachmentOut{ID: a.ID, AttachmentFile: u, AttachmentURL: u, FileName: a.FileName, ContentType: a.ContentType, Size: a.Size, CreatedAt: a.CreatedAt.Unix()}
}

// baseURL is the scheme and host the client used to reach Guild.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

func (s *Server) listAttachments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	list, err := s.app.ListAttachments(r.Context(), tenantOf(r.Context()), id)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	out := make([]attachmentOut, 0, len(list))
	for _, a := range list {
		out = append(out, renderAttachment(r, a))
	}
	writeOK(w, out)
}

// multipartOverhead is room for the multipart framing around a 10 MB file.
const multipartOverhead = 64 << 10

func (s *Server) addAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	a, err := s.app.AddAttachment(r.Context(), tenantOf(r.Context()), id, name, data)
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, renderAttachment(r, a))
}

// readUpload reads the multipart part attachmentFile, refusing more than
// attach.MaxSize bytes without reading further.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return "", nil, guild.Errorf(guild.EUnsupported, "send the file as multipart/form-data in the part named attachmentFile")
	}
	r.Body = http.MaxBytesReader(w, r.Body, attach.MaxSize+multipartOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, guild.Errorf(guild.EBadRequest, "the multipart body cannot be read: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, guild.FieldError("attachmentFile", "is required: send the file in the multipart part named attachmentFile")
		}
		if err != nil {
			return "", nil, uploadError(err)
		}
		if part.FormName() != "attachmentFile" {
			_ = part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, attach.MaxSize+1))
		if err != nil {
			return "", nil, uploadError(err)
		}
		if len(data) > attach.MaxSize {
			return "", nil, guild.Errorf(guild.ETooLarge, "the attachment is larger than %d bytes (10 MB), the most accepted", attach.MaxSize)
		}
		return part.FileName(), data, nil
	}
}

func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return guild.Errorf(guild.ETooLarge, "the upload is larger than %d bytes (10 MB), the most accepted", attach.MaxSize)
	}
	return guild.Errorf(guild.EBadRequest, "the multipart body cannot be read: %v", err)
}

func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	a, f, err := s.app.OpenAttachment(r.Context(), tenantOf(r.Context()), id, r.PathValue("attachmentId"))
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.FileName}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", a.CreatedAt, f)
}

func (s *Server) deleteAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "companyId")
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	if err := s.app.DeleteAttachment(r.Context(), tenantOf(r.Context()), id, r.PathValue("attachmentId")); err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	writeOK(w, struct{}{})
}
