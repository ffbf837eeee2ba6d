package web

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/xlsx"
)

// maxFilenameBytes bounds a file name as sent (file systems allow 255 bytes).
const maxFilenameBytes = 255

const repairedPartsKey = "repairedParts"

// readMultipart reads a multipart form before any handler or middleware
// asks for a value of it (the server does not read forms ahead:
// DisablePreParseMultipartForm). Go's parser refuses a whole form when a
// part's header holds a control character (a NUL in a file name): then the
// control characters of the part headers are replaced and the form is read
// again, and the fields of the repaired parts are noted, so that the form
// arrives (with its CSRF token) and readUpload refuses the file at its
// field. A form that stays unreadable reaches the handlers without values.
func (s *Server) readMultipart(c *fiber.Ctx) error {
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		return c.Next()
	}
	if _, err := c.MultipartForm(); err == nil {
		return c.Next()
	}
	body, fields := repairPartHeaders(c.Body(), boundary)
	if len(fields) > 0 {
		c.Request().SetBody(body)
		if _, err := c.MultipartForm(); err == nil {
			c.Locals(repairedPartsKey, fields)
		}
	}
	return c.Next()
}

// repairPartHeaders replaces the control characters (but tab) in the part
// headers of a multipart body by U+FFFD and returns the body and the field
// names of the parts it repaired.
func repairPartHeaders(body []byte, boundary string) ([]byte, map[string]bool) {
	delim := []byte("--" + boundary)
	var out bytes.Buffer
	fields := map[string]bool{}
	pos := 0 // body[:pos] is in out
	for {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		start := pos + i + len(delim)
		nl := bytes.IndexByte(body[start:], '\n')
		if nl < 0 {
			break
		}
		hdrStart := start + nl + 1
		end := bytes.Index(body[hdrStart:], []byte("\n\r\n"))
		if alt := bytes.Index(body[hdrStart:], []byte("\n\n")); end < 0 || (alt >= 0 && alt < end) {
			end = alt
		}
		if end < 0 {
			break // the closing delimiter, or no headers: the rest as it is
		}
		hdrEnd := hdrStart + end + 1 // with the headers' last \n
		out.Write(body[pos:hdrStart])
		hdr, changed := repairHeader(body[hdrStart:hdrEnd])
		out.Write(hdr)
		if changed {
			fields[partName(hdr)] = true
		}
		pos = hdrEnd
		next := bytes.Index(body[pos:], delim)
		if next < 0 {
			break
		}
		out.Write(body[pos : pos+next])
		pos += next
	}
	if len(fields) == 0 {
		return body, nil
	}
	out.Write(body[pos:])
	return out.Bytes(), fields
}

// repairHeader replaces the control characters of header lines, keeping
// each line's end (\n or \r\n) and tabs.
func repairHeader(h []byte) ([]byte, bool) {
	var out bytes.Buffer
	changed := false
	for i, b := range h {
		lineEnd := b == '\n' || (b == '\r' && i+1 < len(h) && h[i+1] == '\n')
		if (b < 0x20 && b != '\t' && !lineEnd) || b == 0x7f {
			out.WriteString("\uFFFD")
			changed = true
			continue
		}
		out.WriteByte(b)
	}
	return out.Bytes(), changed
}

// partName returns the field name of a part's headers, or "".
func partName(hdr []byte) string {
	for _, line := range strings.Split(string(hdr), "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "Content-Disposition") {
			continue
		}
		if _, params, err := mime.ParseMediaType(strings.TrimSpace(v)); err == nil {
			return params["name"]
		}
	}
	return ""
}

// upload is a file of a multipart field as readUpload found it.
type upload struct {
	Filename string
	Content  []byte
	// Problem says why the file is refused (too large, a bad file name);
	// Content is then at most its first bytes.
	Problem i18n.Message
}

// readUpload reads the file of a multipart field, refusing it whole when
// it is larger than limit (the message tooLarge) or its name holds a
// control character or bytes that are not UTF-8, or is too long: the file
// comes back with Problem set. A missing field or an empty file gives
// ok=false.
func readUpload(c *fiber.Ctx, field string, limit int64, tooLarge i18n.Message) (upload, bool, error) {
	fhs := fileHeaders(c, field)
	if len(fhs) == 0 || fhs[0].Size == 0 {
		return upload{}, false, nil
	}
	repaired, _ := c.Locals(repairedPartsKey).(map[string]bool)
	u, err := readFileHeader(fhs[0], repaired[field], limit, tooLarge)
	if err != nil {
		return upload{}, false, err
	}
	return u, true, nil
}

