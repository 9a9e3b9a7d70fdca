package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/store"
)

func newMigrateCmd(cfg *config.Config) *cobra.Command {
	var status bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date (or only report it with --status)",
		Long: `Apply the schema migrations this binary carries that the database lacks. Migrations
are forward-only; each runs in its own transaction, and on PostgreSQL an advisory lock
keeps two instances from migrating at once. serve migrates on start by default; run this
before starting servers with --no-migrate.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := setup(*cfg, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return migrate(cmd.Context(), *cfg, log, cmd.OutOrStdout(), status)
		},
	}
	addDatabaseFlags(cmd, cfg)
	cmd.Flags().BoolVar(&status, "status", false, "only report the schema version; exit non-zero when it is not current")
	return cmd
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer, statusOnly bool) error {
	st, err := store.Open(ctx, cfg.Database(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	if !statusOnly {
		applied, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "applied %d migration(s)\n", len(applied))
	}
	current, latest, err := st.SchemaVersions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s database at schema version %d; this binary's latest is %d\n", st.Dialect(), current, latest)
	return st.CheckSchema(ctx)
}
