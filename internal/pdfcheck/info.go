package pdfcheck

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// infoEquivalents pairs the information dictionary's entries with the XMP
// properties that must say the same.
var infoEquivalents = []struct {
	key, ns, local string
	date           bool
}{
	{"/Title", nsDC, "title", false},
	{"/Author", nsDC, "creator", false},
	{"/Subject", nsDC, "description", false},
	{"/Keywords", nsPDF, "Keywords", false},
	{"/Creator", nsXMP, "CreatorTool", false},
	{"/Producer", nsPDF, "Producer", false},
	{"/CreationDate", nsXMP, "CreateDate", true},
	{"/ModDate", nsXMP, "ModifyDate", true},
}

// checkInfo: each entry of the information dictionary has its XMP
// equivalent with the same value (dates: the same instant).
func (c *checker) checkInfo() {
	props, ok := c.parsed()
	info := c.dict(c.trailer["/Info"])
	if !ok || info == nil {
		return
	}
	for _, eq := range infoEquivalents {
		want, present := c.text(info[eq.key])
		if !present {
			continue
		}
		p, _ := prop(props, eq.ns, eq.local)
		got := p.text()
		if eq.local == "creator" {
			got = onlyItem(p)
		}
		if !sameValue(want, got, eq.date) {
			c.fail("ISO 19005-1 6.7.3", "the information dictionary's %s is %q but the XMP's %s is %q", eq.key, want, eq.local, got)
		}
	}
}

// onlyItem returns the value of a one-item array (dc:creator), else "".
func onlyItem(p xmpProp) string {
	if lis := p.items(); len(lis) == 1 {
		return strings.TrimSpace(lis[0].text)
	}
	return ""
}

func sameValue(info, xmp string, date bool) bool {
	if !date {
		return info == xmp
	}
	a, ok1 := parsePDFDate(info)
	b, ok2 := parseXMPDate(xmp)
	return ok1 && ok2 && a.Equal(b)
}

var pdfDate = regexp.MustCompile(`^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)(?:00'?(?:00'?)?)?|([+-])(\d{2})'?(?:(\d{2})'?)?)?$`)

// parsePDFDate reads D:YYYYMMDDHHmmSSOHH'mm' with its optional parts; a
// date without a zone is taken as UTC.
func parsePDFDate(s string) (time.Time, bool) {
	m := pdfDate.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	n := func(i, def int) int {
		if v, err := strconv.Atoi(m[i]); err == nil {
			return v
		}
		return def
	}
	zone := time.UTC
	if m[8] != "" {
		offset := n(9, 0)*3600 + n(10, 0)*60
		if m[8] == "-" {
			offset = -offset
		}
		zone = time.FixedZone(fmt.Sprintf("%s%s", m[8], m[9]), offset)
	}
	return time.Date(n(1, 0), time.Month(n(2, 1)), n(3, 1), n(4, 0), n(5, 0), n(6, 0), 0, zone), true
}

// parseXMPDate reads an XMP (ISO 8601) date; one without a zone is UTC.
func parseXMPDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
