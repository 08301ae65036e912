// A container registry for the end-to-end run, in place of ghcr.io (which the run cannot reach):
// it serves the test app's releases and the pause image, built at start from the binaries next
// to it (task-api-testapp, task-api-pause), to the accounts of a file it reads again whenever the
// file changes (accounts.go; the pause image to anyone), on loopback, over plain HTTP. containerd
// reaches it through a hosts.toml (docs/e2e.md, "The app's images").
//
//	task-api-registry -accounts FILE [-listen 127.0.0.1:0]
//
// Its first line on stdout is {"event":"listening","address":"127.0.0.1:PORT","images":[...]};
// every request after it is one JSON line (server.go, Request), and every read of the accounts
// file one too (accounts.go, AccountsEvent: usernames only), on stdout too, or appended to the
// file -log names (with the listening line first): a reader of the file sees each line as soon as
// it is written, without reading a pipe. SIGTERM or SIGINT stops it.
//
//	task-api-registry -export DIR
//
// writes each image as an OCI layout tarball for `ctr images import` instead, and exits.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type releaseFlags []Release

func (r *releaseFlags) String() string { return fmt.Sprint(*r) }

func (r *releaseFlags) Set(value string) error {
	tag, behaviour, found := strings.Cut(value, "=")
	if !found {
		behaviour = "ready"
	}
	switch behaviour {
	case "ready", "never-ready", "crash":
	default:
		return fmt.Errorf("behaviour %q: ready, never-ready or crash", behaviour)
	}
	*r = append(*r, Release{Tag: tag, Behaviour: behaviour})
	return nil
}

// ImageLine is an image of the listening line.
type ImageLine struct {
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "task-api-registry: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port, printed at start)")
	accountsFile := flag.String("accounts", "", "the accounts file, read again whenever it changes (accounts.go)")
	app := flag.String("app", "ghcr.io/acme/task-api", "host/repository of the app's releases (e2e/project.ts)")
	pause := flag.String("pause", "registry.k8s.io/pause:3.10", "host/repository:tag of the pause image (public: containerd pulls it with no credentials)")
	binDir := flag.String("bin-dir", filepath.Dir(self), "folder of task-api-testapp and task-api-pause")
	export := flag.String("export", "", "write each image as an OCI layout tarball into this folder, then exit")
	logFile := flag.String("log", "", "append the request log to this file instead of stdout")
	releases := releaseFlags(append([]Release(nil), DefaultReleases...))
	flag.Var(&releases, "release", "another release of the app, TAG[=ready|never-ready|crash] (repeatable)")
	flag.Parse()

	appBinary, err := os.ReadFile(filepath.Join(*binDir, "task-api-testapp"))
	if err != nil {
		return err
	}
	pauseBinary, err := os.ReadFile(filepath.Join(*binDir, "task-api-pause"))
	if err != nil {
		return err
	}
	images, err := BuildImages(appBinary, pauseBinary, *app, releases, *pause)
	if err != nil {
		return err
	}
	if *export != "" {
		paths, err := Export(*export, images)
		if err != nil {
			return err
		}
		for i, path := range paths {
			fmt.Printf("%s\t%s\n", images[i].Ref(), path)
		}
		return nil
	}

	if *accountsFile == "" {
		// A registry that let anyone in would prove nothing about the pull secret. An empty list
		// lets no one in until accounts are added.
		return fmt.Errorf("-accounts is required")
	}
	_, pauseRepository, _, err := splitRef(*pause, true)
	if err != nil {
		return err
	}
	out := os.Stdout
	if *logFile != "" {
		out, err = os.OpenFile(*logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer out.Close()
	}
	accounts := NewAccounts(*accountsFile)
	server := NewServer(accounts, []string{pauseRepository}, out)
	if err := server.Load(images); err != nil {
		return err
	}
	lines := make([]ImageLine, len(images))
	for i, img := range images {
		digest, err := img.Image.Digest()
		if err != nil {
			return err
		}
		lines[i] = ImageLine{Ref: img.Ref(), Digest: digest.String()}
	}

	// Read before it listens: a file that cannot be read stops the start. Its log line goes after
	// the listening line, which is the first.
	var firstRead []any
	if err := accounts.Refresh(func(line any) { firstRead = append(firstRead, line) }); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	started, err := json.Marshal(map[string]any{"event": "listening", "address": listener.Addr().String(), "images": lines})
	if err != nil {
		return err
	}
	server.log(json.RawMessage(started))
	for _, line := range firstRead {
		server.log(line)
	}
	if out != os.Stdout {
		// The caller's signal that the registry is ready, wherever the log goes.
		if _, err := fmt.Printf("%s\n", started); err != nil {
			return err
		}
	}

	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpServer.Shutdown(shutdown)
	}()
	if err := httpServer.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
