package auth_test

import (
	"strings"
	"testing"

	"github.com/yttrande/remiss/internal/auth"
)

func TestPasswords(t *testing.T) {
	var p auth.Passwords
	h, err := p.Hash("korrekt häst batteri häftklammer")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := p.Hash("korrekt häst batteri häftklammer")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") || h == again {
		t.Errorf("hash %q (and %q): want a PHC string with its own salt", h, again)
	}
	for _, tc := range []struct {
		hash, password string
		want           bool
	}{
		{h, "korrekt häst batteri häftklammer", true},
		{h, "korrekt häst batteri häftklammeR", false},
		{h, "", false},
		{strings.Replace(h, "t=3", "t=2", 1), "korrekt häst batteri häftklammer", false}, // the parameters are part of the hash
		{"$argon2i$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", "x", false},
		{"$argon2id$v=19$m=99999999,t=3,p=2$c2FsdA$aGFzaA", "x", false}, // would exhaust memory
		{"inte en hash", "x", false},
		{"", "", false},
	} {
		if got := p.Verify(tc.hash, tc.password); got != tc.want {
			t.Errorf("Verify(%.40q, %q) = %v, want %v", tc.hash, tc.password, got, tc.want)
		}
	}
}

// TestTestCostHashesAreCheckedByTheProductionVerifier: tests store cheap
// hashes; a hash carries its own parameters, so any Passwords checks it,
// and the cheap cost is never what the zero value makes.
func TestTestCostHashesAreCheckedByTheProductionVerifier(t *testing.T) {
	h, err := auth.Passwords{Cost: auth.TestCost}.Hash("hemligt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Errorf("test hash %q", h)
	}
	if !(auth.Passwords{}).Verify(h, "hemligt") || (auth.Passwords{}).Verify(h, "Hemligt") {
		t.Error("a test-cost hash is not checked by its own parameters")
	}
	if auth.ProductionCost == auth.TestCost {
		t.Error("production hashes at the test cost")
	}
}
