package web

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/yttrande/remiss/workflow"
)

// maxJSONBytes bounds a JSON request body; files go through their own
// upload endpoint.
const maxJSONBytes = 1 << 20

// decodeJSON reads exactly one JSON object into v and turns every way it
// can go wrong into a Swedish message: not JSON, unknown fields, wrong
// types, too large, more than one value.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONUpTo(w, r, v, maxJSONBytes)
}

// decodeJSONUpTo is decodeJSON for a body of at most limit bytes.
func decodeJSONUpTo(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return workflow.Errorf(workflow.CodeBadRequest, "Begäran innehåller mer än ett JSON-objekt.")
	}
	return nil
}

// requireJSON refuses a body declared as anything but JSON; a body without
// a Content-Type is read as JSON.
func requireJSON(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return workflow.Errorf(workflow.CodeUnsupportedMedia, "Skicka uppgifterna som JSON (Content-Type: application/json).")
		}
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return workflow.Errorf(workflow.CodeBadRequest, "Begäran saknar innehåll; skicka ett JSON-objekt.")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return workflow.Errorf(workflow.CodeBadRequest, "Begäran är inte giltig JSON (%v).", err)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return workflow.Errorf(workflow.CodeBadRequest, "Begäran ska vara ett JSON-objekt.")
		}
		return &workflow.Error{Code: workflow.CodeInvalid, Message: "Fältet ”" + typ.Field + "” har fel typ.",
			Fields: []workflow.FieldError{{Field: typ.Field, Message: "Ska vara " + jsonTypeName(typ.Type.Kind().String()) + "."}}}
	case errors.As(err, &tooBig):
		return workflow.Errorf(workflow.CodeTooLarge, "Begäran är för stor (högst %d byte).", tooBig.Limit)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &workflow.Error{Code: workflow.CodeInvalid, Message: "Okänt fält ”" + field + "”.",
			Fields: []workflow.FieldError{{Field: field, Message: "Fältet finns inte; kontrollera stavningen mot API-dokumentationen."}}}
	}
	return workflow.Errorf(workflow.CodeBadRequest, "Begäran kunde inte läsas: %v", err)
}

func jsonTypeName(kind string) string {
	switch {
	case kind == "string":
		return "en text"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "ett tal"
	case kind == "bool":
		return "true eller false"
	case kind == "slice":
		return "en lista"
	}
	return "ett objekt"
}

// respond writes v as JSON with status.
func respond(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "Karin Lind <karin@…>" stays readable; responses are never HTML
	_ = enc.Encode(v)
}

// list wraps a slice so that every list response is an object with items,
// which leaves room to add paging without breaking clients.
func list[T any](items []T) map[string][]T {
	if items == nil {
		items = []T{}
	}
	return map[string][]T{"items": items}
}

// pathID reads a positive integer path parameter. Anything else cannot
// name an existing row, so it is not found, like an unknown id.
func pathID(r *http.Request, name, what string) (int64, error) {
	raw := chi.URLParam(r, name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.CodeNotFound, "%s ”%s” finns inte.", what, raw)
	}
	return id, nil
}

// caseRef reads the {org} and {case} parameters.
func caseRef(r *http.Request) (org string, caseID int64, err error) {
	caseID, err = pathID(r, "case", "Ärendet")
	return chi.URLParam(r, "org"), caseID, err
}

// documentRef reads {org}, {case} and {n}.
func documentRef(r *http.Request) (org string, caseID int64, n int, err error) {
	org, caseID, err = caseRef(r)
	if err != nil {
		return "", 0, 0, err
	}
	num, err := pathID(r, "n", "Handlingen")
	if err == nil && num > math.MaxInt32 {
		err = workflow.Errorf(workflow.CodeNotFound, "Handlingen ”%d” finns inte.", num)
	}
	return org, caseID, int(num), err
}
