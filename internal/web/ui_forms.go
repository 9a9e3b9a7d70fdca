package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// eventForm is the form of one event: a field per datum, built from the
// event's field specs, with what the user typed and the domain's
// messages next to the fields they are about.
type eventForm struct {
	Event   workflow.AvailableEvent
	Version int64
	Fields  []formField
	Error   string
}

// formField is one input of an event form.
type formField struct {
	ID, Name, Label, Hint string
	Input                 string // text, textarea, date, number, checkbox, select
	Required              bool
	Value                 string
	Options               []option
	Error                 string
}

type option struct{ Value, Label string }

// listRows is how many rows a list datum (such as the nämnder of an
// intern remiss) gets in a form.
const listRows = 4

// enumTitles name the enum values of the shipped definitions in Swedish.
var enumTitles = map[string]string{
	"antaget": "Antaget", "aterremiss": "Återremiss", "bordlagg": "Bordläggning", "avstar": "Avstår från att yttra sig",
	"forslag": "Förslag till kommunstyrelsen", "yttrande": "Yttrande", "ordforande": "Ordförande",
}

// choices are the options a form offers for users, bodies and meetings.
type choices struct {
	users    []workflow.User
	bodies   []workflow.Body
	meetings map[workflow.BodyKind][]workflow.Meeting
}

// loadChoices reads what the event's fields need to choose from.
func (s *Server) loadChoices(ctx context.Context, actor workflow.Actor, slug string, specs []workflow.FieldSpec) (choices, error) {
	var c choices
	var err error
	if c.users, err = s.svc.Accounts.Colleagues(ctx, actor, slug); err != nil {
		return c, err
	}
	if c.bodies, err = s.svc.Diarium.Bodies(ctx, actor, slug); err != nil {
		return c, err
	}
	c.meetings = map[workflow.BodyKind][]workflow.Meeting{}
	for _, b := range c.bodies {
		ms, err := s.svc.Meetings.Meetings(ctx, actor, slug, b.Code, workflow.MeetingFilter{})
		if err != nil {
			return c, err
		}
		c.meetings[b.Kind] = append(c.meetings[b.Kind], ms...)
	}
	return c, nil
}

// newEventForm builds the form of ev with values (the typed ones, or
// none).
func newEventForm(ev workflow.AvailableEvent, version int64, values url.Values, c choices) *eventForm {
	f := &eventForm{Event: ev, Version: version}
	for _, spec := range ev.Data {
		if spec.Type == workflow.FieldList {
			for i := range listRows {
				for _, item := range spec.Items {
					name := fmt.Sprintf("%s.%d.%s", spec.Name, i, item.Name)
					fld := field(item, name, values, c)
					fld.Label = fmt.Sprintf("%s %d: %s", spec.Title, i+1, item.Title)
					fld.Required = false // a row left empty is no row
					f.Fields = append(f.Fields, fld)
				}
			}
			continue
		}
		f.Fields = append(f.Fields, field(spec, spec.Name, values, c))
	}
	return f
}

// field is the input of one datum.
func field(spec workflow.FieldSpec, name string, values url.Values, c choices) formField {
	fld := formField{ID: "f-" + strings.ReplaceAll(name, ".", "-"), Name: name, Label: spec.Title, Required: spec.Required, Value: values.Get(name), Input: "text"}
	switch spec.Type {
	case workflow.FieldText:
		if spec.Max == 0 || spec.Max > 200 {
			fld.Input = "textarea"
		}
	case workflow.FieldTexts:
		fld.Input, fld.Hint = "textarea", "En per rad."
	case workflow.FieldDate:
		fld.Input = "date"
	case workflow.FieldInteger:
		fld.Input = "number"
	case workflow.FieldBool:
		fld.Input = "checkbox"
	case workflow.FieldEnum:
		fld.Input = "select"
		for _, v := range spec.Values {
			fld.Options = append(fld.Options, option{v, cmpOr(enumTitles[v], v)})
		}
	case workflow.FieldUser:
		fld.Input = "select"
		for _, u := range c.users {
			if spec.Role == "" || hasRole(u, spec.Role) {
				fld.Options = append(fld.Options, option{u.Email, u.Name})
			}
		}
	case workflow.FieldBody:
		fld.Input = "select"
		for _, b := range c.bodies {
			fld.Options = append(fld.Options, option{b.Code, b.Name})
		}
	case workflow.FieldMeeting:
		fld.Input = "select"
		for _, m := range c.meetings[spec.BodyKind] {
			fld.Options = append(fld.Options, option{strconv.FormatInt(m.ID, 10), m.Label()})
		}
	}
	return fld
}

