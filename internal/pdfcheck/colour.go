package pdfcheck

import "fmt"

// iccSpaces maps an ICC profile's data colour space to its /N.
var iccSpaces = map[string]int{"RGB ": 3, "GRAY": 1, "CMYK": 4}

// checkOutputIntents: each PDF/A output intent has a valid ICC output or
// monitor profile, and all intents with a profile share one.
func (c *checker) checkOutputIntents() {
	shared := ""
	for i, v := range c.array(c.catalog()["/OutputIntents"]) {
		oi := c.dict(v)
		ref := oi["/DestOutputProfile"]
		if ref == nil {
			if c.name(oi["/S"]) == "GTS_PDFA1" {
				c.fail("ISO 19005-2 6.2.3", "the PDF/A output intent (entry %d of /OutputIntents) has no /DestOutputProfile", i)
			}
			continue
		}
		if shared == "" {
			shared = refOf(ref)
		} else if refOf(ref) != shared {
			c.fail("ISO 19005-2 6.2.3", "the output intents have different profiles: %s and %s", shared, refOf(ref))
		}
		if problem := c.iccProblem(c.stream(ref)); problem != "" {
			c.fail("ISO 19005-2 6.2.3", "the output intent's profile %s: %s", refOf(ref), problem)
		}
	}
}

// iccProblem says what is wrong with an output intent's ICC profile.
func (c *checker) iccProblem(s *stream) string {
	if s == nil {
		return "not a stream"
	}
	b := s.data
	if len(b) < 128 || string(b[36:40]) != "acsp" {
		return "not an ICC profile (no \"acsp\" at byte 36)"
	}
	class, space := string(b[12:16]), string(b[16:20])
	n, known := iccSpaces[space]
	dictN, hasN := c.integer(s.dict["/N"])
	switch {
	case class != "mntr" && class != "prtr":
		return fmt.Sprintf("device class %q, not \"mntr\" or \"prtr\"", class)
	case !known:
		return fmt.Sprintf("colour space %q, not \"RGB \", \"GRAY\" or \"CMYK\"", space)
	case hasN && dictN != n:
		return fmt.Sprintf("colour space %q but /N %d", space, dictN)
	case b[8] >= 5:
		return fmt.Sprintf("ICC version %d, above 4", b[8])
	}
	return ""
}

// outputSpace returns the data colour space of the PDF/A output intent's
// profile ("RGB ", "GRAY", "CMYK"), or "" without one. A profile's other
// faults are ISO 19005-2 6.2.3's, not the device colours'.
func (c *checker) outputSpace() string {
	for _, v := range c.array(c.catalog()["/OutputIntents"]) {
		oi := c.dict(v)
		s := c.stream(oi["/DestOutputProfile"])
		if c.name(oi["/S"]) != "GTS_PDFA1" || s == nil || len(s.data) < 128 || string(s.data[36:40]) != "acsp" {
			continue
		}
		if _, known := iccSpaces[string(s.data[16:20])]; known {
			return string(s.data[16:20])
		}
	}
	return ""
}

// checkDeviceColours: DeviceRGB needs an RGB output intent, DeviceCMYK a
// CMYK one, DeviceGray any (unless a Default colour space stands in).
func (c *checker) checkDeviceColours() {
	space := c.outputSpace()
	need := []struct{ family, space string }{{"RGB", "RGB "}, {"CMYK", "CMYK"}, {"Gray", ""}}
	for _, n := range need {
		where, used := c.device[n.family]
		if !used || (space != "" && (n.space == "" || n.space == space)) {
			continue
		}
		c.fail("ISO 19005-2 6.2.4.3", "Device%s is used (first on %s) but the PDF/A output intent's profile is %q", n.family, where, space)
	}
}

// checkImages: no image with alternates, OPI or interpolation.
func (c *checker) checkImages() {
	for _, ref := range c.order {
		s, ok := c.objects[ref].(*stream)
		if !ok || c.name(s.dict["/Subtype"]) != "Image" {
			continue
		}
		for _, key := range []string{"/Alternates", "/OPI"} {
			if s.dict[key] != nil {
				c.fail("ISO 19005-2 6.2.8", "image %s has %s", ref, key)
			}
		}
		if isTrue(c, s.dict["/Interpolate"]) {
			c.fail("ISO 19005-2 6.2.8", "image %s has /Interpolate true", ref)
		}
	}
	for _, p := range c.pages {
		if p.interpolated {
			c.fail("ISO 19005-2 6.2.8", "%s has an inline image with /I true", p.where())
		}
	}
}
