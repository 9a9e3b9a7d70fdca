package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yttrande/remiss/internal/store"
	"github.com/yttrande/remiss/internal/store/storetest"
	"github.com/yttrande/remiss/workflow"
	"github.com/yttrande/remiss/workflow/diarium"
)

// The contract suite: every test runs against the embedded database and
// PostgreSQL, through the workflow.Store interface.

var t0 = time.Date(2024, 1, 29, 9, 30, 0, 123456000, time.UTC)

func eachBackend(t *testing.T, test func(t *testing.T, st *store.Store)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, b.Open(t))
		})
	}
}

// fixture is one organisation with a user and a series.
type fixture struct {
	org    workflow.Organization
	user   workflow.User
	series diarium.Series
}

func newFixture(t *testing.T, st *store.Store, slug string) fixture {
	t.Helper()
	return newFixtureTB(t, st, slug)
}

func newFixtureTB(t testing.TB, st *store.Store, slug string) fixture {
	t.Helper()
	ctx := context.Background()
	org, err := st.CreateOrganization(ctx, workflow.Organization{Slug: slug, Name: slug + " kommun", CreatedAt: t0})
	must(t, err)
	u, err := st.CreateUser(ctx, workflow.User{OrgID: org.ID, Email: "reg@" + slug + ".example", Name: "Rut Registrator",
		Roles: []workflow.Role{workflow.RoleRegistrator}, CreatedAt: t0})
	must(t, err)
	f, err := diarium.ParseDnrFormat("KS-{YYYY}/{N}.{CLASS}")
	must(t, err)
	sr, err := st.CreateSeries(ctx, diarium.Series{OrgID: org.ID, Code: "KS", Format: f, YearlyRestart: true, CreatedAt: t0}, 2024, 76)
	must(t, err)
	return fixture{org: org, user: u, series: sr}
}

func (f fixture) newCase(title string, year int) diarium.NewCase {
	actor := f.user.Actor()
	received := workflow.Date{Year: year, Month: 1, Day: 15}
	return diarium.NewCase{
		OrgID: f.org.ID, Series: f.series, Year: year, Classification: "109", Title: title,
		Workflow: workflow.WorkflowRef{Name: "kommunstyrelsen", Version: 1}, State: "registrerad",
		Remiss: workflow.Remiss{Sender: "Finansdepartementet", SenderDnr: "Fi2023/04321", Reference: "SOU 2023:94",
			Received: received, Deadline: workflow.Date{Year: year, Month: 4, Day: 15}},
		Warnings:     []workflow.FieldError{},
		RegisteredBy: actor, At: t0,
		Letter: workflow.Document{Number: 1, Title: "Remiss: " + title, Kind: workflow.KindRemiss, Direction: workflow.Inkommande, Date: received,
			Counterpart: "Finansdepartementet", RegisteredBy: actor.Label(), RegisteredAt: t0},
		History: workflow.HistoryEntry{Seq: 1, Event: workflow.EventRegister, To: "registrerad",
			Actor: actor.Label(), ActorID: actor.UserID, At: t0, Data: []byte(`{"title":"x"}`)},
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code workflow.Code) {
	t.Helper()
	if got := workflow.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func TestRegisterCaseNumbersFromLegacyNextNumber(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "huddinge")
		c, err := st.RegisterCase(context.Background(), f.newCase("Förändring genom försök", 2024))
		must(t, err)
		if c.Dnr != "KS-2024/76.109" || c.DnrBase != "KS-2024/76" || c.Number != 76 || c.Year != 2024 {
			t.Errorf("got dnr %q base %q number %d year %d, want KS-2024/76.109", c.Dnr, c.DnrBase, c.Number, c.Year)
		}
		if c.State != "registrerad" || c.Version != 1 || c.Workflow.Name != "kommunstyrelsen" {
			t.Errorf("state %q version %d workflow %v", c.State, c.Version, c.Workflow)
		}
		want := workflow.Date{Year: 2024, Month: 4, Day: 15}
		if c.Remiss.Deadline != want || c.Remiss.SenderDnr != "Fi2023/04321" || !c.CreatedAt.Equal(t0) {
			t.Errorf("remiss read back as %+v, created %v", c.Remiss, c.CreatedAt)
		}
		next, err := st.NextNumber(context.Background(), f.series, 2024)
		must(t, err)
		if next != 77 {
			t.Errorf("next number = %d, want 77", next)
		}
	})
}

