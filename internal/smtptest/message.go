package smtptest

import (
	"bytes"
	"encoding/base64"
	"io"
	"maps"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
)

// Message is a message the server accepted.
type Message struct {
	From   string      // the envelope sender (MAIL FROM)
	To     []string    // the envelope recipients (RCPT TO)
	Data   []byte      // the message as received, headers and body
	Header mail.Header // Data's header, parsed
	Body   []byte      // Data's body as received, still transfer-encoded
	TLS    bool        // whether it came over TLS
	User   string      // who authenticated for it; "" without AUTH
}

// newMessage parses data into a Message.
func newMessage(from string, to []string, data []byte, isTLS bool, user string) (Message, error) {
	parsed, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Message{}, err
	}
	body, err := io.ReadAll(parsed.Body)
	if err != nil {
		return Message{}, err
	}
	return Message{From: from, To: slices.Clone(to), Data: data, Header: parsed.Header, Body: body, TLS: isTLS, User: user}, nil
}

// clone is a deep copy, so that a test cannot change what the server holds.
func (m Message) clone() Message {
	m.To = slices.Clone(m.To)
	m.Data = bytes.Clone(m.Data)
	m.Body = bytes.Clone(m.Body)
	h := maps.Clone(m.Header)
	for k, v := range h {
		h[k] = slices.Clone(v)
	}
	m.Header = h
	return m
}

// Subject is the Subject header decoded from RFC 2047 encoded words, as a
// mail client shows it; "" when it cannot be decoded.
func (m Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return ""
	}
	return s
}

// Text is the body with its Content-Transfer-Encoding (quoted-printable or
// base64) undone, for a single-part message; line breaks are normalised
// to \n.
func (m Message) Text() (string, error) {
	var r io.Reader = bytes.NewReader(m.Body)
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // which skips line breaks
	}
	b, err := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}
