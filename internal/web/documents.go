package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/gabriel-vasile/mimetype"

	"github.com/yttrande/remiss/workflow"
)

func (s *Server) createDocument(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var in workflow.NewDocument
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	var d workflow.Document
	if err == nil {
		d, err = s.svc.Diarium.AddDocument(r.Context(), actorFrom(r.Context()), org, caseID, in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/organizations/%s/cases/%d/documents/%d", org, caseID, d.Number))
	respond(w, http.StatusCreated, d)
}

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request) {
	org, caseID, err := caseRef(r)
	var docs []workflow.Document
	if err == nil {
		docs, err = s.svc.Diarium.Documents(r.Context(), actorFrom(r.Context()), org, caseID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, list(docs))
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request) {
	org, caseID, n, err := documentRef(r)
	var d workflow.Document
	if err == nil {
		d, err = s.svc.Diarium.Document(r.Context(), actorFrom(r.Context()), org, caseID, n)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusOK, d)
}

// putDocumentContent takes the raw file as the body. The type is detected
// from the bytes, not taken from the client's Content-Type, and the file
// name comes from Content-Disposition when the client sends one.
func (s *Server) putDocumentContent(w http.ResponseWriter, r *http.Request) {
	org, caseID, n, err := documentRef(r)
	var u workflow.Upload
	if err == nil {
		u, err = readUpload(w, r, s.svc.Diarium.MaxUploadBytes())
	}
	var d workflow.Document
	if err == nil {
		d, err = s.svc.Diarium.AttachFile(r.Context(), actorFrom(r.Context()), org, caseID, n, u)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respond(w, http.StatusCreated, d)
}

// readUpload reads at most limit bytes; one byte more means the file is
// too large, which the domain reports.
func readUpload(w http.ResponseWriter, r *http.Request, limit int64) (workflow.Upload, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return workflow.Upload{}, workflow.ErrFileTooLarge(limit)
	}
	if err != nil {
		return workflow.Upload{}, workflow.Errorf(workflow.CodeBadRequest, "Filen kunde inte tas emot helt; försök igen.")
	}
	name := ""
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	return workflow.Upload{Name: name, MediaType: mimetype.Detect(body).String(), Content: body}, nil
}

// getDocumentContent serves the file with its own name, type and a strong
// ETag (its SHA-256), with range and conditional requests.
func (s *Server) getDocumentContent(w http.ResponseWriter, r *http.Request) {
	org, caseID, n, err := documentRef(r)
	var f workflow.File
	if err == nil {
		f, err = s.svc.Diarium.FileContent(r.Context(), actorFrom(r.Context()), org, caseID, n)
	}
	s.serveFile(w, r, f, err)
}

// serveFile sends f as an attachment with its own name and type and a
// strong ETag (its SHA-256), with range and conditional requests; or err.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, f workflow.File, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", f.MediaType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disposition == "" {
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", disposition)
	w.Header().Set("ETag", `"`+f.SHA256+`"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", f.AttachedAt, bytes.NewReader(f.Content))
}
