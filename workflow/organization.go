package workflow

import (
	"encoding/json"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Organization is a tenant: one municipality (a remissinstans). Every other
// record belongs to exactly one.
type Organization struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// AnslagDays is how many days after justering the anslag goes up at
	// the latest: 2 by law (KL 8 kap. 12 §), fewer by local rule.
	AnslagDays int `json:"anslag_days"`
	// Planning holds the lead times the plans of its cases use.
	Planning PlanningRules `json:"planning"`
	// Documents holds the letterhead and the conventions of its documents.
	Documents DocumentSettings `json:"documents"`
	CreatedAt time.Time        `json:"created_at"`
}

// OrganizationSettings is the input for changing an organisation's
// settings; absent fields are left as they are.
type OrganizationSettings struct {
	Name       *string `json:"name"`
	AnslagDays *int    `json:"anslag_days"`
	// Planning changes the lead times given; the others stay.
	Planning json.RawMessage `json:"planning"`
	// Documents changes the document settings given; the others stay.
	Documents json.RawMessage `json:"documents"`
}

// User is a person who works in an organisation.
type User struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"-"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Roles     []Role    `json:"roles"`
	CreatedAt time.Time `json:"created_at"`
}

// Actor returns the Actor acting as u.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, OrgID: u.OrgID, Email: u.Email, Name: u.Name, Roles: u.Roles}
}

// Token describes an API token; the secret itself is never stored, only
// its hash, and is shown once when the token is created.
type Token struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"-"`
	UserID    int64     `json:"-"`
	UserEmail string    `json:"user_email"`
	Name      string    `json:"name,omitempty"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// NewToken is the input for issuing a token to a user.
type NewToken struct {
	UserEmail string `json:"user_email"`
	Name      string `json:"name"`
}

// IssuedToken is the answer to creating a token: the only time the secret
// is visible.
type IssuedToken struct {
	Token
	Secret string `json:"token"`
}

// SecretSource makes a new random API token secret and its hash. It is
// provided by internal/auth, which owns the token format.
type SecretSource func() (secret string, hash []byte, err error)

// TokenHolder is what a token hash resolves to: the user and organisation.
type TokenHolder struct {
	User    User
	OrgSlug string
}

// requireText trims s and records an error when it is empty or longer
// than max characters.
func RequireText(v *Validation, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "Fältet måste fyllas i.")
		return s
	}
	return LimitText(v, field, s, max)
}

// limitText trims s and records an error when it is longer than max
// characters or holds control characters.
func LimitText(v *Validation, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		v.Addf(field, "Texten är för lång (%d tecken, högst %d).", n, max)
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, IsControl) {
		v.Add(field, "Texten innehåller otillåtna tecken.")
	}
	return s
}

func IsControl(r rune) bool { return r < 0x20 || r == 0x7f }

// limitProse is limitText for running text, where line breaks and tabs
// separate paragraphs: the texts of a decision, a motivation.
func LimitProse(v *Validation, field, s string, max int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n > max {
		v.Addf(field, "Texten är för lång (%d tecken, högst %d).", n, max)
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return IsControl(r) && r != '\n' && r != '\t' }) {
		v.Add(field, "Texten innehåller otillåtna tecken.")
	}
	return s
}

// normalizeEmail checks that s is a bare e-mail address and lower-cases it.
func NormalizeEmail(v *Validation, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "Ange en e-postadress.")
		}
		return s
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || len(s) > 254 {
		v.Addf(field, "”%s” är inte en giltig e-postadress.", s)
		return s
	}
	return strings.ToLower(s)
}

// errNoOrganization reports an organisation that is not the actor's
// exactly like an unknown one, so that a token cannot be used to discover
// which organisations exist.
func errNoOrganization(slug string) error {
	return Errorf(CodeNotFound, "Organisationen ”%s” finns inte.", slug)
}
