package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Direction says how a handling came into the case.
type Direction string

// The directions of a handling.
const (
	Inkommande Direction = "inkommande" // received
	Upprattad  Direction = "upprattad"  // drawn up here
	Utgaende   Direction = "utgaende"   // sent
)

// DocumentKind says what a handling is.
type DocumentKind string

// The kinds of handling.
const (
	KindRemiss           DocumentKind = "remiss"           // the ministry's letter
	KindYttrande         DocumentKind = "yttrande"         // a (draft) yttrande
	KindTjansteutlatande DocumentKind = "tjansteutlatande" // the officer's report to the board
	KindTjansteskrivelse DocumentKind = "tjansteskrivelse" // a nämnd's officer's report
	KindProtokollsutdrag DocumentKind = "protokollsutdrag" // an extract of minutes, e.g. a nämnd's answer
	KindSkrivelse        DocumentKind = "skrivelse"        // a letter
	KindOvrigt           DocumentKind = "ovrigt"           // anything else
)

// DocumentKinds lists the kinds of handling.
var DocumentKinds = []DocumentKind{KindRemiss, KindYttrande, KindTjansteutlatande, KindTjansteskrivelse, KindProtokollsutdrag, KindSkrivelse, KindOvrigt}

// Document is a handling registered in a case, numbered within it (the
// löpnummer): handling 1 of KS-2024/76.109 is KS-2024/76-1.
type Document struct {
	CaseID       int64        `json:"-"`
	Number       int          `json:"number"`
	Dnr          string       `json:"dnr"`
	Title        string       `json:"title"`
	Kind         DocumentKind `json:"kind"`
	Direction    Direction    `json:"direction"`
	Date         Date         `json:"date"`
	Counterpart  string       `json:"counterpart,omitempty"` // sender of an inkommande, recipient of an utgående handling
	Secrecy      *Secrecy     `json:"secrecy,omitempty"`
	File         *FileInfo    `json:"file,omitempty"`
	RegisteredBy string       `json:"registered_by"`
	RegisteredAt time.Time    `json:"registered_at"`
	// Source says what the system rendered the handling from, such as
	// SourceDecidedYttrande; empty for a handling registered by hand.
	Source string `json:"source,omitempty"`
	// Sent is how an utgående handling was sent by e-mail.
	Sent *Sending `json:"sent,omitempty"`
}

// SourceDecidedYttrande marks the yttrande rendered and registered when
// the case was decided.
const SourceDecidedYttrande = "yttrande:beslut"

// Secrecy is a sekretess marking under OSL: a warning that the handling may
// hold secret information, not a decision; every request is still assessed.
type Secrecy struct {
	Provision string `json:"provision"` // e.g. "OSL 21 kap. 7 §"
	Date      Date   `json:"date"`
	Authority string `json:"authority"`
}

// FileInfo describes the file of a handling. Files are stored by content
// (SHA-256) and never replaced.
type FileInfo struct {
	Name       string    `json:"name"`
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	AttachedBy string    `json:"attached_by"`
	AttachedAt time.Time `json:"attached_at"`
}

// File is a handling's file with its bytes.
type File struct {
	FileInfo
	Content []byte
}

// NewDocument is the input for registering a handling in a case.
type NewDocument struct {
	Title       string        `json:"title"`
	Kind        string        `json:"kind"`
	Direction   string        `json:"direction"`
	Date        string        `json:"date"`
	Counterpart string        `json:"counterpart"`
	Secrecy     *SecrecyInput `json:"secrecy"`
}

// SecrecyInput is the marking part of a NewDocument.
type SecrecyInput struct {
	Provision string `json:"provision"`
	Date      string `json:"date"`
	Authority string `json:"authority"`
}

// Upload is a file sent for a handling. MediaType is what the content was
// detected to be, not what the client claimed.
type Upload struct {
	Name      string
	MediaType string
	Content   []byte
}

// MediaTypePDF is the one file type handlingar accept for now.
const MediaTypePDF = "application/pdf"

