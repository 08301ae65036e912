package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

const (
	testUser     = "e2e-user"
	testPassword = "not-a-real-token-4f1c"
)

// Stand-ins for the binaries: the images do not care what the bytes are.
var appBinary, pauseBinary = []byte("#!app binary\n"), []byte("#!pause binary\n")

func buildTestImages(t *testing.T) []Image {
	t.Helper()
	images, err := BuildImages(appBinary, pauseBinary, "ghcr.io/acme/task-api", DefaultReleases, "registry.k8s.io/pause:3.10")
	if err != nil {
		t.Fatal(err)
	}
	return images
}

func digests(t *testing.T, images []Image) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, img := range images {
		d, err := img.Image.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out[img.Ref()] = d.String()
	}
	return out
}

func TestImagesAreDeterministicAndEachTagItsOwn(t *testing.T) {
	first, second := digests(t, buildTestImages(t)), digests(t, buildTestImages(t))
	if len(first) != len(DefaultReleases)+1 {
		t.Fatalf("images: %v", first)
	}
	seen := map[string]string{}
	for ref, digest := range first {
		if second[ref] != digest {
			t.Errorf("%s: %s, then %s", ref, digest, second[ref])
		}
		if other, ok := seen[digest]; ok {
			t.Errorf("%s and %s share digest %s", ref, other, digest)
		}
		seen[digest] = ref
	}
}

func TestAppImageShape(t *testing.T) {
	images := buildTestImages(t)
	var layers [][]v1.Layer
	for _, img := range images[:len(DefaultReleases)] {
		config, err := img.Image.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if config.Config.User != AppUser || config.OS != "linux" || config.Architecture == "" ||
			strings.Join(config.Config.Entrypoint, " ") != "/task-api" {
			t.Errorf("%s: config %+v", img.Ref(), config)
		}
		l, err := img.Image.Layers()
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
		files := layerFiles(t, l[1])
		var release Release
		if err := json.Unmarshal(files[releasePath], &release); err != nil {
			t.Fatal(err)
		}
		if release.Tag != img.Tag {
			t.Errorf("%s: release file %+v", img.Ref(), release)
		}
	}
	// The binary's layer is one blob for every tag, as a registry stores it once.
	d0, _ := layers[0][0].Digest()
	for _, l := range layers[1:] {
		if d, _ := l[0].Digest(); d != d0 {
			t.Errorf("app layer %s differs from %s", d, d0)
		}
	}
	if got := layerFiles(t, layers[0][0])[appPath]; !bytes.Equal(got, appBinary) {
		t.Errorf("app layer holds %q", got)
	}
	pause := images[len(images)-1]
	if pause.Ref() != "registry.k8s.io/pause:3.10" {
		t.Errorf("pause is %s", pause.Ref())
	}
}

