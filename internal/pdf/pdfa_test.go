package pdf_test

import (
	"os"
	"strings"
	"testing"
)

// TestCMYKLogoBecomesRGB: a logo saved as a CMYK JPEG (testdata/cmyk-logo.jpg,
// made with ImageMagick's "convert -colorspace CMYK") is drawn as an RGB
// image, since the file's output intent is sRGB and PDF/A allows device
// CMYK only under a CMYK one; the file holds no DeviceCMYK at all.
func TestCMYKLogoBecomesRGB(t *testing.T) {
	logo, err := os.ReadFile("testdata/cmyk-logo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	l := sample()
	l.Letterhead.Logo = logo
	path := render(t, l)
	images := tool(t, "pdfimages", "-list", path)
	rows := strings.Split(strings.TrimSpace(images), "\n")[2:]
	if len(rows) != 1 || strings.Fields(rows[0])[5] != "rgb" || strings.Fields(rows[0])[3] != "48" {
		t.Errorf("want the logo as one 48 pixels wide RGB image:\n%s", images)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "DeviceCMYK") {
		t.Error("the file uses DeviceCMYK")
	}
}
