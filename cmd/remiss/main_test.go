package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/yttrande/remiss/internal/config"
	"github.com/yttrande/remiss/internal/store/storetest"
)

// proc is one run of the command line in this process, as main would run
// it, with its output readable line by line.
type proc struct {
	cancel context.CancelFunc
	stdout *lines
	stderr *lines
	done   chan int
}

// lines collects what a command writes and lets a test wait for a line.
type lines struct {
	mu    sync.Mutex
	all   []string
	added chan struct{}
}

func newLines() (*lines, io.WriteCloser) {
	l := &lines{added: make(chan struct{}, 1)}
	r, w := io.Pipe()
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.mu.Lock()
			l.all = append(l.all, sc.Text())
			l.mu.Unlock()
			select {
			case l.added <- struct{}{}:
			default:
			}
		}
	}()
	return l, w
}

// waitFor blocks until a line matches re and returns its submatches.
func (l *lines) waitFor(t *testing.T, re *regexp.Regexp, exited <-chan int) []string {
	t.Helper()
	seen := 0
	for {
		l.mu.Lock()
		for ; seen < len(l.all); seen++ {
			if m := re.FindStringSubmatch(l.all[seen]); m != nil {
				l.mu.Unlock()
				return m
			}
		}
		l.mu.Unlock()
		select {
		case <-l.added:
		case code := <-exited:
			t.Fatalf("the command exited with %d before printing a line matching %s; output:\n%s", code, re, l.text())
		}
	}
}

func (l *lines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.all, "\n")
}

func start(t *testing.T, env map[string]string, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outLines, out := newLines()
	errLines, errw := newLines()
	p := &proc{cancel: cancel, stdout: outLines, stderr: errLines, done: make(chan int, 1)}
	go func() {
		code := run(ctx, args, out, errw, func() (config.Config, error) { return config.FromEnv(env) })
		out.Close()
		errw.Close()
		p.done <- code
	}()
	t.Cleanup(func() {
		cancel()
	})
	return p
}

// stop ends a server the way SIGTERM does and returns the exit code.
func (p *proc) stop() int {
	p.cancel()
	return <-p.done
}

// runOnce runs a command to completion and returns its exit code and output.
func runOnce(env map[string]string, args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := run(context.Background(), args, &out, &errw, func() (config.Config, error) { return config.FromEnv(env) })
	return code, out.String(), errw.String()
}

var listening = regexp.MustCompile(`"msg":"listening","url":"(http://[^"]+)"`)