func layerFiles(t *testing.T, l v1.Layer) map[string][]byte {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(rc)
	for {
		header, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if header.Uid != 0 || header.Gid != 0 || !header.ModTime.Equal(epoch) {
			t.Errorf("%s: owner %d:%d, time %s", header.Name, header.Uid, header.Gid, header.ModTime)
		}
		data, _ := io.ReadAll(tr)
		files[header.Name] = data
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines are the request lines of the log.
func (b *syncBuffer) lines(t *testing.T) []Request {
	t.Helper()
	var out []Request
	for _, line := range b.events(t, "request") {
		var r Request
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// events are the log's lines of one event, as written.
func (b *syncBuffer) events(t *testing.T, event string) [][]byte {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out [][]byte
	scanner := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for scanner.Scan() {
		var e struct{ Event string }
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Event == event {
			out = append(out, append([]byte(nil), scanner.Bytes()...))
		}
	}
	return out
}

// requestLines is each request as "METHOD KIND NS REPOSITORY REFERENCE USERNAME AUTH STATUS".
func requestLines(requests []Request) []string {
	got := []string{}
	for _, l := range requests {
		got = append(got, strings.Join([]string{l.Method, l.Kind, l.Namespace, l.Repository, l.Reference, l.Username, l.Auth, http.StatusText(l.Status)}, " "))
	}
	return got
}

// writeAccounts replaces the accounts file as e2e/registry.ts does: a new file renamed over it.
func writeAccounts(t *testing.T, path string, accounts ...[2]string) {
	t.Helper()
	entries := []Account{}
	for _, a := range accounts {
		digest := sha256.Sum256([]byte(a[1]))
		entries = append(entries, Account{Username: a[0], PasswordSHA256: hex.EncodeToString(digest[:])})
	}
	data, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	writeFileAtomically(t, path, data)
}

func writeFileAtomically(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path+".new", data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
}

// startTestRegistry serves the test images to the accounts of a file, testUser's to begin with.
func startTestRegistry(t *testing.T) (*httptest.Server, *syncBuffer, []Image, string) {
	t.Helper()
	images := buildTestImages(t)
	log := &syncBuffer{}
	accountsFile := filepath.Join(t.TempDir(), "accounts.json")
	writeAccounts(t, accountsFile, [2]string{testUser, testPassword})
	accounts := NewAccounts(accountsFile)
	server := NewServer(accounts, []string{"pause"}, log)
	if err := server.Load(images); err != nil {
		t.Fatal(err)
	}
	if err := accounts.Refresh(server.log); err != nil {
		t.Fatal(err)
	}
	httpServer := httptest.NewServer(server)
	t.Cleanup(httpServer.Close)
	return httpServer, log, images, accountsFile
}

func get(t *testing.T, url string, user, password string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if user != "" || password != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestBasicAuthIsRequiredAndLogged(t *testing.T) {
	server, log, _, _ := startTestRegistry(t)
	manifest := server.URL + "/v2/acme/task-api/manifests/1.5.0?ns=ghcr.io"
	for _, c := range []struct {
		user, password string
		status         int
	}{
		{"", "", http.StatusUnauthorized},
		{testUser, "wrong", http.StatusUnauthorized},
		{"someone", testPassword, http.StatusUnauthorized},
		{testUser, testPassword, http.StatusOK},
	} {
		resp := get(t, manifest, c.user, c.password)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.user, resp.StatusCode, c.status)
		}
		if c.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") != `Basic realm="task-api e2e registry"` {
			t.Errorf("challenge: %q", resp.Header.Get("WWW-Authenticate"))
		}
	}
	// The pause image is public; the app's repository is not, even for a read of its blobs.
	if resp := get(t, server.URL+"/v2/pause/manifests/3.10", "", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("anonymous pause: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, server.URL+"/v2/acme/task-api/blobs/uploads/", nil)
	req.SetBasicAuth(testUser, testPassword)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("push: %v %v", resp, err)
	}

	got := requestLines(log.lines(t))
	want := []string{
		"GET manifest ghcr.io acme/task-api 1.5.0  missing Unauthorized",
		"GET manifest ghcr.io acme/task-api 1.5.0 e2e-user wrong Unauthorized",
		"GET manifest ghcr.io acme/task-api 1.5.0 someone wrong Unauthorized",
		"GET manifest ghcr.io acme/task-api 1.5.0 e2e-user ok OK",
		"GET manifest  pause 3.10  public OK",
		"POST upload  acme/task-api  e2e-user ok Method Not Allowed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(log.buf.String(), testPassword) {
		t.Error("the log holds the password")
	}
}

func TestPullWithCredentials(t *testing.T) {
	server, _, images, _ := startTestRegistry(t)
	host := strings.TrimPrefix(server.URL, "http://")
	want := digests(t, images)
	for _, img := range images {
		ref, err := name.NewTag(host+"/"+img.Repository+":"+img.Tag, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		pulled, err := remote.Image(ref, remote.WithAuth(&authn.Basic{Username: testUser, Password: testPassword}))
		if err != nil {
			t.Fatal(err)
		}
		// Every layer too, not only the manifest.
		layers, _ := pulled.Layers()
		for _, l := range layers {
			rc, err := l.Compressed()
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if d, _ := pulled.Digest(); d.String() != want[img.Ref()] {
			t.Errorf("%s: pulled %s, built %s", img.Ref(), d, want[img.Ref()])
		}
	}
	ref, _ := name.NewTag(host+"/acme/task-api:1.5.0", name.Insecure)
	if _, err := remote.Image(ref); err == nil {
		t.Error("pulled without credentials")
	}
}

func TestExportIsAnOCILayout(t *testing.T) {
	images := buildTestImages(t)
	dir := t.TempDir()
	paths, err := Export(filepath.Join(dir, "out"), images[:1])
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(paths[0]) != "acme_task-api_1.4.0.tar" {
		t.Errorf("file %s", paths[0])
	}
	// Unpacked, go-containerregistry reads it back as the same image under the same name.
	unpacked := filepath.Join(dir, "layout")
	f, err := os.Open(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		header, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(unpacked, header.Name)
		_ = os.MkdirAll(filepath.Dir(path), 0o755)
		data, _ := io.ReadAll(tr)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	index, err := layout.ImageIndexFromPath(unpacked)
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if name := manifest.Manifests[0].Annotations["io.containerd.image.name"]; name != "ghcr.io/acme/task-api:1.4.0" {
		t.Errorf("named %q", name)
	}
	img, err := index.Image(manifest.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	layers, _ := img.Layers()
	for _, l := range layers {
		if _, err := l.Uncompressed(); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := img.Digest(); d.String() != digests(t, images[:1])["ghcr.io/acme/task-api:1.4.0"] {
		t.Errorf("digest %s", d)
	}
}

func TestParsePath(t *testing.T) {
	for path, want := range map[string]string{
		"/v2/":                               "ping  ",
		"/v2/_catalog":                       "catalog  ",
		"/v2/acme/task-api/manifests/1.5.0":  "manifest acme/task-api 1.5.0",
		"/v2/pause/manifests/sha256:abc":     "manifest pause sha256:abc",
		"/v2/acme/task-api/blobs/sha256:abc": "blob acme/task-api sha256:abc",
		"/v2/acme/task-api/blobs/uploads/":   "upload acme/task-api ",
		"/v2/acme/task-api/tags/list":        "tags acme/task-api ",
		"/healthz":                           "other  ",
		"/v2/acme":                           "other  ",
	} {
		kind, repository, reference := parsePath(path)
		if got := kind + " " + repository + " " + reference; got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

func TestAccountsChangeWhileServing(t *testing.T) {
	server, log, _, accountsFile := startTestRegistry(t)
	manifest := server.URL + "/v2/acme/task-api/manifests/1.5.0?ns=ghcr.io"
	const rotated = "rotated-token-9b2e"
	status := func(user, password string) int { return get(t, manifest, user, password).StatusCode }

	// A new token of the same user: unknown until the file says so, then both work, as GHCR keeps
	// an old token valid until it is revoked.
	if got := status(testUser, rotated); got != http.StatusUnauthorized {
		t.Errorf("rotated token before it is issued: %d", got)
	}
	writeAccounts(t, accountsFile, [2]string{testUser, testPassword}, [2]string{testUser, rotated}, [2]string{"hand-user", "hand-token"})
	for _, account := range [][2]string{{testUser, testPassword}, {testUser, rotated}, {"hand-user", "hand-token"}} {
		if got := status(account[0], account[1]); got != http.StatusOK {
			t.Errorf("%s after the file named it: %d", account[0], got)
		}
	}
	// The old one revoked.
	writeAccounts(t, accountsFile, [2]string{testUser, rotated})
	if got := status(testUser, testPassword); got != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", got)
	}
	// A file that cannot be parsed is logged once, and the accounts read before still hold.
	writeFileAtomically(t, accountsFile, []byte(`[{"username": "x", "passwordSha256": "`+rotated+`"}]`))
	for range 2 {
		if got := status(testUser, rotated); got != http.StatusOK {
			t.Errorf("after a bad file: %d", got)
		}
	}
	if err := os.Remove(accountsFile); err != nil {
		t.Fatal(err)
	}
	if got := status(testUser, rotated); got != http.StatusOK {
		t.Errorf("after the file was removed: %d", got)
	}

	var reads []string
	for _, line := range log.events(t, "accounts") {
		var e AccountsEvent
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		reads = append(reads, strings.Join(e.Usernames, ",")+" "+strings.ReplaceAll(e.Error, accountsFile, "FILE"))
	}
	want := []string{
		"e2e-user ",
		"e2e-user,e2e-user,hand-user ",
		"e2e-user ",
		"e2e-user FILE: account 1: a username and the password's SHA-256 in hex are both required",
		"e2e-user open FILE: no such file or directory",
	}
	if strings.Join(reads, "\n") != strings.Join(want, "\n") {
		t.Errorf("reads:\n%s\nwant:\n%s", strings.Join(reads, "\n"), strings.Join(want, "\n"))
	}
	// Usernames only: no password, and no digest of one.
	digest := sha256.Sum256([]byte(rotated))
	for _, secret := range []string{testPassword, rotated, "hand-token", hex.EncodeToString(digest[:])} {
		if strings.Contains(log.buf.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

func TestAccountsFileMustBeReadable(t *testing.T) {
	dir := t.TempDir()
	var logged []any
	log := func(line any) { logged = append(logged, line) }
	if err := NewAccounts(filepath.Join(dir, "absent.json")).Refresh(log); err == nil {
		t.Error("an absent file was taken")
	}
	bad := filepath.Join(dir, "bad.json")
	writeFileAtomically(t, bad, []byte("username:password\n"))
	err := NewAccounts(bad).Refresh(log)
	if err == nil || strings.Contains(err.Error(), "password\n") || !strings.Contains(err.Error(), "not a JSON list") {
		t.Errorf("a bad file: %v", err)
	}
	empty := filepath.Join(dir, "empty.json")
	writeFileAtomically(t, empty, []byte("[]"))
	accounts := NewAccounts(empty)
	if err := accounts.Refresh(log); err != nil {
		t.Errorf("an empty list: %v", err)
	}
	if accounts.Allows("", "", log) {
		t.Error("an empty list let someone in")
	}
}
