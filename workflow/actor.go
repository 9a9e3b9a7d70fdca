package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a user may do in an organisation. The names are the
// product's Swedish terms written without diacritics, as in the API.
type Role string

// The roles of the product.
const (
	RoleAdmin       Role = "admin"       // manages users, tokens, bodies and series
	RoleRegistrator Role = "registrator" // registers incoming remisser and handlingar
	RoleHandlaggare Role = "handlaggare" // prepares ärenden
	RoleSekreterare Role = "sekreterare" // a board's secretary: meetings, minutes, sending
	RoleOrdforande  Role = "ordforande"  // a board's chair
	RoleLedamot     Role = "ledamot"     // a board member
	RoleLasare      Role = "lasare"      // reads only
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleRegistrator, RoleHandlaggare, RoleSekreterare, RoleOrdforande, RoleLedamot, RoleLasare}

// roleTitles are the roles' names as people say them.
var roleTitles = map[Role]string{
	RoleAdmin: "administratör", RoleRegistrator: "registrator", RoleHandlaggare: "handläggare", RoleSekreterare: "sekreterare",
	RoleOrdforande: "ordförande", RoleLedamot: "ledamot", RoleLasare: "läsare",
}

// Title is the role's Swedish name, in lower case: "handläggare".
func (r Role) Title() string {
	if t, ok := roleTitles[r]; ok {
		return t
	}
	return string(r)
}

// ParseRole returns the Role named s.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("unknown role %q", s)
	}
	return r, nil
}

// Permission is an action that some roles may take.
type Permission string

// The permissions checked by the domain.
const (
	PermManageOrganization Permission = "manage_organization" // users, tokens, bodies, series
	PermRegisterCase       Permission = "register_case"
	PermAddDocument        Permission = "add_document"
	PermReadCase           Permission = "read_case"
	PermReadSecret         Permission = "read_secret"     // content of handlingar marked with sekretess
	PermManageMeetings     Permission = "manage_meetings" // sammanträdesplan, members, justering
	PermWriteDraft         Permission = "write_draft"     // the yttrande and tjänsteutlåtande texts
	PermCommentDraft       Permission = "comment_draft"   // review comments on a draft
)

// permissions says which roles hold each permission. Admin holds them all so
// that a small municipality's one administrator can also work the diarium.
var permissions = map[Permission][]Role{
	PermManageOrganization: {RoleAdmin},
	PermRegisterCase:       {RoleAdmin, RoleRegistrator, RoleSekreterare},
	PermAddDocument:        {RoleAdmin, RoleRegistrator, RoleHandlaggare, RoleSekreterare},
	PermReadCase:           Roles,
	PermManageMeetings:     {RoleAdmin, RoleSekreterare},
	PermWriteDraft:         {RoleAdmin, RoleHandlaggare, RoleSekreterare},
	PermCommentDraft:       {RoleAdmin, RoleRegistrator, RoleHandlaggare, RoleSekreterare, RoleOrdforande, RoleLedamot},
	PermReadSecret:         {RoleAdmin, RoleRegistrator, RoleHandlaggare, RoleSekreterare, RoleOrdforande},
}

// Actor is whoever makes a request: a user of one organisation, or the
// installation's system administrator (the REMISS_ADMIN_TOKEN), who acts as
// admin in every organisation.
type Actor struct {
	System bool
	UserID int64
	OrgID  int64
	Email  string
	Name   string
	Roles  []Role

	// engine is remiss itself, firing a System event.
	engine bool
}

// EngineActor is remiss itself, as the history names it when it fires a
// System event.
func EngineActor(orgID int64) Actor {
	return Actor{System: true, OrgID: orgID, Name: "remiss", engine: true}
}

// SystemActor is the installation's bootstrap administrator.
func SystemActor() Actor {
	return Actor{System: true, Name: "Systemadministratör"}
}

// Can reports whether the actor holds perm in the organisation orgID.
func (a Actor) Can(perm Permission, orgID int64) bool {
	if a.System {
		return true
	}
	if a.OrgID != orgID {
		return false
	}
	for _, r := range a.Roles {
		if slices.Contains(permissions[perm], r) {
			return true
		}
	}
	return false
}

// Label names the actor in the history and in registrations: "Name <email>".
func (a Actor) Label() string {
	if a.System {
		return a.Name
	}
	return fmt.Sprintf("%s <%s>", a.Name, a.Email)
}

// authorize returns a forbidden Error unless the actor holds perm in orgID.
func (a Actor) Authorize(perm Permission, orgID int64) error {
	if a.Can(perm, orgID) {
		return nil
	}
	return Errorf(CodeForbidden, "Din roll ger inte behörighet till detta (%s).", perm)
}

func RoleList() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
