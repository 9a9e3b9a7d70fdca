package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/config"
)

// newRootCmd builds the command tree. Flags default to the values read from
// REMISS_* variables, so a flag given on the command line wins over the
// environment, which wins over the built-in default.
func newRootCmd(cfg *config.Config, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "remiss",
		Short: "Remiss answers a ministry's consultation request from registration to the sent yttrande",
		Long: `remiss is the workflow engine and API that a municipality uses to answer a remiss:
register it in the diarium, route it through handläggare, nämnder, arbetsutskott and
kommunstyrelse, and send the adopted yttrande back to the ministry.

Try it:            remiss demo
Run in production: REMISS_DATABASE_URL=postgres://… remiss serve

Every flag can also be set with the REMISS_* environment variable named in its help.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error (REMISS_LOG_LEVEL)")
	pf.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: auto (text on a terminal, else JSON), json or text (REMISS_LOG_FORMAT)")
	root.AddCommand(
		newServeCmd(cfg), newMigrateCmd(cfg), newDemoCmd(cfg),
		newOrgCmd(cfg), newUserCmd(cfg), newTokenCmd(cfg), newMemberCmd(cfg), newMeetingCmd(cfg), newRenderCmd(cfg), newWorkflowCmd(), newHistoryCmd(cfg), newVersionCmd(),
	)
	return root
}

// addDatabaseFlags adds the flags that choose the database.
func addDatabaseFlags(cmd *cobra.Command, cfg *config.Config) {
	f := cmd.Flags()
	f.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL,
		"postgres://… for PostgreSQL or sqlite:PATH for the embedded database; empty: the embedded database in --data-dir (REMISS_DATABASE_URL)")
	f.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir,
		"directory of the embedded database; empty: $XDG_DATA_HOME/remiss or ~/.local/share/remiss (REMISS_DATA_DIR)")
}
