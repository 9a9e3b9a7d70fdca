package meetings

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yttrande/remiss/workflow"
)

type csvCase struct {
	name string
	in   string
	want []workflow.NewMeeting
	// wantErr is a fragment of the Swedish message; empty means success.
	wantErr string
}

var csvCases = []csvCase{
	{
		// Excel quotes every heading when asked to; the BOM comes first.
		name: "BOM before a quoted heading",
		in:   "\uFEFF\"Datum\";\"Tid\"\r\n\"2024-02-14\";\"13:00\"\r\n",
		want: []workflow.NewMeeting{{Date: "2024-02-14", Time: "13:00", Source: "rad 2"}},
	},
	{
		// Excel's "CSV UTF-8 (kommaavgränsad)" in a Swedish locale: a BOM,
		// semicolons, CRLF, capitalised headings, an extra column and the
		// trailing all-empty row Excel writes for a formatted blank line.
		name: "Excel export with BOM and semicolons",
		in:   "\uFEFFDatum;Tid;Plats;Kommentar\r\n2024-02-14;13.00;KS-salen;\r\n2024-03-27;9:00;Sessionssalen;budget\r\n;;;\r\n",
		want: []workflow.NewMeeting{
			{Date: "2024-02-14", Time: "13.00", Location: "KS-salen", Source: "rad 2"},
			{Date: "2024-03-27", Time: "9:00", Location: "Sessionssalen", Source: "rad 3"},
		},
	},
	{
		// The quoted comma must not split the location, and the blank
		// line must still count, so that "rad" matches the editor's line.
		name: "comma-separated with quotes and English headings",
		in:   "date,time,location\n2024-02-14,13:00,\"Stadshuset, KS-salen\"\n\n2024-04-10,,\n",
		want: []workflow.NewMeeting{
			{Date: "2024-02-14", Time: "13:00", Location: "Stadshuset, KS-salen", Source: "rad 2"},
			{Date: "2024-04-10", Source: "rad 4"},
		},
	},
	{
		// Copying cells out of a spreadsheet gives tabs; the column order
		// comes from the heading, not from a fixed layout.
		name: "tab-separated in another column order",
		in:   "plats\tdatum\ttid\nRådhuset, sal 2\t2024-09-18\t08:30\n",
		want: []workflow.NewMeeting{{Date: "2024-09-18", Time: "08:30", Location: "Rådhuset, sal 2", Source: "rad 2"}},
	},
	{
		// The parser only splits the file; ImportMeetings validates the
		// values so that all of a row's problems are reported together,
		// under the row's Source.
		name: "bad date and time pass through to validation",
		in:   "datum,tid\n2024-05-02,13:00\n2024-13-02,25:00\n",
		want: []workflow.NewMeeting{
			{Date: "2024-05-02", Time: "13:00", Source: "rad 2"},
			{Date: "2024-13-02", Time: "25:00", Source: "rad 3"},
		},
	},
	{
		// Likewise a forgotten date: ImportMeetings says "rad 2.date".
		name: "blank date cell passes through to validation",
		in:   "datum;tid;plats\n;13:00;KS-salen\n",
		want: []workflow.NewMeeting{{Time: "13:00", Location: "KS-salen", Source: "rad 2"}},
	},
	{
		name:    "without a heading row",
		in:      "2024-02-14;13:00;KS-salen\n2024-03-27;09:00;KS-salen\n",
		wantErr: "Filen saknar kolumnen ”datum” på första raden",
	},
	{
		name:    "empty file",
		in:      "",
		wantErr: "Filen är tom eller ingen CSV-fil",
	},
	{
		// Found by FuzzParseMeetingsCSV: an error in a row's first field
		// used to panic in csv.Reader.FieldPos instead of being reported.
		name:    "row opening with an unterminated quote",
		in:      "datum;plats\n\"2024-02-14;KS-salen\n",
		wantErr: "Filen kunde inte läsas som CSV: rad 2, kolumn 22.",
	},
	{
		name:    "bare quote in a row's first field",
		in:      "datum;plats\n2024-02-14 \"prel\";KS-salen\n",
		wantErr: "Filen kunde inte läsas som CSV: rad 2, kolumn 12.",
	},
	{
		name:    "unterminated quote",
		in:      "datum;plats\n2024-02-14;\"KS-salen\n",
		wantErr: "Filen kunde inte läsas som CSV: rad 2, kolumn",
	},
}

// TestImportCSVCases pins what the fuzz seeds parse to, so that the seeds
// are known-good inputs and not just inputs that happen not to crash.
func TestImportCSVCases(t *testing.T) {
	for _, tc := range csvCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMeetingsCSV(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, rows %+v; want %q", got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %q, want it to contain %q", err.Error(), tc.wantErr)
				}
				var werr *workflow.Error
				if !errors.As(err, &werr) || werr.Code != workflow.CodeInvalid {
					t.Errorf("error %#v, want a *Error with code %q", err, workflow.CodeInvalid)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// FuzzParseMeetingsCSV checks that no upload can crash the import and that
// what the parser returns keeps the promises ImportMeetings relies on:
// errors are user-facing *Error values, and each row names the line it
// came from so that validation errors point the user at it.
//
// It does not require a non-empty Date: a row with a blank date cell is
// returned on purpose and refused by ImportMeetings under its Source (see
// the "blank date cell" case).
func FuzzParseMeetingsCSV(f *testing.F) {
	for _, tc := range csvCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := ParseMeetingsCSV(bytes.NewReader(in))
		if err != nil {
			var werr *workflow.Error
			if !errors.As(err, &werr) || werr.Code != workflow.CodeInvalid {
				t.Fatalf("error %#v, want a *Error with code %q", err, workflow.CodeInvalid)
			}
			return
		}
		if len(got) > maxImportRows {
			t.Errorf("%d rows, want at most %d", len(got), maxImportRows)
		}
		last := 1 // the heading row
		for _, m := range got {
			n, err := strconv.Atoi(strings.TrimPrefix(m.Source, "rad "))
			if err != nil || m.Source != fmt.Sprintf("rad %d", n) || n <= last {
				t.Errorf("row %+v: Source should be \"rad N\" with N after %d", m, last)
			}
			last = n
			if m.Date == "" && !bytes.ContainsAny(in, "\t,;") {
				// In a one-column file the date is all a row holds, so an
				// empty one means a blank row leaked through.
				t.Errorf("row %+v: empty date in a one-column file", m)
			}
			for _, v := range []string{m.Date, m.Time, m.Location} {
				if v != strings.TrimSpace(v) {
					t.Errorf("row %+v: %q is not trimmed", m, v)
				}
			}
		}
	})
}
