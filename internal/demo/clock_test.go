package demo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/demo"
)

func TestClockMovesForwardOnly(t *testing.T) {
	start := time.Date(2024, 1, 29, 9, 0, 0, 0, time.UTC)
	c := demo.NewClock(start)
	moves := 0
	c.OnMove(func() { moves++ })
	if now := c.Now(); now.Before(start) || now.Sub(start) > time.Hour {
		t.Fatalf("a new clock reads %s, want about %s", now, start)
	}
	to := time.Date(2024, 3, 27, 10, 30, 0, 0, time.UTC)
	if err := c.MoveTo(to); err != nil {
		t.Fatal(err)
	}
	if now := c.Now(); now.Before(to) || now.Sub(to) > time.Hour {
		t.Errorf("after the move it reads %s, want about %s", now, to)
	}
	if err := c.MoveTo(start); !errors.Is(err, demo.ErrBackwards) {
		t.Errorf("moving back: %v", err)
	}
	if now := c.Now(); now.Before(to) {
		t.Errorf("a refused move changed the clock to %s", now)
	}
	if moves != 1 {
		t.Errorf("OnMove was told %d times, want once (the refused move is no move)", moves)
	}
}
