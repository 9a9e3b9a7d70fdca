package workflow

import "time"

// The mail templates of an expedition's messages. Their text is composed
// when expediera queues them (see PreparedMail), so they have no file in
// templates/mail.
const (
	MailAnswer  = "yttrande"         // the answer to the ministry
	MailExtract = "protokollsutdrag" // the decision's extract to another recipient
)

// EventAnswerSent is the System event remiss fires when the ministry's
// mail server has accepted the answer.
const EventAnswerSent = "svaret_skickat"

// SourceSentYttrande marks the utgående handling registered when the
// answer was sent; the outbox message's id follows the colon.
const SourceSentYttrande = "yttrande:skickat"

// PreparedMail is a message composed in full when it was queued: it is
// sent exactly as the expedition preview showed it, however the templates
// or the case change while it waits for the mail server.
type PreparedMail struct {
	Subject     string       `json:"subject"`
	Body        string       `json:"body"`
	Cc          []string     `json:"cc,omitempty"`
	Attachments []Attachment `json:"attachments"`
}

// Sending is when and how an utgående handling was sent by e-mail.
type Sending struct {
	At        time.Time `json:"at"`
	To        string    `json:"to"`
	MessageID string    `json:"message_id"`
}

// Attachment is a file an e-mail carries.
type Attachment struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	// Document is the handling's löpnummer when the file is a registered
	// handling's; 0 for a file rendered for the message.
	Document int    `json:"document,omitempty"`
	Content  []byte `json:"-"`
}

// AttachmentOf is f as an e-mail carries it; stored and rendered files
// both come with their SHA-256.
func AttachmentOf(f File, document int) Attachment {
	return Attachment{Name: f.Name, MediaType: f.MediaType, Size: int64(len(f.Content)), SHA256: f.SHA256, Document: document, Content: f.Content}
}
