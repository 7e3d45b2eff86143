# Wellbase build and test entry points. `make test` is the whole suite; CI runs it.
GO ?= go
# Starts the real servers of the driver tests (MongoDB/FerretDB, S3/versitygw, KMS/local-kms) on
# free loopback ports, runs a command with their addresses in the environment, stops them.
TESTSERVERS = scripts/testservers
# The container image: GOARCH (amd64 = the host here; arm64 for Graviton: ECS Fargate, Lambda) and
# the archive make image writes.
IMAGE_ARCH ?= $(shell $(GO) env GOHOSTARCH)
IMAGE_ARCHIVE ?= bin/wellbase-image-$(IMAGE_ARCH).tar
.PHONY: image image-check

.PHONY: test checks vet fmt-check unit tools servers bench build run acceptance lambda drill dr-drill loadtest

# test: static checks, then every test with the race detector, with the real servers up
# (WELLBASE_TEST_SERVERS=required: a driver test whose server is missing fails). The servers are
# built into ~/.cache/wellbase-tools/bin the first time (a few minutes), then reused. --keep-going: a gofmt or
# vet complaint does not hide the test results (the status is still a failure).
test: tools
	$(TESTSERVERS) run -- $(MAKE) --no-print-directory --keep-going checks

checks: vet fmt-check unit

vet:
	$(GO) vet ./...
	cd tools/localkms && GOWORK=off $(GO) vet ./...
	cd tools/imagebuild && GOWORK=off $(GO) vet ./...
	cd tools/tfschema && GOWORK=off $(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*' -not -path './.tools/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# unit: the tests alone; without the servers (plain `make unit`) the driver tests skip.
unit:
	$(GO) test -race -count=1 ./...

# tools: build the test servers into ~/.cache/wellbase-tools/bin if missing (cached per version),
# and install Debian's chromium for the browser tests (internal/browsertest) if missing
# (scripts/browser: apt-get, as root; CI runs as root; instant when present).
tools:
	$(TESTSERVERS) install
	scripts/browser install

# vendor-js: fetch the pinned npm packages (scripts/vendor-js: registry tarballs checked against
# their sha512 integrity) into the repository; vendor-js-check verifies the committed copies.
.PHONY: vendor-js vendor-js-check
vendor-js:
	scripts/vendor-js
vendor-js-check:
	scripts/vendor-js verify

# servers: a shell with the servers up (exit it to stop them), or a command:
#   make servers CMD='go test ./internal/mongodb/'
servers: tools
	$(TESTSERVERS) run -- $(or $(CMD),$${SHELL:-bash})

# bench: speed and memory figures (not run by test).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# build: bin/wellbase, stamped with `git describe --always --dirty` (VERSION) for `wellbase version`.
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/wellbase ./cmd/wellbase

# lambda: the job function for AWS Lambda (runtime provided.al2023): bin/lambda/bootstrap and
# the zip Terraform deploys, bin/wellbase-lambda.zip. Reproducible: the same commit and Go give
# the same bytes (-trimpath, no build ID or VCS stamp; the zip's entry has a fixed time and mode
# 0755). LAMBDA_ARCH=x86_64 for an x86_64 function.
LAMBDA_ARCH ?= arm64
LAMBDA_GOARCH = $(if $(filter x86_64,$(LAMBDA_ARCH)),amd64,$(LAMBDA_ARCH))
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
lambda:
	@mkdir -p bin/lambda
	CGO_ENABLED=0 GOOS=linux GOARCH=$(LAMBDA_GOARCH) $(GO) build -trimpath -buildvcs=false -tags lambda.norpc \
		-ldflags "-s -w -buildid= -X main.version=$(VERSION)" -o bin/lambda/bootstrap ./cmd/wellbase-lambda
	$(GO) run ./scripts/lambdazip -o bin/wellbase-lambda.zip bin/lambda/bootstrap
	@ls -l bin/lambda/bootstrap bin/wellbase-lambda.zip

run:
	$(GO) run ./cmd/wellbase serve

# drill: the failover drill (cmd/wellbase-drill, a few minutes): 3 serve replicas (--workers 0) and
# 2 workers on FerretDB, versitygw and local-kms (started by scripts/testservers) behind haproxy
# (installed with apt-get if missing: CI runs as root); a mixed load of at least 60 s with
# Idempotency-Key retries, a replica and a worker killed with SIGKILL, every replica rolled with
# SIGTERM; then every acknowledged write checked in the API, the database and the object store.
# Its last line holds the figures; it exits 1 if anything acknowledged was lost or duplicated, a
# job ran twice, a request failed after retries or the takeover took over 2 leases.
# DRILL_FLAGS passes flags (e.g. --keep, --duration 90s).
drill: tools
	@if ! command -v haproxy >/dev/null; then \
		if [ "$$(id -u)" != 0 ]; then echo "make drill needs haproxy: apt-get install haproxy (as root)"; exit 1; fi; \
		echo "drill: installing haproxy with apt-get"; \
		apt-get install -y --no-install-recommends haproxy >/dev/null 2>&1 || \
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends haproxy >/dev/null; }; \
	fi
	$(GO) build -o bin/wellbase ./cmd/wellbase
	$(GO) build -o bin/wellbase-drill ./cmd/wellbase-drill
	$(TESTSERVERS) run -- bin/wellbase-drill --wellbase bin/wellbase $(DRILL_FLAGS)

