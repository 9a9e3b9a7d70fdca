package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// withService runs fn with a service on the configured, migrated
// database. Administration commands act as the system administrator:
// whoever can run them can reach the database anyway.
func withService(ctx context.Context, cfg config.Config, stderr io.Writer, fn func(*app.App) error) error {
	_, st, svc, err := openService(ctx, cfg, stderr, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(svc)
}

func newOrgCmd(cfg *config.Config) *cobra.Command {
	org := &cobra.Command{Use: "org", Short: "Manage organisations (municipalities)"}
	var in diarium.NewOrganization
	create := &cobra.Command{
		Use:     "create",
		Short:   "Create an organisation",
		Example: `  remiss org create --slug huddinge --name "Huddinge kommun"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				o, err := svc.Accounts.CreateOrganization(cmd.Context(), workflow.SystemActor(), in)
				if err != nil {
					return describe(err)
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "created organisation %s (%s)\n", o.Slug, o.Name)
				return err
			})
		},
	}
	create.Flags().StringVar(&in.Slug, "slug", "", "short name used in URLs, e.g. huddinge (required)")
	create.Flags().StringVar(&in.Name, "name", "", "the remissinstans' name, e.g. \"Huddinge kommun\" (required)")
	must(create.MarkFlagRequired("slug"), create.MarkFlagRequired("name"))
	addDatabaseFlags(create, cfg)
	org.AddCommand(create)
	return org
}

func newUserCmd(cfg *config.Config) *cobra.Command {
	user := &cobra.Command{Use: "user", Short: "Manage users"}
	var slug string
	var in diarium.NewUser
	create := &cobra.Command{
		Use:     "create",
		Short:   "Add a user to an organisation",
		Example: `  remiss user create --org huddinge --email it-admin@huddinge.example --name "IT-förvaltningen" --role admin`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				u, err := svc.Accounts.CreateUser(cmd.Context(), workflow.SystemActor(), slug, in)
				if err != nil {
					return describe(err)
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "created user %s (%s) with roles %v\n", u.Email, u.Name, u.Roles)
				return err
			})
		},
	}
	f := create.Flags()
	f.StringVar(&slug, "org", "", "the organisation's slug (required)")
	f.StringVar(&in.Email, "email", "", "the user's e-mail address (required)")
	f.StringVar(&in.Name, "name", "", "the user's name (required)")
	f.StringSliceVar(&in.Roles, "role", nil, "a role, repeatable: admin, registrator, handlaggare, sekreterare, ordforande, ledamot, lasare (required)")
	must(create.MarkFlagRequired("org"), create.MarkFlagRequired("email"), create.MarkFlagRequired("name"), create.MarkFlagRequired("role"))
	addDatabaseFlags(create, cfg)
	user.AddCommand(create, newPasswordCmd(cfg))
	return user
}

// newPasswordCmd sets a local account's password, read from standard
// input so that it stays out of the shell's history and the process list.
func newPasswordCmd(cfg *config.Config) *cobra.Command {
	var slug, email string
	cmd := &cobra.Command{
		Use:     "password",
		Short:   "Set a user's password for the web application, read from standard input",
		Example: `  read -rs PW && printf '%s\n' "$PW" | remiss user password --org huddinge --email it-admin@huddinge.example`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("give the password on standard input: %w", err)
			}
			password := strings.TrimRight(line, "\r\n")
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				if err := svc.Accounts.SetPassword(cmd.Context(), workflow.SystemActor(), slug, email, password); err != nil {
					return describe(err)
				}
				_, err := fmt.Fprintf(cmd.OutOrStdout(), "set the password of %s; a lock after failed logins is lifted\n", email)
				return err
			})
		},
	}
	cmd.Flags().StringVar(&slug, "org", "", "the organisation's slug (required)")
	cmd.Flags().StringVar(&email, "email", "", "the user's e-mail address (required)")
	must(cmd.MarkFlagRequired("org"), cmd.MarkFlagRequired("email"))
	addDatabaseFlags(cmd, cfg)
	return cmd
}

func newTokenCmd(cfg *config.Config) *cobra.Command {
	token := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var slug string
	var in workflow.NewToken
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token for a user and print it (it is shown only this once)",
		Long: `Create an API token for a user of an organisation. The token is printed once on
standard output; only its hash is stored, so it cannot be shown again. Revoke it with
DELETE /api/v1/organizations/{org}/tokens/{id}.`,
		Example: `  remiss token create --org huddinge --email it-admin@huddinge.example --name "integration"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				t, err := svc.Accounts.IssueToken(cmd.Context(), workflow.SystemActor(), slug, in)
				if err != nil {
					return describe(err)
				}
				_, err = fmt.Fprintln(cmd.OutOrStdout(), t.Secret)
				return err
			})
		},
	}
	f := create.Flags()
	f.StringVar(&slug, "org", "", "the organisation's slug (required)")
	f.StringVar(&in.UserEmail, "email", "", "the e-mail address of the user the token acts as (required)")
	f.StringVar(&in.Name, "name", "", "what the token is for, shown in token lists")
	must(create.MarkFlagRequired("org"), create.MarkFlagRequired("email"))
	addDatabaseFlags(create, cfg)
	token.AddCommand(create)
	return token
}

// describe spells out a domain error's field errors for a terminal.
func describe(err error) error {
	var e *workflow.Error
	if !errors.As(err, &e) || e.Code == workflow.CodeInternal {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}

func must(errs ...error) {
	for _, err := range errs {
		if err != nil {
			panic(err)
		}
	}
}
