package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Cost is the work argon2id does for one hash: memory in KiB, passes
// and lanes.
type Cost struct {
	Memory  uint32
	Time    uint32
	Threads uint8
}

// ProductionCost is RFC 9106's second recommended option (64 MiB, three
// passes), with two lanes for the two cores of a municipal server. About
// 60 ms per login here, which is the point.
var ProductionCost = Cost{Memory: 64 * 1024, Time: 3, Threads: 2}

// TestCost is the least argon2id allows (8 KiB, one pass): for tests,
// which hash and check hundreds of passwords and test the logic, not the
// cost. Never for stored passwords.
var TestCost = Cost{Memory: 8, Time: 1, Threads: 1}

// Passwords hashes passwords with argon2id into PHC strings
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so that the parameters can be
// raised later and old hashes still checked. It implements
// workflow.Passwords. The zero value hashes at ProductionCost.
type Passwords struct {
	// Cost of new hashes; zero: ProductionCost. A hash is checked with
	// the cost it was made with.
	Cost Cost
}

// Hash returns the PHC string of password with a fresh random salt.
func (p Passwords) Hash(password string) (string, error) {
	c := p.Cost
	if c == (Cost{}) {
		c = ProductionCost
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, c.Time, c.Memory, c.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.Memory, c.Time, c.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, with the parameters the
// hash was made with; a malformed hash matches nothing.
func (Passwords) Verify(hash, password string) bool {
	var m, t uint32
	var p uint8
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<21 || t > 20 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
