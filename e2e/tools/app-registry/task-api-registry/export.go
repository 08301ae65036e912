package main

// Each image as an OCI image-layout tarball (github.com/opencontainers/image-spec, image-layout.md:
// `oci-layout`, `index.json`, `blobs/sha256/<hex>`), which `ctr images import` reads: for a node
// that must have an image without pulling it (the sandbox image, before any registry runs).

import (
	"archive/tar"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ExportFileName is the tarball of repository:tag, e.g. acme_task-api_1.5.0.tar.
func ExportFileName(repository, tag string) string {
	return strings.ReplaceAll(repository, "/", "_") + "_" + tag + ".tar"
}

// WriteLayout writes img as an OCI layout tarball whose one manifest is named host/repository:tag
// (`io.containerd.image.name`, the name `ctr images import` gives it: containerd
// images/archive/importer.go, and import.go's imageName) and tag (`org.opencontainers.image.ref.name`).
func WriteLayout(w io.Writer, img Image) error {
	manifest, err := img.Image.RawManifest()
	if err != nil {
		return err
	}
	config, err := img.Image.RawConfigFile()
	if err != nil {
		return err
	}
	digest, err := img.Image.Digest()
	if err != nil {
		return err
	}
	mediaType, err := img.Image.MediaType()
	if err != nil {
		return err
	}
	configName, err := img.Image.ConfigName()
	if err != nil {
		return err
	}
	index, err := json.Marshal(v1.IndexManifest{
		SchemaVersion: 2,
		MediaType:     "application/vnd.oci.image.index.v1+json",
		Manifests: []v1.Descriptor{{
			MediaType: mediaType,
			Size:      int64(len(manifest)),
			Digest:    digest,
			Annotations: map[string]string{
				"io.containerd.image.name":          img.Ref(),
				"org.opencontainers.image.ref.name": img.Tag,
			},
		}},
	})
	if err != nil {
		return err
	}

	tw := tar.NewWriter(w)
	file := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: epoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	blob := func(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }
	if err := file("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`)); err != nil {
		return err
	}
	if err := file("index.json", index); err != nil {
		return err
	}
	if err := file(blob(digest), manifest); err != nil {
		return err
	}
	if err := file(blob(configName), config); err != nil {
		return err
	}
	layers, err := img.Image.Layers()
	if err != nil {
		return err
	}
	for _, l := range layers {
		h, err := l.Digest()
		if err != nil {
			return err
		}
		size, err := l.Size()
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: blob(h), Mode: 0o644, Size: size, ModTime: epoch, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return err
		}
		rc, err := l.Compressed()
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

// Export writes every image's tarball into dir and returns their paths.
func Export(dir string, images []Image) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, img := range images {
		path := filepath.Join(dir, ExportFileName(img.Repository, img.Tag))
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		if err := WriteLayout(f, img); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
