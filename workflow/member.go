package workflow

import (
	"slices"
	"strings"
	"time"
)

// MemberRole is a member's place in a body.
type MemberRole string

// The roles of members.
const (
	MemberOrdforande     MemberRole = "ordforande"
	MemberViceOrdforande MemberRole = "vice_ordforande"
	MemberLedamot        MemberRole = "ledamot"
	MemberErsattare      MemberRole = "ersattare"
)

var memberRoles = []MemberRole{MemberOrdforande, MemberViceOrdforande, MemberLedamot, MemberErsattare}

// Member is an elected member (ledamot or ersättare) of a body. Decisions
// name members for yrkanden, reservationer, jäv and justering, and a name
// that is not a member is refused.
type Member struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      MemberRole `json:"role"`
	Party     string     `json:"party,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// NewMember is the input for adding a member to a body.
type NewMember struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Party string `json:"party"`
}

func (n NewMember) Validate() (Member, error) {
	var v Validation
	m := Member{Name: RequireText(&v, "name", n.Name, 200), Party: LimitText(&v, "party", strings.TrimSpace(n.Party), 100)}
	m.Role = MemberRole(n.Role)
	if !slices.Contains(memberRoles, m.Role) {
		v.Add("role", "Ange ”ordforande”, ”vice_ordforande”, ”ledamot” eller ”ersattare”.")
	}
	return m, v.Err()
}

// members is a body's members, looked up by name without regard to case.
type Members []Member

func (ms Members) find(name string) (Member, bool) {
	for _, m := range ms {
		if strings.EqualFold(m.Name, strings.TrimSpace(name)) {
			return m, true
		}
	}
	return Member{}, false
}

// check records an error for each name that is not a member of the body.
func (ms Members) Check(v *Validation, path, name string, body string) string {
	m, ok := ms.find(name)
	if !ok {
		if len(ms) == 0 {
			v.Addf(path, "%s har inga ledamöter registrerade; lägg upp ledamöterna innan %s kan anges.", body, name)
		} else {
			v.Addf(path, "%s är inte ledamot eller ersättare i %s.", name, body)
		}
		return name
	}
	return m.Name
}
