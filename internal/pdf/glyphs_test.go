package pdf

import "testing"

// TestGlyphSubstitutes: text is drawn with characters the fonts have;
// those they lack are composed, left out, replaced by their compatibility
// equivalent or drawn as missing, and Swedish text is left as it is.
func TestGlyphSubstitutes(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"Åtgärden är viktig för «kommunsektorn» – ”försök” § 15 € 10 000 → ½", "Åtgärden är viktig för «kommunsektorn» – ”försök” § 15 € 10 000 → ½"},
		{"sa\u030ag a\u0308ven", "såg även"},                 // decomposed, as copied from some PDFs
		{"120\u202f㎡ ＡＢ oﬃce", "120\u202fm2 AB office"},      // compatibility equivalents (the narrow no-break space is drawn)
		{"a\u2011b", "a\u2010b"},                             // non-breaking hyphen: a hyphen
		{"𝑥 = 𝟐", "x = 2"},                                   // mathematical letters and digits
		{"klart ✓", "klart □"},                               // no equivalent: drawn as missing
		{"tack 👍🏽!", "tack □!"},                              // beyond the BMP, with its skin tone left out
		{"❤️", "□"},                                          // the variation selector left out
		{"a\u2060b\u200dc\ufeff", "ab\u200dc"},               // invisible formatting characters the fonts lack
		{"rad ett\nrad två\tflik", "rad ett\nrad två\tflik"}, // line breaks and tabs are layout
		{"中文", "□□"},
	} {
		if got := r.glyphs.text(c.in); got != c.want {
			t.Errorf("%q: drawn as %q, want %q", c.in, got, c.want)
		}
	}
}
