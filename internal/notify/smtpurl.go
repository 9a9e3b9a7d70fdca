package notify

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// tlsMode is how the connection to the mail server is protected.
type tlsMode int

const (
	tlsStartTLS      tlsMode = iota // STARTTLS, and no mail without it (smtp://, the default)
	tlsOpportunistic                // STARTTLS when the server offers it (?tls=opportunistic)
	tlsNone                         // plain text, for a relay in a lab (?tls=none)
	tlsImplicit                     // TLS from the first byte (smtps://)
)

// String names the mode for Describe.
func (m tlsMode) String() string {
	switch m {
	case tlsOpportunistic:
		return "STARTTLS if offered"
	case tlsNone:
		return "no TLS"
	case tlsImplicit:
		return "implicit TLS"
	}
	return "STARTTLS"
}

// endpoint is a parsed REMISS_SMTP_URL.
type endpoint struct {
	scheme string // "smtp" or "smtps"
	host   string
	port   int
	tls    tlsMode
}

// addr is host:port for dialling, IPv6 literals bracketed.
func (e endpoint) addr() string { return net.JoinHostPort(e.host, strconv.Itoa(e.port)) }

// String is the URL in its canonical form, port included; it never holds
// a secret, since parseURL rejects userinfo.
func (e endpoint) String() string {
	s := e.scheme + "://" + e.addr()
	switch e.tls {
	case tlsOpportunistic:
		s += "?tls=opportunistic"
	case tlsNone:
		s += "?tls=none"
	}
	return s
}

// parseURL reads REMISS_SMTP_URL: smtp://host[:port] (port 587, STARTTLS
// required), with ?tls=opportunistic or ?tls=none to relax that, or
// smtps://host[:port] (port 465, implicit TLS). Credentials have variables
// of their own, so that the URL can be logged and shown; an error message
// therefore never repeats a URL that might hold a password.
func parseURL(raw string) (endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error repeats the URL, password and all
		}
		return endpoint{}, fmt.Errorf("REMISS_SMTP_URL is not a URL: %v", err)
	}
	if err := checkShape(u); err != nil {
		return endpoint{}, err
	}
	e := endpoint{scheme: u.Scheme, host: u.Hostname(), port: 587, tls: tlsStartTLS}
	if e.scheme == "smtps" {
		e.port, e.tls = 465, tlsImplicit
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return endpoint{}, fmt.Errorf("REMISS_SMTP_URL %s: port %q is not a number from 1 to 65535", e.host, p)
		}
		e.port = n
	}
	return e, parseQuery(u, &e)
}

// checkShape rejects what REMISS_SMTP_URL cannot hold: another scheme,
// credentials, a path, a missing host.
func checkShape(u *url.URL) error {
	switch {
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		return fmt.Errorf("REMISS_SMTP_URL: unknown scheme %q; use smtp://host[:port] (STARTTLS) or smtps://host[:port] (implicit TLS)", u.Scheme)
	case u.User != nil:
		if _, ok := u.User.Password(); ok {
			return errors.New("REMISS_SMTP_URL must not contain a password: put it in REMISS_SMTP_PASSWORD (and the user name in REMISS_SMTP_USERNAME)")
		}
		return errors.New("REMISS_SMTP_URL must not contain a user name: put it in REMISS_SMTP_USERNAME")
	case u.Opaque != "" || u.Host == "":
		return fmt.Errorf("REMISS_SMTP_URL: no host; write %s://host[:port]", u.Scheme)
	case u.Hostname() == "":
		return errors.New("REMISS_SMTP_URL: no host before the port")
	case u.Path != "" && u.Path != "/":
		return fmt.Errorf("REMISS_SMTP_URL: unexpected path %q; write %s://host[:port]", u.Path, u.Scheme)
	case u.Fragment != "":
		return fmt.Errorf("REMISS_SMTP_URL: unexpected fragment %q", u.Fragment)
	}
	return nil
}

// parseQuery reads the one query parameter there is, tls, into e.
func parseQuery(u *url.URL, e *endpoint) error {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fmt.Errorf("REMISS_SMTP_URL: bad query: %v", err)
	}
	for key, values := range q {
		if key != "tls" {
			return fmt.Errorf("REMISS_SMTP_URL: unknown parameter %q; the only one is tls (opportunistic or none)", key)
		}
		if u.Scheme == "smtps" {
			return errors.New("REMISS_SMTP_URL: smtps:// always uses TLS and takes no tls parameter")
		}
		if len(values) != 1 {
			return errors.New("REMISS_SMTP_URL: tls is given more than once")
		}
		switch values[0] {
		case "opportunistic":
			e.tls = tlsOpportunistic
		case "none":
			e.tls = tlsNone
		default:
			return fmt.Errorf("REMISS_SMTP_URL: tls=%q; use tls=opportunistic (STARTTLS when the server offers it) or tls=none (no encryption), or leave it out to require STARTTLS", values[0])
		}
	}
	return nil
}
