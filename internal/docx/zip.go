package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"time"
)

// The range of dates a zip entry's MS-DOS time can hold.
var (
	dosFirst = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	dosLast  = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
)

// repack copies godocx's zip entry by entry, in its (sorted) order,
// dating every entry mod. godocx dates them all 1 January 1970, earlier
// than the MS-DOS date in a zip entry's header can hold, so that readers
// that go by that date see 2098; the document's own date is the one that
// means something. The entries are compressed again because
// only CreateHeader works the MS-DOS date out from Modified; that costs
// about a quarter of a rendering's time.
func repack(b []byte, mod time.Time) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("docx: reading godocx's package: %w", err)
	}
	mod = dosTime(mod)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := copyEntry(zw, f, mod); err != nil {
			return nil, fmt.Errorf("docx: %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return out.Bytes(), nil
}

func copyEntry(zw *zip.Writer, f *zip.File, mod time.Time) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: mod})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}

// dosTime clamps t to the dates an MS-DOS time can hold.
func dosTime(t time.Time) time.Time {
	if t.Before(dosFirst) {
		return dosFirst
	}
	if t.After(dosLast) {
		return dosLast
	}
	return t
}
