# A thin front over CMake: `make run` sets up, builds and runs the demo; `make test`
# runs the whole suite. Build output goes to build/ (build-asan/ for sanitizers).
BUILD    ?= build
ASAN     ?= build-asan
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKEFLAGS ?=

.PHONY: all deps build run test asan test-asan bench bench-reconcile bench-ingest bench-events eval install clean

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/CMakeCache.txt: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) $(CMAKEFLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The demo: the bundled fictional articles into a fresh database, then the report.
run: build
	rm -f $(BUILD)/example.db $(BUILD)/example.db-wal $(BUILD)/example.db-shm
	$(BUILD)/crosscheck run examples/articles --config examples/crosscheck.lua --db $(BUILD)/example.db
	$(BUILD)/crosscheck report $(BUILD)/example.db

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DCC_SANITIZE=ON $(CMAKEFLAGS)
	cmake --build $(ASAN) -j $(JOBS)

test-asan: asan
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS)

bench: build
	cmake --build $(BUILD) --target bench -j $(JOBS)

# `crosscheck reconcile` on a synthetic archive of a million claims: time and peak RSS.
bench-reconcile: build
	cmake --build $(BUILD) --target bench-reconcile

# `crosscheck run` on a large archive built from ../shared/corpora: articles/s and MB/s at
# -j 1 and -j 2, their ratio, and peak RSS at 1x and 10x the archive (bench/ingest.sh).
bench-ingest: build
	cmake --build $(BUILD) --target bench-ingest

# Grouping ../shared/corpora (about 20,000 documents) into events against extracting it.
bench-events: build
	cmake --build $(BUILD) --target bench-events

# Accuracy against the hand-made gold of ../shared/eval: one line for the seeds, one for
# the dev set of real Reuters stories (tools/eval.sh; the reports stay in build/eval).
eval: build
	@tools/eval.sh $(BUILD)/crosscheck ../shared $(BUILD)/eval

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN)
