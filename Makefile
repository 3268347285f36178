# Everything a contributor or CI runs. `make` alone prints this list.
GO ?= go

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: lint
lint: ## Lint the specs (kin-openapi plus our rules), then gofmt and go vet.
	$(GO) run ./cmd/speclint
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

.PHONY: test
test: ## Run every test with the race detector.
	$(GO) test -race -count=1 ./...

.PHONY: check
check: lint test ## What CI runs: lint and test.
