package workflow

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// encodeCursor makes the opaque NextCursor of a page that ends at c.
func EncodeCursor(c CaseCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Deadline.String() + "/" + strconv.FormatInt(c.ID, 10)))
}

// decodeCursor reads a cursor made by encodeCursor.
func decodeCursor(s string) (*CaseCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	date, id, ok := strings.Cut(string(b), "/")
	if !ok {
		return nil, errors.New("cursor has no separator")
	}
	d, err := ParseDate(date)
	if err != nil {
		return nil, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 1 {
		return nil, errors.New("cursor has a bad id")
	}
	return &CaseCursor{Deadline: d, ID: n}, nil
}

func Itoa(n int) string { return strconv.Itoa(n) }

// atoi parses a decimal integer without sign or spaces.
func atoi(s string) (int, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" || len(s) > 9 {
		return 0, errors.New("not a small unsigned integer")
	}
	return strconv.Atoi(s)
}
