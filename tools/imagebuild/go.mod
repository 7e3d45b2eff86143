// The image builder behind `make image` (scripts/image). It is its own module so that
// go-containerregistry and its dependencies never enter Wellbase's go.mod; `go test ./...` at the
// root does not descend into it.
module github.com/wellbase/wellbase/tools/imagebuild

go 1.26.0

require github.com/google/go-containerregistry v0.22.1

require (
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
)
