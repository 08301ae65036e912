// The app the end-to-end run's pods run in place of the Task API: ours, a static binary that
// answers what the e2e needs to see from inside a pod, and nothing more.
//
//   - GET /healthz (also /readyz, /livez): 200 "ok", or 503 forever for a release built never to
//     become ready. The Deployment probes `/healthz` for both readiness and liveness unless the
//     stack sets `task-api:probes` (lib/defaults.ts, DEFAULT_HEALTH_PATH).
//   - GET /version: the release (from the image, see below) and the process's uid, gid and
//     supplementary groups, so that the e2e sees the pod's securityContext (runAsUser,
//     runAsGroup, fsGroup) win over the image's user.
//   - GET /env: the process environment as a JSON object: what envFrom and env delivered.
//   - Started as `env` (`kubectl exec ... -- env`): prints the environment, one NAME=value a line.
//   - GET /files?dir=PATH: every entry under PATH, recursively, with its mode, owner, size and
//     content (base64), following symlinks for the content: a Secret volume is symlinks into a
//     timestamped folder (the kubelet's atomic writer, pkg/volume/util/atomic_writer.go).
//
// It listens on $PORT (default 8080; the program puts PORT in the ConfigMap and uses it as the
// container port, lib/defaults.ts). It serves file contents and the environment, so secrets,
// to whoever reaches the port: it is for pods on this machine's own pod network only. It logs
// one line per request (method, path, status), never a query value, header or body.
//
// The release is read from a JSON file the image carries (-release, default
// /etc/task-api/release.json): {"version": "1.5.1", "behaviour": "ready"}. "never-ready" keeps
// the process up with every health path answering 503; "crash" exits 1 at start. No file means
// version "dev", ready. One binary serves every tag: the tags differ by that file's layer.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Release is what the image says about the build it carries.
type Release struct {
	Version   string `json:"version"`
	Behaviour string `json:"behaviour"`
}

const (
	Ready      = "ready"
	NeverReady = "never-ready"
	Crash      = "crash"
)

// The largest file whose content /files returns: a Secret holds at most 1 MiB in all.
const maxFileBytes = 4 << 20

func main() {
	// Started as `env` (the image links /usr/bin/env here): print the environment as env(1) does.
	if filepath.Base(os.Args[0]) == "env" {
		for _, variable := range os.Environ() {
			fmt.Println(variable)
		}
		return
	}
	releaseFile := flag.String("release", "/etc/task-api/release.json", "the release file the image carries")
	flag.Parse()
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))

	release, err := readRelease(*releaseFile)
	if err != nil {
		logger.Error("cannot read the release file", "file", *releaseFile, "error", err.Error())
		os.Exit(2)
	}
	if release.Behaviour == Crash {
		logger.Error("this release exits at start on purpose", "version", release.Version)
		os.Exit(1)
	}

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	listener, err := net.Listen("tcp", ":"+port)
	if err != nil {
		logger.Error("cannot listen", "port", port, "error", err.Error())
		os.Exit(1)
	}
	server := &http.Server{Handler: logRequests(logger, Handler(release)), ReadHeaderTimeout: 10 * time.Second}
	logger.Info("listening", "address", listener.Addr().String(), "version", release.Version, "behaviour", release.Behaviour)

	// The kubelet stops a container with SIGTERM and waits terminationGracePeriodSeconds (30 s)
	// before SIGKILL: answering it promptly keeps every rollout of the e2e short.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("serve", "error", err.Error())
		os.Exit(1)
	}
	logger.Info("stopped")
}

func readRelease(file string) (Release, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return Release{Version: "dev", Behaviour: Ready}, nil
	}
	if err != nil {
		return Release{}, err
	}
	var release Release
	if err := json.Unmarshal(data, &release); err != nil {
		return Release{}, err
	}
	switch release.Behaviour {
	case "":
		release.Behaviour = Ready
	case Ready, NeverReady, Crash:
	default:
		return Release{}, fmt.Errorf("unknown behaviour %q", release.Behaviour)
	}
	return release, nil
}

