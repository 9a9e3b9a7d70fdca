package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/ical"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/meetings"
)

// meetingCmd holds what every meeting and member command shares: the
// configuration and the organisation it acts in.
type meetingCmd struct {
	cfg *config.Config
	org string
}

// sub makes a subcommand that runs fn with the service as the system
// administrator, with the --org flag and the database flags.
func (c *meetingCmd) sub(use, short, example string, args cobra.PositionalArgs, fn func(ctx context.Context, svc *app.App, out io.Writer, args []string) error) *cobra.Command {
	cmd := &cobra.Command{
		Use: use, Short: short, Example: example, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withService(cmd.Context(), *c.cfg, cmd.ErrOrStderr(), func(svc *app.App) error {
				return describe(fn(cmd.Context(), svc, cmd.OutOrStdout(), args))
			})
		},
	}
	cmd.Flags().StringVar(&c.org, "org", "", "the organisation's slug (required)")
	must(cmd.MarkFlagRequired("org"))
	addDatabaseFlags(cmd, c.cfg)
	return cmd
}

func newMemberCmd(cfg *config.Config) *cobra.Command {
	c := &meetingCmd{cfg: cfg}
	member := &cobra.Command{Use: "member", Short: "Manage the members of a body (ledamöter and ersättare)"}
	var in workflow.NewMember
	add := c.sub("add BODY", "Add a member to a body", `  remiss member add KS --org huddinge --name "Eva Lund" --role ordforande --party M`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			m, err := svc.Meetings.AddMember(ctx, workflow.SystemActor(), c.org, args[0], in)
			if err == nil {
				_, err = fmt.Fprintf(out, "added %s (%s) to %s\n", m.Name, m.Role, args[0])
			}
			return err
		})
	f := add.Flags()
	f.StringVar(&in.Name, "name", "", "the member's name as it is written in the minutes (required)")
	f.StringVar(&in.Role, "role", "", "ordforande, vice_ordforande, ledamot or ersattare (required)")
	f.StringVar(&in.Party, "party", "", "the member's party, e.g. S or M")
	must(add.MarkFlagRequired("name"), add.MarkFlagRequired("role"))
	list := c.sub("list BODY", "List the members of a body", `  remiss member list KS --org huddinge`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			ms, err := svc.Meetings.Members(ctx, workflow.SystemActor(), c.org, args[0])
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAMN\tROLL\tPARTI")
			for _, m := range ms {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, m.Role, m.Party)
			}
			return tw.Flush()
		})
	member.AddCommand(add, list)
	return member
}

func newMeetingCmd(cfg *config.Config) *cobra.Command {
	c := &meetingCmd{cfg: cfg}
	meeting := &cobra.Command{
		Use:   "meeting",
		Short: "Manage the bodies' sammanträdesplan: meetings, agenda, justering and their PDFs",
		Long: `Manage the meetings of a body: create, import a year's plan (CSV or iCalendar), move,
cancel, justera, show the agenda and write the kallelse, anslagsbevis and protokollsutdrag
as PDF. Meetings are named by the id that "remiss meeting list" shows. Every change is
written to the meeting's log as made by the system administrator.`,
	}
	meeting.AddCommand(c.listCmd(), c.createCmd(), c.importCmd(), c.moveCmd(), c.cancelCmd(),
		c.justeraCmd(), c.agendaCmd(), c.pdfCmd())
	return meeting
}

func (c *meetingCmd) listCmd() *cobra.Command {
	var from, to string
	var cancelled bool
	cmd := c.sub("list BODY", "List a body's meetings", `  remiss meeting list KSAU --org huddinge --from 2024-01-01 --to 2024-12-31`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			f, err := meetingFilter(from, to, cancelled)
			if err != nil {
				return err
			}
			ms, err := svc.Meetings.Meetings(ctx, workflow.SystemActor(), c.org, args[0], f)
			if err != nil {
				return err
			}
			return printMeetings(out, ms)
		})
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD")
	cmd.Flags().BoolVar(&cancelled, "cancelled", false, "include cancelled (inställda) meetings")
	return cmd
}

func meetingFilter(from, to string, cancelled bool) (workflow.MeetingFilter, error) {
	var v workflow.Validation
	f := workflow.MeetingFilter{From: v.OptionalDate("from", from), To: v.OptionalDate("to", to), Cancelled: cancelled}
	return f, v.Err()
}

func printMeetings(out io.Writer, ms []workflow.Meeting) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tORGAN\tDATUM\tTID\tPLATS\tSTATUS\tVERSION")
	for _, m := range ms {
		status := string(m.Status)
		if m.Justering != nil {
			status = "justerat " + m.Justering.Date.String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", m.ID, m.Body, m.Date, m.Time, m.Location, status, m.Version)
	}
	return tw.Flush()
}

