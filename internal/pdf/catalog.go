package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/yttrande/remiss/workflow/documents"
)

// gofpdf cannot write the document's language, the viewer preference to
// show its title, a reference to XMP metadata (SetXmpMetadata writes the
// stream but leaves it out of the catalog), the structure tree or what
// PDF/A asks (pdfa.go). finish adds them with pdfcpu as an incremental
// update: a new catalog, the new objects, and an xref section and
// trailer pointing back to gofpdf's, appended to the file. pdfcpu's full rewrite is not used because it stamps the current
// time into CreationDate, ModDate and the file /ID, and no setting turns
// that off; the update writes only what it is given, so the same layout
// still gives the same bytes.
func finish(raw []byte, tags tagger, m documents.LayoutMeta) ([]byte, error) {
	pdf, err := withHeader(raw)
	if err != nil {
		return nil, err
	}
	ctx, err := api.ReadContext(bytes.NewReader(pdf), pdfcpuConfig())
	if err != nil {
		return nil, fmt.Errorf("pdf: reading gofpdf's output back: %w", err)
	}
	ctx.Write.Increment = true
	ctx.Write.Offset = ctx.Read.FileSize
	ctx.WriteXRefStream = false // the same kind of xref as gofpdf's
	meta, err := xmpStream(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("pdf: XMP metadata: %w", err)
	}
	if tags.off {
		// measuring what tagging costs: no tree
	} else if err := writeStructure(ctx, tags); err != nil {
		return nil, fmt.Errorf("pdf: the structure tree: %w", err)
	}
	if err := archival(ctx, raw, m); err != nil {
		return nil, err
	}
	if err := countOutlines(ctx); err != nil {
		return nil, fmt.Errorf("pdf: the bookmarks: %w", err)
	}
	root := ctx.RootDict
	root.Insert("Lang", types.StringLiteral(lang(m)))
	root.Insert("ViewerPreferences", types.Dict{"DisplayDocTitle": types.Boolean(true)})
	root.Insert("Metadata", *meta)
	ctx.Write.IncrementWithObjNr(ctx.Root.ObjectNumber.Value())
	var out bytes.Buffer
	out.Grow(len(pdf) + 4096)
	out.Write(pdf)
	if err := api.WriteIncrement(ctx, &out); err != nil {
		return nil, fmt.Errorf("pdf: writing the catalog: %w", err)
	}
	return out.Bytes(), nil
}

// xmpStream adds the layout's XMP packet as a new uncompressed metadata
// stream (so that tools can find it without decoding) and returns its
// reference.
func xmpStream(ctx *model.Context, m documents.LayoutMeta) (*types.IndirectRef, error) {
	sd := types.StreamDict{
		Dict:    types.Dict{"Type": types.Name("Metadata"), "Subtype": types.Name("XML")},
		Content: xmp(m),
	}
	if err := sd.Encode(); err != nil {
		return nil, err
	}
	ref, err := ctx.IndRefForNewObject(sd)
	if err != nil {
		return nil, err
	}
	ctx.Write.IncrementWithObjNr(ref.ObjectNumber.Value())
	return ref, nil
}

// pdfcpuConfig is pdfcpu's configuration, made here rather than with
// model.NewDefaultConfiguration, which reads and creates a configuration
// directory in the user's home.
func pdfcpuConfig() *model.Configuration {
	return &model.Configuration{
		Reader15:       true,
		ValidationMode: model.ValidationRelaxed,
		Eol:            types.EolLF,
		Limits:         model.DefaultResourceLimits(),
	}
}

// lang is the document's language, Swedish unless the layout says.
func lang(m documents.LayoutMeta) string {
	if m.Lang == "" {
		return "sv-SE"
	}
	return m.Lang
}