# loadtest: curve reads under load (cmd/wellbase-loadtest, vegeta as a library; several minutes):
# wellbase serve on the embedded defaults at GOMAXPROCS=2, two tenants, the Volve log and generated
# ones; p50/p99/max and errors per rate, the 1M-row curve, the two-tenant fairness ratio and an
# overload with /healthz probes, as a Markdown table for BENCHMARKS.md. LOADTEST_BEFORE=<git rev>
# measures that revision too, interleaved in the same run; LOADTEST_FLAGS passes flags (e.g.
# --rates 100,300,500 --duration 30s --variants json,f64 --out bin/loadtest.md).
LOADTEST_BEFORE ?=
loadtest:
	$(GO) build -o bin/wellbase ./cmd/wellbase
	$(GO) build -o bin/wellbase-loadtest ./cmd/wellbase-loadtest
	bin/wellbase-loadtest --wellbase bin/wellbase $(if $(LOADTEST_BEFORE),--before $(LOADTEST_BEFORE)) $(LOADTEST_FLAGS)

# image: the container image as an archive podman/docker load, built without a daemon or base
# image (scripts/image; the same commit gives the same digest). `make image IMAGE_ARCH=arm64`
# for Graviton.
image:
	IMAGE_ARCH=$(IMAGE_ARCH) scripts/image build --out $(IMAGE_ARCHIVE)

# image-check: load the image into a private podman (installed with apt-get if missing; root), run
# serve and worker from it, check health, user, shutdown, reproducibility and size.
image-check: image
	IMAGE_ARCH=$(IMAGE_ARCH) scripts/image-check $(IMAGE_ARCHIVE)

# dr-drill: the disaster-recovery drill (cmd/wellbase-drdrill, a few minutes): three tenants of
# ../shared/data backed up with serve running, everything destroyed, restored into a new data dir,
# compared through the API; then the same into fresh MongoDB + S3 + KMS servers and back. Each
# step is timed; the last line is the result; any difference fails it. The servers' binaries and
# test AWS credentials come from scripts/testservers.
dr-drill: tools
	$(TESTSERVERS) run -- $(GO) run ./cmd/wellbase-drdrill

# acceptance: the end-to-end checks in ../shared/acceptance of the capabilities built so far
# (resilience runs make drill and make dr-drill itself, as top-level makes: a sub-make would print
# "Leaving directory" after the drill's last line, which is its result).
# aws-drivers needs root (it runs the servers in a private network namespace): CI runs as root;
# elsewhere it goes through sudo. It is given the servers make test built (WB_TOOLS), under the
# names its testservers.sh expects, rather than building them again; deploy-aws likewise gets the
# tfsec scripts/deploytools built (WB_BAR_CACHE), and needs root for podman.
acceptance: tools
	python3 ../shared/acceptance/platform-core
	python3 ../shared/acceptance/well-logs
	python3 ../shared/acceptance/production-dca
	python3 ../shared/acceptance/hardening
	python3 ../shared/acceptance/web
	env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS python3 ../shared/acceptance/resilience
	$(TESTSERVERS) link .tools/acceptance
	@if [ "$$(id -u)" = 0 ]; then set -x; WB_TOOLS=$(CURDIR)/.tools/acceptance python3 ../shared/acceptance/aws-drivers; \
	elif command -v sudo >/dev/null; then set -x; sudo WB_TOOLS=$(CURDIR)/.tools/acceptance python3 ../shared/acceptance/aws-drivers; \
	else echo "aws-drivers needs root (no sudo here)"; exit 1; fi
	scripts/deploytools link .tools/bars/bin
	WB_BAR_CACHE=$(CURDIR)/.tools/bars python3 ../shared/acceptance/deploy-aws

# deploy-check: offline checks of deploy/terraform (tofu fmt, init/validate/test against schema-only
# aws and mongodbatlas providers, tfsec), then the image and Lambda checks when present. The tools
# are built into ~/.cache/wellbase-tools the first time (scripts/deploytools, about 25 min), then reused.
.PHONY: deploy-check
deploy-check:
	scripts/deploy-check
