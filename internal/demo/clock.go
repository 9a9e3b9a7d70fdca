package demo

import (
	"errors"
	"sync"
	"time"
)

// Clock is the demo's clock: it runs at the speed of the real one from a
// moment in the past, and its users move it forward, to the next meeting
// or to a day of their choosing, so that a remiss that took ten weeks in
// 2024 can be played through in minutes with each decision on its
// meeting's day. It never goes back: the history's times only grow.
// It implements workflow.Clock.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration // demo time minus real time
	moved  []func()      // told after each move
}

// ErrBackwards is MoveTo's answer to a time before the demo's now.
var ErrBackwards = errors.New("the demo's clock only goes forward")

// NewClock returns a clock that reads start now.
func NewClock(start time.Time) *Clock {
	return &Clock{offset: time.Until(start)}
}

// Now returns the demo's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// MoveTo sets the clock to t, which must not lie before its now, and
// then calls what OnMove registered (the job runner, so that the
// reminders a jump makes due go out at once).
func (c *Clock) MoveTo(t time.Time) error {
	c.mu.Lock()
	now := time.Now()
	if t.Before(now.Add(c.offset)) {
		c.mu.Unlock()
		return ErrBackwards
	}
	c.offset = t.Sub(now)
	moved := c.moved
	c.mu.Unlock()
	for _, f := range moved {
		f()
	}
	return nil
}

// OnMove registers f to be called after every move.
func (c *Clock) OnMove(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.moved = append(c.moved, f)
}
