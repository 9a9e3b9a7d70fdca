package workflow

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for in, ok := range map[string]bool{
		"2024-04-15": true, "2024-02-29": true, "2023-02-29": false, "2024-4-15": false, "15/4/2024": false,
		"2024-04-15T00:00:00Z": false, "": false, " 2024-04-15": false, "0999-01-01": false, "2024-13-01": false,
	} {
		d, err := ParseDate(in)
		if (err == nil) != ok {
			t.Errorf("ParseDate(%q) = %v, %v; want ok=%v", in, d, err, ok)
		}
		if ok && d.String() != in {
			t.Errorf("ParseDate(%q).String() = %q", in, d)
		}
	}
}

func TestDateJSONAndArithmetic(t *testing.T) {
	var v struct {
		D Date `json:"d"`
		Z Date `json:"z"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2024-12-31","z":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if got := v.D.AddDays(1); got != (Date{2025, time.January, 1}) {
		t.Errorf("2024-12-31 + 1 = %v", got)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"2024-12-31","z":null}` {
		t.Errorf("marshal = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"d":"2024-02-30"}`), &v); err == nil {
		t.Error("2024-02-30 accepted")
	}
	if !(Date{2024, 4, 14}).Before(Date{2024, 4, 15}) || (Date{2024, 4, 15}).After(Date{2024, 4, 15}) {
		t.Error("Before/After wrong")
	}
}

func TestCaseQueryFilter(t *testing.T) {
	f, err := CaseQuery{State: "registrerad", Q: " försök ", DeadlineBefore: "2024-05-01", Limit: "10"}.Filter([]string{"registrerad"})
	if err != nil || f.State != "registrerad" || f.Query != "försök" || f.Limit != 10 || f.DeadlineBefore != (Date{2024, 5, 1}) {
		t.Fatalf("filter = %+v, %v", f, err)
	}
	_, err = CaseQuery{State: "okänt", DeadlineBefore: "maj", Limit: "500", Cursor: "!!"}.Filter([]string{"registrerad"})
	e, ok := err.(*Error)
	if !ok || len(e.Fields) != 4 {
		t.Fatalf("bad query: %v", err)
	}
	c := CaseCursor{Deadline: Date{2024, 4, 15}, ID: 42}
	back, err := decodeCursor(EncodeCursor(c))
	if err != nil || *back != c {
		t.Errorf("cursor round trip: %+v, %v", back, err)
	}
}

func TestVerifyHistoryDetectsTampering(t *testing.T) {
	at := time.Date(2024, 1, 29, 9, 12, 0, 0, time.UTC)
	entries := []HistoryEntry{
		{Seq: 1, Event: "registrera", To: "registrerad", Actor: "Karin", At: at, Data: []byte(`{"a":1}`)},
		{Seq: 2, Event: "tilldela", From: "registrerad", To: "tilldelad", Actor: "Karin", At: at.Add(time.Hour), Data: []byte(`{}`)},
	}
	prev := GenesisHash
	for i := range entries {
		entries[i].Seal("KS-2024/76.109", prev)
		prev = entries[i].Hash
	}
	if err := VerifyHistory("KS-2024/76.109", entries); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	for name, tamper := range map[string]func([]HistoryEntry) []HistoryEntry{
		"edited actor": func(e []HistoryEntry) []HistoryEntry { e[0].Actor = "Någon"; return e },
		"edited data":  func(e []HistoryEntry) []HistoryEntry { e[1].Data = []byte(`{"x":1}`); return e },
		"edited time":  func(e []HistoryEntry) []HistoryEntry { e[1].At = e[1].At.Add(time.Microsecond); return e },
		"removed row":  func(e []HistoryEntry) []HistoryEntry { return e[1:] },
		"swapped rows": func(e []HistoryEntry) []HistoryEntry { return []HistoryEntry{e[1], e[0]} },
		"other case":   func(e []HistoryEntry) []HistoryEntry { return e },
	} {
		cp := append([]HistoryEntry(nil), entries...)
		dnr := "KS-2024/76.109"
		if name == "other case" {
			dnr = "KS-2024/77.109"
		}
		if err := VerifyHistory(dnr, tamper(cp)); err == nil {
			t.Errorf("%s: tampered chain verifies", name)
		}
	}
}

func TestValidateUpload(t *testing.T) {
	pdf := []byte("%PDF-1.7\n")
	for _, tc := range []struct {
		u    Upload
		code Code
	}{
		{Upload{Name: "remiss.pdf", MediaType: MediaTypePDF, Content: pdf}, ""},
		{Upload{Name: "remiss.pdf", MediaType: MediaTypePDF, Content: make([]byte, 11)}, CodeTooLarge},
		{Upload{Name: "remiss.pdf", MediaType: MediaTypePDF}, CodeInvalid},
		{Upload{Name: "remiss.docx", MediaType: "application/zip", Content: pdf}, CodeUnsupportedMedia},
	} {
		f, err := ValidateUpload(tc.u, 10)
		if ErrorCode(err) != tc.code {
			t.Errorf("%s (%d bytes): %v, want %q", tc.u.Name, len(tc.u.Content), err, tc.code)
		}
		if err == nil && (f.SHA256 != "0716f9264c9fe19f5d7455276107f3ddcc1d3497f63d60689a73558ae8a1bf5e" || f.Size != int64(len(pdf))) {
			t.Errorf("sha256 %q size %d", f.SHA256, f.Size)
		}
	}
	for in, want := range map[string]string{`C:\Users\x\Remiss å.pdf`: "Remiss å.pdf", "../../etc/passwd": "passwd", "": "handling.pdf", `a"b.pdf`: "ab.pdf"} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPermissions(t *testing.T) {
	actor := func(roles ...Role) Actor { return Actor{UserID: 1, OrgID: 10, Roles: roles} }
	for _, tc := range []struct {
		actor Actor
		perm  Permission
		org   int64
		want  bool
	}{
		{actor(RoleRegistrator), PermRegisterCase, 10, true},
		{actor(RoleSekreterare), PermRegisterCase, 10, true},
		{actor(RoleHandlaggare), PermRegisterCase, 10, false},
		{actor(RoleLasare), PermReadCase, 10, true},
		{actor(RoleLasare), PermAddDocument, 10, false},
		{actor(RoleLasare), PermReadSecret, 10, false},
		{actor(RoleLedamot), PermReadSecret, 10, false},
		{actor(RoleHandlaggare), PermReadSecret, 10, true},
		{actor(RoleAdmin), PermManageOrganization, 10, true},
		{actor(RoleRegistrator), PermManageOrganization, 10, false},
		{actor(RoleAdmin), PermReadCase, 11, false}, // another organisation
		{SystemActor(), PermManageOrganization, 11, true},
		{actor(), PermReadCase, 10, false},
	} {
		if got := tc.actor.Can(tc.perm, tc.org); got != tc.want {
			t.Errorf("%v Can(%s, org %d) = %v", tc.actor.Roles, tc.perm, tc.org, got)
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(CaseCursor{Deadline: Date{2024, 4, 15}, ID: 7}))
	f.Add("MjAyNC0wNC0xNS83")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			return
		}
		if c.ID < 1 || c.Deadline.IsZero() {
			t.Fatalf("%q decodes to %+v", s, c)
		}
		if again, err := decodeCursor(EncodeCursor(*c)); err != nil || *again != *c {
			t.Fatalf("%q: re-encoding changes the cursor", s)
		}
	})
}