func (c *meetingCmd) createCmd() *cobra.Command {
	var in workflow.NewMeeting
	cmd := c.sub("create BODY", "Add a meeting to a body's calendar", `  remiss meeting create KSAU --org huddinge --date 2024-03-27 --time 08:30 --location "Kommunalhuset, sal A"`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			m, err := svc.Meetings.CreateMeeting(ctx, workflow.SystemActor(), c.org, args[0], in)
			if err == nil {
				_, err = fmt.Fprintf(out, "created meeting %d: %s\n", m.ID, m.Label())
			}
			return err
		})
	f := cmd.Flags()
	f.StringVar(&in.Date, "date", "", "the day, YYYY-MM-DD (required)")
	f.StringVar(&in.Time, "time", "", "the starting time, HH:MM")
	f.StringVar(&in.Location, "location", "", "where the meeting is held")
	must(cmd.MarkFlagRequired("date"))
	return cmd
}

func (c *meetingCmd) importCmd() *cobra.Command {
	return c.sub("import BODY FILE", "Import a year's sammanträdesplan from CSV or iCalendar (.ics)",
		`  remiss meeting import KS --org huddinge sammantradesplan-2024.csv
  remiss meeting import KSAU --org huddinge ksau-2024.ics`,
		cobra.ExactArgs(2), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			source, rows, err := c.readPlan(args[1])
			if err != nil {
				return err
			}
			res, err := svc.Meetings.ImportMeetings(ctx, workflow.SystemActor(), c.org, args[0], source, rows)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%d meetings created, %d already in the calendar\n", len(res.Created), len(res.Skipped))
			return printMeetings(out, res.Created)
		})
}

// readPlan reads a sammanträdesplan file; an iCalendar file is told by
// its first line rather than its name, because exports are often renamed.
func (c *meetingCmd) readPlan(path string) (string, []workflow.NewMeeting, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \r\n\t"), []byte("BEGIN:VCALENDAR")) {
		loc, err := c.cfg.Location()
		if err != nil {
			return "", nil, err
		}
		rows, err := ical.ParseMeetings(bytes.NewReader(b), loc)
		return "iCalendar " + filepath.Base(path), rows, err
	}
	rows, err := meetings.ParseMeetingsCSV(bytes.NewReader(b))
	return "CSV " + filepath.Base(path), rows, err
}

// meetingVersion is the version a change is made against: the one the
// user gave, or else the meeting's current one, read just before.
func (c *meetingCmd) meetingVersion(ctx context.Context, svc *app.App, id, given int64) (int64, error) {
	if given != 0 {
		return given, nil
	}
	m, err := svc.Meetings.Meeting(ctx, workflow.SystemActor(), c.org, id)
	return m.Version, err
}

func meetingID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("”%s” är inget sammanträdes-id; se remiss meeting list", arg)
	}
	return id, nil
}

func (c *meetingCmd) moveCmd() *cobra.Command {
	var in workflow.MeetingChange
	cmd := c.sub("move ID", "Move a meeting to another day, time or place", `  remiss meeting move 12 --org huddinge --date 2024-04-10 --reason "Krockar med KF"`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			m, err := c.change(ctx, svc, args[0], &in, svc.Meetings.MoveMeeting)
			if err == nil {
				_, err = fmt.Fprintf(out, "moved meeting %d: %s %s %s\n", m.ID, m.Label(), m.Time, m.Location)
			}
			return err
		})
	f := cmd.Flags()
	f.StringVar(&in.Date, "date", "", "the new day, YYYY-MM-DD (required)")
	f.StringVar(&in.Time, "time", "", "the new starting time, HH:MM")
	f.StringVar(&in.Location, "location", "", "the new place")
	f.StringVar(&in.Reason, "reason", "", "why the meeting moves, kept in its log")
	f.Int64Var(&in.Version, "version", 0, "the meeting's version the change is made against; 0: its current version")
	must(cmd.MarkFlagRequired("date"))
	return cmd
}

func (c *meetingCmd) cancelCmd() *cobra.Command {
	var in workflow.MeetingChange
	cmd := c.sub("cancel ID", "Cancel a meeting (it is kept as inställt)", `  remiss meeting cancel 12 --org huddinge --reason "Inga ärenden"`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			m, err := c.change(ctx, svc, args[0], &in, svc.Meetings.CancelMeeting)
			if err == nil {
				_, err = fmt.Fprintf(out, "cancelled meeting %d: %s\n", m.ID, m.Label())
			}
			return err
		})
	cmd.Flags().StringVar(&in.Reason, "reason", "", "why the meeting is cancelled, kept in its log")
	cmd.Flags().Int64Var(&in.Version, "version", 0, "the meeting's version the change is made against; 0: its current version")
	return cmd
}

type meetingChangeFunc func(context.Context, workflow.Actor, string, int64, workflow.MeetingChange) (workflow.Meeting, error)

