package workflow

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/jpeg" // JPEG logos are read by image.Decode
	"image/png"
	"regexp"
	"time"
)

// Signing says who signs the yttrande an organisation sends.
type Signing string

// The ways a yttrande is signed.
const (
	SignOrdforande               Signing = "ordforande"                // the deciding body's chair
	SignOrdforandeKommundirektor Signing = "ordforande_kommundirektor" // the chair and the kommundirektör
	SignSekreterare              Signing = "sekreterare"               // the secretary, "enligt uppdrag"
)

// DateStyle is how documents write their date.
type DateStyle string

// The date styles.
const (
	DateLong DateStyle = "long" // 27 mars 2024
	DateISO  DateStyle = "iso"  // 2024-03-27
)

// DocumentSettings are an organisation's letterhead and the conventions
// of its documents.
type DocumentSettings struct {
	Address        []string  `json:"address"`                   // postal and visiting address lines
	OrgNumber      string    `json:"org_number"`                // organisationsnummer, NNNNNN-NNNN
	Contact        []string  `json:"contact"`                   // telephone, e-mail, web
	Signing        Signing   `json:"signing"`                   // who signs a yttrande
	Kommundirektor string    `json:"kommundirektor"`            // the name, when the kommundirektör signs
	Secretary      string    `json:"secretary"`                 // the name, when the secretary signs; else who recorded the decision
	DateStyle      DateStyle `json:"date_style"`                // how dates are written
	Justify        bool      `json:"justify"`                   // paragraphs flush on both sides
	LogoAlt        string    `json:"logo_alt"`                  // the logo's alternative text; the organisation's name when empty
	HasLogo        bool      `json:"has_logo"`                  // read only: whether a logo is uploaded
	LogoMediaType  string    `json:"logo_media_type,omitempty"` // read only
}

// DefaultDocumentSettings are the settings of an organisation that has set
// none: the chair signs, dates are written out.
func DefaultDocumentSettings() DocumentSettings {
	return DocumentSettings{Address: []string{}, Contact: []string{}, Signing: SignOrdforande, DateStyle: DateLong}
}

// FormatDate writes d in the style.
func (s DocumentSettings) FormatDate(d Date) string {
	if s.DateStyle == DateISO {
		return d.String()
	}
	return LongDate(d)
}

var orgNumberPattern = regexp.MustCompile(`^\d{6}-\d{4}$`)

func (s DocumentSettings) validate() error {
	var v Validation
	if len(s.Address) > 4 {
		v.Add("documents.address", "Ange högst fyra adressrader.")
	}
	for i, l := range s.Address {
		LimitText(&v, "documents.address["+Itoa(i)+"]", l, 120)
	}
	if len(s.Contact) > 4 {
		v.Add("documents.contact", "Ange högst fyra kontaktrader.")
	}
	for i, l := range s.Contact {
		LimitText(&v, "documents.contact["+Itoa(i)+"]", l, 120)
	}
	if s.OrgNumber != "" && (!orgNumberPattern.MatchString(s.OrgNumber) || !luhn(s.OrgNumber)) {
		v.Add("documents.org_number", "Ange ett giltigt organisationsnummer, t.ex. ”212000-0142” (tio siffror med kontrollsiffra).")
	}
	switch s.Signing {
	case SignOrdforande, SignSekreterare:
	case SignOrdforandeKommundirektor:
		if s.Kommundirektor == "" {
			v.Add("documents.kommundirektor", "Ange kommundirektörens namn när hen undertecknar.")
		}
	default:
		v.Add("documents.signing", "Ange ”ordforande”, ”ordforande_kommundirektor” eller ”sekreterare”.")
	}
	if s.DateStyle != DateLong && s.DateStyle != DateISO {
		v.Add("documents.date_style", "Ange ”long” (27 mars 2024) eller ”iso” (2024-03-27).")
	}
	LimitText(&v, "documents.kommundirektor", s.Kommundirektor, 100)
	LimitText(&v, "documents.secretary", s.Secretary, 100)
	LimitText(&v, "documents.logo_alt", s.LogoAlt, 200)
	return v.Err()
}

// luhn checks the control digit of a Swedish organisation number.
func luhn(n string) bool {
	sum, double := 0, false
	for i := len(n) - 1; i >= 0; i-- {
		if n[i] == '-' {
			continue
		}
		d := int(n[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum, double = sum+d, !double
	}
	return sum%10 == 0
}

// patch returns the settings with the fields of the JSON object b changed.
func (s DocumentSettings) Patch(b json.RawMessage) (DocumentSettings, error) {
	if len(b) == 0 {
		return s, nil
	}
	out := s
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return s, Errorf(CodeInvalid, "Dokumentinställningarna kunde inte läsas: ange ett objekt, t.ex. {\"date_style\": \"iso\"}.")
	}
	out.HasLogo, out.LogoMediaType = s.HasLogo, s.LogoMediaType
	if out.Address == nil {
		out.Address = []string{}
	}
	if out.Contact == nil {
		out.Contact = []string{}
	}
	return out, out.validate()
}

// Logo is an organisation's logo for its letterhead.
type Logo struct {
	MediaType string
	Content   []byte
	UpdatedBy string
	UpdatedAt time.Time
}

// MaxLogoBytes is the largest logo accepted.
const MaxLogoBytes = 1 << 20

// checkLogo decodes an uploaded logo, so that a file that is not a whole
// PNG or JPEG image is refused here rather than breaking a document
// later. A PNG is written anew as a plain 8-bit PNG, which every PDF and
// Word renderer reads (interlaced and 16-bit PNGs are not).
func CheckLogo(b []byte) (Logo, error) {
	if len(b) > MaxLogoBytes {
		return Logo{}, Errorf(CodeTooLarge, "Logotypen är för stor (högst %s).", HumanBytes(MaxLogoBytes))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return Logo{}, Errorf(CodeUnsupportedMedia, "Filen är ingen PNG- eller JPEG-bild. Logotypen ska vara en PNG- eller JPEG-bild.")
	}
	if cfg.Width > 4000 || cfg.Height > 4000 || cfg.Width < 16 || cfg.Height < 16 {
		return Logo{}, Errorf(CodeInvalid, "Logotypen ska vara mellan 16 och 4 000 bildpunkter bred och hög (den är %d × %d).", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return Logo{}, Errorf(CodeUnsupportedMedia, "Bilden är skadad eller ofullständig och kan inte läsas.")
	}
	if format == "jpeg" {
		return Logo{MediaType: "image/jpeg", Content: b}, nil
	}
	var out bytes.Buffer
	if err := png.Encode(&out, to8Bit(img)); err != nil {
		return Logo{}, Internal(err)
	}
	return Logo{MediaType: "image/png", Content: out.Bytes()}, nil
}

// to8Bit converts an image with 16 bits per channel to 8.
func to8Bit(img image.Image) image.Image {
	switch img.(type) {
	case *image.NRGBA64, *image.RGBA64, *image.Gray16:
		out := image.NewNRGBA(img.Bounds())
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				out.Set(x, y, img.At(x, y))
			}
		}
		return out
	}
	return img
}