// oslPattern matches a provision of offentlighets- och sekretesslagen such
// as "OSL 21 kap. 7 §" or "OSL 19 kap. 3 § första stycket".
var oslPattern = regexp.MustCompile(`^OSL \d{1,2} kap\. \d{1,3}(?: ?[a-z])? §(?: .{1,100})?$`)

func (n *NewDocument) Validate(today Date) (Document, error) {
	var v Validation
	d := Document{
		Title:       RequireText(&v, "title", n.Title, 500),
		Counterpart: LimitText(&v, "counterpart", n.Counterpart, 200),
		Date:        RequireDate(&v, "date", n.Date),
	}
	d.Kind = KindOvrigt
	if n.Kind != "" {
		d.Kind = DocumentKind(n.Kind)
		if !slices.Contains(DocumentKinds, d.Kind) {
			v.Add("kind", "Okänt slag av handling. Möjliga: remiss, yttrande, tjansteutlatande, tjansteskrivelse, protokollsutdrag, skrivelse, ovrigt.")
		}
	}
	switch Direction(n.Direction) {
	case Inkommande, Upprattad, Utgaende:
		d.Direction = Direction(n.Direction)
	default:
		v.Add("direction", "Ange ”inkommande”, ”upprattad” eller ”utgaende”.")
	}
	if d.Date.After(today) {
		v.Addf("date", "Handlingens datum kan inte ligga efter i dag (%s).", today)
	}
	if n.Secrecy != nil {
		d.Secrecy = n.Secrecy.validate(&v, today)
	}
	return d, v.Err()
}

func (in *SecrecyInput) validate(v *Validation, today Date) *Secrecy {
	s := &Secrecy{
		Provision: strings.TrimSpace(in.Provision),
		Authority: RequireText(v, "secrecy.authority", in.Authority, 200),
		Date:      RequireDate(v, "secrecy.date", in.Date),
	}
	if !oslPattern.MatchString(s.Provision) {
		v.Add("secrecy.provision", "Ange bestämmelsen i offentlighets- och sekretesslagen, t.ex. ”OSL 21 kap. 7 §”.")
	}
	if s.Date.After(today) {
		v.Add("secrecy.date", "Datumet för sekretessmarkeringen kan inte ligga efter i dag.")
	}
	return s
}

// validateUpload checks a file against the limits and the accepted types.
func ValidateUpload(u Upload, maxBytes int64) (File, error) {
	if int64(len(u.Content)) > maxBytes {
		return File{}, ErrFileTooLarge(maxBytes)
	}
	if len(u.Content) == 0 {
		return File{}, Errorf(CodeInvalid, "Filen är tom.")
	}
	if u.MediaType != MediaTypePDF {
		return File{}, Errorf(CodeUnsupportedMedia, "Filen är inte en PDF (den ser ut att vara %s). Handlingar tas emot som PDF.", u.MediaType)
	}
	sum := sha256.Sum256(u.Content)
	return File{
		FileInfo: FileInfo{Name: cleanFileName(u.Name), MediaType: u.MediaType, Size: int64(len(u.Content)), SHA256: hex.EncodeToString(sum[:])},
		Content:  u.Content,
	}, nil
}

// ErrFileTooLarge is the error for a file over maxBytes; the web layer
// returns it too, when it stops reading an upload at the limit.
func ErrFileTooLarge(maxBytes int64) error {
	return Errorf(CodeTooLarge, "Filen är för stor. Största tillåtna storlek är %s.", HumanBytes(maxBytes))
}

// cleanFileName keeps the last path element of a client's file name, without
// control characters, so it is safe in a Content-Disposition header.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" || !utf8.ValidString(name) {
		return "handling.pdf"
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

func HumanBytes(n int64) string {
	const mib = 1 << 20
	if n >= mib {
		return Itoa(int(n/mib)) + " MiB"
	}
	return Itoa(int(n)) + " byte"
}

// requireDate parses a mandatory YYYY-MM-DD field.
func RequireDate(v *Validation, field, s string) Date {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "Ange ett datum (ÅÅÅÅ-MM-DD).")
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		v.Addf(field, "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD, t.ex. 2024-04-15.", s)
	}
	return d
}