func TestYearlyRestartStartsAtOne(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "nacka")
		ctx := context.Background()
		_, err := st.RegisterCase(ctx, f.newCase("2024 års remiss", 2024))
		must(t, err)
		c, err := st.RegisterCase(ctx, f.newCase("2025 års första remiss", 2025))
		must(t, err)
		if c.Dnr != "KS-2025/1.109" {
			t.Errorf("first number of 2025 = %q, want KS-2025/1.109", c.Dnr)
		}
	})
}

func TestSeriesWithoutYearlyRestartRunsOn(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "solna")
		ctx := context.Background()
		format, err := diarium.ParseDnrFormat("D{N:6}")
		must(t, err)
		sr, err := st.CreateSeries(ctx, diarium.Series{OrgID: f.org.ID, Code: "D", Format: format, CreatedAt: t0}, 0, 41)
		must(t, err)
		f.series = sr
		var got []string
		for _, y := range []int{2024, 2025} {
			c, err := st.RegisterCase(ctx, f.newCase("remiss", y))
			must(t, err)
			got = append(got, c.Dnr)
		}
		if !slices.Equal(got, []string{"D000041", "D000042"}) {
			t.Errorf("got %v, want D000041 then D000042 across the year boundary", got)
		}
	})
}

// TestContinueSeriesBeforeTheYearsFirstRegistration: a series is
// continued from another diarium for a year it has not numbered in yet
// (2025 here, and 2024 before its first registration), never after.
func TestContinueSeriesBeforeTheYearsFirstRegistration(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "sodertalje")
		ctx := context.Background()
		must(t, st.ContinueSeries(ctx, f.series, 2024, 300))
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		if c.Dnr != "KS-2024/300.109" {
			t.Errorf("after continuing at 300: %s", c.Dnr)
		}
		if err := st.ContinueSeries(ctx, f.series, 2024, 900); workflow.ErrorCode(err) != workflow.CodeInvalid || !strings.Contains(err.Error(), "har redan gett 1 nummer") {
			t.Errorf("continuing a year that has numbers: %v", err)
		}
		must(t, st.ContinueSeries(ctx, f.series, 2025, 12))
		must(t, st.ContinueSeries(ctx, f.series, 2025, 14)) // changed again before the year's first number
		for year, want := range map[int]int64{2024: 301, 2025: 14, 2026: 1} {
			if n, err := st.NextNumber(ctx, f.series, year); err != nil || n != want {
				t.Errorf("next number of %d: %d, %v; want %d", year, n, err, want)
			}
		}
	})
}

// TestConcurrentRegistrationsAreGaplessAndDistinct is the must-show:
// 64 registrations at once into one series get 64 consecutive numbers.
func TestConcurrentRegistrationsAreGaplessAndDistinct(t *testing.T) {
	slow(t)
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "taby")
		const n = 64
		numbers := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				c, err := st.RegisterCase(context.Background(), f.newCase(fmt.Sprintf("remiss %d", i), 2024))
				numbers[i], errs[i] = c.Number, err
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		slices.Sort(numbers)
		for i, got := range numbers {
			if want := int64(76 + i); got != want {
				t.Fatalf("sorted numbers %v: position %d is %d, want %d (a gap or a duplicate)", numbers, i, got, want)
			}
		}
		page, total, err := st.Cases(context.Background(), f.org.ID, workflow.CaseFilter{Limit: 200})
		must(t, err)
		if total != n || len(page) != n {
			t.Errorf("stored %d cases (page %d), want %d", total, len(page), n)
		}
	})
}

// TestFailedRegistrationDoesNotUseANumber checks that the counter rolls back
// with the rest of the transaction.
func TestFailedRegistrationDoesNotUseANumber(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "lidingo")
		ctx := context.Background()
		bad := f.newCase("ogiltig", 2024)
		bad.Remiss.Deadline = workflow.Date{Year: 2023, Month: 1, Day: 1} // breaks CHECK (deadline >= received)
		if _, err := st.RegisterCase(ctx, bad); err == nil {
			t.Fatal("registration that breaks a constraint succeeded")
		}
		c, err := st.RegisterCase(ctx, f.newCase("giltig", 2024))
		must(t, err)
		if c.Number != 76 {
			t.Errorf("number after a failed registration = %d, want 76", c.Number)
		}
		_, total, err := st.Cases(ctx, f.org.ID, workflow.CaseFilter{Limit: 10})
		must(t, err)
		if total != 1 {
			t.Errorf("%d cases stored, want 1: the failed registration left a row", total)
		}
	})
}

func TestRegistrationWritesLetterAndSealedHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "huddinge")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("Förändring genom försök", 2024))
		must(t, err)
		docs, err := st.Documents(ctx, f.org.ID, c.ID)
		must(t, err)
		if len(docs) != 1 || docs[0].Dnr != "KS-2024/76-1" || docs[0].Direction != workflow.Inkommande {
			t.Fatalf("documents = %+v, want the letter as KS-2024/76-1", docs)
		}
		h, err := st.History(ctx, f.org.ID, c.ID)
		must(t, err)
		if len(h) != 1 || h[0].Event != "registrera" || h[0].To != "registrerad" || !h[0].At.Equal(t0) {
			t.Fatalf("history = %+v", h)
		}
		if err := workflow.VerifyHistory(c.Dnr, h); err != nil {
			t.Errorf("history read back does not verify: %v", err)
		}
	})
}

func TestHistoryIsAppendOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "botkyrka")
		c, err := st.RegisterCase(context.Background(), f.newCase("remiss", 2024))
		must(t, err)
		for _, q := range []string{
			`UPDATE case_history SET actor = 'någon annan' WHERE case_id = $1`,
			`DELETE FROM case_history WHERE case_id = $1`,
			`DELETE FROM documents WHERE case_id = $1`,
		} {
			if err := store.ExecForTest(st, q, c.ID); err == nil {
				t.Errorf("%s: succeeded, want the database to refuse it", q)
			}
		}
	})
}

func TestDocumentsNumberedWithinCase(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "haninge")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		const n = 16
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = st.AddDocument(ctx, f.org.ID, c.ID, workflow.Document{
					Title: fmt.Sprintf("Yttrande från nämnd %d", i), Kind: workflow.KindProtokollsutdrag, Direction: workflow.Inkommande,
					Date: workflow.Date{Year: 2024, Month: 3, Day: 14}, RegisteredBy: "test", RegisteredAt: t0,
					Secrecy: &workflow.Secrecy{Provision: "OSL 21 kap. 7 §", Date: workflow.Date{Year: 2024, Month: 3, Day: 14}, Authority: "KS"},
				})
			})
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		docs, err := st.Documents(ctx, f.org.ID, c.ID)
		must(t, err)
		for i, d := range docs {
			if d.Number != i+1 || d.Dnr != fmt.Sprintf("KS-2024/76-%d", i+1) {
				t.Fatalf("document %d is number %d (%s)", i, d.Number, d.Dnr)
			}
		}
		if len(docs) != n+1 || docs[n].Secrecy == nil || docs[n].Secrecy.Provision != "OSL 21 kap. 7 §" {
			t.Errorf("got %d documents, last %+v", len(docs), docs[len(docs)-1])
		}
	})
}

func TestFileAttachedOnceAndReadBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "sundbyberg")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		content := []byte("%PDF-1.7\nremissbrev\n%%EOF\n")
		sum := sha256.Sum256(content)
		file := workflow.File{FileInfo: workflow.FileInfo{Name: "remiss.pdf", MediaType: "application/pdf", Size: int64(len(content)),
			SHA256: hex.EncodeToString(sum[:]), AttachedBy: "Rut", AttachedAt: t0}, Content: content}
		d, err := st.AttachFile(ctx, f.org.ID, c.ID, 1, file)
		must(t, err)
		if d.File == nil || d.File.SHA256 != file.SHA256 || d.File.Size != file.Size || !d.File.AttachedAt.Equal(t0) {
			t.Fatalf("file info = %+v", d.File)
		}
		_, err = st.AttachFile(ctx, f.org.ID, c.ID, 1, file)
		wantCode(t, err, workflow.CodeConflict)
		got, err := st.FileContent(ctx, f.org.ID, c.ID, 1)
		must(t, err)
		if string(got.Content) != string(content) || got.Name != "remiss.pdf" {
			t.Errorf("read back %q as %q", got.Content, got.Name)
		}
	})
}

