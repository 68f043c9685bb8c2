package httpapi_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachments(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		id := e.createCompany(nil)
		base := fmt.Sprintf("/api/v3/io/companies/%d/attachments", id)

		r := e.do("GET", base, nil)
		expect(t, r, 200)
		if got := r.json(t)["data"].([]any); len(got) != 0 {
			t.Fatalf("new company has attachments: %s", r.body)
		}

		img := pngFile(t)
		r = e.upload(id, "logo.png", img)
		expect(t, r, 200)
		conform(t, r, "POST", "/companies/{companyId}/attachments")
		d := r.data(t)
		attID := d["id"].(string)
		url := d["attachmentFile"].(string)
		if d["attachmentUrl"] != url || !strings.HasSuffix(url, base+"/"+attID) || d["contentType"] != "image/png" || d["size"] != float64(len(img)) {
			t.Errorf("upload answer: %s", r.body)
		}

		r = e.do("GET", base+"/"+attID, nil)
		expect(t, r, 200)
		if !bytes.Equal(r.body, img) || r.header.Get("Content-Type") != "image/png" || !strings.Contains(r.header.Get("Content-Disposition"), "logo.png") {
			t.Errorf("download: %d bytes, headers %v", len(r.body), r.header)
		}

		r = e.do("GET", base, nil)
		expect(t, r, 200)
		list := r.json(t)["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["id"] != attID {
			t.Fatalf("list: %s", r.body)
		}

		// Another store never sees it.
		other := newEnv(t, b, envOptions{})
		otherID := other.createCompany(nil)
		expect(t, other.do("GET", fmt.Sprintf("/api/v3/io/companies/%d/attachments/%s", otherID, attID), nil), 404)
		expect(t, other.do("GET", base+"/"+attID, nil), 404)

		r = e.do("DELETE", base+"/"+attID, nil)
		expect(t, r, 200)
		conform(t, r, "DELETE", "/companies/{companyId}/attachments/{attachmentId}")
		expect(t, e.do("GET", base+"/"+attID, nil), 404)
		expect(t, e.do("DELETE", base+"/"+attID, nil), 404)
	})
}

func TestAttachmentLimits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		id := e.createCompany(nil)
		img := pngFile(t)

		// Type by content, not by name.
		expect(t, e.upload(id, "invoice.pdf", []byte("MZ\x90\x00 this is not a PDF")), 415)
		expect(t, e.upload(id, "notes.txt", []byte("plain text")), 415)
		r := e.upload(id, "renamed.bin", img)
		expect(t, r, 200)
		if r.data(t)["contentType"] != "image/png" {
			t.Errorf("content type: %s", r.body)
		}
		expect(t, e.upload(id, "empty.csv", nil), 422)

		big := append(append([]byte{}, img...), make([]byte, 10<<20)...)
		r = e.upload(id, "big.png", big)
		expect(t, r, 413)

		for i := 1; i < 10; i++ {
			expect(t, e.upload(id, fmt.Sprintf("f%d.csv", i), []byte("sku,qty\nA,1\n")), 200)
		}
		r = e.upload(id, "eleventh.csv", []byte("sku,qty\nA,1\n"))
		expect(t, r, 422)
		if !strings.Contains(string(r.body), "10 attachments") {
			t.Errorf("11th attachment: %s", r.body)
		}

		// Refused uploads leave no files behind.
		dir := filepath.Join(e.dataDir, "attachments", fmt.Sprint(e.tenant.ID), fmt.Sprint(id))
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 10 {
			t.Errorf("%d files on disk, want 10", len(entries))
		}

		expect(t, e.upload(999999, "a.png", img), 404)
		req := e.request("POST", fmt.Sprintf("/api/v3/io/companies/%d/attachments", id), map[string]any{"attachmentFile": "x"}, map[string]string{"authToken": e.token})
		expect(t, req, http.StatusUnsupportedMediaType)

		// Deleting the company removes its files.
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", id), nil), 200)
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("company deleted but %s remains (%v)", dir, err)
		}
	})
}
