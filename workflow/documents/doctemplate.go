package documents

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow"
)

// TemplateKind names a document frame: the template that puts a case's
// data and draft text into an official document.
type TemplateKind string

// The document templates. Each ships as templates/documents/<kind>.md and
// may be replaced by an organisation's own.
const (
	TemplateYttrande         TemplateKind = "yttrande"         // the answer to the ministry
	TemplateYttrandeAvstar   TemplateKind = "yttrande-avstar"  // the short answer that the municipality declines
	TemplateTjansteutlatande TemplateKind = "tjansteutlatande" // the officer's report to the board
	TemplateTjansteskrivelse TemplateKind = "tjansteskrivelse" // a nämnd's officer's report
	TemplateMissiv           TemplateKind = "missiv"           // the covering e-mail to the ministry
)

// TemplateKinds lists the document templates.
var TemplateKinds = []TemplateKind{TemplateYttrande, TemplateYttrandeAvstar, TemplateTjansteutlatande, TemplateTjansteskrivelse, TemplateProtokollsutdrag, TemplateMissiv}

// ParseTemplateKind returns the template kind named s.
func ParseTemplateKind(s string) (TemplateKind, error) {
	k := TemplateKind(s)
	if !slices.Contains(TemplateKinds, k) {
		return "", workflow.Errorf(workflow.CodeNotFound, "Det finns ingen dokumentmall ”%s”. Mallarna är: yttrande, yttrande-avstar, tjansteutlatande, tjansteskrivelse, protokollsutdrag, missiv.", s)
	}
	return k, nil
}

// DocumentTemplate is the source of a document template, the shipped one
// or the organisation's own.
type DocumentTemplate struct {
	Kind      TemplateKind `json:"kind"`
	Source    string       `json:"source"`
	Custom    bool         `json:"custom"`
	UpdatedBy string       `json:"updated_by,omitempty"`
	UpdatedAt *time.Time   `json:"updated_at,omitempty"`
}

// maxTemplateBytes bounds a template's source, and maxOutputBytes what
// one may write, so that a template looping over a large number cannot
// exhaust memory.
const (
	maxTemplateBytes = 64 << 10
	maxOutputBytes   = 4 * MaxDraftBytes
)

func shippedTemplate(fsys fs.FS, kind TemplateKind) (string, error) {
	if fsys == nil {
		return "", workflow.Internal(errors.New("workflow: no document templates configured"))
	}
	b, err := fs.ReadFile(fsys, "documents/"+string(kind)+".md")
	if err != nil {
		return "", workflow.Internal(fmt.Errorf("shipped template %s: %w", kind, err))
	}
	return string(b), nil
}

// lowerFirst writes a name as it stands inside a sentence:
// "Kommunstyrelsen" → "kommunstyrelsen".
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

var templateFuncs = template.FuncMap{
	"lower": LowerFirst,
	// genitive forms a body's genitive: "Kommunstyrelsens arbetsutskotts".
	"genitive": workflow.Genitive,
	"join":     strings.Join,
}

// execute runs a template's source on data.
func executeTemplate(kind TemplateKind, src string, data any) (string, error) {
	if len(src) > maxTemplateBytes {
		return "", workflow.Errorf(workflow.CodeTooLarge, "Mallen är för stor (högst %s).", workflow.HumanBytes(maxTemplateBytes))
	}
	t, err := template.New(string(kind)).Option("missingkey=error").Funcs(templateFuncs).Parse(src)
	if err != nil {
		return "", templateError(err)
	}
	var out limitedBuilder
	if err := t.Execute(&out, data); err != nil {
		if errors.Is(err, errTooMuchOutput) {
			return "", workflow.Errorf(workflow.CodeInvalid, "Mallen skriver för mycket text (mer än %s).", workflow.HumanBytes(maxOutputBytes))
		}
		return "", templateError(err)
	}
	return out.String(), nil
}

var errTooMuchOutput = errors.New("template output over the limit")

type limitedBuilder struct{ strings.Builder }

func (b *limitedBuilder) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxOutputBytes {
		return 0, errTooMuchOutput
	}
	return b.Builder.Write(p)
}

var (
	templateLine  = regexp.MustCompile(`^template: [^:]+:(\d+)(?::\d+)?: (.*)$`)
	unknownField  = regexp.MustCompile(`can't evaluate field (\w+) in type (?:\*?[\w.]+\.)?(\w+)`)
	unknownFunc   = regexp.MustCompile(`function "(\w+)" not defined`)
	executingAtRe = regexp.MustCompile(`^executing "[^"]*" at <[^>]*>: `)
)

// templateError says in Swedish what is wrong with a template, with the
// line, naming the fields that exist when an unknown one is used.
func templateError(err error) error {
	msg := err.Error()
	line, detail := "", msg
	if m := templateLine.FindStringSubmatch(msg); m != nil {
		line, detail = " (rad "+m[1]+")", executingAtRe.ReplaceAllString(m[2], "")
	}
	if m := unknownField.FindStringSubmatch(detail); m != nil {
		return workflow.Errorf(workflow.CodeInvalid, "Mallen använder fältet ”%s”, som inte finns%s. Fälten som finns är: %s.", m[1], line, strings.Join(templateFieldNames(m[2]), ", "))
	}
	if detail == "unexpected EOF" {
		return workflow.Errorf(workflow.CodeInvalid, "Mallen tar slut mitt i ett block%s: en {{if}}, {{range}} eller {{with}} saknar sitt {{end}}.", line)
	}
	if m := unknownFunc.FindStringSubmatch(detail); m != nil {
		return workflow.Errorf(workflow.CodeInvalid, "Mallen använder funktionen ”%s”, som inte finns%s. Funktionerna som finns är: lower, genitive, join.", m[1], line)
	}
	return workflow.Errorf(workflow.CodeInvalid, "Mallen kan inte användas%s: %s", line, detail)
}

// templateFieldNames lists the fields of the data type a template was given.
func templateFieldNames(typ string) []string {
	switch typ {
	case "RemissData":
		return []string{"Sender", "SenderDnr", "Reference", "Received", "Deadline", "ReplyTo"}
	case "DecisionData":
		return []string{"Body", "Date", "Paragraph", "Outcome"}
	case "Signer":
		return []string{"Name", "Title", "Unit"}
	case "ExtractData":
		return []string{"Organisation", "Body", "Parent", "Date", "Paragraph", "Dnr", "Title", "Beslut", "Forslag", "Forslagsstallare",
			"Sammanfattning", "Yrkanden", "Reservationer", "SarskildaYttranden", "Jav", "JusterasOmedelbart", "SkickasTill", "Justerad", "Certifier"}
	case "Statement":
		return []string{"Ledamot", "Text"}
	case "ExtractJustering":
		return []string{"Date", "Anslag"}
	}
	return []string{"Organisation", "Body", "Dnr", "Title", "Date", "Remiss", "Decision", "Text", "Reason", "Handlaggare", "Handlingar", "Signers", "OnBehalf"}
}
