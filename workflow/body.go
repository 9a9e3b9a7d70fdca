package workflow

import (
	"regexp"
	"strings"
	"time"
)

// BodyKind says what kind of political body a Body is.
type BodyKind string

// The kinds of body.
const (
	KindStyrelse BodyKind = "styrelse" // kommunstyrelsen
	KindUtskott  BodyKind = "utskott"  // a committee of a styrelse or nämnd, e.g. KSAU
	KindNamnd    BodyKind = "namnd"    // a board, e.g. Socialnämnden
)

// bodyKindNames describe the kinds of body in messages.
var bodyKindNames = map[BodyKind]string{
	KindStyrelse: "en styrelse",
	KindUtskott:  "ett utskott",
	KindNamnd:    "en nämnd",
}

// Body is a political body of the organisation: KS, KSAU or a nämnd.
type Body struct {
	ID       int64    `json:"id"`
	OrgID    int64    `json:"-"`
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Kind     BodyKind `json:"kind"`
	Parent   string   `json:"parent,omitempty"` // code of the parent body; only for an utskott
	ParentID int64    `json:"-"`
	// Email is the body's own mailbox (funktionsbrevlåda), where its
	// protokollsutdrag are sent.
	Email     string    `json:"email,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// NewBody is the input for creating a body.
type NewBody struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Parent string `json:"parent"`
	Email  string `json:"email"`
}

// codePattern is the shape of body and series codes: short, upper-case
// abbreviations such as KS, KSAU, NAF or SN.
var codePattern = regexp.MustCompile(`^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{0,19}$`)

func ValidateCode(v *Validation, field, s string) string {
	s = strings.TrimSpace(s)
	if !codePattern.MatchString(s) {
		v.Add(field, "Ange en förkortning med versaler och siffror (högst 20 tecken), t.ex. ”KS” eller ”KSAU”.")
	}
	return s
}

// validate checks the input; parent is the parent body when one was named
// and found.
func (n *NewBody) Validate(parent *Body) (Body, error) {
	var v Validation
	b := Body{Code: ValidateCode(&v, "code", n.Code), Name: RequireText(&v, "name", n.Name, 200), Email: NormalizeEmail(&v, "email", n.Email, false)}
	switch BodyKind(n.Kind) {
	case KindStyrelse, KindUtskott, KindNamnd:
		b.Kind = BodyKind(n.Kind)
	default:
		v.Add("kind", "Ange ”styrelse”, ”utskott” eller ”namnd”.")
	}
	n.Parent = strings.TrimSpace(n.Parent)
	switch {
	case b.Kind == KindUtskott && n.Parent == "":
		v.Add("parent", "Ett utskott måste höra till en styrelse eller nämnd; ange dess förkortning, t.ex. ”KS”.")
	case b.Kind != KindUtskott && n.Parent != "" && b.Kind != "":
		v.Add("parent", "Bara ett utskott har en överordnad instans.")
	case n.Parent != "" && parent == nil:
		v.Addf("parent", "Det finns ingen instans med förkortningen ”%s”.", n.Parent)
	case parent != nil && parent.Kind == KindUtskott:
		v.Add("parent", "Ett utskott kan inte höra till ett annat utskott.")
	}
	if parent != nil {
		b.Parent, b.ParentID = parent.Code, parent.ID
	}
	return b, v.Err()
}
