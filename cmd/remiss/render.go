package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/documents"
)

func newRenderCmd(cfg *config.Config) *cobra.Command {
	var org, caseRef, kind, output, format string
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render a case's yttrande, tjänsteutlåtande or tjänsteskrivelse as PDF, Word or the layout as JSON",
		Example: `  remiss render --org huddinge --case KS-2024/76.109 --kind yttrande -o yttrande.pdf
  remiss render --org huddinge --case 12 --kind tjansteutlatande --format docx
  remiss render --org huddinge --case 12 --kind missiv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd.Context(), *cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				return describe(render(cmd.Context(), svc, cmd.OutOrStdout(), renderRequest{org, caseRef, kind, output, format}))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&org, "org", "", "the organisation's slug (required)")
	f.StringVar(&caseRef, "case", "", "the case: its id or its diarienummer (required)")
	f.StringVar(&kind, "kind", "yttrande", "yttrande, yttrande-avstar, tjansteutlatande, tjansteskrivelse or missiv")
	f.StringVarP(&output, "output", "o", "", "the file to write; empty: the name the ministry asks for, in the current directory (missiv: standard output)")
	f.StringVar(&format, "format", "", "pdf, docx or json (the layout); empty: from the file's extension, else pdf")
	must(cmd.MarkFlagRequired("org"))
	must(cmd.MarkFlagRequired("case"))
	addDatabaseFlags(cmd, cfg)
	return cmd
}

type renderRequest struct{ org, caseRef, kind, output, format string }

func render(ctx context.Context, svc *app.App, out io.Writer, req renderRequest) error {
	sys := workflow.SystemActor()
	kind, err := documents.ParseTemplateKind(req.kind)
	if err != nil {
		return err
	}
	id, err := svc.Diarium.FindCase(ctx, sys, req.org, req.caseRef)
	if err != nil {
		return err
	}
	if kind == documents.TemplateMissiv {
		text, err := svc.Docs.Missiv(ctx, sys, req.org, id)
		if err != nil {
			return err
		}
		return writeOut(req.output, []byte(text), out)
	}
	format := req.format
	if format == "" {
		format = strings.TrimPrefix(filepath.Ext(req.output), ".")
	}
	if format == "" {
		format = "pdf"
	}
	if format == "json" {
		doc, err := svc.Docs.DocumentLayout(ctx, sys, req.org, id, kind)
		if err != nil {
			return err
		}
		doc.Layout.Letterhead.Logo = nil
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		return writeOut(req.output, append(b, '\n'), out)
	}
	f, err := svc.Docs.RenderDocument(ctx, sys, req.org, id, kind, format)
	if err != nil {
		return err
	}
	path := req.output
	if path == "" {
		path = f.Name
	}
	if err := os.WriteFile(path, f.Content, 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "wrote %s (%d bytes)\n", path, len(f.Content))
	return err
}

// writeOut writes b to path, or to out when path is empty.
func writeOut(path string, b []byte, out io.Writer) error {
	if path == "" {
		_, err := out.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "wrote %s (%d bytes)\n", path, len(b))
	return err
}
