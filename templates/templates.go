// Package templates holds the texts the product renders, embedded in the
// binary so that an installation is one file: the e-mail templates under
// mail/ and the document templates under documents/.
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
