package calendar

import (
	"testing"
	"time"
)

func TestSwedishWorkingDays(t *testing.T) {
	c := NewSwedish()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for date, want := range map[string]bool{
		"2024-04-15": true,  // a Monday
		"2024-04-13": false, // Saturday
		"2024-04-14": false, // Sunday
		"2024-03-29": false, // långfredagen
		"2024-04-01": false, // annandag påsk
		"2024-05-01": false, // första maj
		"2024-05-09": false, // Kristi himmelsfärdsdag
		"2024-06-06": false, // nationaldagen
		"2024-06-21": false, // midsommarafton
		"2024-12-24": false, // julafton
		"2024-12-31": false, // nyårsafton
		"2025-01-06": false, // trettondedag jul
		"2024-11-01": true,  // the Friday before alla helgons dag (Saturday 2 November)
		"2024-12-23": true,
	} {
		if got := c.IsWorkingDay(day(date)); got != want {
			t.Errorf("%s: working day = %v, want %v", date, got, want)
		}
	}
	if name, ok := c.Holiday(day("2024-06-21")); !ok || name == "" {
		t.Errorf("midsommarafton is not named a holiday: %q %v", name, ok)
	}
	late := time.Date(2024, 6, 20, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	if !c.IsWorkingDay(late) {
		t.Error("late on the day before midsommarafton counts as midsommarafton")
	}
}
