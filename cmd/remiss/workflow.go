package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/draw"
	"github.com/yttrande/remiss/workflow"
)

func newWorkflowCmd() *cobra.Command {
	wf := &cobra.Command{Use: "workflow", Short: "Check and draw workflow definitions"}
	wf.AddCommand(&cobra.Command{
		Use:   "check FILE",
		Short: "Validate a workflow definition file and list every problem",
		Long: `Validate a workflow definition (JSON, the format of workflow/definitions/ and of
PUT /api/v1/organizations/{org}/workflows/{name}): states, events, roles, guards, effects,
event data, reachability and dead ends. Exits non-zero when the definition is invalid.`,
		Example: "  remiss workflow check workflow/definitions/kommunstyrelsen.v1.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			d, err := workflow.ParseDefinition(b)
			if err != nil {
				return describe(err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s v%d är giltig: %d tillstånd, %d händelser\n", d.Name, d.Version, len(d.States), len(d.Events))
			return err
		},
	})
	wf.AddCommand(newGraphCmd())
	return wf
}

func newGraphCmd() *cobra.Command {
	var format, file, state string
	cmd := &cobra.Command{
		Use:   "graph NAME",
		Short: "Draw a shipped workflow (or --file) as DOT, Mermaid or SVG",
		Example: `  remiss workflow graph kommunstyrelsen | dot -Tpng > ks.png
  remiss workflow graph kommunstyrelsen --format svg --state beredning > ks.svg`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := graphDefinition(args, file)
			if err != nil {
				return err
			}
			out, ok := draw.Definition(d, state, format)
			if !ok || format == "" {
				return fmt.Errorf("--format %q: want dot, mermaid or svg", format)
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), out)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "dot", "dot, mermaid or svg")
	cmd.Flags().StringVar(&file, "file", "", "draw this definition file instead of a shipped one")
	cmd.Flags().StringVar(&state, "state", "", "highlight this state")
	return cmd
}

func graphDefinition(args []string, file string) (*workflow.Definition, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		d, err := workflow.ParseDefinition(b)
		return d, describe(err)
	}
	if len(args) != 1 {
		return nil, errors.New("name a shipped workflow or give --file")
	}
	defs, err := workflow.ShippedDefinitions()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range defs {
		if d.Name == args[0] {
			return d, nil
		}
		names = append(names, d.Name)
	}
	return nil, fmt.Errorf("no shipped workflow %q; shipped: %v", args[0], names)
}

func newHistoryCmd(cfg *config.Config) *cobra.Command {
	history := &cobra.Command{Use: "history", Short: "Work with the cases' histories"}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check every case's hash-chained history and report any that was altered",
		Long: `Recompute the SHA-256 chain of every case's history in every organisation. A row that
was edited, removed or reordered after it was written breaks the chain from that row on.
Exits non-zero when any chain is broken.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				results, err := svc.VerifyHistories(cmd.Context(), workflow.SystemActor())
				if err != nil {
					return err
				}
				return reportChains(cmd, results)
			})
		},
	}
	addDatabaseFlags(verify, cfg)
	history.AddCommand(verify)
	return history
}

func reportChains(cmd *cobra.Command, results []workflow.ChainResult) error {
	rows, broken := 0, 0
	for _, r := range results {
		rows += r.Rows
		if r.Err != nil {
			broken++
			fmt.Fprintf(cmd.OutOrStdout(), "BRUTEN %s %s: %v\n", r.Case.OrgSlug, r.Case.Dnr, r.Err)
		}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d ärenden, %d historikrader, %d brutna kedjor\n", len(results), rows, broken)
	if broken > 0 {
		return fmt.Errorf("%d of %d histories are broken", broken, len(results))
	}
	return nil
}
