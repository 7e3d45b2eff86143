# syntax=docker/dockerfile:1
#
# Wellbase's container image, for people with Docker (BuildKit):
#
#   docker build -t wellbase \
#     --build-arg VERSION="$(git describe --tags --always --dirty)" \
#     --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" \
#     [--platform linux/arm64] .
#
# It has the layout, user, entrypoint and command of `make image` (scripts/image, tools/imagebuild),
# which is the build CI checks (make image-check) and production ships: that one needs no daemon and
# no base image, and the same commit gives the same digest. This file cannot be built on the project's
# build machine (no Docker daemon, no registry to pull golang:1.26 from), so it is kept short enough
# to check by reading. SOURCE_DATE_EPOCH makes BuildKit (0.11+) stamp the config with the commit time.
#
#   /usr/local/bin/wellbase   static binary (CGO_ENABLED=0), root-owned
#   /etc/passwd, /etc/group   root and nonroot (65532); /etc/nsswitch.conf: hosts from files, then DNS
#   /tmp                      mode 1777 (os.TempDir)
#   /var/lib/wellbase         mode 0700, owned by 65532: WELLBASE_DATA_DIR and the working folder
#
# TLS roots come from the binary (golang.org/x/crypto/x509roots/fallback): scratch has no CA bundle.
# No HEALTHCHECK, as in make image: ECS runs ["CMD", "/usr/local/bin/wellbase", "healthcheck"] from
# the task definition; with plain Docker add --health-cmd '/usr/local/bin/wellbase healthcheck'.

FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETARCH VERSION
RUN test -n "$VERSION" || { echo 'pass --build-arg VERSION="$(git describe --tags --always --dirty)"' >&2; exit 1; }
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# Cross-compiled on the build machine's platform for the target's (no emulation for arm64); an
# empty TARGETARCH (a builder that does not set it) means the build machine's.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    mkdir -p /rootfs/usr/local/bin && \
    CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH GOAMD64=v1 GOARM64=v8.0 \
    go build -buildvcs=false -trimpath -ldflags "-s -w -X main.version=$VERSION" \
      -o /rootfs/usr/local/bin/wellbase ./cmd/wellbase
RUN mkdir -p /rootfs/etc /rootfs/tmp /rootfs/var/lib/wellbase && \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/var/lib/wellbase:/sbin/nologin\n' >/rootfs/etc/passwd && \
    printf 'root:x:0:\nnonroot:x:65532:\n' >/rootfs/etc/group && \
    printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf && \
    chmod 0644 /rootfs/etc/passwd /rootfs/etc/group /rootfs/etc/nsswitch.conf && \
    chmod 1777 /rootfs/tmp && \
    chown 65532:65532 /rootfs/var/lib/wellbase && chmod 0700 /rootfs/var/lib/wellbase

FROM scratch
ARG VERSION REVISION SOURCE=https://github.com/wellbase/wellbase
# COPY --from keeps the owners and modes set above (the data folder's 65532 and 0700, /tmp's 1777).
COPY --from=build /rootfs/ /
LABEL org.opencontainers.image.title=wellbase \
      org.opencontainers.image.source=$SOURCE \
      org.opencontainers.image.revision=$REVISION \
      org.opencontainers.image.version=$VERSION
ENV PATH=/usr/local/bin WELLBASE_DATA_DIR=/var/lib/wellbase
WORKDIR /var/lib/wellbase
USER 65532:65532
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/wellbase"]
CMD ["serve"]
