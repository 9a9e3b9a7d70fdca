// Package templates holds the texts the product renders, embedded in the
// binary so that an installation is one file: today the e-mail templates
// under mail/.
//
// A mail template is a text/template file named after the outbox message's
// template ("tilldelad" is mail/tilldelad.txt). It defines two templates,
// "subject" and "body", both rendered with the message's payload; the keys
// each one uses are listed in a comment at the top of the file.
package templates

import "embed"

// FS holds the templates: mail/*.txt.
//
//go:embed mail/*.txt
var FS embed.FS
