package attach

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

// Limits on attachments, as the vendor sets them.
const (
	MaxSize       = 10 << 20
	MaxPerCompany = 10
)

// AcceptedTypes names the accepted file types, for error messages.
const AcceptedTypes = "images (BMP, GIF, ICO, JPG/JPEG, PNG, SVG, TIF/TIFF, WEBP, WBMP, XBM), PDF, DOC, DOCX, XLS, XLSX and CSV"

// accepted maps a detected MIME type to the content type Guild stores.
var accepted = map[string]string{
	"image/bmp":                "image/bmp",
	"image/gif":                "image/gif",
	"image/x-icon":             "image/x-icon",
	"image/jpeg":               "image/jpeg",
	"image/png":                "image/png",
	"image/svg+xml":            "image/svg+xml",
	"image/tiff":               "image/tiff",
	"image/webp":               "image/webp",
	"application/pdf":          "application/pdf",
	"application/msword":       "application/msword",
	"application/vnd.ms-excel": "application/vnd.ms-excel",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/csv": "text/csv",
}

// Detect returns the content type of data when it is an accepted type, judged
// by the bytes. The file name only breaks ties between formats that the bytes
// alone cannot tell apart: plain text is a CSV only when named .csv, and the
// header-less WBMP format is recognised only when named .wbmp.
func Detect(fileName string, data []byte) (string, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", false
	}
	ext := strings.ToLower(filepath.Ext(fileName))
	m := mimetype.Detect(data)
	for t := m; t != nil; t = t.Parent() {
		if ct, ok := accepted[t.String()]; ok {
			return ct, true
		}
	}
	switch {
	case isXBM(data):
		return "image/x-xbitmap", true
	case ext == ".wbmp" && isWBMP(data):
		return "image/vnd.wap.wbmp", true
	case ext == ".csv" && m.Is("text/plain") && utf8.Valid(data) && bytes.IndexByte(data, 0) < 0:
		return "text/csv", true
	}
	return "", false
}

// isXBM recognises an X BitMap: C source that defines a width and a height
// and declares the bits array.
func isXBM(data []byte) bool {
	head := data[:min(len(data), 512)]
	return bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("#define")) &&
		bytes.Contains(head, []byte("_width")) && bytes.Contains(head, []byte("_height")) &&
		bytes.Contains(head, []byte("_bits[]"))
}

// isWBMP recognises a type-0 wireless bitmap: type 0, fixed header 0, then
// width and height as multi-byte integers, then exactly the pixel rows.
func isWBMP(data []byte) bool {
	if len(data) < 4 || data[0] != 0 || data[1] != 0 {
		return false
	}
	rest := data[2:]
	width, n := readMultiByte(rest)
	if n == 0 {
		return false
	}
	rest = rest[n:]
	height, n := readMultiByte(rest)
	if n == 0 || width == 0 || height == 0 {
		return false
	}
	rest = rest[n:]
	return int64(len(rest)) == int64((width+7)/8)*int64(height)
}

func readMultiByte(b []byte) (int, int) {
	v := 0
	for i := 0; i < len(b) && i < 4; i++ {
		v = v<<7 | int(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
