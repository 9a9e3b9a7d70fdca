package diarium

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ministries maps the prefixes of the Government Offices' diarienummer to
// the ministry. Former ministries stay: their numbers still appear on
// remisser that are being answered.
var ministries = map[string]string{
	"A":  "Arbetsmarknadsdepartementet",
	"Fi": "Finansdepartementet",
	"Fö": "Försvarsdepartementet",
	"I":  "Infrastrukturdepartementet",
	"Ju": "Justitiedepartementet",
	"KN": "Klimat- och näringslivsdepartementet",
	"Ku": "Kulturdepartementet",
	"LI": "Landsbygds- och infrastrukturdepartementet",
	"M":  "Miljödepartementet",
	"N":  "Näringsdepartementet",
	"S":  "Socialdepartementet",
	"SB": "Statsrådsberedningen",
	"U":  "Utbildningsdepartementet",
	"UD": "Utrikesdepartementet",
}

// ministryMailbox is the remiss mailbox of the ministry whose diarienummer
// dnr is, "fi.remissvar@regeringskansliet.se" for Fi2023/04321, following
// the Government Offices' naming; "" for a number it cannot place.
func ministryMailbox(dnr string) string {
	m := ministryDnrPattern.FindStringSubmatch(dnr)
	if m == nil {
		return ""
	}
	if _, ok := ministries[m[1]]; !ok {
		return ""
	}
	local := strings.NewReplacer("ö", "o", "Ö", "o").Replace(strings.ToLower(m[1]))
	return local + ".remissvar@regeringskansliet.se"
}

// ministryDnrPattern matches e.g. Fi2023/04321, KN2023/04578 and the older
// form with a unit suffix, Fi2019/01234/K.
var ministryDnrPattern = regexp.MustCompile(`^(\p{Lu}\p{L}{0,2})(\d{4})/(\d{5})(/[\p{L}0-9-]{1,10})?$`)

// checkMinistryDnr returns a Swedish warning when s does not look like a
// diarienummer of the Government Offices, or "" when it does. Such a number
// is only warned about: the ministry's own numbering is not ours to police,
// but a typo here ends up in the yttrande's heading and e-mail subject.
func checkMinistryDnr(s string, thisYear int) string {
	if s == "" {
		return "Departementets diarienummer saknas. Det ska stå i yttrandets rubrik och i e-postens ämnesrad; fyll i det när det är känt."
	}
	m := ministryDnrPattern.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("”%s” liknar inte ett diarienummer från Regeringskansliet (t.ex. Fi2023/04321). Kontrollera numret.", s)
	}
	if _, ok := ministries[m[1]]; !ok {
		return fmt.Sprintf("”%s” är ingen känd departementsförkortning (t.ex. Fi, Ju, S, U). Kontrollera numret.", m[1])
	}
	if y, _ := strconv.Atoi(m[2]); y < 1990 || y > thisYear+1 {
		return fmt.Sprintf("Årtalet %d i ”%s” verkar fel. Kontrollera numret.", y, s)
	}
	return ""
}