func (c *meetingCmd) change(ctx context.Context, svc *app.App, arg string, in *workflow.MeetingChange, do meetingChangeFunc) (workflow.Meeting, error) {
	id, err := meetingID(arg)
	if err != nil {
		return workflow.Meeting{}, err
	}
	if in.Version, err = c.meetingVersion(ctx, svc, id, in.Version); err != nil {
		return workflow.Meeting{}, err
	}
	return do(ctx, workflow.SystemActor(), c.org, id, *in)
}

func (c *meetingCmd) justeraCmd() *cobra.Command {
	var in meetings.JusteringInput
	cmd := c.sub("justera ID", "Record the justering of a meeting's minutes; every ärende decided there moves on",
		`  remiss meeting justera 12 --org huddinge --date 2024-03-28 --ordforande "Eva Lund" --justerare "Ali Berg" --anslag 2024-03-29`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			id, err := meetingID(args[0])
			if err != nil {
				return err
			}
			if in.Version, err = c.meetingVersion(ctx, svc, id, in.Version); err != nil {
				return err
			}
			m, err := svc.Meetings.JusteraMeeting(ctx, workflow.SystemActor(), c.org, id, in)
			if err != nil {
				return err
			}
			j := m.Justering
			_, err = fmt.Fprintf(out, "justerat %s: anslag %s, sista dag för överklagande %s\n", m.Label(), j.AnslagOn, j.AppealEndsOn)
			return err
		})
	f := cmd.Flags()
	f.StringVar(&in.Date, "date", "", "the day of the justering, YYYY-MM-DD (required)")
	f.StringVar(&in.Ordforande, "ordforande", "", "the chair who signs, a member of the body (required)")
	f.StringSliceVar(&in.Justerare, "justerare", nil, "a justerare, a member of the body; repeatable (required)")
	f.StringVar(&in.Anslag, "anslag", "", "the day the anslag goes up, YYYY-MM-DD; empty: the day of the justering")
	f.StringVar(&in.Forvaringsplats, "forvaringsplats", "", "where the minutes are kept, printed on the anslagsbevis")
	f.Int64Var(&in.Version, "version", 0, "the meeting's version the justering is made against; 0: its current version")
	must(cmd.MarkFlagRequired("date"), cmd.MarkFlagRequired("ordforande"), cmd.MarkFlagRequired("justerare"))
	return cmd
}

func (c *meetingCmd) agendaCmd() *cobra.Command {
	return c.sub("agenda ID", "Show a meeting's agenda (dagordning)", `  remiss meeting agenda 12 --org huddinge`,
		cobra.ExactArgs(1), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			id, err := meetingID(args[0])
			if err != nil {
				return err
			}
			m, items, err := svc.Meetings.Agenda(ctx, workflow.SystemActor(), c.org, id)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Dagordning %s, %s\n", m.BodyName, workflow.LongDate(m.Date))
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PUNKT\tDNR\tÄRENDE\tSTATUS\t§")
			for _, it := range items {
				title := it.Title
				if it.Kind == workflow.AgendaAnmalanOrdforandebeslut {
					title = "Anmälan av ordförandebeslut: " + title
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", it.Position, it.Dnr, title, it.StateTitle, paragraphLabel(it.Paragraph))
			}
			return tw.Flush()
		})
}

func paragraphLabel(n int) string {
	if n == 0 {
		return ""
	}
	return "§ " + strconv.Itoa(n)
}

func (c *meetingCmd) pdfCmd() *cobra.Command {
	var output string
	var paragraph int
	cmd := c.sub("pdf ID kallelse|anslagsbevis|protokollsutdrag", "Write a meeting's kallelse, anslagsbevis or a protokollsutdrag as PDF",
		`  remiss meeting pdf 12 kallelse --org huddinge -o kallelse.pdf
  remiss meeting pdf 12 protokollsutdrag --paragraph 15 --org huddinge -o utdrag.pdf`,
		cobra.ExactArgs(2), func(ctx context.Context, svc *app.App, out io.Writer, args []string) error {
			id, err := meetingID(args[0])
			if err != nil {
				return err
			}
			if args[1] == meetings.DocProtokollsutdrag && paragraph <= 0 {
				return fmt.Errorf("ange paragrafen med --paragraph")
			}
			f, err := svc.Meetings.MeetingDocument(ctx, workflow.SystemActor(), c.org, id, args[1], paragraph, "pdf")
			if err != nil {
				return err
			}
			path := output
			if path == "" {
				path = strings.NewReplacer("/", "-", "\\", "-").Replace(f.Name)
			}
			if err := os.WriteFile(path, f.Content, 0o644); err != nil {
				return err
			}
			_, err = fmt.Fprintf(out, "wrote %s (%d bytes)\n", path, len(f.Content))
			return err
		})
	cmd.Flags().StringVarP(&output, "output", "o", "", "the file to write; empty: the document's own name in the current directory")
	cmd.Flags().IntVar(&paragraph, "paragraph", 0, "the § of the protokollsutdrag")
	return cmd
}
