package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// FieldType is the type of one datum an event takes.
type FieldType string

// The field types of event data.
const (
	FieldText    FieldType = "text"    // a string; Max characters (default 2000)
	FieldTexts   FieldType = "texts"   // a list of strings, e.g. justerare
	FieldDate    FieldType = "date"    // YYYY-MM-DD; NotFuture refuses dates after today
	FieldInteger FieldType = "integer" // a whole number ≥ Min (default 1), e.g. a paragraph
	FieldBool    FieldType = "bool"
	FieldEnum    FieldType = "enum" // one of Values
	FieldUser    FieldType = "user" // the e-mail address of a user of the organisation, with Role if given
	FieldBody    FieldType = "body" // the code of one of the organisation's bodies
	FieldList    FieldType = "list" // a list of objects with the fields Items
	// FieldMeeting is the id of a meeting of the organisation, of a body
	// of BodyKind if given, and today or later if Upcoming.
	FieldMeeting FieldType = "meeting"
)

var fieldTypes = []FieldType{FieldText, FieldTexts, FieldDate, FieldInteger, FieldBool, FieldEnum, FieldUser, FieldBody, FieldList, FieldMeeting}

// FieldSpec describes one datum of an event: its type and the rules it
// must meet. The same description is shown to clients in available_events,
// so that a form can be built from it.
type FieldSpec struct {
	Name         string              `json:"name"`
	Title        string              `json:"title"`
	Type         FieldType           `json:"type"`
	Required     bool                `json:"required,omitempty"`
	RequiredWhen map[string][]string `json:"required_when,omitempty"` // required when another field has one of these values
	Values       []string            `json:"values,omitempty"`
	Max          int                 `json:"max,omitempty"`
	Min          int                 `json:"min,omitempty"`
	NotFuture    bool                `json:"not_future,omitempty"`
	Role         Role                `json:"role,omitempty"`
	BodyKind     BodyKind            `json:"body_kind,omitempty"` // meetings: of a body of this kind
	Upcoming     bool                `json:"upcoming,omitempty"`  // meetings: today or later
	Items        []FieldSpec         `json:"items,omitempty"`
}

// maxDataBytes bounds an event's data; the largest legitimate data (a list
// of consultations, reservations with their texts) is far smaller.
const maxDataBytes = 256 << 10

// decodeData reads an event's data (a JSON object, or nothing) and checks
// it against specs. Values come back normalised: trimmed text, dates as
// YYYY-MM-DD, whole numbers as int64, lower-cased e-mail addresses.
func decodeData(raw json.RawMessage, specs []FieldSpec, today Date) (map[string]any, error) {
	var v Validation
	obj := map[string]any{}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > maxDataBytes {
		return nil, Errorf(CodeTooLarge, "Händelsens data är för stor.")
	}
	if len(trimmed) > 0 && string(trimmed) != "null" {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil || obj == nil {
			return nil, &Error{Code: CodeInvalid, Message: "Händelsens data ska vara ett JSON-objekt.",
				Fields: []FieldError{{Field: "data", Message: "Ska vara ett objekt med fälten händelsen tar."}}}
		}
	}
	out := decodeObject(&v, "data", obj, specs, today)
	return out, v.Err()
}

func decodeObject(v *Validation, path string, obj map[string]any, specs []FieldSpec, today Date) map[string]any {
	out := map[string]any{}
	for name := range obj {
		if !slices.ContainsFunc(specs, func(f FieldSpec) bool { return f.Name == name }) {
			v.Addf(path+"."+name, "Fältet finns inte för den här händelsen. Möjliga fält: %s.", fieldNames(specs))
		}
	}
	for _, f := range specs {
		raw, present := obj[f.Name]
		if !present || raw == nil || raw == "" {
			if f.required(obj) {
				v.Add(path+"."+f.Name, "Fältet måste fyllas i.")
			}
			continue
		}
		if val, ok := f.decode(v, path+"."+f.Name, raw, today); ok {
			out[f.Name] = val
		}
	}
	return out
}

