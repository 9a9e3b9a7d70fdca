package documents

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yttrande/remiss/workflow"
)

// DraftKind names the text of a case that is written as a draft.
type DraftKind string

// The drafts of a case.
const (
	DraftYttrande         DraftKind = "yttrande"         // the answer to the ministry
	DraftTjansteutlatande DraftKind = "tjansteutlatande" // the officer's report the board decides on
)

// ParseDraftKind returns the draft kind named s.
func ParseDraftKind(s string) (DraftKind, error) {
	switch k := DraftKind(s); k {
	case DraftYttrande, DraftTjansteutlatande:
		return k, nil
	}
	return "", workflow.Errorf(workflow.CodeNotFound, "Det finns inget utkast av slaget ”%s”. Möjliga: yttrande, tjansteutlatande.", s)
}

// MaxDraftBytes is the largest draft text accepted: a long yttrande is
// some tens of kilobytes, a whole SOU a quarter of a megabyte.
const MaxDraftBytes = 1 << 20

// ErrDraftTooLarge is the error for a draft over MaxDraftBytes; the web
// layer returns it too, when it stops reading a request at the limit.
func ErrDraftTooLarge() error {
	return workflow.Errorf(workflow.CodeTooLarge, "Utkastet är för stort. Största tillåtna storlek är %s text.", workflow.HumanBytes(MaxDraftBytes))
}

// DraftVersion is one saved version of a draft. Every save is a new
// version; versions are never changed, so a comment or a diff always
// refers to the text as it was.
type DraftVersion struct {
	CaseID    int64     `json:"-"`
	Kind      DraftKind `json:"kind"`
	Version   int       `json:"version"`
	Text      string    `json:"text,omitempty"` // left out in lists of versions
	Signers   []Signer  `json:"signers"`
	Note      string    `json:"note,omitempty"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
	Size      int       `json:"size"` // bytes of text
}

// Draft is a draft's version as read, with what the Markdown parser left
// out of it.
type Draft struct {
	DraftVersion
	// Dropped says what the document will not show, such as raw HTML.
	Dropped []string `json:"dropped"`
}

// DraftSave is the input for saving a draft. BaseVersion is the version
// the writer started from (0 for a new draft): when someone else saved
// meanwhile, the save is refused instead of overwriting their text.
type DraftSave struct {
	Text        string        `json:"text"`
	BaseVersion *int          `json:"base_version"`
	Note        string        `json:"note"`
	Signers     []SignerInput `json:"signers"`
}

// SignerInput is one person who signs a tjänsteutlåtande or
// tjänsteskrivelse.
type SignerInput struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Unit  string `json:"unit"`
}

func (in *DraftSave) validate() (DraftVersion, int, error) {
	var v workflow.Validation
	d := DraftVersion{Note: workflow.LimitText(&v, "note", in.Note, 500), Signers: []Signer{}}
	switch {
	case len(in.Text) > MaxDraftBytes:
		return d, 0, ErrDraftTooLarge()
	case !utf8.ValidString(in.Text):
		v.Add("text", "Texten är inte giltig UTF-8.")
	case strings.ContainsFunc(in.Text, func(r rune) bool { return workflow.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }):
		v.Add("text", "Texten innehåller otillåtna styrtecken.")
	}
	d.Text = strings.ReplaceAll(in.Text, "\r\n", "\n")
	if strings.TrimSpace(d.Text) == "" {
		v.Add("text", "Utkastet är tomt.")
	}
	if in.BaseVersion == nil || *in.BaseVersion < 0 {
		v.Add("base_version", "Ange versionen du utgick från (0 för ett nytt utkast).")
	}
	if len(in.Signers) > 4 {
		v.Add("signers", "Högst fyra personer undertecknar.")
	}
	for i, s := range in.Signers {
		at := "signers[" + workflow.Itoa(i) + "]."
		d.Signers = append(d.Signers, Signer{Name: workflow.RequireText(&v, at+"name", s.Name, 100),
			Title: workflow.LimitText(&v, at+"title", s.Title, 100), Unit: workflow.LimitText(&v, at+"unit", s.Unit, 200)})
	}
	base := 0
	if in.BaseVersion != nil {
		base = *in.BaseVersion
	}
	return d, base, v.Err()
}

// DraftComment is a review comment on one version of a draft, anchored to
// a passage of that version's text when Quote is set.
type DraftComment struct {
	ID         int64      `json:"id"`
	Kind       DraftKind  `json:"kind"`
	Version    int        `json:"version"`
	Quote      string     `json:"quote,omitempty"`
	Text       string     `json:"text"`
	Author     string     `json:"author"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// NewDraftComment is the input for commenting on a version.
type NewDraftComment struct {
	Quote string `json:"quote"`
	Text  string `json:"text"`
}

func (in *NewDraftComment) validate(text string) (DraftComment, error) {
	var v workflow.Validation
	c := DraftComment{Text: requireProse(&v, "text", in.Text, 4000), Quote: strings.TrimSpace(in.Quote)}
	if utf8.RuneCountInString(c.Quote) > 1000 {
		v.Add("quote", "Citatet är för långt (högst 1 000 tecken).")
	} else if c.Quote != "" && !strings.Contains(text, c.Quote) {
		v.Add("quote", "Det citerade stycket finns inte i den här versionen av utkastet.")
	}
	return c, v.Err()
}

func requireProse(v *workflow.Validation, field, s string, max int) string {
	s = workflow.LimitProse(v, field, s, max)
	if s == "" && !v.Has(field) {
		v.Add(field, "Fältet måste fyllas i.")
	}
	return s
}
