package attach

import (
	"archive/zip"
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"testing"

	"github.com/google/uuid"
)

func encode(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte("<x/>"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	pngBytes := encode(t, png.Encode)
	tests := []struct {
		name string
		file string
		data []byte
		want string // "" = refused
	}{
		{"png", "logo.png", pngBytes, "image/png"},
		{"png under another name", "logo.exe", pngBytes, "image/png"},
		{"gif", "a.gif", encode(t, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }), "image/gif"},
		{"jpeg", "a.jpg", encode(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }), "image/jpeg"},
		{"pdf", "a.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "application/pdf"},
		{"svg", "a.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>`), "image/svg+xml"},
		{"docx", "a.docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx", "a.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"csv", "a.csv", []byte("sku,qty\nA-1,3\nB-2,5\n"), "text/csv"},
		{"one-line csv named csv", "a.csv", []byte("sku;qty"), "text/csv"},
		{"xbm", "a.xbm", []byte("#define a_width 8\n#define a_height 1\nstatic char a_bits[] = { 0xff };\n"), "image/x-xbitmap"},
		{"wbmp", "a.wbmp", []byte{0, 0, 8, 2, 0xff, 0x00}, "image/vnd.wap.wbmp"},
		{"wbmp with a wrong size", "a.wbmp", []byte{0, 0, 8, 2, 0xff}, ""},
		{"plain text", "a.txt", []byte("hello\n"), ""},
		{"text named pdf", "a.pdf", []byte("hello\n"), ""},
		{"windows executable named pdf", "a.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 200)...), ""},
		{"plain zip", "a.docx", zipOf(t, "readme.txt"), ""},
		{"empty", "a.csv", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Detect(tt.file, tt.data)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Detect(%q) = %q, %v; want %q", tt.file, got, ok, tt.want)
			}
		})
	}
}

func TestFiles(t *testing.T) {
	f := NewFiles(t.TempDir())
	id := uuid.NewString()
	if err := f.Save(1, 2, id, []byte("data")); err != nil {
		t.Fatal(err)
	}
	r, err := f.Open(1, 2, id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != "data" {
		t.Errorf("read %q", got)
	}
	if _, err := f.Open(1, 3, id); err == nil {
		t.Error("another company's path opened the file")
	}
	for _, bad := range []string{"../../etc/passwd", "x", ""} {
		if err := f.Save(1, 2, bad, nil); err == nil {
			t.Errorf("Save accepted id %q", bad)
		}
	}
	if err := f.Remove(1, 2, id); err != nil {
		t.Fatal(err)
	}
	if err := f.Remove(1, 2, id); err != nil {
		t.Errorf("removing a missing file: %v", err)
	}
	if err := f.Save(1, 2, id, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := f.RemoveCompany(1, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Open(1, 2, id); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("after RemoveCompany: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}
