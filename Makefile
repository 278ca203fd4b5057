# Kinesim: `make serve` builds and serves the app; `make test` runs every test.
# Both install what is missing first (scripts/ensure-tools.sh).
SHELL := /bin/bash
PORT ?= 8080
WASM := target/wasm32-unknown-unknown/release/kinesim.wasm
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# A backtrace per failing test floods the output and hides the assertion.
export RUST_BACKTRACE := 0

.PHONY: fuzz serve dist test test-native test-browser test-node node-pkg node-pkg-release bench tools-web tools-test

serve: dist
	@echo "Kinesim is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

tools-web:
	@scripts/ensure-tools.sh web

tools-test:
	@scripts/ensure-tools.sh test

# A long fuzz run: FUZZ_CASES inputs per target (Kinesis and Firehose dispatch, scenario
# import, snapshot restore); each target prints the inputs it ran and its slowest input.
FUZZ_CASES ?= 100000
fuzz:
	KINESIM_FUZZ_CASES=$(FUZZ_CASES) cargo test --test dispatch_never_panics -- --nocapture

# The release build, the JS glue and the static files, together in dist/.
dist: tools-web
	cargo build --release --target wasm32-unknown-unknown --lib
	rm -rf dist && mkdir -p dist
	wasm-bindgen --target web --remove-name-section --out-dir dist/pkg $(WASM)
	cp index.html dist/ && cp -r www dist/
	@printf 'dist/pkg/kinesim_bg.wasm: %s bytes, %s gzipped\n' \
	  "$$(stat -c %s dist/pkg/kinesim_bg.wasm)" "$$(gzip -9c dist/pkg/kinesim_bg.wasm | wc -c)"

# The same library built for Node, as `new Simulator(seed)` callers load it.
node-pkg: tools-test
	wasm-pack build --target nodejs --dev --mode no-install --out-dir target/pkg-node --no-pack

test: tools-test
	$(MAKE) --no-print-directory test-native
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory test-node

# Engine tests, then an independent reader (pyarrow) opens the Parquet a test wrote.
test-native:
	cargo test
	python3 tests/parquet_check.py

test-browser:
	wasm-pack test --headless --chrome --chromedriver $(CHROMEDRIVER) --mode no-install

# Node tests: the JS contract on the Node build, then the user journey in headless Chromium.
test-node: node-pkg dist
	node --test e2e/

# The Node build with the release profile, for benchmarks.
node-pkg-release: tools-test
	wasm-pack build --target nodejs --release --mode no-install --out-dir target/pkg-node-release --no-pack

# Benchmarks print figures, natively then as wasm on Node's release build; they assert nothing
# about speed. PutRecords throughput, then the standard scenario's simulated-time speedup
# (benches/scenario.json: virtual seconds per wall second), then the scale bench (benches/
# scale.json: wall time, peak memory and bytes per retained record, projected to a simulated
# day; SCALE_SECONDS=86400 runs the whole day), then the console's work per frame in headless
# Chromium (64 shards, 4 producers, 3 consumers at x60 and x3600).
bench: node-pkg-release dist
	cargo bench --bench put_records
	node benches/put_records.mjs
	cargo bench --bench scenario
	node benches/scenario.mjs
	cargo bench --bench scale
	node benches/scale.mjs
	node benches/frames.mjs
