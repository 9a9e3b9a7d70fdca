package workflow

import (
	"sync"
	"time"
)

// Shared is how long a value that several server instances may change is
// kept: a change made on this instance is seen here at once (the service
// that makes it drops the value), one made on another instance within
// this time. Organisations, bodies, the organisations' own days and who
// a session or a token is are kept this long (docs/architecture.md).
const Shared = 5 * time.Second

// Recent keeps values for a while, by key, so that what every request
// reads (an organisation, a session's user) is read from the database
// once in a while rather than every time. Expiry is by the machine's
// clock, whatever clock the services plan by.
type Recent[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[K]recentValue[V]
}

type recentValue[V any] struct {
	v       V
	expires time.Time
}

// NewRecent returns an empty Recent keeping each value for ttl.
func NewRecent[K comparable, V any](ttl time.Duration) *Recent[K, V] {
	return &Recent[K, V]{ttl: ttl, m: map[K]recentValue[V]{}}
}

// Get returns the value of k unless it has expired.
func (r *Recent[K, V]) Get(k K) (V, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.m[k]
	if !ok || time.Now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v as the value of k.
func (r *Recent[K, V]) Put(k K, v V) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) > 10000 { // bounded: drop what has expired, or everything
		now := time.Now()
		for key, e := range r.m {
			if now.After(e.expires) {
				delete(r.m, key)
			}
		}
		if len(r.m) > 10000 {
			clear(r.m)
		}
	}
	r.m[k] = recentValue[V]{v: v, expires: time.Now().Add(r.ttl)}
}

// Forget drops the value of k, after this instance changed it.
func (r *Recent[K, V]) Forget(k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, k)
}
