package web

import (
	"io"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/customers"
)

// formFile reads the file of a multipart field, at most one byte past the
// upload limit so that an oversized file is recognised without reading it all.
// A missing field or an empty file gives ok=false.
func formFile(c *fiber.Ctx, field string) (customers.Upload, bool, error) {
	form, err := c.MultipartForm()
	if err != nil || form == nil {
		return customers.Upload{}, false, nil // not a multipart post: no files
	}
	fhs := form.File[field]
	if len(fhs) == 0 || fhs[0].Size == 0 {
		return customers.Upload{}, false, nil
	}
	b, err := readPart(fhs[0])
	if err != nil {
		return customers.Upload{}, false, err
	}
	return customers.Upload{Filename: fhs[0].Filename, Content: b}, true, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, customers.MaxUploadBytes+1))
}
