# rebill: `make demo` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
INBOX ?= samples/inbox
OUT ?= out
REBILL := .build/release/rebill

# System packages the build needs (Debian names), and the headers that show they are there.
APT_PACKAGES := libcsv-dev libyaml-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build test lint format check reconcile demo golden bench-csv clean

## setup: install the missing system packages (apt-get update once, before the first install)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: the release binary at .build/release/rebill
build: setup
	$(SWIFT) build -c release --product rebill

## test: the format lint, then every test (Swift Testing)
test: setup lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## lint: the code as swift-format would write it (.swift-format)
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

## format: rewrite the code as swift-format would
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

## check: validate an inbox (INBOX=…, default samples/inbox)
check: build
	$(REBILL) check $(INBOX)

## reconcile: the whole run (INBOX=…, OUT=…; default samples/inbox into out)
reconcile: build
	$(REBILL) reconcile $(INBOX) --out $(OUT)

## demo: reconciles samples/inbox into out/ and prints a summary
demo: build
	$(REBILL) check samples/inbox
	$(REBILL) reconcile samples/inbox --out out

## golden: rewrites samples/expected from the current code (review the diff before committing)
golden: build
	$(REBILL) reconcile samples/inbox --out samples/expected --quiet

## bench-csv: 1M timesheet rows, `rebill check` against a bare libcsv pass (figures, no verdict)
bench-csv: build
	bash bench/bench-csv.sh

clean:
	rm -rf .build out