func hasRole(u workflow.User, r workflow.Role) bool {
	for _, have := range u.Roles {
		if have == r {
			return true
		}
	}
	return false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// listPath matches a list datum's path in the domain's messages:
// data.consultations[2].deadline.
var listPath = regexp.MustCompile(`^data\.([a-z0-9_]+)\[(\d+)\]\.([a-z0-9_]+)$`)

// placeErrors puts each field error next to its field, and the rest at
// the top of the form.
func placeErrors(f *eventForm, errs []workflow.FieldError) {
	var general []string
	for _, e := range errs {
		name := strings.TrimPrefix(e.Field, "data.")
		if m := listPath.FindStringSubmatch(e.Field); m != nil {
			name = m[1] + "." + m[2] + "." + m[3]
		}
		placed := false
		for i := range f.Fields {
			if f.Fields[i].Name == name {
				f.Fields[i].Error, placed = e.Message, true
			}
		}
		if !placed {
			general = append(general, e.Message)
		}
	}
	if len(general) > 0 {
		f.Error = strings.Join(general, " ")
	}
}

// formData turns a submitted form into the event's data, as the API would
// get it. It converts only what HTML cannot say (numbers, checkboxes,
// lines); the domain validates everything, as for any client.
func formData(specs []workflow.FieldSpec, values url.Values) (json.RawMessage, error) {
	data := map[string]any{}
	for _, spec := range specs {
		if spec.Type == workflow.FieldList {
			if rows := listData(spec, values); len(rows) > 0 {
				data[spec.Name] = rows
			}
			continue
		}
		if v, ok := formValue(spec, values.Get(spec.Name)); ok {
			data[spec.Name] = v
		}
	}
	return json.Marshal(data)
}

// listData reads the rows of a list datum that have anything in them.
func listData(spec workflow.FieldSpec, values url.Values) []map[string]any {
	var rows []map[string]any
	for i := range listRows {
		row := map[string]any{}
		for _, item := range spec.Items {
			if v, ok := formValue(item, values.Get(fmt.Sprintf("%s.%d.%s", spec.Name, i, item.Name))); ok {
				row[item.Name] = v
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	return rows
}

// formValue is one datum's value; false for an empty input.
func formValue(spec workflow.FieldSpec, s string) (any, bool) {
	s = strings.TrimSpace(s)
	switch {
	case spec.Type == workflow.FieldBool:
		return s == "true", s == "true"
	case s == "":
		return nil, false
	case spec.Type == workflow.FieldTexts:
		ls := lines(s)
		return ls, len(ls) > 0
	case spec.Type == workflow.FieldInteger || spec.Type == workflow.FieldMeeting:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
	}
	return s, true // a number that is none: the domain says what is wrong
}

// refuse shows the domain's refusal on the form: each field's message
// beside it, and a message about none of them at the top.
func (f *eventForm) refuse(err error) {
	if err == nil {
		return
	}
	e, ok := err.(*workflow.Error)
	if !ok {
		f.Error = workflow.Message(err)
		return
	}
	placeErrors(f, e.Fields)
	if len(e.Fields) == 0 {
		f.Error = e.Message
	}
}

// input is a plain input of a fixed form, named by the path of the
// domain's field messages, with the value typed.
func input(values url.Values, name, label, kind string, required bool, hint string) formField {
	return formField{ID: "f-" + strings.ReplaceAll(name, ".", "-"), Name: name, Label: label, Input: kind, Required: required, Hint: hint, Value: values.Get(name)}
}