// fileHeaders are the files of a multipart field; none when the post is
// not multipart.
func fileHeaders(c *fiber.Ctx, field string) []*multipart.FileHeader {
	form, err := c.MultipartForm()
	if err != nil || form == nil {
		return nil
	}
	return form.File[field]
}

// readFileHeader reads a file of a multipart form as readUpload does;
// repaired says that readMultipart replaced control characters in its
// part's headers.
func readFileHeader(fh *multipart.FileHeader, repaired bool, limit int64, tooLarge i18n.Message) (upload, error) {
	u := upload{Filename: fh.Filename}
	switch {
	case repaired || strings.ContainsFunc(fh.Filename, unicode.IsControl):
		u.Problem = i18n.M("The file's name contains a NUL or another control character: rename the file and choose it again.")
	case !utf8.ValidString(fh.Filename):
		u.Problem = i18n.M("The file's name has bytes that are not valid UTF-8 characters: rename the file and choose it again.")
	case len(fh.Filename) > maxFilenameBytes:
		u.Problem = i18n.M("The file's name is longer than %d characters: rename the file and choose it again.", maxFilenameBytes)
	case fh.Size > limit:
		u.Problem = tooLarge
	}
	n := limit
	if !u.Problem.IsZero() {
		n = 512 // enough to tell what it is; the file is refused anyway
	}
	var err error
	if u.Content, err = readPart(fh, n); err != nil {
		return upload{}, err
	}
	if u.Problem.IsZero() && int64(len(u.Content)) > limit { // the header's size was wrong
		u.Problem = tooLarge
	}
	return u, nil
}

// readPart reads at most n bytes and one more of the part, into a buffer
// of the part's size (io.ReadAll would grow one to twice that).
func readPart(fh *multipart.FileHeader, n int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, min(fh.Size, n+1))
	k, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF { // the header's size was more than the part's
		err = nil
	}
	return buf[:k], err
}

// formFile reads a document of a multipart field (at most
// customers.MaxUploadBytes); a file refused whole carries its reason in
// Problem, which customers.CheckUpload reports at the form's field.
func formFile(c *fiber.Ctx, field string) (customers.Upload, bool, error) {
	u, ok, err := readUpload(c, field, customers.MaxUploadBytes, customers.TooLargeMessage)
	return u.document(), ok, err
}

// document is the upload as the areas check and store it.
func (u upload) document() customers.Upload {
	return customers.Upload{Filename: u.Filename, Content: u.Content, Problem: u.Problem}
}

// formFiles reads the documents of a multipart field that takes several
// files, as formFile reads one; empty files are left out. The area counts
// them. Where readMultipart repaired the field's part headers, the files
// whose names it repaired are refused (every one, when the field has one).
func formFiles(c *fiber.Ctx, field string) ([]customers.Upload, error) {
	fhs := fileHeaders(c, field)
	repaired, _ := c.Locals(repairedPartsKey).(map[string]bool)
	var out []customers.Upload
	for _, fh := range fhs {
		if fh.Size == 0 {
			continue
		}
		bad := repaired[field] && (len(fhs) == 1 || strings.ContainsRune(fh.Filename, utf8.RuneError))
		u, err := readFileHeader(fh, bad, customers.MaxUploadBytes, customers.TooLargeMessage)
		if err != nil {
			return nil, err
		}
		out = append(out, u.document())
	}
	return out, nil
}

// sendAttachment sends content as a download under its own name.
func sendAttachment(c *fiber.Ctx, contentType, name string, content []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(content)
}

// importFile reads an import file of a multipart field (at most
// xlsx.MaxImportBytes). It returns the content, or the message to show at
// the field when there is no file or it is refused whole. The request's
// body and form are released once the file is copied (an import form has
// no other values the handler reads), so that an import of 20 MB holds one
// copy of the file, not three.
func importFile(c *fiber.Ctx, field string) ([]byte, i18n.Message, error) {
	u, ok, err := readUpload(c, field, xlsx.MaxImportBytes,
		i18n.M("This file is larger than %d MB: split it into smaller files.", xlsx.MaxImportBytes>>20))
	c.Request().RemoveMultipartFormFiles()
	c.Request().ReleaseBody(0)
	switch {
	case err != nil:
		return nil, i18n.Message{}, err
	case !ok:
		return nil, i18n.M("Choose an .xlsx or CSV file."), nil
	case !u.Problem.IsZero():
		return nil, i18n.M("%s Nothing was imported.", u.Problem), nil
	}
	return u.Content, i18n.Message{}, nil
}