// TestTenantIsolation checks every organisation-scoped read and write with
// another organisation's ids: each must answer not found and change nothing.
func TestTenantIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		a, b := newFixture(t, st, "org-a"), newFixture(t, st, "org-b")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, b.newCase("B:s remiss", 2024))
		must(t, err)
		org := a.org.ID
		checks := map[string]error{}
		_, checks["Case"] = st.Case(ctx, org, c.ID)
		_, checks["Documents"] = st.Documents(ctx, org, c.ID)
		_, checks["Document"] = st.Document(ctx, org, c.ID, 1)
		_, checks["FileContent"] = st.FileContent(ctx, org, c.ID, 1)
		_, checks["History"] = st.History(ctx, org, c.ID)
		_, checks["AddDocument"] = st.AddDocument(ctx, org, c.ID, workflow.Document{Title: "x", Kind: workflow.KindOvrigt, Direction: workflow.Upprattad,
			Date: workflow.Date{Year: 2024, Month: 1, Day: 1}, RegisteredBy: "x", RegisteredAt: t0})
		_, checks["AttachFile"] = st.AttachFile(ctx, org, c.ID, 1, workflow.File{FileInfo: workflow.FileInfo{Name: "x.pdf",
			MediaType: "application/pdf", Size: 1, SHA256: "00", AttachedAt: t0}, Content: []byte("x")})
		_, err = st.CreateBody(ctx, workflow.Body{OrgID: b.org.ID, Code: "NAF", Name: "Nämnden för arbete och försörjning", Kind: workflow.KindNamnd, CreatedAt: t0})
		must(t, err)
		_, checks["BodyByCode"] = st.BodyByCode(ctx, org, "NAF")
		_, checks["UserByEmail"] = st.UserByEmail(ctx, org, b.user.Email)
		checks["RevokeToken"] = st.RevokeToken(ctx, org, mustToken(t, st, b))
		for name, err := range checks {
			if workflow.ErrorCode(err) != workflow.CodeNotFound {
				t.Errorf("%s with org A's id on org B's data: %v, want not found", name, err)
			}
		}
		list, total, err := st.Cases(ctx, org, workflow.CaseFilter{Limit: 10})
		must(t, err)
		if total != 0 || len(list) != 0 {
			t.Errorf("org A lists %d of org B's cases", total)
		}
		docs, err := st.Documents(ctx, b.org.ID, c.ID)
		must(t, err)
		if len(docs) != 1 || docs[0].File != nil {
			t.Errorf("org B's documents changed: %+v", docs)
		}
		if next, err := st.NextNumber(ctx, a.series, 2024); err != nil || next != 76 {
			t.Errorf("org A's KS series moved to %d (%v) when org B registered", next, err)
		}
	})
}

func mustToken(t *testing.T, st *store.Store, f fixture) int64 {
	tok, err := st.CreateToken(context.Background(), workflow.Token{OrgID: f.org.ID, UserID: f.user.ID, Hash: []byte("hash-" + f.org.Slug), CreatedAt: t0, CreatedBy: "test"})
	must(t, err)
	return tok.ID
}

func TestTokenHolderAndRevoke(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "vallentuna")
		ctx := context.Background()
		id := mustToken(t, st, f)
		h, err := st.TokenHolder(ctx, []byte("hash-vallentuna"))
		must(t, err)
		if h.User.ID != f.user.ID || h.OrgSlug != "vallentuna" || !slices.Equal(h.User.Roles, []workflow.Role{workflow.RoleRegistrator}) {
			t.Errorf("holder = %+v", h)
		}
		must(t, st.RevokeToken(ctx, f.org.ID, id))
		_, err = st.TokenHolder(ctx, []byte("hash-vallentuna"))
		wantCode(t, err, workflow.CodeNotFound)
	})
}

func TestDuplicatesAreConflicts(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "upplands-vasby")
		ctx := context.Background()
		_, err := st.CreateOrganization(ctx, workflow.Organization{Slug: "upplands-vasby", Name: "igen", CreatedAt: t0})
		wantCode(t, err, workflow.CodeConflict)
		_, err = st.CreateUser(ctx, workflow.User{OrgID: f.org.ID, Email: f.user.Email, Name: "igen", Roles: []workflow.Role{workflow.RoleLasare}, CreatedAt: t0})
		wantCode(t, err, workflow.CodeConflict)
		_, err = st.CreateSeries(ctx, f.series, 2024, 1)
		wantCode(t, err, workflow.CodeConflict)
		_, err = st.CreateBody(ctx, workflow.Body{OrgID: f.org.ID, Code: "KS", Name: "Kommunstyrelsen", Kind: workflow.KindStyrelse, CreatedAt: t0})
		must(t, err)
		_, err = st.CreateBody(ctx, workflow.Body{OrgID: f.org.ID, Code: "KS", Name: "igen", Kind: workflow.KindStyrelse, CreatedAt: t0})
		wantCode(t, err, workflow.CodeConflict)
	})
}

func TestCaseListFiltersAndPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "jarfalla")
		ctx := context.Background()
		for i, title := range []string{"Försöksverksamhet i kommunal sektor", "Ökad säkerhet", "Äldreomsorg"} {
			nc := f.newCase(title, 2024)
			nc.Remiss.Deadline = workflow.Date{Year: 2024, Month: 4, Day: 10 + i}
			_, err := st.RegisterCase(ctx, nc)
			must(t, err)
		}
		got := func(filter workflow.CaseFilter) []string {
			filter.Limit = max(filter.Limit, 1)
			list, _, err := st.Cases(ctx, f.org.ID, filter)
			must(t, err)
			var titles []string
			for _, c := range list {
				titles = append(titles, c.Title)
			}
			return titles
		}
		for name, tc := range map[string]struct {
			filter workflow.CaseFilter
			want   []string
		}{
			"all by deadline":  {workflow.CaseFilter{Limit: 10}, []string{"Försöksverksamhet i kommunal sektor", "Ökad säkerhet", "Äldreomsorg"}},
			"q upper ÖKAD":     {workflow.CaseFilter{Query: "ÖKAD", Limit: 10}, []string{"Ökad säkerhet"}},
			"q dnr":            {workflow.CaseFilter{Query: "ks-2024/77", Limit: 10}, []string{"Ökad säkerhet"}},
			"q literal %":      {workflow.CaseFilter{Query: "%", Limit: 10}, nil},
			"deadline before":  {workflow.CaseFilter{DeadlineBefore: workflow.Date{Year: 2024, Month: 4, Day: 11}, Limit: 10}, []string{"Försöksverksamhet i kommunal sektor"}},
			"state":            {workflow.CaseFilter{State: "besvarad", Limit: 10}, nil},
			"limit+1 returned": {workflow.CaseFilter{Limit: 1}, []string{"Försöksverksamhet i kommunal sektor", "Ökad säkerhet"}},
			"after cursor": {workflow.CaseFilter{Limit: 5, After: &workflow.CaseCursor{Deadline: workflow.Date{Year: 2024, Month: 4, Day: 11}, ID: 0}},
				[]string{"Ökad säkerhet", "Äldreomsorg"}},
		} {
			if g := got(tc.filter); !slices.Equal(g, tc.want) {
				t.Errorf("%s: got %q, want %q", name, g, tc.want)
			}
		}
	})
}

func TestMigrateIsIdempotentAndSchemaChecked(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		applied, err := st.Migrate(ctx)
		must(t, err)
		if len(applied) != 0 {
			t.Errorf("second migration applied %v", applied)
		}
		must(t, st.CheckSchema(ctx))
		must(t, st.Ping(ctx))
	})
}

func TestUnmigratedDatabaseIsRefused(t *testing.T) {
	st, err := store.Open(context.Background(), storetest.SQLiteURL(t), nil)
	must(t, err)
	defer st.Close()
	if err := st.CheckSchema(context.Background()); err == nil {
		t.Fatal("an empty database passed the schema check")
	}
	if err := st.Ping(context.Background()); err == nil {
		t.Fatal("an empty database is ready")
	}
}

// TestEditedHistoryIsDetected edits a history row behind the triggers'
// back, as someone with direct database access could, and checks that the
// chain no longer verifies.
func TestEditedHistoryIsDetected(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st, "huddinge")
		ctx := context.Background()
		c, err := st.RegisterCase(ctx, f.newCase("remiss", 2024))
		must(t, err)
		tamper := []string{
			`DROP TRIGGER case_history_no_update`,
			`UPDATE case_history SET actor = 'Någon annan' WHERE case_id = $1`,
		}
		if st.Dialect() == store.Postgres {
			tamper[0] = `ALTER TABLE case_history DISABLE TRIGGER case_history_append_only`
		}
		must(t, store.ExecForTest(st, tamper[0]))
		must(t, store.ExecForTest(st, tamper[1], c.ID))
		h, err := st.History(ctx, f.org.ID, c.ID)
		must(t, err)
		if err := workflow.VerifyHistory(c.Dnr, h); err == nil {
			t.Fatal("an edited history row verifies")
		}
	})
}