func getJSON(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestDemoServesTheHuddingeRemiss(t *testing.T) {
	p := start(t, map[string]string{}, "demo", "--addr", "127.0.0.1:0")
	url := p.stdout.waitFor(t, regexp.MustCompile(`is running at (http://\S+)`), p.done)[1]
	token := p.stdout.waitFor(t, regexp.MustCompile(`^\s+registrator\s+\S+\s+(remiss_\S+)`), p.done)[1]
	dir := p.stdout.waitFor(t, regexp.MustCompile(`^Data: (\S+)`), p.done)[1]
	var page struct {
		Items []struct{ Dnr, Title string }
	}
	if code := getJSON(t, url+"/api/v1/organizations/huddinge/cases", token, &page); code != 200 {
		t.Fatalf("list cases: %d", code)
	}
	dnrs := map[string]string{}
	for _, c := range page.Items {
		dnrs[c.Dnr] = c.Title
	}
	if len(page.Items) != 3 || !strings.Contains(dnrs["KS-2024/76.109"], "Förändring genom försök") || dnrs["KS-2023/398.109"] == "" || dnrs["KS-2023/399.109"] == "" {
		t.Errorf("demo cases = %+v", page.Items)
	}
	if code := p.stop(); code != 0 {
		t.Errorf("demo exited with %d:\n%s", code, p.stderr.text())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("demo data directory %s left behind (%v)", dir, err)
	}
}

// TestBootstrapAnEmptyInstallation is the README's path for IT operations:
// migrate, create an organisation, a user and a token, serve, use the token.
func TestBootstrapAnEmptyInstallation(t *testing.T) {
	env := map[string]string{"REMISS_DATA_DIR": t.TempDir(), "REMISS_ADMIN_TOKEN": "a-long-random-bootstrap-secret-for-tests"}
	mustRun(t, env, "migrate")
	mustRun(t, env, "org", "create", "--slug", "huddinge", "--name", "Huddinge kommun")
	mustRun(t, env, "user", "create", "--org", "huddinge", "--email", "it@huddinge.example", "--name", "IT", "--role", "admin", "--role", "registrator")
	_, out := mustRun(t, env, "token", "create", "--org", "huddinge", "--email", "it@huddinge.example")
	token := strings.TrimSpace(out)
	if !strings.HasPrefix(token, "remiss_") {
		t.Fatalf("token create printed %q", out)
	}
	setPassword(t, env, "it@huddinge.example", "kort\n", 1)
	setPassword(t, env, "it@huddinge.example", "it-förvaltningens långa lösenord\n", 0)
	code, _, stderr := runOnce(env, "user", "create", "--org", "huddinge", "--email", "not-an-address", "--name", "X", "--role", "chef")
	if code == 0 || !strings.Contains(stderr, "inte en giltig e-postadress") || !strings.Contains(stderr, "Okänd roll") {
		t.Errorf("bad user create: exit %d, %s", code, stderr)
	}

	p := start(t, env, "serve", "--addr", "127.0.0.1:0", "--no-migrate")
	url := p.stderr.waitFor(t, listening, p.done)[1]
	var org struct{ Name string }
	if code := getJSON(t, url+"/api/v1/organizations/huddinge", token, &org); code != 200 || org.Name != "Huddinge kommun" {
		t.Errorf("GET organisation with the new token: %d %+v", code, org)
	}
	if code := getJSON(t, url+"/api/v1/organizations/huddinge/users", env["REMISS_ADMIN_TOKEN"], nil); code != 200 {
		t.Errorf("REMISS_ADMIN_TOKEN: %d", code)
	}
	form := neturl.Values{"org": {"huddinge"}, "email": {"it@huddinge.example"}, "password": {"it-förvaltningens långa lösenord"}}
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar}).PostForm(url+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/o/huddinge/" {
		t.Errorf("logging in with the password set: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if code := p.stop(); code != 0 {
		t.Errorf("serve exited with %d", code)
	}
}

// setPassword runs `remiss user password` with stdin and wants exit code.
func setPassword(t *testing.T, env map[string]string, email, stdin string, want int) {
	t.Helper()
	cfg, err := config.FromEnv(env)
	if err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	cmd := newRootCmd(&cfg, &out, &errw)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs([]string{"user", "password", "--org", "huddinge", "--email", email})
	code, said := 0, ""
	if err := cmd.ExecuteContext(t.Context()); err != nil {
		code, said = 1, err.Error()
	}
	if code != want || (want == 1) != strings.Contains(said, "minst 12 tecken") {
		t.Errorf("user password: exit %d (%s) %s%s, want %d", code, said, out.String(), errw.String(), want)
	}
}

