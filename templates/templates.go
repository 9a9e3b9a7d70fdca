// Package templates holds the texts the product renders, embedded in the
// binary so that an installation is one file: the e-mail templates under
// mail/, the document templates under documents/, and the web
// application's pages and static files under ui/ and static/.
//
// A mail template is a text/template file named after the outbox message's
// template ("tilldelad" is mail/tilldelad.txt). It defines two templates,
// "subject" and "body", both rendered with the message's payload; the keys
// each one uses are listed in a comment at the top of the file.
//
// A document template is documents/<kind>.md (yttrande, yttrande-avstar,
// tjansteutlatande, tjansteskrivelse, protokollsutdrag, missiv): a
// text/template that writes
// Markdown, with ::: sections for the parts of the frame (fields,
// addressee, title, signatures, footer). docs/documents.md lists the
// fields; an organisation may replace any of them with its own.
package templates

import "embed"

// FS holds the templates: mail/*.txt and documents/*.md.
//
//go:embed mail/*.txt documents/*.md
var FS embed.FS

// UI holds the web application's pages (ui/*.html, html/template files
// that each define "content" for the layout in ui/layout.html) and its
// static files (static/: the stylesheet, and htmx, vendored from npm
// htmx.org@2.0.11 with its licence).
//
//go:embed ui/*.html static/*
var UI embed.FS
