package meetings

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/yttrande/remiss/workflow"
)

// maxImportRows bounds a sammanträdesplan: a body meets at most a few
// dozen times a year.
const maxImportRows = 1000

// csvColumns are the accepted column headings, Swedish and English.
var csvColumns = map[string]string{
	"datum": "date", "date": "date", "sammanträdesdatum": "date", "dag": "date",
	"tid": "time", "time": "time", "klockslag": "time", "starttid": "time",
	"plats": "location", "lokal": "location", "location": "location",
}

// ParseMeetingsCSV reads a sammanträdesplan exported from a spreadsheet:
// a heading row naming the columns (datum, tid, plats; other columns are
// ignored) separated by semicolons, commas or tabs, then one meeting per
// row. Errors name the row, counting the heading as row 1.
func ParseMeetingsCSV(r io.Reader) ([]workflow.NewMeeting, error) {
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	head, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, workflow.Errorf(workflow.CodeBadRequest, "Filen kunde inte läsas.")
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		// Excel's UTF-8 mark would make a quoted first heading a bare quote.
		_, _ = br.Discard(len("\ufeff"))
	}
	cr := csv.NewReader(br)
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = sniffComma(head), -1, true
	header, err := cr.Read()
	if err != nil {
		return nil, workflow.Errorf(workflow.CodeInvalid, "Filen är tom eller ingen CSV-fil: första raden ska ange kolumnerna, t.ex. ”datum;tid;plats”.")
	}
	cols, err := csvHeader(header)
	if err != nil {
		return nil, err
	}
	return csvRows(cr, cols)
}

// sniffComma picks the separator that the heading row uses most.
func sniffComma(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, count := ';', bytes.Count(line, []byte(";"))
	for _, c := range []rune{',', '\t'} {
		if n := bytes.Count(line, []byte(string(c))); n > count {
			best, count = c, n
		}
	}
	return best
}

func csvHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if name, ok := csvColumns[h]; ok {
			if _, dup := cols[name]; !dup {
				cols[name] = i
			}
		}
	}
	if _, ok := cols["date"]; !ok {
		return nil, workflow.Errorf(workflow.CodeInvalid, "Filen saknar kolumnen ”datum” på första raden (kolumner som läses: datum, tid, plats).")
	}
	return cols, nil
}

func csvRows(cr *csv.Reader, cols map[string]int) ([]workflow.NewMeeting, error) {
	var out []workflow.NewMeeting
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, workflow.Errorf(workflow.CodeInvalid, "Filen kunde inte läsas som CSV: %s.", csvProblem(err))
		}
		// Only after a successful Read: a record that fails in its first
		// field has no field positions, and FieldPos(0) would panic.
		row, _ := cr.FieldPos(0)
		if len(out) == maxImportRows {
			return nil, workflow.Errorf(workflow.CodeInvalid, "Filen har fler än %d sammanträden.", maxImportRows)
		}
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		out = append(out, workflow.NewMeeting{Date: get("date"), Time: get("time"), Location: get("location"), Source: fmt.Sprintf("rad %d", row)})
	}
}

// csvProblem says in Swedish where and why a CSV file could not be read.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("rad %d, kolumn %d", pe.Line, pe.Column)
	}
	return "okänt fel"
}
