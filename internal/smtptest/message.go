package smtptest

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
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

// Part is one leaf part of a message: its header, media type, the file
// name of an attachment (decoded from RFC 2047 encoded words, as a mail
// client shows it) and its content with the transfer encoding undone.
type Part struct {
	Header      textproto.MIMEHeader
	MediaType   string
	Disposition string // "attachment", "inline" or ""
	FileName    string
	Content     []byte
}

// Parts returns the leaf parts of the message in order, descending into
// multipart/* parts; a single-part message is one part.
func (m Message) Parts() ([]Part, error) {
	return leafParts(textproto.MIMEHeader(m.Header), m.Body)
}

func leafParts(h textproto.MIMEHeader, body []byte) ([]Part, error) {
	mediaType, params, err := mime.ParseMediaType(cmp.Or(h.Get("Content-Type"), "text/plain"))
	if err != nil {
		return nil, fmt.Errorf("content type %q: %w", h.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		p, err := leafPart(h, mediaType, body)
		return []Part{p}, err
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out []Part
	for {
		part, err := r.NextRawPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		sub, err := leafParts(part.Header, b)
		if err != nil {
			return nil, err
		}
		out = append(out, sub...)
	}
}

func leafPart(h textproto.MIMEHeader, mediaType string, body []byte) (Part, error) {
	p := Part{Header: h, MediaType: mediaType}
	if d := h.Get("Content-Disposition"); d != "" {
		disp, params, err := mime.ParseMediaType(d)
		if err != nil {
			return p, fmt.Errorf("content disposition %q: %w", d, err)
		}
		p.Disposition = disp
		if p.FileName, err = new(mime.WordDecoder).DecodeHeader(params["filename"]); err != nil {
			return p, fmt.Errorf("file name %q: %w", params["filename"], err)
		}
	}
	var r io.Reader = bytes.NewReader(body)
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	var err error
	p.Content, err = io.ReadAll(r)
	return p, err
}

// Parse reads a message as written to a file (an .eml), for tests of what
// would have been sent.
func Parse(data []byte) (Message, error) {
	return newMessage("", nil, data, false, "")
}
