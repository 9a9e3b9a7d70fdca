package pdf_test

import "testing"

// slow skips a test under -short, the quick loop: it renders or races
// for seconds. The README's test command runs it.
func slow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: skipped under -short")
	}
}
