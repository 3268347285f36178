# Everything a contributor or CI runs. `make` alone prints this list.
GO ?= go
# Development-only tools (oasdiff, benchstat, staticcheck) are pinned in the nested module
# tools/, so that modules requiring this one do not inherit them.
GOTOOL := $(GO) tool -modfile=tools/go.mod
# Tests run through internal/testfilter, which prints what plain go test
# prints and lists the skipped tests with their reasons; "make check" collects
# them (and the gate's skip) in SKIP_LOG and prints them at the end.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
SKIP_LOG ?= bin/check-skipped.txt
TESTFILTER = $(GO) -C $(CURDIR) run ./internal/testfilter $${SKIP_LOG:+-skips "$$SKIP_LOG"}

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Regenerate gen/ from the specs (oapi-codegen, version pinned in go.mod).
	$(GO) generate ./gen/...

.PHONY: check-generated
check-generated: generate ## Fail when gen/ differs from what the specs generate.
	@drift=$$(git status --porcelain -- gen); \
	if [ -n "$$drift" ]; then \
		echo "gen/ is stale or was edited by hand:"; echo "$$drift"; \
		echo "run 'make generate' and commit the result"; exit 1; fi

.PHONY: lint
lint: ## Lint the specs (kin-openapi plus our rules), then gofmt, go vet, staticcheck (pinned in tools/), and go mod tidy -diff for each module.
	$(GO) run ./cmd/speclint
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GOTOOL) staticcheck ./...
	$(GO) mod tidy -diff
	cd interop && $(GO) mod tidy -diff
	cd tools && $(GO) mod tidy -diff

.PHONY: test
test: ## Run every test with the race detector.
	GORACE=atexit_sleep_ms=0 $(GO) test -race -count=1 -json ./... | $(TESTFILTER)

FUZZTIME ?= 30s

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME (default 30s), from its corpus under testdata/fuzz/.
	@set -e; git grep -l '^func Fuzz' -- '*_test.go' ':!interop' | while read -r file; do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$file"); do \
			echo "$(GO) test ./$$(dirname "$$file") -run '^$$' -fuzz '^$$target\$$' -fuzztime $(FUZZTIME)"; \
			$(GO) test "./$$(dirname "$$file")" -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME); \
		done; \
	done

.PHONY: examples
examples: ## Check every request under spec/examples against its @expect comments.
	$(GO) run ./cmd/validate -expect spec/examples

# The third-party OpenAPI and JSON Schema tools (Redocly, Prism, openapi-generator, ajv) that the
# interop tests run on the published bundles, pinned by package-lock.json.
PUBLISH_TOOLS := interop/publishtools/node_modules/.package-lock.json

$(PUBLISH_TOOLS): interop/publishtools/package.json interop/publishtools/package-lock.json
	cd interop/publishtools && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

.PHONY: publish-tools
publish-tools: $(PUBLISH_TOOLS) ## Install the pinned Redocly, Prism, openapi-generator and ajv (npm ci; needs Node.js, and Java to run the generator).

# Huawei Cloud's official Node.js SDK (core and ECS), which the interop tests drive
# against the local server and the proxy, pinned by its own package-lock.json. It is
# under testdata/ because a dependency of it ships a Go package that the interop
# module's ./... would otherwise include.
NODE_SDK := interop/testdata/nodesdk/node_modules/.package-lock.json

$(NODE_SDK): interop/testdata/nodesdk/package.json interop/testdata/nodesdk/package-lock.json
	cd interop/testdata/nodesdk && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

.PHONY: node-sdk
node-sdk: $(NODE_SDK) ## Install the pinned Huawei Cloud Node.js SDK that interop drives (npm ci; needs Node.js).

.PHONY: interop
interop: $(PUBLISH_TOOLS) $(NODE_SDK) ## Check against others' software: Huawei's Go and Node.js SDKs, Redocly, Prism and openapi-generator on the bundles, ajv on the JSON Schemas.
	cd interop && $(GO) test -mod=mod -count=1 -json ./... | $(TESTFILTER)

.PHONY: publish
publish: ## Build dist/: bundled specs, index.json with checksums, the offline HTML reference.
	$(GO) run ./cmd/publish -o dist

.PHONY: breaking
breaking: ## Fail on breaking spec changes since BASE (default: merge base with UPSTREAM, else the latest v* tag, else HEAD~1).
	scripts/spec-diff.sh breaking $(BASE)

.PHONY: changelog
changelog: ## Print every spec change since BASE (default as for breaking); FORMAT=markdown for publishing.
	scripts/spec-diff.sh changelog $(BASE)

.PHONY: bench
bench: ## Benchmark the engine against the encoding/json baseline and kin-openapi (see docs/benchmarks.md).
	$(GO) test ./validate -run '^$$' -bench . -benchmem -count $${COUNT:-10} | tee bench.out
	$(GOTOOL) benchstat -col /impl bench.out

.PHONY: run
run: ## Run the local server on 127.0.0.1:8080 (ARGS='-create-delay 2s -fault CreateServers:429:2' …).
	$(GO) run ./cmd/localserver $(ARGS)

.PHONY: check
check: ## What CI runs: the breaking-change gate, generated-code drift, lint, examples, tests, interop; then what was skipped and why.
	@mkdir -p bin && : > $(SKIP_LOG)
	@SKIP_LOG=$(CURDIR)/$(SKIP_LOG) $(MAKE) --no-print-directory breaking check-generated lint examples test interop; \
	status=$$?; \
	if [ -s $(SKIP_LOG) ]; then echo; echo "make check: SKIPPED (these checks did not run; under CI=1 a missing tool fails instead):"; sed 's/^/  /' $(SKIP_LOG); \
	else echo "make check: nothing skipped"; fi; \
	exit $$status
