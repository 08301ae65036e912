package main

// The registry: go-containerregistry's in-memory registry (pkg/registry) behind our handler,
// which asks for HTTP basic credentials of the accounts file (accounts.go), serves reads only, and
// logs one JSON line per request.

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Realm is the basic-auth realm of the 401 challenge. containerd answers a `WWW-Authenticate:
// Basic` challenge by retrying with the credentials the CRI was given for the image
// (remotes/docker/authorizer.go, AddResponses); without the challenge it never sends them.
const Realm = "task-api e2e registry"

// Request is one line of the log.
type Request struct {
	Event  string `json:"event"`
	Time   string `json:"time"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// The registry host the client pulls for: containerd adds `?ns=<host>` to the requests it
	// sends to a mirror (remotes/docker/resolver.go, addNamespace), e.g. "ghcr.io".
	Namespace  string `json:"ns,omitempty"`
	Repository string `json:"repository,omitempty"`
	// "manifest", "blob", "upload", "tags", "catalog", "ping" or "other".
	Kind string `json:"kind"`
	// A manifest's tag or digest, a blob's digest.
	Reference string `json:"reference,omitempty"`
	// The username the client sent, right or wrong; never the password.
	Username string `json:"username"`
	// "ok" (an account's credentials), "missing" (none sent), "wrong" (others, or a malformed
	// header), "public" (none needed: a read of a public repository).
	Auth   string `json:"auth"`
	Status int    `json:"status"`
	Bytes  int64  `json:"bytes"`
}

// Server serves the images it was loaded with.
type Server struct {
	accounts *Accounts
	// Repositories anyone may read without credentials, as registry.k8s.io lets anyone read: the
	// CRI pulls the sandbox image with no pull secret's credentials (containerd 1.6,
	// pkg/cri/server/helpers.go, ensureImageExists: a PullImageRequest without Auth), only with
	// those of its own `registry.configs`, which a hosts.toml setup leaves empty.
	public   map[string]bool
	registry http.Handler
	out      io.Writer
	mu       sync.Mutex
}

// NewServer makes an empty in-memory registry behind the check of the accounts.
func NewServer(accounts *Accounts, public []string, out io.Writer) *Server {
	s := &Server{
		accounts: accounts,
		public:   map[string]bool{},
		// Its own log line per request is ours, with the username: silence the library's.
		registry: registry.New(registry.Logger(log.New(io.Discard, "", 0))),
		out:      out,
	}
	for _, repository := range public {
		s.public[repository] = true
	}
	return s
}

// inProcess is a RoundTripper that hands each request to a handler in this process, so that the
// images are pushed with go-containerregistry's remote.Write before the registry listens.
type inProcess struct{ handler http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	// A server's request always has a body; a client's may have none (nil).
	served := req.Clone(req.Context())
	if served.Body == nil {
		served.Body = http.NoBody
	}
	recorder := httptest.NewRecorder()
	t.handler.ServeHTTP(recorder, served)
	resp := recorder.Result()
	// As net/http's transport sets it: remote.Write resolves upload Locations against it.
	resp.Request = req
	return resp, nil
}

// Load pushes the images into the registry, past the credentials check.
func (s *Server) Load(images []Image) error {
	for _, img := range images {
		// The host is never dialled: the transport hands the requests to the registry.
		tag, err := name.NewTag(fmt.Sprintf("in-process.invalid/%s:%s", img.Repository, img.Tag), name.Insecure)
		if err != nil {
			return err
		}
		if err := remote.Write(tag, img.Image, remote.WithTransport(inProcess{s.registry})); err != nil {
			return fmt.Errorf("loading %s:%s: %w", img.Repository, img.Tag, err)
		}
	}
	return nil
}

// parsePath splits a distribution API path (/v2/<name>/manifests/<reference>,
// /v2/<name>/blobs/<digest>, /v2/<name>/tags/list, /v2/_catalog, /v2/).
func parsePath(path string) (kind, repository, reference string) {
	rest, ok := strings.CutPrefix(path, "/v2/")
	if !ok {
		return "other", "", ""
	}
	if rest == "" {
		return "ping", "", ""
	}
	if rest == "_catalog" {
		return "catalog", "", ""
	}
	if repository, _, found := strings.Cut(rest, "/blobs/uploads"); found {
		return "upload", repository, ""
	}
	elems := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if len(elems) >= 3 {
		repository = strings.Join(elems[:len(elems)-2], "/")
		switch elems[len(elems)-2] {
		case "manifests":
			return "manifest", repository, elems[len(elems)-1]
		case "blobs":
			return "blob", repository, elems[len(elems)-1]
		case "tags":
			return "tags", repository, ""
		}
	}
	return "other", "", ""
}

// authenticate says whose credentials the request carries and whether they are an account's, as
// the accounts file says at this request.
func (s *Server) authenticate(r *http.Request) (username, result string) {
	if r.Header.Get("Authorization") == "" {
		return "", "missing"
	}
	username, password, ok := r.BasicAuth()
	if !ok {
		return "", "wrong"
	}
	if s.accounts.Allows(username, password, s.log) {
		return username, "ok"
	}
	return username, "wrong"
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// distributionError writes an error body of the distribution spec (spec.md, "Error Codes").
func distributionError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]string{{"code": code, "message": message}},
	})
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	kind, repository, reference := parsePath(r.URL.Path)
	username, auth := s.authenticate(r)
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	if auth == "missing" && read && s.public[repository] {
		auth = "public"
	}
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	switch {
	case auth != "ok" && auth != "public":
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", Realm))
		distributionError(rec, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
	case !read:
		// The images are loaded at start; a client of the e2e only pulls.
		distributionError(rec, http.StatusMethodNotAllowed, "UNSUPPORTED", "this registry is read-only")
	default:
		s.registry.ServeHTTP(rec, r)
	}
	s.log(Request{
		Event:      "request",
		Time:       time.Now().UTC().Format(time.RFC3339Nano),
		Method:     r.Method,
		Path:       r.URL.Path,
		Namespace:  r.URL.Query().Get("ns"),
		Repository: repository,
		Kind:       kind,
		Reference:  reference,
		Username:   username,
		Auth:       auth,
		Status:     rec.status,
		Bytes:      rec.bytes,
	})
}

// log writes one JSON line; lines from concurrent requests never interleave.
func (s *Server) log(line any) {
	data, err := json.Marshal(line)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.out.Write(append(data, '\n'))
}
