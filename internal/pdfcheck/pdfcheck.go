// Package pdfcheck checks a PDF file against the machine-checkable failure
// conditions of PDF/UA-1 (ISO 14289-1, as the Matterhorn Protocol 1.1 lists
// them) and of PDF/A-2 level A (ISO 19005-2, as veraPDF's validation
// profiles number them) that remiss's rendered documents must meet.
//
// It reads the file with the qpdf command (which must be installed): qpdf
// parses the objects, applies incremental updates and decodes the streams,
// and this package judges the result, plus the raw bytes for the header and
// what follows the last %%EOF. Conditions lists what is checked.
//
// What it cannot check: the conditions that need human judgement (is the
// alternative text right, is the reading order logical, is a heading really
// a heading); .notdef and glyph widths of simple (non-Type0) fonts and of
// Type0 fonts with other encodings than Identity-H/V; Unicode values that
// only glyph names give; content in annotation appearance streams; MCIDs
// inside form XObjects in the parent tree; the property names and value
// types of the predefined XMP schemas. A file that passes is not thereby
// PDF/UA or PDF/A; one that fails is not.
package pdfcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Failure is one failed condition, and where.
type Failure struct {
	ID      string // the condition's ID, e.g. "Matterhorn 01-005", "ISO 19005-2 6.2.11.8"
	Message string // what failed and where (page, object number)
}

// String returns the failure as "ID: message".
func (f Failure) String() string { return f.ID + ": " + f.Message }

// Condition is one condition Check tests.
type Condition struct {
	ID   string
	Text string // what must hold, one sentence
}

// Check reads the PDF at path with qpdf and returns the conditions it fails
// (none: nil); an error only when the file cannot be read.
func Check(path string) ([]Failure, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := load(path, raw)
	if err != nil {
		return nil, err
	}
	c, err := newChecker(d)
	if err != nil {
		return nil, err
	}
	for _, check := range checks {
		check(c)
	}
	return c.sorted(), nil
}

// checks are the package's checks; Check returns their failures in the
// order of Conditions, whatever the order here.
var checks = []func(*checker){
	(*checker).checkMarkedContent, (*checker).checkMarkInfo, (*checker).checkRoles,
	(*checker).checkMetadataStream, (*checker).checkUAIdentification, (*checker).checkViewerPreferences,
	(*checker).checkTables, (*checker).checkLists, (*checker).checkFonts, (*checker).checkLanguage,
	(*checker).checkFigures, (*checker).checkHeadings, (*checker).checkHeaderScope,
	(*checker).checkAnnotations, (*checker).checkParentTree,
	(*checker).checkHeader, (*checker).checkTrailer, (*checker).checkStreams, (*checker).checkLimits,
	(*checker).checkOutputIntents, (*checker).checkDeviceColours, (*checker).checkImages,
	(*checker).checkActions, (*checker).checkXMPSyntax, (*checker).checkInfo,
	(*checker).checkXMPSchemas, (*checker).checkPDFAIdentification, (*checker).checkStructTreeRoot,
	(*checker).checkEmbeddedFiles,
}

// report collects failures.
type report struct{ failures []Failure }

func (r *report) fail(id, format string, args ...any) {
	r.failures = append(r.failures, Failure{ID: id, Message: fmt.Sprintf(format, args...)})
}

// sorted returns the failures in the order of Conditions, nil for none.
func (r *report) sorted() []Failure {
	if len(r.failures) == 0 {
		return nil
	}
	order := make(map[string]int, len(Conditions))
	for i, c := range Conditions {
		order[c.ID] = i
	}
	slices.SortStableFunc(r.failures, func(a, b Failure) int { return order[a.ID] - order[b.ID] })
	return r.failures
}

// stream is a stream object: its dictionary as qpdf decoded it (the filters
// it could undo are gone), the dictionary as in the file, and the data.
type stream struct {
	ref  string
	dict map[string]any
	raw  map[string]any
	data []byte
}

// doc is the file as qpdf reads it. Values are as in qpdf's JSON: maps for
// dictionaries (keys "/Name"), slices for arrays, "/Name" for names, "u:…"
// and "b:…" for strings, "N G R" for references, json.Number, bool, nil,
// and *stream for stream objects.
type doc struct {
	objects map[string]any
	order   []string // object references in the order qpdf lists them
	trailer map[string]any
	raw     []byte
}

// qpdfObject is one entry of qpdf's "qpdf" object list.
type qpdfObject struct {
	Value  any `json:"value"`
	Stream *struct {
		Dict     map[string]any `json:"dict"`
		DataFile string         `json:"datafile"`
	} `json:"stream"`
}

// load runs qpdf twice: once for the decoded stream data, which it writes
// to files (far quicker to read than base64 in the JSON), once for the
// stream dictionaries as written, because decoding drops /Filter, which
// ISO 19005-2 6.1.7.2 is about.
func load(path string, raw []byte) (*doc, error) {
	dir, err := os.MkdirTemp("", "pdfcheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	decoded, err := qpdfObjects(path, "--json-stream-data=file", "--json-stream-prefix="+filepath.Join(dir, "stream"), "--decode-level=generalized")
	if err != nil {
		return nil, err
	}
	asWritten, err := qpdfObjects(path, "--json-stream-data=none")
	if err != nil {
		return nil, err
	}
	d := &doc{objects: make(map[string]any, len(decoded)), raw: raw}
	for key, o := range decoded {
		if key == "trailer" {
			d.trailer, _ = o.Value.(map[string]any)
			continue
		}
		ref, ok := strings.CutPrefix(key, "obj:")
		if !ok {
			continue
		}
		d.order = append(d.order, ref)
		d.objects[ref], err = objectValue(ref, o, asWritten[key])
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(d.order, compareRefs)
	return d, nil
}

// objectValue turns one qpdf object into the package's model.
func objectValue(ref string, o, written qpdfObject) (any, error) {
	if o.Stream == nil {
		return o.Value, nil
	}
	var data []byte
	if o.Stream.DataFile != "" {
		var err error
		if data, err = os.ReadFile(o.Stream.DataFile); err != nil {
			return nil, fmt.Errorf("pdfcheck: stream %s: %w", ref, err)
		}
	}
	s := &stream{ref: ref, dict: o.Stream.Dict, raw: o.Stream.Dict, data: data}
	if written.Stream != nil {
		s.raw = written.Stream.Dict
	}
	return s, nil
}

// qpdfObjects runs qpdf --json with args and returns its object list.
func qpdfObjects(path string, args ...string) (map[string]qpdfObject, error) {
	args = append([]string{"--json", "--json-key=qpdf"}, append(args, "--", path)...)
	var stderr bytes.Buffer
	cmd := exec.Command("qpdf", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	// Exit status 3 means warnings only: qpdf recovered and its output is whole.
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == 3 {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("pdfcheck: qpdf: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	var top struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &top); err != nil || len(top.Qpdf) != 2 {
		return nil, fmt.Errorf("pdfcheck: qpdf's JSON: %v", err)
	}
	var objects map[string]qpdfObject
	dec := json.NewDecoder(bytes.NewReader(top.Qpdf[1]))
	dec.UseNumber()
	if err := dec.Decode(&objects); err != nil {
		return nil, fmt.Errorf("pdfcheck: qpdf's JSON objects: %w", err)
	}
	return objects, nil
}