func fieldNames(specs []FieldSpec) string {
	names := make([]string, len(specs))
	for i, f := range specs {
		names[i] = f.Name
	}
	if len(names) == 0 {
		return "inga"
	}
	return strings.Join(names, ", ")
}

// required reports whether f must be given, considering RequiredWhen.
func (f FieldSpec) required(obj map[string]any) bool {
	if f.Required {
		return true
	}
	for other, values := range f.RequiredWhen {
		if s, ok := obj[other].(string); ok && slices.Contains(values, s) {
			return true
		}
	}
	return false
}

// decode checks one value; ok is false when it was invalid (and recorded).
func (f FieldSpec) decode(v *Validation, path string, raw any, today Date) (any, bool) {
	switch f.Type {
	case FieldText, FieldEnum, FieldUser, FieldBody, FieldDate:
		s, isString := raw.(string)
		if !isString {
			v.Add(path, "Ska vara en text.")
			return nil, false
		}
		return f.decodeString(v, path, strings.TrimSpace(s), today)
	case FieldInteger, FieldMeeting:
		return f.decodeInteger(v, path, raw)
	case FieldBool:
		b, ok := raw.(bool)
		if !ok {
			v.Add(path, "Ska vara true eller false.")
		}
		return b, ok
	case FieldTexts:
		return f.decodeTexts(v, path, raw)
	case FieldList:
		return f.decodeList(v, path, raw, today)
	}
	v.Addf(path, "Okänd fälttyp ”%s”.", f.Type)
	return nil, false
}

func (f FieldSpec) decodeString(v *Validation, path, s string, today Date) (any, bool) {
	before := len(v.fields)
	switch f.Type {
	case FieldText:
		s = LimitProse(v, path, s, f.maxOr(2000))
	case FieldEnum:
		if !slices.Contains(f.Values, s) {
			v.Addf(path, "Ange ett av %s.", quoteAll(f.Values))
		}
	case FieldUser:
		s = NormalizeEmail(v, path, s, true)
	case FieldBody:
		if !codePattern.MatchString(s) {
			v.Addf(path, "”%s” är ingen förkortning för en instans.", s)
		}
	case FieldDate:
		d, err := ParseDate(s)
		switch {
		case err != nil:
			v.Addf(path, "”%s” är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD.", s)
		case f.NotFuture && d.After(today):
			v.Addf(path, "Datumet kan inte ligga efter i dag (%s).", today)
		}
	}
	return s, len(v.fields) == before
}

func (f FieldSpec) decodeInteger(v *Validation, path string, raw any) (any, bool) {
	n, isNumber := raw.(json.Number)
	i, err := n.Int64()
	if !isNumber || err != nil {
		v.Add(path, "Ska vara ett heltal.")
		return nil, false
	}
	min := int64(f.Min)
	if f.Min == 0 {
		min = 1
	}
	if i < min || i > math.MaxInt32 {
		v.Addf(path, "Ska vara ett heltal från %d.", min)
		return nil, false
	}
	return i, true
}

func (f FieldSpec) decodeTexts(v *Validation, path string, raw any) (any, bool) {
	list, ok := raw.([]any)
	if !ok {
		v.Add(path, "Ska vara en lista med texter.")
		return nil, false
	}
	out := make([]string, 0, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok || strings.TrimSpace(s) == "" {
			v.Addf(fmt.Sprintf("%s[%d]", path, i), "Ska vara en text som inte är tom.")
			continue
		}
		out = append(out, LimitText(v, fmt.Sprintf("%s[%d]", path, i), s, 200))
	}
	return out, f.checkCount(v, path, len(list))
}

