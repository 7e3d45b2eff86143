# Wellbase build and test entry points. `make test` is the whole suite; CI runs it.
GO ?= go

.PHONY: test vet fmt-check unit bench build run acceptance

# test: static checks, then every test with the race detector.
test: vet fmt-check unit

vet:
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test -race -count=1 ./...

# bench: speed and memory figures (not run by test).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

build:
	$(GO) build -o bin/wellbase ./cmd/wellbase

run:
	$(GO) run ./cmd/wellbase serve

# acceptance: the end-to-end checks in ../shared/acceptance of the capabilities built so far.
acceptance:
	python3 ../shared/acceptance/platform-core
	python3 ../shared/acceptance/well-logs
	python3 ../shared/acceptance/production-dca
