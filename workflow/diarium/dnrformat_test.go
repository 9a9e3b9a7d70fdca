package diarium

import (
	"strings"
	"testing"
)

func TestDnrFormatRender(t *testing.T) {
	for _, tc := range []struct {
		format string
		year   int
		n      int64
		class  string
		want   string
	}{
		{"KS-{YYYY}/{N}.{CLASS}", 2024, 76, "109", "KS-2024/76.109"},
		{"KS-{YYYY}/{N}.{CLASS}", 2024, 76, "", "KS-2024/76"},
		{"NAF-{YYYY}-{N:5}", 2024, 24, "", "NAF-2024-00024"},
		{"NAF-{YYYY}-{N:5}", 2024, 24, "1.2", "NAF-2024-00024"},
		{"KFKS {YYYY}/{N}-{CLASS}", 2015, 15, "002", "KFKS 2015/15-002"},
		{"KFKS {YYYY}/{N}-{CLASS}", 2015, 15, "", "KFKS 2015/15"},
		{"{CLASS}-{YYYY}/{N}", 2024, 3, "", "2024/3"},
		{"{CLASS}-{YYYY}/{N}", 2024, 3, "7", "7-2024/3"},
		{"KS-{CLASS}-{YYYY}/{N}", 2024, 3, "", "KS-2024/3"},
		{"Dnr {N:3}", 2024, 1234, "", "Dnr 1234"},
		{"Diarienr {YYYY}:{N}", 1999, 9, "", "Diarienr 1999:9"},
	} {
		f, err := ParseDnrFormat(tc.format)
		if err != nil {
			t.Fatalf("%q: %v", tc.format, err)
		}
		if got := f.Render(tc.year, tc.n, tc.class); got != tc.want {
			t.Errorf("%q with %d, %d, %q = %q, want %q", tc.format, tc.year, tc.n, tc.class, got, tc.want)
		}
		if f.String() != tc.format {
			t.Errorf("%q prints back as %q", tc.format, f.String())
		}
	}
}

func TestDnrFormatRejects(t *testing.T) {
	for _, tc := range []struct{ format, wantIn string }{
		{"", "Ange ett format"},
		{"KS-{YYYY}", "exakt en gång"},
		{"KS-{N}-{N}", "exakt en gång"},
		{"KS-{YYYY}{N}", "direkt efter varandra"},
		{"KS-{YYYY}/{N}{CLASS}", "direkt efter varandra"},
		{"KS-{YYYY}/{N}.{CLASS}/{CLASS}", "{CLASS} får stå högst en gång"},
		{"{YYYY}-{YYYY}-{N}", "{YYYY} får stå högst en gång"},
		{"KS-{YY}/{N}", "Okänd platshållare ”{YY}”"},
		{"KS-{N:0}", "1–9"},
		{"KS-{N:10}", "1–9"},
		{"KS-{N:05}", "1–9"},
		{"KS-{N:x}", "1–9"},
		{"KS-{N", "inte avslutas"},
		{"KS-{N{}", "inte avslutas"},
		{"KS-}{N}", "utan motsvarande"},
		{"KS\t{N}", "otillåtna tecken"},
		{"KS-" + strings.Repeat("x", 70) + "{N}", "för långt"},
	} {
		_, err := ParseDnrFormat(tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.wantIn) {
			t.Errorf("%q: error %v, want one containing %q", tc.format, err, tc.wantIn)
		}
	}
}

func TestDnrFormatHasYear(t *testing.T) {
	for format, want := range map[string]bool{"KS-{YYYY}/{N}": true, "D{N:6}": false} {
		f, err := ParseDnrFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		if f.HasYear() != want {
			t.Errorf("%q.HasYear() = %v", format, !want)
		}
	}
}

// FuzzDnrFormat checks that any accepted format prints back to itself and
// renders distinct numbers to distinct strings that contain them.
func FuzzDnrFormat(f *testing.F) {
	for _, s := range []string{"KS-{YYYY}/{N}.{CLASS}", "NAF-{YYYY}-{N:5}", "{CLASS}-{N}", "{N}", "a{N:9}b{YYYY}c{CLASS}d", "{", "}{N}", "{N:1}{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		df, err := ParseDnrFormat(s)
		if err != nil {
			return
		}
		if df.String() != s {
			t.Fatalf("%q prints back as %q", s, df.String())
		}
		a, b := df.Render(2024, 7, "109"), df.Render(2024, 8, "109")
		if a == b || !strings.Contains(a, "7") {
			t.Fatalf("%q renders 7 as %q and 8 as %q", s, a, b)
		}
		if bare := df.Render(2024, 7, ""); strings.Contains(bare, "109") && !strings.Contains(s, "109") {
			t.Fatalf("%q without class renders %q", s, bare)
		}
		if df.HasYear() && !strings.Contains(a, "2024") {
			t.Fatalf("%q has {YYYY} but renders %q", s, a)
		}
	})
}