func (f FieldSpec) decodeList(v *Validation, path string, raw any, today Date) (any, bool) {
	list, ok := raw.([]any)
	if !ok {
		v.Add(path, "Ska vara en lista.")
		return nil, false
	}
	before := len(v.fields)
	out := make([]map[string]any, 0, len(list))
	for i, item := range list {
		itemPath := fmt.Sprintf("%s[%d]", path, i)
		obj, ok := item.(map[string]any)
		if !ok {
			v.Add(itemPath, "Ska vara ett objekt.")
			continue
		}
		out = append(out, decodeObject(v, itemPath, obj, f.Items, today))
	}
	return out, f.checkCount(v, path, len(list)) && len(v.fields) == before
}

func (f FieldSpec) checkCount(v *Validation, path string, n int) bool {
	if n < f.Min {
		v.Addf(path, "Ange minst %d.", f.Min)
		return false
	}
	if f.Max > 0 && n > f.Max {
		v.Addf(path, "Ange högst %d.", f.Max)
		return false
	}
	return true
}

func (f FieldSpec) maxOr(def int) int {
	if f.Max > 0 {
		return f.Max
	}
	return def
}

// reference is a datum that names a user or a body of the organisation,
// which the engine checks against the store.
type reference struct {
	path  string
	field FieldSpec
	value string
}

// references lists the user and body data in data, nested lists included.
func references(prefix string, specs []FieldSpec, data map[string]any) []reference {
	var refs []reference
	for _, f := range specs {
		switch val := data[f.Name].(type) {
		case string:
			if f.Type == FieldUser || f.Type == FieldBody {
				refs = append(refs, reference{path: prefix + "." + f.Name, field: f, value: val})
			}
		case []map[string]any:
			for i, item := range val {
				refs = append(refs, references(fmt.Sprintf("%s.%s[%d]", prefix, f.Name, i), f.Items, item)...)
			}
		}
	}
	return refs
}

// validateFields checks the specs of one event (or one list's items).
func validateFields(p *problems, at string, specs []FieldSpec) {
	seen := map[string]bool{}
	for i, f := range specs {
		here := fmt.Sprintf("%s[%d]", at, i)
		if !namePattern.MatchString(f.Name) {
			p.addf(here+".name", "”%s” är inget giltigt fältnamn (små bokstäver, siffror, _ och -).", f.Name)
		}
		if seen[f.Name] {
			p.addf(here+".name", "Fältet ”%s” finns två gånger.", f.Name)
		}
		seen[f.Name] = true
		if !slices.Contains(fieldTypes, f.Type) {
			p.addf(here+".type", "Okänd fälttyp ”%s”.", f.Type)
		}
		if f.Type == FieldEnum && len(f.Values) == 0 {
			p.addf(here+".values", "Ett val (enum) måste ha värden.")
		}
		if f.Role != "" && !slices.Contains(Roles, f.Role) {
			p.addf(here+".role", "Okänd roll ”%s”.", f.Role)
		}
		if f.Type != FieldMeeting && (f.BodyKind != "" || f.Upcoming) {
			p.addf(here, "Bara ett sammanträde (meeting) har body_kind och upcoming.")
		}
		if f.BodyKind != "" && !slices.Contains([]BodyKind{KindStyrelse, KindUtskott, KindNamnd}, f.BodyKind) {
			p.addf(here+".body_kind", "Okänt slag av instans ”%s”.", f.BodyKind)
		}
		if (f.Type == FieldList) != (len(f.Items) > 0) {
			p.addf(here+".items", "Bara en lista (list) har items, och den måste ha dem.")
		}
		validateFields(p, here+".items", f.Items)
		for other, values := range f.RequiredWhen {
			j := slices.IndexFunc(specs, func(s FieldSpec) bool { return s.Name == other })
			if j < 0 || specs[j].Type != FieldEnum {
				p.addf(here+".required_when", "”%s” är inget val (enum) i samma händelse.", other)
				continue
			}
			for _, val := range values {
				if !slices.Contains(specs[j].Values, val) {
					p.addf(here+".required_when", "”%s” är inget värde av ”%s”.", val, other)
				}
			}
		}
	}
}
