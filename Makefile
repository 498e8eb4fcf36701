# rebill: `make demo` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
SWIFT ?= swift
INBOX ?= samples/inbox
OUT ?= out
REBILL ?= .build/release/rebill

# System packages the build needs (Debian names), and the headers that show they are there.
APT_PACKAGES := libcsv-dev libyaml-dev pkg-config hledger
# Real consumers of the journals rebill writes (make test runs them).
PIP_PACKAGES := beancount
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build test lint format check check-journals reconcile demo diff golden bench bench-csv turns fuzz clean

## setup: install the missing system packages (apt-get update once, before the first install)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v bean-check >/dev/null 2>&1 || python3 -m pip install -q $(PIP_PACKAGES)

## build: the release binary at .build/release/rebill
build: setup
	$(SWIFT) build -c release --product rebill

## test: the format lint, every test (Swift Testing), then the journals checked by hledger and bean-check
test: setup lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory check-journals REBILL=.build/debug/rebill

## check-journals: the samples' journals read by their real consumers
check-journals:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(REBILL) reconcile samples/inbox --out "$$tmp/out" --quiet && \
	hledger check --strict -f "$$tmp/out/journals/hledger.journal" && \
	bean-check "$$tmp/out/journals/beancount.beancount" && \
	echo "hledger check --strict and bean-check accept the samples' journals"

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

## demo: reconciles samples/inbox into out/ (the previous out kept as out.previous for make diff)
demo: build
	$(REBILL) check samples/inbox
	@if [ -d out ]; then rm -rf out.previous && cp -r out out.previous; fi
	$(REBILL) reconcile samples/inbox --out out

## diff: what changed between two out folders (OLD=…, NEW=…; default the last demo and out)
OLD ?= out.previous
NEW ?= out
diff: build
	$(REBILL) diff $(OLD) $(NEW)

## golden: rewrites samples/expected from the current code (review the diff before committing)
golden: build
	$(REBILL) reconcile samples/inbox --out samples/expected --quiet

## bench: 1M entries reconciled with three layouts beside a bare libcsv pass, then 2M (figures, no verdict)
bench: build
	bash bench/bench.sh

## fuzz: libFuzzer with AddressSanitizer on the CSV and YAML decoders, SECONDS each (default 60)
SECONDS ?= 60
FUZZ_BUILD := .build-fuzz
fuzz: setup
	cd fuzz && $(SWIFT) build -Xswiftc -sanitize=fuzzer,address --build-path ../$(FUZZ_BUILD)
	@mkdir -p $(FUZZ_BUILD)/corpus-csv $(FUZZ_BUILD)/corpus-yaml $(FUZZ_BUILD)/artifacts
	@cp samples/inbox/*/*.csv $(FUZZ_BUILD)/corpus-csv/ ; \
	 cp samples/inbox/*/*.yaml mappings/*.yaml mappings/journals/*.yaml $(FUZZ_BUILD)/corpus-yaml/ ; \
	 find Tests/corpus/bad-input -name '*.csv' -type f -exec cp {} $(FUZZ_BUILD)/corpus-csv/ \; ; \
	 find Tests/corpus/bad-input -name '*.yaml' -type f -exec cp {} $(FUZZ_BUILD)/corpus-yaml/ \; ; \
	 if [ -d ../shared/corpora/csv-spectrum/csvs ]; then cp ../shared/corpora/csv-spectrum/csvs/*.csv $(FUZZ_BUILD)/corpus-csv/; fi
	REBILL_FUZZ_FORMAT=csv $(FUZZ_BUILD)/debug/FuzzInbox $(FUZZ_BUILD)/corpus-csv -max_total_time=$(SECONDS) -rss_limit_mb=4096 -artifact_prefix=$(FUZZ_BUILD)/artifacts/csv- -print_final_stats=1
	REBILL_FUZZ_FORMAT=yaml $(FUZZ_BUILD)/debug/FuzzInbox $(FUZZ_BUILD)/corpus-yaml -max_total_time=$(SECONDS) -rss_limit_mb=4096 -artifact_prefix=$(FUZZ_BUILD)/artifacts/yaml- -print_final_stats=1

## turns: builds timed in turns at 1M (BUILDS="/tmp/rebill.a /tmp/rebill.b", ROUNDS=8; after make bench)
ROUNDS ?= 8
turns:
	python3 bench/turns.py --runs $(ROUNDS) $(BUILDS)

## bench-csv: 1M timesheet rows, `rebill check` against a bare libcsv pass (figures, no verdict)
bench-csv: build
	bash bench/bench-csv.sh

clean:
	rm -rf .build .build-fuzz out out.previous
