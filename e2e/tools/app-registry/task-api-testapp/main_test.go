package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

func serve(t *testing.T, release Release, path string) *httptest.ResponseRecorder {
	t.Helper()
	recorder := httptest.NewRecorder()
	Handler(release).ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, path, nil))
	return recorder
}

func TestHealth(t *testing.T) {
	for _, path := range []string{"/healthz", "/readyz", "/livez"} {
		if got := serve(t, Release{"1.5.0", Ready}, path); got.Code != http.StatusOK || got.Header().Get("X-App-Version") != "1.5.0" {
			t.Errorf("%s ready: %d %v", path, got.Code, got.Header())
		}
		if got := serve(t, Release{"1.6.0", NeverReady}, path); got.Code != http.StatusServiceUnavailable {
			t.Errorf("%s never ready: %d", path, got.Code)
		}
	}
}

func TestVersionAndEnv(t *testing.T) {
	var version struct {
		Version string `json:"version"`
		UID     int    `json:"uid"`
	}
	if err := json.Unmarshal(serve(t, Release{"1.5.1", Ready}, "/version").Body.Bytes(), &version); err != nil {
		t.Fatal(err)
	}
	if version.Version != "1.5.1" || version.UID != os.Getuid() {
		t.Errorf("version %+v", version)
	}
	t.Setenv("DATABASE_URL", "postgres://u:p@h/db?x=a=b")
	var env map[string]string
	if err := json.Unmarshal(serve(t, Release{"1.5.1", Ready}, "/env").Body.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	if env["DATABASE_URL"] != "postgres://u:p@h/db?x=a=b" {
		t.Errorf("env %v", env["DATABASE_URL"])
	}
}

func TestFilesFollowsSecretVolumeSymlinks(t *testing.T) {
	// A Secret volume as the kubelet's atomic writer lays it out.
	dir := t.TempDir()
	stamp := filepath.Join(dir, "..2026_12_07_08_00_00.000000001")
	if err := os.Mkdir(stamp, 0o755); err != nil {
		t.Fatal(err)
	}
	content := []byte("-----BEGIN CERTIFICATE-----\n\x00\xff\n")
	if err := os.WriteFile(filepath.Join(stamp, "tls.crt"), content, 0o440); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Base(stamp), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..data/tls.crt", filepath.Join(dir, "tls.crt")); err != nil {
		t.Fatal(err)
	}

	got := serve(t, Release{"1.5.0", Ready}, "/files?dir="+url.QueryEscape(dir))
	var files []File
	if err := json.Unmarshal(got.Body.Bytes(), &files); err != nil {
		t.Fatal(got.Body.String(), err)
	}
	byPath := map[string]File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	top := byPath["tls.crt"]
	if top.Type != "file" || top.Link != "..data/tls.crt" || top.Mode != 0o440 || top.Size != int64(len(content)) ||
		top.UID != uint32(os.Getuid()) || top.Content == nil {
		t.Fatalf("tls.crt: %+v", top)
	}
	if decoded, _ := base64.StdEncoding.DecodeString(*top.Content); string(decoded) != string(content) {
		t.Errorf("content %q", decoded)
	}
	if data := byPath["..data"]; data.Type != "dir" || data.Link == "" {
		t.Errorf("..data: %+v", data)
	}
	if inner := byPath[filepath.Base(stamp)+"/tls.crt"]; inner.Type != "file" || inner.Link != "" {
		t.Errorf("inner file: %+v", inner)
	}

	if got := serve(t, Release{"1.5.0", Ready}, "/files?dir="+url.QueryEscape(filepath.Join(dir, "absent"))); got.Code != http.StatusNotFound {
		t.Errorf("absent dir: %d", got.Code)
	}
	if got := serve(t, Release{"1.5.0", Ready}, "/files?dir=relative"); got.Code != http.StatusBadRequest {
		t.Errorf("relative dir: %d", got.Code)
	}
}

func TestReadRelease(t *testing.T) {
	dir := t.TempDir()
	if r, err := readRelease(filepath.Join(dir, "absent.json")); err != nil || r != (Release{"dev", Ready}) {
		t.Errorf("absent: %+v %v", r, err)
	}
	file := filepath.Join(dir, "release.json")
	_ = os.WriteFile(file, []byte(`{"version":"1.6.0-crash","behaviour":"crash"}`), 0o444)
	if r, err := readRelease(file); err != nil || r != (Release{"1.6.0-crash", Crash}) {
		t.Errorf("crash: %+v %v", r, err)
	}
	_ = os.Chmod(file, 0o644)
	_ = os.WriteFile(file, []byte(`{"version":"1","behaviour":"sometimes"}`), 0o444)
	if _, err := readRelease(file); err == nil {
		t.Error("an unknown behaviour was accepted")
	}
}
