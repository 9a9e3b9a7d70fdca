package workflow_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/app"
	"github.com/yttrande/remiss/internal/auth"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
)

func withPasswords(c *app.Config) { c.Passwords = auth.Passwords{Cost: auth.TestCost} }

// TestLoginLocksAfterRepeatedFailures: a wrong address and a wrong
// password get the same answer; five failures in a row lock the account,
// even against the right password, concurrent guesses included; after
// the lock the right password works and resets the count. On both
// databases.
func TestLoginLocksAfterRepeatedFailures(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, b.Open(t), withPasswords)
			const email, good = "handlaggare@huddinge.example", "en lång och minnesvärd mening"
			me := e.as[workflow.RoleHandlaggare]
			if err := e.svc.Accounts.SetPassword(e.ctx, me, "huddinge", email, "kort"); workflow.ErrorCode(err) != workflow.CodeInvalid {
				t.Errorf("a short password: %v", err)
			}
			if err := e.svc.Accounts.SetPassword(e.ctx, me, "huddinge", "registrator@huddinge.example", good); workflow.ErrorCode(err) != workflow.CodeForbidden {
				t.Errorf("setting another's password: %v", err)
			}
			e.check(e.svc.Accounts.SetPassword(e.ctx, me, "huddinge", email, good))
			u, err := e.svc.Accounts.Login(e.ctx, "huddinge", " Handlaggare@Huddinge.example ", good)
			if err != nil || u.ID != me.UserID {
				t.Fatalf("the right password: %+v, %v", u, err)
			}
			_, wrongPassword := e.svc.Accounts.Login(e.ctx, "huddinge", email, "fel lösenord här")
			_, noSuchUser := e.svc.Accounts.Login(e.ctx, "huddinge", "ingen@huddinge.example", good)
			if wrongPassword == nil || noSuchUser == nil || wrongPassword.Error() != noSuchUser.Error() {
				t.Errorf("wrong password %v, unknown address %v: want the same answer", wrongPassword, noSuchUser)
			}
			var wg sync.WaitGroup
			for range 6 {
				wg.Go(func() { e.svc.Accounts.Login(e.ctx, "huddinge", email, "gissning gissning") })
			}
			wg.Wait()
			if _, err := e.svc.Accounts.Login(e.ctx, "huddinge", email, good); err == nil || !strings.Contains(err.Error(), "spärrat") {
				t.Errorf("the right password while locked: %v", err)
			}
			e.clock.advance(16 * time.Minute)
			if _, err := e.svc.Accounts.Login(e.ctx, "huddinge", email, good); err != nil {
				t.Errorf("after the lock: %v", err)
			}
			for range 4 {
				e.svc.Accounts.Login(e.ctx, "huddinge", email, "gissning gissning")
			}
			if _, err := e.svc.Accounts.Login(e.ctx, "huddinge", email, good); err != nil {
				t.Errorf("four failures after a success lock nothing: %v", err)
			}
		})
	}
}
