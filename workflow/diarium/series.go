package diarium

import (
	"time"

	"github.com/yttrande/remiss/workflow"
)

// Series is a number series of the diarium, such as KS or NAF. Numbers run
// per series (and per year when the series restarts yearly); they never
// repeat and never skip.
type Series struct {
	ID            int64     `json:"id"`
	OrgID         int64     `json:"-"`
	Code          string    `json:"code"`
	Format        DnrFormat `json:"format"`
	YearlyRestart bool      `json:"yearly_restart"`
	CreatedAt     time.Time `json:"created_at"`

	// NextNumber and NextDnr show what the next registration this year
	// would get. They are read, not stored on the series.
	NextNumber int64  `json:"next_number"`
	NextDnr    string `json:"next_dnr"`
}

// CounterYear is the key of the counter that numbers a registration made in
// year: the year itself, or 0 for a series that never restarts.
func (s Series) CounterYear(year int) int {
	if s.YearlyRestart {
		return year
	}
	return 0
}

// NewSeries is the input for creating a number series. NextNumber continues
// a series from the municipality's previous diarium: it is the number the
// next registration in the current year gets.
type NewSeries struct {
	Code          string `json:"code"`
	Format        string `json:"format"`
	NextNumber    *int64 `json:"next_number"`
	YearlyRestart *bool  `json:"yearly_restart"`
}

// maxSeriesNumber keeps numbers well inside every database's integer range
// and far beyond any municipality's yearly volume.
const maxSeriesNumber = 999_999_999

func (n *NewSeries) validate() (Series, int64, error) {
	var v workflow.Validation
	s := Series{Code: workflow.ValidateCode(&v, "code", n.Code), YearlyRestart: true}
	if n.YearlyRestart != nil {
		s.YearlyRestart = *n.YearlyRestart
	}
	f, err := ParseDnrFormat(n.Format)
	switch {
	case err != nil:
		v.Add("format", err.Error())
	case s.YearlyRestart && !f.HasYear():
		v.Add("format", "En serie som börjar om varje år måste visa året med {YYYY}, annars upprepas numren.")
	}
	s.Format = f
	next := int64(1)
	if n.NextNumber != nil {
		next = *n.NextNumber
		if next < 1 || next > maxSeriesNumber {
			v.Addf("next_number", "Ange ett nummer mellan 1 och %d.", maxSeriesNumber)
		}
	}
	return s, next, v.Err()
}