func mustRun(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	code, out, errs := runOnce(env, args...)
	if code != 0 {
		t.Fatalf("remiss %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return code, out
}

func TestNoMigrateRefusesAnOldSchema(t *testing.T) {
	env := map[string]string{"REMISS_DATA_DIR": t.TempDir()}
	code, _, stderr := runOnce(env, "serve", "--addr", "127.0.0.1:0", "--no-migrate")
	if code == 0 || !strings.Contains(stderr, "remiss migrate") {
		t.Errorf("serve --no-migrate on an empty database: exit %d, %s", code, stderr)
	}
	code, out, _ := runOnce(env, "migrate", "--status")
	if code == 0 || !strings.Contains(out, "schema version 0") {
		t.Errorf("migrate --status before migrating: exit %d, %s", code, out)
	}
	mustRun(t, env, "migrate")
	_, out = mustRun(t, env, "migrate", "--status")
	if m := regexp.MustCompile(`sqlite database at schema version (\d+); this binary's latest is (\d+)`).FindStringSubmatch(out); m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("migrate --status after migrating: %s", out)
	}
}

func TestServeOnPostgreSQL(t *testing.T) {
	env := map[string]string{"REMISS_DATABASE_URL": storetest.PostgresURL(t)}
	p := start(t, env, "serve", "--addr", "127.0.0.1:0")
	url := p.stderr.waitFor(t, listening, p.done)[1]
	if code := getJSON(t, url+"/readyz", "", nil); code != 200 {
		t.Errorf("readyz on PostgreSQL: %d", code)
	}
	if !strings.Contains(p.stderr.text(), `"database":"postgres"`) {
		t.Errorf("log does not name the database: %s", p.stderr.text())
	}
	if code := p.stop(); code != 0 {
		t.Errorf("serve exited with %d", code)
	}
}

func TestBadConfigurationIsReportedBeforeStarting(t *testing.T) {
	for _, env := range []map[string]string{
		{"REMISS_LOG_LEVEL": "loud"},
		{"REMISS_ADMIN_TOKEN": "kort"},
		{"REMISS_DATABASE_URL": "mysql://x"},
	} {
		env["REMISS_DATA_DIR"] = t.TempDir()
		code, _, stderr := runOnce(env, "serve", "--addr", "127.0.0.1:0")
		if code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, %q", env, code, stderr)
		}
	}
	if code, _, stderr := runOnce(map[string]string{"REMISS_SHUTDOWN_TIMEOUT": "snart"}, "version"); code != 2 || !strings.Contains(stderr, "REMISS_SHUTDOWN_TIMEOUT") {
		t.Errorf("malformed variable: exit %d, %s", code, stderr)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"REMISS_DATA_DIR": filepath.Join(dir, "from-env")}
	mustRun(t, env, "migrate", "--data-dir", filepath.Join(dir, "from-flag"))
	if _, err := os.Stat(filepath.Join(dir, "from-flag", "remiss.db")); err != nil {
		t.Errorf("--data-dir did not win over REMISS_DATA_DIR: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-env")); !os.IsNotExist(err) {
		t.Errorf("REMISS_DATA_DIR was used despite the flag")
	}
}

func TestHelpOfEveryCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"demo", "--help"},
		{"org", "create", "--help"}, {"user", "create", "--help"}, {"token", "create", "--help"}, {"version", "--help"},
		{"member", "add", "--help"}, {"meeting", "--help"}, {"meeting", "import", "--help"}, {"meeting", "justera", "--help"}, {"meeting", "pdf", "--help"}, {"render", "--help"},
	} {
		code, out, _ := runOnce(map[string]string{}, args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	_, out, _ := runOnce(map[string]string{}, "serve", "--help")
	for _, want := range []string{"REMISS_ADDR", "REMISS_DATABASE_URL", "--no-migrate", "REMISS_ADMIN_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
	if code, out, _ := runOnce(map[string]string{}, "version"); code != 0 || !strings.HasPrefix(out, "remiss ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestWorkflowCheckAndGraph(t *testing.T) {
	env := map[string]string{}
	code, out, _ := runOnce(env, "workflow", "check", "../../workflow/definitions/kommunstyrelsen.v1.json")
	if code != 0 || !strings.Contains(out, "kommunstyrelsen v1 är giltig") {
		t.Errorf("check a shipped definition: %d %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"name":"x","version":1,"title":"X","initial":"a","states":[{"name":"a","title":"A"}],
		"events":[{"name":"e","title":"E","from":["a"],"to":"b","roles":["kung"]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runOnce(env, "workflow", "check", bad)
	if code == 0 || !strings.Contains(stderr, "events[0].to: Okänt tillstånd ”b”") || !strings.Contains(stderr, "events[0].roles[0]") {
		t.Errorf("check a broken definition: exit %d\n%s", code, stderr)
	}
	code, out, _ = runOnce(env, "workflow", "graph", "namnd", "--format", "mermaid", "--state", "namnd")
	if code != 0 || !strings.Contains(out, "stateDiagram-v2") || !strings.Contains(out, "class namnd current") {
		t.Errorf("graph: %d %s", code, out)
	}
	if code, _, _ := runOnce(env, "workflow", "graph", "finns-inte"); code == 0 {
		t.Error("graph of an unknown workflow succeeded")
	}
}

func TestHistoryVerify(t *testing.T) {
	env := map[string]string{"REMISS_DATA_DIR": t.TempDir()}
	p := start(t, env, "demo", "--addr", "127.0.0.1:0", "--data-dir", env["REMISS_DATA_DIR"])
	p.stdout.waitFor(t, regexp.MustCompile(`is running at`), p.done)
	if code := p.stop(); code != 0 {
		t.Fatalf("demo exited with %d", code)
	}
	code, out, errs := runOnce(env, "history", "verify")
	if code != 0 || !strings.Contains(out, "3 ärenden, 16 historikrader, 0 brutna kedjor") {
		t.Errorf("history verify: exit %d\n%s%s", code, out, errs)
	}
}

func TestMeetingCommands(t *testing.T) {
	dir, cli := demoCLI(t)
	if out := cli(0, "member", "list", "KS"); !strings.Contains(out, "Eva Lund") || !strings.Contains(out, "vice_ordforande") {
		t.Errorf("member list:\n%s", out)
	}
	out := cli(0, "meeting", "list", "KSAU", "--from", "2024-03-01", "--to", "2024-03-31")
	m := regexp.MustCompile(`(?m)^(\d+)\s+KSAU\s+2024-03-27\s+08:30\s+Kommunalhuset, sal A\s+planerat`).FindStringSubmatch(out)
	if m == nil || strings.Contains(out, "2024-04-24") {
		t.Fatalf("meeting list of March:\n%s", out)
	}
	ksau := m[1]

	ics := filepath.Join(dir, "plan-2031.ics")
	writeFile(t, ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"+
		"BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20310115T130000\r\nLOCATION:Sessionssalen\r\nEND:VEVENT\r\n"+
		"BEGIN:VEVENT\r\nUID:b@test\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20310212T130000\r\nLOCATION:Sessionssalen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	if out := cli(0, "meeting", "import", "KS", ics); !strings.Contains(out, "2 meetings created, 0 already") {
		t.Errorf("import:\n%s", out)
	}
	if out := cli(0, "meeting", "import", "KS", ics); !strings.Contains(out, "0 meetings created, 2 already") {
		t.Errorf("import again:\n%s", out)
	}
	created := regexp.MustCompile(`created meeting (\d+): KS 2031-03-10`).FindStringSubmatch(
		cli(0, "meeting", "create", "KS", "--date", "2031-03-10", "--time", "13:00"))
	if created == nil {
		t.Fatal("create printed no id")
	}
	if out := cli(0, "meeting", "move", created[1], "--date", "2031-03-12", "--reason", "Krockar med KF"); !strings.Contains(out, "KS 2031-03-12 13:00") {
		t.Errorf("move:\n%s", out)
	}
	if out := cli(1, "meeting", "move", created[1], "--date", "2031-03-13", "--version", "1"); !strings.Contains(out, "har ändrats sedan du läste det (version 2, du hade 1)") {
		t.Errorf("a move against an old version should be refused:\n%s", out)
	}
	cli(0, "meeting", "cancel", created[1], "--reason", "Inga ärenden")
	if out := cli(0, "meeting", "list", "KS", "--from", "2031-01-01", "--cancelled"); !strings.Contains(out, "installt") {
		t.Errorf("the cancelled meeting is not listed:\n%s", out)
	}

	if out := cli(1, "meeting", "justera", ksau, "--date", "2024-03-28", "--ordforande", "Okänd Person", "--justerare", "Ali Berg"); !strings.Contains(out, "Okänd Person") {
		t.Errorf("justering by a non-member should name them:\n%s", out)
	}
	// The demo's remiss has not reached KSAU, so the meeting has no § yet;
	// justering through the API is tested in internal/web.
	if out := cli(1, "meeting", "justera", ksau, "--date", "2024-03-28", "--ordforande", "Eva Lund", "--justerare", "Ali Berg"); !strings.Contains(out, "har inga paragrafer att justera") {
		t.Errorf("justera an empty meeting:\n%s", out)
	}
	if out := cli(0, "meeting", "agenda", ksau); !strings.Contains(out, "Dagordning Kommunstyrelsens arbetsutskott, 27 mars 2024") {
		t.Errorf("agenda:\n%s", out)
	}
	pdfPath := filepath.Join(dir, "kallelse.pdf")
	if out := cli(0, "meeting", "pdf", ksau, "kallelse", "-o", pdfPath); !strings.Contains(out, "wrote "+pdfPath) {
		t.Errorf("pdf:\n%s", out)
	}
	if b, err := os.ReadFile(pdfPath); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("the kallelse is no PDF: %v", err)
	}
	if out := cli(1, "meeting", "pdf", ksau, "protokollsutdrag"); !strings.Contains(out, "--paragraph") {
		t.Errorf("protokollsutdrag without a §:\n%s", out)
	}
	if out := cli(1, "meeting", "move", "tolv", "--date", "2031-03-13"); !strings.Contains(out, "”tolv” är inget sammanträdes-id") {
		t.Errorf("bad id:\n%s", out)
	}
}

// demoCLI seeds the demo's database in a directory of the test's, and
// returns it with a function that runs a command on it for huddinge and
// requires its exit code.
func demoCLI(t *testing.T) (string, func(want int, args ...string) string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"REMISS_DATA_DIR": dir}
	p := start(t, env, "demo", "--addr", "127.0.0.1:0", "--data-dir", dir)
	p.stdout.waitFor(t, regexp.MustCompile(`is running at`), p.done)
	if code := p.stop(); code != 0 {
		t.Fatalf("demo exited with %d", code)
	}
	cli := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runOnce(env, append(args, "--org", "huddinge")...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}
	return dir, cli
}

// TestRenderCommand renders the yttrande draft of the demo's case at the
// arbetsutskott from the command line as PDF, Word, the layout and the
// missiv, with clear errors.
func TestRenderCommand(t *testing.T) {
	dir, cli := demoCLI(t)
	for ext, magic := range map[string]string{"pdf": "%PDF-", "docx": "PK\x03\x04", "json": "{"} {
		path := filepath.Join(dir, "yttrande."+ext)
		if out := cli(0, "render", "--case", "KS-2023/399.109", "--kind", "yttrande", "-o", path); !strings.Contains(out, "wrote "+path) {
			t.Errorf("render %s:\n%s", ext, out)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("yttrande.%s does not start with %q: %v", ext, magic, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "yttrande.json")); !strings.Contains(string(b), `"Huddinge kommun - Yttrande Ku2023-01867"`) {
		t.Errorf("the layout lacks its file name:\n%.400s", b)
	}
	if out := cli(0, "render", "--case", "KS-2024/76.109", "--kind", "missiv"); !strings.Contains(out, "er beteckning Fi2023/04321") {
		t.Errorf("missiv:\n%s", out)
	}
	if out := cli(1, "render", "--case", "KS-2024/99", "--kind", "yttrande"); !strings.Contains(out, "inget ärende med diarienumret KS-2024/99") {
		t.Errorf("an unknown case:\n%s", out)
	}
	if out := cli(1, "render", "--case", "KS-2024/76.109", "--kind", "tjansteutlatande"); !strings.Contains(out, "inget utkast till tjansteutlatande") {
		t.Errorf("no draft:\n%s", out)
	}
	if out := cli(1, "render", "--case", "KS-2024/76.109", "--kind", "protokoll"); !strings.Contains(out, "ingen dokumentmall ”protokoll”") {
		t.Errorf("an unknown kind:\n%s", out)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
