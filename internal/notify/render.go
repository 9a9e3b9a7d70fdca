package notify

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"github.com/yttrande/remiss/templates"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/sending"
)

// Templates are the mail templates of package templates, parsed. They are
// read-only once parsed, so one value may render from many goroutines.
type Templates struct {
	sets map[string]*template.Template // by name: "tilldelad" is mail/tilldelad.txt
}

// ParseTemplates parses the embedded mail templates, each mail/*.txt into
// a set of its own, since every file defines the same two names, "subject"
// and "body". An error means the binary was built with a broken template.
func ParseTemplates() (*Templates, error) {
	files, err := fs.Glob(templates.FS, "mail/*.txt")
	if err != nil {
		return nil, err
	}
	out := &Templates{sets: map[string]*template.Template{}}
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".txt")
		// missingkey=error: a payload without a key the text needs must
		// fail, not send "<no value>" to a person.
		t, err := template.New(name).Option("missingkey=error").Funcs(templateFuncs()).ParseFS(templates.FS, file)
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", file, err)
		}
		for _, part := range []string{"subject", "body"} {
			if t.Lookup(part) == nil {
				return nil, fmt.Errorf("mail template %s defines no %q", file, part)
			}
		}
		out.sets[name] = t
	}
	return out, nil
}

// templateFuncs format the payload's YYYY-MM-DD dates the Swedish way.
func templateFuncs() template.FuncMap {
	return template.FuncMap{"longDate": longDate, "dayMonth": dayMonth}
}

// longDate writes "2024-04-15" as "15 april 2024". An empty date, or the
// zero date the domain writes as "0000-00-00", gives "" so that a template
// can leave out a sentence about a date the case does not have.
func longDate(s string) (string, error) {
	if s == "" || s == "0000-00-00" {
		return "", nil
	}
	d, err := workflow.ParseDate(s)
	if err != nil {
		return "", err
	}
	return workflow.LongDate(d), nil
}

// dayMonth writes "2024-03-13" as "13 mars", short enough for a subject.
func dayMonth(s string) (string, error) {
	d, err := workflow.ParseDate(s)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(workflow.LongDate(d), fmt.Sprintf(" %d", d.Year)), nil
}

// Render renders the mail template name with payload and returns the
// subject (on one line) and the body, as Deliver sends them. An unknown
// template, a payload that lacks a key the template uses, or a value the
// template cannot format is an error wrapping workflow.ErrPermanent,
// because rendering the same message again cannot succeed.
func (ts *Templates) Render(name string, payload map[string]any) (subject, body string, err error) {
	t, ok := ts.sets[name]
	if !ok {
		return "", "", fmt.Errorf("%w: no mail template %q", sending.ErrPermanent, name)
	}
	if subject, err = execute(t, "subject", payload); err != nil {
		return "", "", err
	}
	if body, err = execute(t, "body", payload); err != nil {
		return "", "", err
	}
	// A header is one line: the template's line breaks and indentation
	// are layout, not content.
	return strings.Join(strings.Fields(subject), " "), strings.TrimSpace(body) + "\n", nil
}

// execute runs one part of a mail template.
func execute(t *template.Template, part string, payload map[string]any) (string, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, part, payload); err != nil {
		return "", fmt.Errorf("%w: mail template %s, %s: %v", sending.ErrPermanent, t.Name(), part, err)
	}
	return b.String(), nil
}
