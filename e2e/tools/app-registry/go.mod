// Wrapper module: what the end-to-end run's pods run and pull from, all ours: the test app
// (task-api-testapp), the sandbox's pause (task-api-pause), and a registry (task-api-registry)
// that builds their images at start and serves them behind basic auth, over
// github.com/google/go-containerregistry (its version is this tool's version in e2e/toolchain.ts).
module task-api-e2e/app-registry

go 1.26.6

require github.com/google/go-containerregistry v0.22.1

require (
	github.com/docker/cli v29.7.2+incompatible // indirect
	github.com/docker/docker-credential-helpers v0.9.3 // indirect
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
	github.com/sirupsen/logrus v1.9.4 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	gotest.tools/v3 v3.5.2 // indirect
)
