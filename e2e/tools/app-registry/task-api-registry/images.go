package main

// The images the registry serves, built without Docker from our two binaries with
// go-containerregistry (pkg/v1/mutate over empty.Image, layers from in-memory tars). Nothing in
// them depends on the clock or the machine: the same binaries make the same digests, so a digest
// seen in one run means the same bytes in the next.

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Release is one tag of the app: its version is the tag, its behaviour what the test app does
// (task-api-testapp/main.go: "ready", "never-ready", "crash").
type Release struct {
	Tag       string `json:"version"`
	Behaviour string `json:"behaviour"`
}

// DefaultReleases are the tags the e2e files name (e2e/project.ts: 1.5.0; the image-tag scenario:
// 1.5.1; the kubectl takeover: 1.4.0) and two bad releases: one whose pods never become ready
// (the process runs, every health path answers 503: old pods must keep serving while the rollout
// stalls, maxUnavailable 0), one whose container exits 1 at start (CrashLoopBackOff).
var DefaultReleases = []Release{
	{"1.4.0", "ready"},
	{"1.5.0", "ready"},
	{"1.5.1", "ready"},
	{"1.6.0-never-ready", "never-ready"},
	{"1.6.0-crash", "crash"},
}

const (
	// AppUser is the image's user: numeric, so that the kubelet's runAsNonRoot check can verify it
	// without an /etc/passwd (kubernetes.io/docs/concepts/security/pod-security-standards/,
	// "Running as Non-root"). 65532 is distroless' "nonroot". The Deployment sets runAsUser 10001
	// (components/AppDeployment.ts), which wins: /version shows which one the process got.
	AppUser = "65532:65532"
	// PauseUser is what upstream's pause image runs as (kubernetes/build/pause/Makefile, USER 65535).
	PauseUser = "65535:65535"
	// The app's entrypoint and release file inside the image.
	appPath     = "task-api"
	releasePath = "etc/task-api/release.json"
)

// epoch is every timestamp in the images (layers' files, config, history): the Unix epoch, as
// SOURCE_DATE_EPOCH=0 would make it (reproducible-builds.org/specs/source-date-epoch/).
var epoch = time.Unix(0, 0).UTC()

// Image is one tag the registry serves: as host/repository:tag to clients (containerd's hosts.toml
// sends host's pulls here), as repository:tag in the registry's own paths.
type Image struct {
	Host       string
	Repository string
	Tag        string
	Image      v1.Image
}

type tarEntry struct {
	name string
	mode int64
	dir  bool
	// A symbolic link to this path, when set.
	link string
	data []byte
}

// layer makes a gzip OCI layer of the entries, in order, owned by root, dated at the epoch.
func layer(entries []tarEntry) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		header := &tar.Header{Name: e.name, Mode: e.mode, ModTime: epoch, Format: tar.FormatPAX}
		if e.dir {
			header.Typeflag = tar.TypeDir
		} else if e.link != "" {
			header.Typeflag = tar.TypeSymlink
			header.Linkname = e.link
		} else {
			header.Typeflag = tar.TypeReg
			header.Size = int64(len(e.data))
		}
		if err := tw.WriteHeader(header); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(
		func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer),
		// Compressed once, not at every read (digest, size, each push and pull).
		tarball.WithCompressedCaching,
	)
}

// image is an OCI image (manifest and config media types of the OCI image spec) of the layers,
// for this machine's architecture: containerd refuses a manifest whose config names another
// platform ("no match for platform in manifest").
func image(layers []v1.Layer, history []string, config v1.Config) (v1.Image, error) {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	adds := make([]mutate.Addendum, len(layers))
	for i, l := range layers {
		adds[i] = mutate.Addendum{
			Layer:     l,
			MediaType: types.OCILayer,
			History:   v1.History{Created: v1.Time{Time: epoch}, CreatedBy: history[i]},
		}
	}
	img, err := mutate.Append(img, adds...)
	if err != nil {
		return nil, err
	}
	file, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	file = file.DeepCopy()
	file.Architecture = runtime.GOARCH
	file.OS = "linux"
	file.Created = v1.Time{Time: epoch}
	file.Config = config
	return mutate.ConfigFile(img, file)
}

