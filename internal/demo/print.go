package demo

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Print writes what a person trying the demo needs: where it runs, the
// demo's today, every user with their role and what they do, the one
// password, the API tokens and the three cases.
func (s Seeded) Print(w io.Writer, url string, today time.Time) {
	fmt.Fprintf(w, "remiss demo: %s is running at %s\n\n", s.Org.Name, url)
	fmt.Fprintf(w, "  Logga in:   %s/login  (organisation %s; every user below, password %s)\n", url, s.Org.Slug, s.Password)
	fmt.Fprintf(w, "  I dag:      %s in the demo; move its clock with the banner on every page\n", workflow.WeekdayDate(workflow.DateOf(today)))
	fmt.Fprintf(w, "  OpenAPI:    %s/api/v1/openapi.json\n\n", url)
	fmt.Fprintln(w, "Users (one password for all; each API token shown only now):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range s.Users {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Name, u.Role.Title(), u.Email, u.Does)
	}
	_ = tw.Flush()
	fmt.Fprintln(w, "\nAPI tokens:")
	for _, u := range s.Users {
		fmt.Fprintf(w, "  %-13s %-32s %s\n", u.Role, u.Email, u.Token)
	}
	fmt.Fprintln(w, "\nÄrenden:")
	for _, c := range s.Cases {
		fmt.Fprintf(w, "  %-16s %s\n  %-16s %s\n", c.Dnr, c.Title, "", c.Note)
	}
	api := url + "/api/v1/organizations/" + s.Org.Slug
	fmt.Fprintf(w, "\nTry:\n  curl -H 'Authorization: Bearer %s' %s/cases\n\n", s.Users[0].Token, api)
}

// Who returns the seeded user with role, the first one when several hold
// it.
func (s Seeded) Who(role workflow.Role) User {
	for _, u := range s.Users {
		if u.Role == role {
			return u
		}
	}
	return User{}
}

// Case returns the seeded case whose dnr begins with prefix.
func (s Seeded) Case(prefix string) Case {
	for _, c := range s.Cases {
		if strings.HasPrefix(c.Dnr, prefix) {
			return c
		}
	}
	return Case{}
}
