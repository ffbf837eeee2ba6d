package web

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// FuzzRepairPartHeaders repairs any body: it never panics, leaves a body
// without control characters in its part headers as it is, and a repaired
// body needs no second repair.
func FuzzRepairPartHeaders(f *testing.F) {
	form := func(filename string) []byte {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.SetBoundary("XX")
		w.WriteField("_csrf", "token")
		part, _ := w.CreateFormFile("file", "x")
		part.Write([]byte("sku,name\n\nKR-1,Kettle\n"))
		w.Close()
		return bytes.Replace(buf.Bytes(), []byte(`filename="x"`), []byte(`filename="`+filename+`"`), 1)
	}
	for _, name := range []string{"a.csv", "a\x00b.csv", "a\x01\x7fb", "a\rb", "a\xffb", "a\n\nb"} {
		f.Add(form(name), "XX")
	}
	f.Add([]byte("--XX\n\x00\n\n--XX--"), "XX")
	f.Add([]byte("--XX"), "XX")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if boundary == "" {
			return // not a multipart form: readMultipart never repairs it
		}
		out, fields := repairPartHeaders(body, boundary)
		if len(fields) == 0 && !bytes.Equal(out, body) {
			t.Fatalf("changed without a repair: %q → %q", body, out)
		}
		if again, more := repairPartHeaders(out, boundary); len(more) != 0 || !bytes.Equal(again, out) {
			t.Fatalf("a repaired body needs more: %q → %q (%v)", out, again, more)
		}
	})
}