// BuildImages makes each release of the app as app:<release tag> (app is host/repository), and the
// pause image as pause (host/repository:tag).
func BuildImages(appBinary, pauseBinary []byte, app string, releases []Release, pause string) ([]Image, error) {
	appHost, appRepository, _, err := splitRef(app, false)
	if err != nil {
		return nil, err
	}
	pauseHost, pauseRepository, pauseTag, err := splitRef(pause, true)
	if err != nil {
		return nil, err
	}
	// The binary's layer, shared by every release, as a registry shares it between tags; /tmp
	// exists for `ctr run` (the Deployment mounts an emptyDir there over a read-only root).
	// /usr/bin/env is the app too (it prints the environment when started by that name), so that
	// `kubectl exec deployment/task-api -- env`, the check users run first, works as on any image.
	appLayer, err := layer([]tarEntry{
		{name: "tmp/", mode: 0o1777, dir: true},
		{name: appPath, mode: 0o555, data: appBinary},
		{name: "usr/", mode: 0o755, dir: true},
		{name: "usr/bin/", mode: 0o755, dir: true},
		{name: "usr/bin/env", mode: 0o777, link: "/" + appPath},
	})
	if err != nil {
		return nil, err
	}
	var images []Image
	for _, release := range releases {
		data, err := json.Marshal(release)
		if err != nil {
			return nil, err
		}
		// The layer that makes each tag's content its own.
		version, err := layer([]tarEntry{
			{name: "etc/", mode: 0o755, dir: true},
			{name: "etc/task-api/", mode: 0o755, dir: true},
			{name: releasePath, mode: 0o444, data: append(data, '\n')},
		})
		if err != nil {
			return nil, err
		}
		img, err := image(
			[]v1.Layer{appLayer, version},
			[]string{"task-api-testapp (e2e/tools/app-registry)", fmt.Sprintf("release %s (%s)", release.Tag, release.Behaviour)},
			v1.Config{
				Entrypoint:   []string{"/" + appPath},
				User:         AppUser,
				WorkingDir:   "/",
				ExposedPorts: map[string]struct{}{"8080/tcp": {}},
				Labels: map[string]string{
					"org.opencontainers.image.title":   "task-api e2e test app",
					"org.opencontainers.image.version": release.Tag,
				},
			},
		)
		if err != nil {
			return nil, err
		}
		images = append(images, Image{Host: appHost, Repository: appRepository, Tag: release.Tag, Image: img})
	}

	pauseLayer, err := layer([]tarEntry{{name: "pause", mode: 0o555, data: pauseBinary}})
	if err != nil {
		return nil, err
	}
	img, err := image([]v1.Layer{pauseLayer}, []string{"task-api-pause (e2e/tools/app-registry)"}, v1.Config{
		Entrypoint: []string{"/pause"},
		User:       PauseUser,
		WorkingDir: "/",
	})
	if err != nil {
		return nil, err
	}
	return append(images, Image{Host: pauseHost, Repository: pauseRepository, Tag: pauseTag, Image: img}), nil
}

// splitRef splits host/repository[:tag] with go-containerregistry's reference parser (a host is
// required: the name must say which registry's pulls the hosts.toml sends here).
func splitRef(ref string, withTag bool) (host, repository, tag string, err error) {
	if withTag {
		t, err := name.NewTag(ref, name.StrictValidation)
		if err != nil {
			return "", "", "", err
		}
		return t.RegistryStr(), t.RepositoryStr(), t.TagStr(), nil
	}
	r, err := name.NewRepository(ref, name.StrictValidation)
	if err != nil {
		return "", "", "", err
	}
	return r.RegistryStr(), r.RepositoryStr(), "", nil
}

// Ref is the image as clients name it, host/repository:tag.
func (i Image) Ref() string {
	return i.Host + "/" + i.Repository + ":" + i.Tag
}
