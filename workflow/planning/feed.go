package planning

import (
	"context"
	"fmt"
	"time"

	"github.com/yttrande/remiss/workflow"
)

// FeedEvent is one entry of a calendar feed: a deadline (a whole day) or a
// meeting (at its time).
type FeedEvent struct {
	UID         string // stable across re-plans, so a calendar updates the entry instead of adding one
	Date        workflow.Date
	Time        string // HH:MM; empty for a whole day
	Summary     string
	Description string
	Location    string
	Updated     time.Time
}

// Feed is a calendar to subscribe to: a user's deadlines or a body's
// meetings and deadlines.
type Feed struct {
	Name   string
	Events []FeedEvent
}

// FeedLink is a user's newly issued feed token and the paths it opens.
// The token is shown once; issuing a new one revokes the old.
type FeedLink struct {
	Token  string `json:"token"`
	Mine   string `json:"mine"`   // path of the user's own deadlines
	Bodies string `json:"bodies"` // path pattern of a body's feed, {code} to fill in
}

// feedWindow is how far back and ahead a feed reaches.
const (
	feedPastDays   = 90
	feedFutureDays = 400
	feedMaxEvents  = 1000
)

// IssueFeedToken gives the calling user a new calendar-feed token,
// revoking the previous one. Only a user has one: the feed shows the
// user's own cases.
func (s *Service) IssueFeedToken(ctx context.Context, actor workflow.Actor, slug string) (FeedLink, error) {
	org, err := s.OrgFor(ctx, actor, slug, workflow.PermReadCase)
	if err != nil {
		return FeedLink{}, err
	}
	if actor.UserID == 0 || actor.OrgID != org.ID {
		return FeedLink{}, workflow.Errorf(workflow.CodeForbidden, "Bara en användare i organisationen kan få en kalenderlänk.")
	}
	secret, hash, err := s.secrets()
	if err != nil {
		return FeedLink{}, workflow.Internal(err)
	}
	if err := s.store.SetFeedToken(ctx, org.ID, actor.UserID, hash, s.Now()); err != nil {
		return FeedLink{}, err
	}
	base := "/api/v1/feeds/" + secret
	return FeedLink{Token: secret, Mine: base + "/mine.ics", Bodies: base + "/bodies/{code}/feed.ics"}, nil
}

// Feed is the calendar behind a feed token (its hash): the holder's own
// open deadlines, or with body the body's meetings and its deadlines.
func (s *Service) Feed(ctx context.Context, hash []byte, body string) (Feed, error) {
	holder, err := s.store.FeedTokenHolder(ctx, hash)
	if err != nil {
		return Feed{}, workflow.Errorf(workflow.CodeNotFound, "Kalenderlänken finns inte eller har ersatts av en ny.")
	}
	actor, org := holder.User.Actor(), holder.OrgSlug
	today := s.Today()
	q := workflow.DeadlineQuery{From: today.AddDays(-feedPastDays).String(), To: today.AddDays(feedFutureDays).String(), Limit: workflow.Itoa(workflow.MaxPageSize)}
	f := Feed{Name: "Remisser – " + holder.User.Name}
	if body == "" {
		q.Mine = true
	} else {
		q.Body = body
		b, err := s.store.BodyByCode(ctx, holder.User.OrgID, body)
		if err != nil {
			return Feed{}, err
		}
		meetings, err := s.store.Meetings(ctx, holder.User.OrgID, b.ID, workflow.MeetingFilter{From: today.AddDays(-feedPastDays), To: today.AddDays(feedFutureDays)})
		if err != nil {
			return Feed{}, err
		}
		f.Name = "Remisser – " + body
		f.Events = meetingEvents(meetings)
	}
	return f, s.addDeadlineEvents(ctx, actor, org, q, &f)
}

func meetingEvents(ms []workflow.Meeting) []FeedEvent {
	out := make([]FeedEvent, 0, len(ms))
	for _, m := range ms {
		out = append(out, FeedEvent{UID: fmt.Sprintf("meeting-%d@remiss", m.ID), Date: m.Date, Time: m.Time,
			Summary: "Sammanträde " + m.BodyName, Location: m.Location, Updated: m.UpdatedAt})
	}
	return out
}

// addDeadlineEvents pages through the deadlines q selects, up to the
// feed's limit.
func (s *Service) addDeadlineEvents(ctx context.Context, actor workflow.Actor, org string, q workflow.DeadlineQuery, f *Feed) error {
	for len(f.Events) < feedMaxEvents {
		page, err := s.Deadlines(ctx, actor, org, q)
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			f.Events = append(f.Events, FeedEvent{UID: fmt.Sprintf("case-%d-%s-%s@remiss", d.CaseID, d.Kind, d.Body), Date: d.Due,
				Summary:     d.Dnr + ": " + d.Title,
				Description: d.CaseTitle + "\nStatus: " + string(d.Status) + "\nSvarsdatum: " + d.ReplyBy.String() + "\n" + d.Note,
				Updated:     d.ComputedAt})
		}
		if q.Cursor = page.NextCursor; q.Cursor == "" {
			return nil
		}
	}
	return nil
}