// Handler serves the app's endpoints for a release.
func Handler(release Release) http.Handler {
	mux := http.NewServeMux()
	health := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-App-Version", release.Version)
		if release.Behaviour == NeverReady {
			http.Error(w, "not ready: release "+release.Version+" never becomes ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	}
	for _, path := range []string{"/healthz", "/readyz", "/livez"} {
		mux.HandleFunc("GET "+path, health)
	}
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		groups, _ := os.Getgroups()
		sort.Ints(groups)
		writeJSON(w, release.Version, http.StatusOK, map[string]any{
			"version": release.Version,
			"uid":     os.Getuid(),
			"gid":     os.Getgid(),
			"groups":  groups,
		})
	})
	mux.HandleFunc("GET /env", func(w http.ResponseWriter, _ *http.Request) {
		env := map[string]string{}
		for _, entry := range os.Environ() {
			name, value, _ := strings.Cut(entry, "=")
			env[name] = value
		}
		writeJSON(w, release.Version, http.StatusOK, env)
	})
	mux.HandleFunc("GET /files", func(w http.ResponseWriter, r *http.Request) {
		dir := r.URL.Query().Get("dir")
		if !filepath.IsAbs(dir) {
			writeJSON(w, release.Version, http.StatusBadRequest, map[string]string{"error": "dir must be an absolute path"})
			return
		}
		files, err := ListFiles(dir)
		if errors.Is(err, fs.ErrNotExist) {
			writeJSON(w, release.Version, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		if err != nil {
			writeJSON(w, release.Version, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, release.Version, http.StatusOK, files)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, version string, status int, value any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-App-Version", version)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(value)
}

// File is one entry under the folder /files lists.
type File struct {
	// Path relative to the folder listed, with "/" separators.
	Path string `json:"path"`
	// "file", "dir" or "other": of the entry itself, or of its target when it is a symlink.
	Type string `json:"type"`
	// The symlink's target as written, when the entry is one.
	Link string `json:"link,omitempty"`
	// Permission bits as chmod takes them (0440 is 288), of the target for a symlink.
	Mode uint32 `json:"mode"`
	UID  uint32 `json:"uid"`
	GID  uint32 `json:"gid"`
	Size int64  `json:"size"`
	// The content of a regular file, base64 (a file may hold any bytes).
	Content *string `json:"content,omitempty"`
	// Why the content is missing: unreadable (permissions) or too large.
	Error string `json:"error,omitempty"`
}

// ListFiles lists every entry under dir, sorted by path; a symlink to a folder is not entered.
func ListFiles(dir string) ([]File, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	files := []File{}
	err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		file := File{Path: filepath.ToSlash(rel)}
		if entry.Type()&fs.ModeSymlink != 0 {
			file.Link, _ = os.Readlink(path)
		}
		info, err := os.Stat(path)
		if err != nil {
			file.Type, file.Error = "other", err.Error()
			files = append(files, file)
			return nil
		}
		stat := info.Sys().(*syscall.Stat_t)
		file.Mode, file.UID, file.GID, file.Size = stat.Mode&0o7777, stat.Uid, stat.Gid, info.Size()
		switch {
		case info.IsDir():
			file.Type = "dir"
		case info.Mode().IsRegular():
			file.Type = "file"
			if info.Size() > maxFileBytes {
				file.Error = fmt.Sprintf("larger than %d bytes", maxFileBytes)
			} else if data, err := os.ReadFile(path); err != nil {
				file.Error = err.Error()
			} else {
				content := base64.StdEncoding.EncodeToString(data)
				file.Content = &content
			}
		default:
			file.Type = "other"
		}
		files = append(files, file)
		return nil
	})
	return files, err
}

// logRequests logs method, path and status: never the query (it names folders, harmless, but a
// rule without exceptions is easier to keep), a header or a body.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recorder := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(recorder, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", recorder.status)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}
