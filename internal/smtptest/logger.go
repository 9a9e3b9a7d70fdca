package smtptest

import (
	"fmt"
	"sync"
	"testing"
)

// testLogger is go-smtp's error log, written to the test's log. go-smtp
// may log from a connection's goroutine after the test has ended (closing
// the server does not wait for connections), when t.Log would panic; from
// the server's Cleanup on, it drops the lines.
type testLogger struct {
	t      testing.TB
	mu     sync.Mutex
	closed bool
}

// newTestLogger logs to t until t's cleanup.
func newTestLogger(t testing.TB) *testLogger {
	l := &testLogger{t: t}
	t.Cleanup(l.close)
	return l
}

// Printf logs a line.
func (l *testLogger) Printf(format string, v ...any) { l.log(fmt.Sprintf(format, v...)) }

// Println logs a line.
func (l *testLogger) Println(v ...any) { l.log(fmt.Sprintln(v...)) }

func (l *testLogger) log(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.t.Log("smtptest: " + s)
	}
}

// close drops every later line.
func (l *testLogger) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}
