# mynasign — the README's commands.
#   make run      install what is missing, build, start the GUI
#   make test     install what is missing, run every test (unit, real PC/SC stack, peers, fuzz)
#   make deps     install what is missing (make build and make package only check)
#   make bench    run the benchmarks BENCHCOUNT times and summarize them with benchstat (out/bench/)
#   make package  build the Linux package with `fyne package`

GO        ?= go
BIN       := bin/mynasign
FUZZTIME  ?= 10s
BENCHTIME ?= 1x
BENCHCOUNT ?= 6
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
export CGO_ENABLED := 1
# Every build trims paths, as `fyne package --release` does: then the test build and the
# release build of make package share the Go build cache (above all the cgo of GLFW):
# make test on an empty Go cache (2 vCPU) went from 17 min 8 s to 13 min 46 s.
export GOFLAGS := $(strip $(GOFLAGS) -trimpath)

.PHONY: all deps deps-run check-deps build run test vet unit fuzz bench package clean

all: build

# Only deps, run, test and bench install system packages (what is missing; nothing when
# all are there). build and package never do: they check and say what is missing.
deps:
	@scripts/install-deps build run test

deps-run:
	@scripts/install-deps build run

check-deps:
	@scripts/install-deps --check build

build: check-deps
	$(GO) build -o $(BIN) .

run: deps-run
	$(GO) build -o $(BIN) .
	./$(BIN)

# The longest functions outside tests: listed above FUNCLEN_REPORT lines, an error above
# FUNCLEN_FAIL (internal/tools/funclen): nothing above 150 lines (issue 15); the aim is 100.
FUNCLEN_REPORT ?= 100
FUNCLEN_FAIL   ?= 150

vet:
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run ./internal/tools/funclen -report $(FUNCLEN_REPORT) -fail $(FUNCLEN_FAIL) .

unit:
	$(GO) test -count=1 -timeout 15m ./...

# Every fuzz target of the project, each for FUZZTIME.
fuzz:
	@scripts/fuzz-all $(FUZZTIME)

test: deps vet unit fuzz

# Every benchmark BENCHCOUNT times, summarized by benchstat (median and spread per figure).
bench: deps
	@mkdir -p out/bench
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) -timeout 120m ./... | tee out/bench/latest.txt
	$(GO) run $(BENCHSTAT) out/bench/latest.txt | tee out/bench/benchstat.txt

# The fyne CLI is installed into bin/ at its pinned version, outside go.mod (as a go.mod
# tool it would raise fyne.io/fyne/v2 above the version the app is pinned to).
FYNE         := bin/fyne
FYNE_VERSION := v1.7.4

$(FYNE):
	GOBIN=$(CURDIR)/bin $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

# Writes out/package/mynasign.tar.xz. `fyne package` raises the Build number in
# FyneApp.toml each time: the file is put back as it was afterwards.
package: check-deps $(FYNE)
	@mkdir -p out/package
	@cp FyneApp.toml out/package/.FyneApp.toml.orig
	cd out/package && ../../$(FYNE) package --target linux --src ../.. --release; \
		rc=$$?; cp .FyneApp.toml.orig ../../FyneApp.toml; exit $$rc
	@ls -l out/package/mynasign.tar.xz

clean:
	rm -rf bin out
