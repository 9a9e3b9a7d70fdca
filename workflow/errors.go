package workflow

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an Error. The set is closed: the web layer maps each code
// to exactly one HTTP status, so adding one means adding it there too.
type Code string

// The error codes of the domain.
const (
	// CodeInvalid: the caller's input breaks a rule (422).
	CodeInvalid Code = "invalid"
	// CodeBadRequest: the request itself cannot be read (400).
	CodeBadRequest Code = "bad_request"
	// CodeNotFound: no such thing in the caller's organisation (404).
	CodeNotFound Code = "not_found"
	// CodeConflict: a duplicate or a stale version (409).
	CodeConflict Code = "conflict"
	// CodeForbidden: authenticated, but the caller's roles do not allow it (403).
	CodeForbidden Code = "forbidden"
	// CodeUnauthorized: no or bad credentials (401).
	CodeUnauthorized Code = "unauthorized"
	// CodeTooLarge: an upload over the configured limit (413).
	CodeTooLarge Code = "too_large"
	// CodeUnsupportedMedia: an upload of a file type we do not accept (415).
	CodeUnsupportedMedia Code = "unsupported_media_type"
	// CodeInternal: our fault; logged, never shown in detail (500).
	CodeInternal Code = "internal"
)

// FieldError names one invalid input field and says, in Swedish, what is wrong.
// Field is a dotted path into the request body, e.g. "remiss.deadline".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type the domain returns to callers. Message is
// Swedish and safe to show to a user; Err keeps the cause for the logs.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a Swedish message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error (a database failure, say) so that its
// text reaches the logs but never the user.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "Ett oväntat fel inträffade.", Err: err}
}

// ErrorCode returns the Code of err, CodeInternal for errors that are not
// domain errors, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Validation collects field errors so that a caller sees every problem with
// a request at once instead of one per attempt.
type Validation struct {
	fields []FieldError
}

// Problems are the field errors recorded so far.
func (v *Validation) Problems() []FieldError { return v.fields }

// Add records that field is invalid.
func (v *Validation) Add(field, message string) {
	v.fields = append(v.fields, FieldError{Field: field, Message: message})
}

// Addf records that field is invalid, with a formatted message.
func (v *Validation) Addf(field, format string, args ...any) {
	v.Add(field, fmt.Sprintf(format, args...))
}

// OptionalDate reads a date that may be left out (a list's from and to):
// the zero Date for "", else the date, with an error on field when raw is
// no YYYY-MM-DD date.
func (v *Validation) OptionalDate(field, raw string) Date {
	if raw == "" {
		return Date{}
	}
	d, err := ParseDate(raw)
	if err != nil {
		v.Addf(field, "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", raw)
	}
	return d
}

// Has reports whether field already has an error.
func (v *Validation) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was recorded, else an invalid Error that
// lists every field.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := "Uppgifterna innehåller fel. Rätta fälten som anges och försök igen."
	if len(v.fields) == 1 {
		msg = "Uppgiften " + quote(v.fields[0].Field) + " är felaktig: " + v.fields[0].Message
	}
	return &Error{Code: CodeInvalid, Message: msg, Fields: v.fields}
}

func quote(s string) string { return "”" + s + "”" }

// sentence is an error whose text is a complete Swedish sentence meant for
// the user, such as the reason a dnr format is rejected.
type sentence string

func (s sentence) Error() string { return string(s) }

func Sentencef(format string, args ...any) error {
	return sentence(fmt.Sprintf(format, args...))
}

// Message returns an error's Swedish message, or a general one.
func Message(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message
	}
	return "Ett oväntat fel inträffade."
}
